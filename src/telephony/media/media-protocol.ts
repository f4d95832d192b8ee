/**
 * The typed contract between the main-thread façade (media-engine.ts) and the media worker
 * (media-worker.ts): commands with request ids going in, replies, events and log lines coming
 * out. Everything here is structured-clone data.
 */
import type { DtmfDigit } from './dtmf.ts';
import type { SerializedMediaError } from './media-errors.ts';
import type { PlaybackEndReason } from './player.ts';
import type { SdpDirection } from './sdp.ts';

export interface EndpointInfo {
  readonly id: string;
  /** Even RTP port; RTCP is on port + 1. */
  readonly port: number;
}

export interface PlayOptions {
  readonly files: readonly string[];
  readonly loop?: boolean;
}

export interface PlaybackInfo {
  readonly playbackId: string;
}

export interface RecordingInfo {
  readonly file: string;
  readonly durationMs: number;
  /** Frames written (samples per channel, 8000 per second). */
  readonly samples: number;
}

export interface NegotiationOptions {
  /** Our own direction wish, e.g. 'sendonly' to hold the peer (RFC 3264 §8.4). */
  readonly direction?: SdpDirection;
}

/** A member's rights in a room (see room.ts). Omitted fields keep their value (join: defaults). */
export interface RoomMemberOptions {
  /** Endpoint ids this member hears, or 'all' (default): every other member. Never itself. */
  readonly hears?: 'all' | readonly string[];
  /** False: listen-only (muted), nobody hears this member. Default true. */
  readonly speaks?: boolean;
}

export interface RoomMemberInfo {
  readonly endpointId: string;
  readonly hears: 'all' | readonly string[];
  readonly speaks: boolean;
  /** Receive quality of the member's input (jitter-buffer.ts). */
  readonly input: {
    /** 20 ms frames mixed as silence inside the member's stream (late or lost packets). */
    readonly underruns: number;
    /** Samples discarded to keep latency bounded (bursts, a fast sender clock). */
    readonly droppedSamples: number;
    /** Duplicate or late out-of-order packets. */
    readonly latePackets: number;
  };
}

export interface RoomInfo {
  readonly id: string;
  /** In join order; the first is the recording's default LEFT channel. */
  readonly members: readonly RoomMemberInfo[];
  /** File being recorded, if any. */
  readonly recording: string | null;
  /** 20 ms frames mixed since the room was created. */
  readonly framesMixed: number;
}

export interface RoomRecordingOptions {
  /** Endpoint recorded on the LEFT channel; default the room's longest-standing member. */
  readonly left?: string;
}

/** RFC 4733 digit timing for sendDtmf. */
export interface SendDtmfOptions {
  /** How long each digit is "pressed", 40–8000 ms. Default 100. */
  readonly durationMs?: number;
  /** Pause from the end of one digit to the start of the next, 0–10000 ms. Default 100. */
  readonly gapMs?: number;
}

/**
 * What an audio tap listens to: a room's mix (like a listen-only member that hears `hears`,
 * default every member), or the audio an endpoint receives from its far end (its phone).
 */
export type TapTarget =
  { readonly roomId: string; readonly hears?: 'all' | readonly string[] } | { readonly endpointId: string };

export interface TapOptions {
  /** Audio per `tap.audio` message: 100 ms (default; 10 messages/s) or 20 ms (lower latency). */
  readonly frameMs?: 20 | 100;
}

/** One batch of tapped audio: 8 kHz mono linear PCM16, `frameMs` long (the last may be shorter). */
export interface TapAudioEvent {
  readonly type: 'tap.audio';
  readonly tapId: string;
  /** Transferred, not copied, from the worker: the receiver owns it. */
  readonly pcm: Int16Array;
  /** 0, 1, 2, … per tap, in order. */
  readonly seq: number;
}

export type TapEndReason = 'stopped' | 'room_destroyed' | 'endpoint_destroyed' | 'engine_stopped';

/** The tap's last event; no `tap.audio` follows it. */
export interface TapEndedEvent {
  readonly type: 'tap.ended';
  readonly tapId: string;
  readonly reason: TapEndReason;
}

export type TapEvent = TapAudioEvent | TapEndedEvent;

export interface EndpointStats {
  readonly packetsReceived: number;
  readonly octetsReceived: number;
  readonly packetsSent: number;
  readonly octetsSent: number;
  /** Datagrams that were not valid RTP (RFC 3550 §5.1) or RTCP. */
  readonly malformed: number;
  /** Valid packets dropped: unexpected source after latching, unknown payload type, early. */
  readonly ignored: number;
  readonly lost: number;
  readonly jitterMs: number;
  readonly dtmfEvents: number;
  /** Where we send RTP, once known ("address:port"). */
  readonly remote: string | null;
  readonly latched: boolean;
  readonly codec: 'PCMU' | 'PCMA' | null;
  readonly direction: SdpDirection | null;
  readonly bridgedTo: string | null;
  /** Room the endpoint is a member of. */
  readonly room: string | null;
}

export type MediaEvent =
  | {
      readonly type: 'dtmf';
      readonly endpointId: string;
      readonly digit: DtmfDigit;
      readonly source: 'rfc4733';
    }
  | {
      readonly type: 'playback.done';
      readonly endpointId: string;
      readonly playbackId: string;
      readonly reason: PlaybackEndReason;
    }
  | { readonly type: 'rtp.timeout'; readonly endpointId: string }
  | { readonly type: 'rtp.started'; readonly endpointId: string }
  /** A recording ended, by stopRecording or because one of its endpoints was destroyed. */
  | ({ readonly type: 'recording.done'; readonly endpointId: string } & RecordingInfo)
  /** A room recording ended, by stopRoomRecording or because the room was destroyed. */
  | ({ readonly type: 'room.recording.done'; readonly roomId: string } & RecordingInfo);

export type MediaCommand =
  | { readonly type: 'createEndpoint' }
  | {
      readonly type: 'answer';
      readonly endpointId: string;
      readonly sdp: string;
      readonly options: NegotiationOptions;
    }
  | { readonly type: 'offer'; readonly endpointId: string; readonly options: NegotiationOptions }
  | { readonly type: 'setRemoteAnswer'; readonly endpointId: string; readonly sdp: string }
  | {
      readonly type: 'play';
      readonly endpointId: string;
      readonly files: readonly string[];
      readonly loop: boolean;
    }
  | { readonly type: 'stopPlayback'; readonly endpointId: string }
  | { readonly type: 'bridge'; readonly a: string; readonly b: string }
  | { readonly type: 'unbridge'; readonly endpointId: string }
  | { readonly type: 'startRecording'; readonly a: string; readonly b: string; readonly file: string }
  | { readonly type: 'stopRecording'; readonly endpointId: string }
  /** CC-10: while paused the recording of the endpoint's call is written as silence. */
  | { readonly type: 'pauseRecording'; readonly endpointId: string; readonly paused: boolean }
  | { readonly type: 'destroyEndpoint'; readonly endpointId: string }
  | { readonly type: 'stats'; readonly endpointId: string }
  | { readonly type: 'createRoom' }
  | { readonly type: 'destroyRoom'; readonly roomId: string }
  | {
      readonly type: 'joinRoom';
      readonly roomId: string;
      readonly endpointId: string;
      readonly options: RoomMemberOptions;
    }
  | {
      readonly type: 'updateRoomMember';
      readonly roomId: string;
      readonly endpointId: string;
      readonly options: RoomMemberOptions;
    }
  | { readonly type: 'leaveRoom'; readonly roomId: string; readonly endpointId: string }
  | { readonly type: 'roomInfo'; readonly roomId: string }
  | {
      readonly type: 'startRoomRecording';
      readonly roomId: string;
      readonly file: string;
      readonly options: RoomRecordingOptions;
    }
  | { readonly type: 'stopRoomRecording'; readonly roomId: string }
  | { readonly type: 'pauseRoomRecording'; readonly roomId: string; readonly paused: boolean }
  | {
      readonly type: 'sendDtmf';
      readonly endpointId: string;
      readonly digits: string;
      readonly durationMs: number;
      readonly gapMs: number;
    }
  | { readonly type: 'startTap'; readonly target: TapTarget; readonly frameMs: number }
  | { readonly type: 'stopTap'; readonly tapId: string }
  | { readonly type: 'shutdown' };

/** What each command resolves to. */
export interface MediaCommandResults {
  createEndpoint: EndpointInfo;
  answer: string;
  offer: string;
  setRemoteAnswer: null;
  play: PlaybackInfo;
  stopPlayback: null;
  bridge: null;
  unbridge: null;
  startRecording: null;
  stopRecording: RecordingInfo;
  pauseRecording: null;
  destroyEndpoint: null;
  stats: EndpointStats;
  /** The new room's id. */
  createRoom: string;
  destroyRoom: null;
  joinRoom: null;
  updateRoomMember: null;
  leaveRoom: null;
  roomInfo: RoomInfo;
  startRoomRecording: null;
  stopRoomRecording: RecordingInfo;
  pauseRoomRecording: null;
  /** Resolves once the last digit's final end packet is sent. */
  sendDtmf: null;
  /** The new tap's id. */
  startTap: string;
  stopTap: null;
  shutdown: null;
}

export type MediaCommandType = MediaCommand['type'];

export interface WorkerRequest {
  readonly id: number;
  readonly command: MediaCommand;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: false; readonly error: SerializedMediaError }
  | { readonly kind: 'event'; readonly event: MediaEvent }
  /** Audio taps, kept apart from MediaEvent so their 10–50 messages/s reach only tap listeners. */
  | { readonly kind: 'tap'; readonly event: TapEvent }
  | {
      readonly kind: 'log';
      readonly level: LogLevel;
      readonly msg: string;
      readonly data: Record<string, unknown>;
    };

/** Settings the worker starts with (passed as workerData). */
export interface MediaWorkerConfig {
  readonly bindAddress: string;
  readonly advertiseAddress: string;
  readonly portMin: number;
  readonly portMax: number;
  readonly rtpTimeoutMs: number;
  readonly rtcpIntervalMs: number;
  /** Appended to this worker's endpoint, room and tap ids (`-s1`…; empty in the first worker). */
  readonly idSuffix?: string;
}
