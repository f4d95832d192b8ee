/**
 * What the switch offers the layers above: call legs (one SIP dialog plus one media endpoint each)
 * and the operations on them. `calls/` drives legs; it never sees SIP messages or RTP packets.
 */
export type LegEndReason = 'remote_bye' | 'remote_cancel' | 'local' | 'rtp_timeout' | 'failed';

export type LegState = 'offered' | 'ringing' | 'answered' | 'ended';

export interface CallLeg {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  /** SIP Call-ID of this leg's dialog. */
  readonly callId: string;
  /** Inbound: the caller's number (From user). Outbound: our caller ID. */
  readonly fromUser: string;
  readonly fromDisplayName: string | null;
  /** Inbound: the dialled number (Request-URI user, DNIS). Outbound: the called user. */
  readonly toUser: string;
  readonly state: LegState;
  /**
   * Answer an inbound leg (200 OK with our SDP); resolves once the caller's ACK arrives. `near`:
   * a leg of the call this one will be connected to, so their media share a worker thread.
   */
  answer(options?: { near?: CallLeg | null }): Promise<void>;
  /** Reject an inbound leg that is not answered yet. */
  reject(status: number, reason?: string): Promise<void>;
  /** Play files in sequence; resolves when they finish or playback is stopped. */
  play(files: string[], options?: { loop?: boolean }): Promise<'finished' | 'stopped'>;
  stopPlayback(): Promise<void>;
  /** End the leg: BYE when answered, CANCEL/487 before. Idempotent. */
  hangup(): Promise<void>;
  onDtmf(listener: (digit: string) => void): void;
  /**
   * The phone asked to transfer the call (SIP REFER): the listener gets the target's user part (an
   * extension or a number) and, for an attended transfer, the dialog the phone wants the target to
   * take over (RFC 3891 Replaces; null for a blind transfer). It returns what to do once the phone
   * has been told it was accepted, or null to refuse.
   */
  onTransferRequest(
    listener: (target: string, replaces: ReplacesTarget | null) => Promise<(() => void) | null>,
  ): void;
  /** Whether this leg is the SIP dialog `callId` with our tag `localTag` and the far end's `remoteTag`. */
  isDialog(callId: string, localTag: string, remoteTag: string): boolean;
  onEnded(listener: (reason: LegEndReason) => void): void;
}

/** RFC 3891: the dialog an attended transfer's target takes over (`toTag` ours, `fromTag` the phone's). */
export interface ReplacesTarget {
  callId: string;
  toTag: string;
  fromTag: string;
}

export type DialFailure = 'not_registered' | 'busy' | 'no_answer' | 'rejected' | 'cancelled' | 'failed';

export class DialError extends Error {
  constructor(
    readonly failure: DialFailure,
    readonly status: number | null,
  ) {
    super(`dial failed: ${failure}${status ? ` (${status})` : ''}`);
    this.name = 'DialError';
  }
}

export interface DialOptions {
  /** Caller ID presented to the called phone. */
  callerId: string;
  callerName?: string;
  timeoutMs: number;
  /**
   * A leg of the call the new leg will be connected to (the customer, the agent): its media is
   * placed in the same media worker thread, so bridging, mixing and recording stay in one thread.
   */
  near?: CallLeg | null;
}

export interface PendingDial {
  /** Resolves with the answered leg; rejects with DialError. */
  readonly answered: Promise<CallLeg>;
  onRinging(listener: () => void): void;
  cancel(): void;
}

export interface Recording {
  file: string;
  durationMs: number;
}

export interface SwitchDelegate {
  onInboundCall(leg: CallLeg): void;
  onRegistrationChange(user: string, registered: boolean): void;
}

/** The B2BUA's surface used by `calls/`. */
export interface CallSwitch {
  readonly listening: boolean;
  isRegistered(user: string): boolean;
  dial(user: string, options: DialOptions): PendingDial;
  /** Audio (and RFC 4733 events) flow both ways between two answered legs. */
  bridge(a: CallLeg, b: CallLeg): Promise<void>;
  /** Stereo recording: left = audio from `a`, right = audio from `b`. */
  startRecording(a: CallLeg, b: CallLeg, file: string): Promise<void>;
  stopRecording(a: CallLeg): Promise<Recording | null>;
  /** CC-10: while paused the recording started with `a` is written as silence; rejects if none runs. */
  pauseRecording(leg: CallLeg, paused: boolean): Promise<void>;

  // Conference rooms: an N-party mix in the media worker (media/README.md, "Rooms"). Conference
  // (会议), monitoring (监听: speaks false), whisper (the caller hears only the agent), barge-in
  // (强插: everyone hears everyone) and hold (a muted member plus play()) are all rooms. A leg is
  // in one bridge or one room: joining unbridges it, bridge() takes it out of its room.
  /** A new, empty room (its mixing next to `near`'s media); returns its id. */
  createConference(near?: CallLeg | null): Promise<string>;
  /** Adds an answered leg (defaults: hears everyone else, speaks); again = update. */
  joinConference(roomId: string, leg: CallLeg, options?: ConferenceMemberOptions): Promise<void>;
  /** Changes what a member hears / whether it speaks, from the next 20 ms frame. */
  updateConferenceMember(roomId: string, leg: CallLeg, options: ConferenceMemberOptions): Promise<void>;
  /** Idempotent; the leg stays up, unbridged and silent. */
  leaveConference(roomId: string, leg: CallLeg): Promise<void>;
  /** Everyone leaves and a running room recording is finalised; stop it first to get its duration. */
  destroyConference(roomId: string): Promise<void>;
  /** Stereo WAV: left = the room's longest-standing member (the customer), right = everyone else. */
  startConferenceRecording(roomId: string, file: string): Promise<void>;
  /** Null when the room is not (or no longer) recorded. */
  stopConferenceRecording(roomId: string): Promise<Recording | null>;

  /**
   * Sends `digits` (0-9 * # A-D) to an answered leg's far end as RFC 4733 telephone-events
   * (100 ms each, 100 ms apart); resolves once all are sent. Rejects with the media engine's
   * MediaError: `invalid_digits` (nothing sent) or `no_telephone_event` (the far end did not
   * negotiate telephone-event; there is no in-band fallback).
   */
  sendDtmf(leg: CallLeg, digits: string): Promise<void>;
  /** Listen to a room as a silent member (8 kHz mono PCM in ~100 ms batches); returns stop. */
  startConferenceTap(roomId: string, listener: (event: AudioTapEvent) => void): Promise<() => Promise<void>>;
  /** Listen to what an answered leg's far end sends (8 kHz mono PCM in ~100 ms batches); returns stop. */
  startLegTap(leg: CallLeg, listener: (event: AudioTapEvent) => void): Promise<() => Promise<void>>;
}

export interface ConferenceMemberOptions {
  /** The legs this member hears, or 'all' (the default): every other member. Never itself. */
  hears?: 'all' | readonly CallLeg[];
  /** False: listen-only (muted), nobody hears this member. Default true. */
  speaks?: boolean;
}

/** What an audio tap delivers: 16-bit linear PCM at 8 kHz, mono, or the end of the tap. */
export type AudioTapEvent = { type: 'audio'; pcm: Int16Array } | { type: 'ended' };
