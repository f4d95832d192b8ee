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
  | ({ readonly type: 'recording.done'; readonly endpointId: string } & RecordingInfo);

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
  | { readonly type: 'destroyEndpoint'; readonly endpointId: string }
  | { readonly type: 'stats'; readonly endpointId: string }
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
  destroyEndpoint: null;
  stats: EndpointStats;
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
}
