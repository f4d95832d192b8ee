/**
 * Main-thread façade of the media engine. It starts the media worker, turns method calls into
 * `MediaCommand` messages with request ids, resolves them from the replies (rebuilding typed
 * errors such as SdpNegotiationError), and hands `MediaEvent`s to listeners.
 */
import { Worker } from 'node:worker_threads';
import { isDtmfDigit } from './dtmf.ts';
import { DEFAULT_DTMF_DURATION_MS, DEFAULT_DTMF_GAP_MS } from './dtmf-sender.ts';
import { MediaError, deserializeMediaError } from './media-errors.ts';
import type {
  EndpointInfo,
  EndpointStats,
  LogLevel,
  MediaCommand,
  MediaCommandResults,
  MediaEvent,
  MediaWorkerConfig,
  NegotiationOptions,
  PlaybackInfo,
  PlayOptions,
  RecordingInfo,
  RoomInfo,
  RoomMemberOptions,
  RoomRecordingOptions,
  SendDtmfOptions,
  TapEndedEvent,
  TapEvent,
  TapOptions,
  TapTarget,
  WorkerMessage,
} from './media-protocol.ts';

/** The subset of a pino logger the engine uses. */
export interface MediaLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MediaEngineOptions {
  readonly bindAddress: string;
  /** Address written into our SDP (c= line); the public address when behind NAT. */
  readonly advertiseAddress: string;
  readonly portMin: number;
  readonly portMax: number;
  /** Report `rtp.timeout` after this long without RTP once media started. Default 60 s. */
  readonly rtpTimeoutMs?: number;
  /** Nominal RTCP report interval (RFC 3550 §6.2). Default 5 s. */
  readonly rtcpIntervalMs?: number;
  readonly logger?: MediaLogger;
}

export type MediaEventListener = (event: MediaEvent) => void;
export type TapListener = (event: TapEvent) => void;

const START_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Ended taps remembered so that a late onTap still learns how its tap ended. */
const ENDED_TAPS_KEPT = 256;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class MediaEngine {
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<MediaEventListener>();
  /** Running taps (from startTap's reply to tap.ended) and their listeners. */
  private readonly taps = new Map<string, Set<TapListener>>();
  private readonly endedTaps = new Map<string, TapEndedEvent>();
  private nextRequest = 1;
  private stopped = false;

  private constructor(
    private readonly worker: Worker,
    private readonly logger: MediaLogger | undefined,
  ) {
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (error) => {
      this.logger?.error({ err: error }, 'media worker failed');
      this.failAll(new MediaError('internal', `media worker failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      if (!this.stopped) this.logger?.error({ code }, 'media worker exited unexpectedly');
      this.stopped = true;
      this.failAll(new MediaError('engine_stopped', 'media worker exited'));
      for (const tapId of [...this.taps.keys()])
        this.onTapEvent({ type: 'tap.ended', tapId, reason: 'engine_stopped' });
    });
  }

  /** Starts the worker and waits until it is ready to take commands. */
  static async start(options: MediaEngineOptions): Promise<MediaEngine> {
    const config: MediaWorkerConfig = {
      bindAddress: options.bindAddress,
      advertiseAddress: options.advertiseAddress,
      portMin: options.portMin,
      portMax: options.portMax,
      rtpTimeoutMs: options.rtpTimeoutMs ?? 60_000,
      rtcpIntervalMs: options.rtcpIntervalMs ?? 5_000,
    };
    const worker = new Worker(new URL('./media-worker-entry.mjs', import.meta.url), { workerData: config });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new MediaError('internal', 'media worker did not start')),
        START_TIMEOUT_MS,
      );
      const cleanup = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', fail);
        worker.off('exit', onExit);
      };
      const fail = (error: Error): void => {
        cleanup();
        void worker.terminate();
        reject(error);
      };
      const onMessage = (message: WorkerMessage): void => {
        if (message.kind !== 'ready') return;
        cleanup();
        resolve();
      };
      const onExit = (code: number): void =>
        fail(new MediaError('internal', `media worker exited with ${code}`));
      worker.on('message', onMessage);
      worker.on('error', fail);
      worker.on('exit', onExit);
    });
    return new MediaEngine(worker, options.logger);
  }

  /** Subscribes to media events; returns the unsubscribe function. */
  onEvent(listener: MediaEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  createEndpoint(): Promise<EndpointInfo> {
    return this.request({ type: 'createEndpoint' });
  }

  /** Answers a remote offer; throws SdpNegotiationError when no codec is in common (→ 488). */
  answer(endpointId: string, remoteOfferSdp: string, options: NegotiationOptions = {}): Promise<string> {
    return this.request({ type: 'answer', endpointId, sdp: remoteOfferSdp, options });
  }

  /** Our offer: PCMU, PCMA, telephone-event/8000 on PT 101. */
  offer(endpointId: string, options: NegotiationOptions = {}): Promise<string> {
    return this.request({ type: 'offer', endpointId, options });
  }

  async setRemoteAnswer(endpointId: string, remoteAnswerSdp: string): Promise<void> {
    await this.request({ type: 'setRemoteAnswer', endpointId, sdp: remoteAnswerSdp });
  }

  play(endpointId: string, options: PlayOptions): Promise<PlaybackInfo> {
    return this.request({ type: 'play', endpointId, files: [...options.files], loop: options.loop ?? false });
  }

  async stopPlayback(endpointId: string): Promise<void> {
    await this.request({ type: 'stopPlayback', endpointId });
  }

  async bridge(a: string, b: string): Promise<void> {
    await this.request({ type: 'bridge', a, b });
  }

  async unbridge(endpointId: string): Promise<void> {
    await this.request({ type: 'unbridge', endpointId });
  }

  /** Stereo PCM16 8 kHz: LEFT = audio received from `a`, RIGHT = audio received from `b`. */
  async startRecording(a: string, b: string, file: string): Promise<void> {
    await this.request({ type: 'startRecording', a, b, file });
  }

  stopRecording(endpointId: string): Promise<RecordingInfo> {
    return this.request({ type: 'stopRecording', endpointId });
  }

  /** CC-10: while paused, the endpoint's recording is written as silence (time keeps running). */
  async pauseRecording(endpointId: string, paused: boolean): Promise<void> {
    await this.request({ type: 'pauseRecording', endpointId, paused });
  }

  async destroyEndpoint(endpointId: string): Promise<void> {
    await this.request({ type: 'destroyEndpoint', endpointId });
  }

  stats(endpointId: string): Promise<EndpointStats> {
    return this.request({ type: 'stats', endpointId });
  }

  /**
   * A new, empty N-party mixer ("room"): conference, monitoring, whisper, barge-in and hold
   * are rooms whose members differ in what they hear and whether they speak (README.md).
   */
  createRoom(): Promise<string> {
    return this.request({ type: 'createRoom' });
  }

  /**
   * Every member leaves (endpoints stay, unbridged and silent) and a running room recording is
   * finalised (`room.recording.done`). Idempotent.
   */
  async destroyRoom(roomId: string): Promise<void> {
    await this.request({ type: 'destroyRoom', roomId });
  }

  /**
   * Adds an endpoint to a room. An endpoint is in one bridge or one room at a time: joining
   * unbridges it (its former peer stays, unbridged) and takes it out of any other room; joining
   * the room it is already in just updates its options. Defaults: hears everyone else, speaks.
   */
  async joinRoom(roomId: string, endpointId: string, options: RoomMemberOptions = {}): Promise<void> {
    await this.request({ type: 'joinRoom', roomId, endpointId, options: memberOptions(options) });
  }

  /** Changes what a member hears and whether it speaks; applies from the next 20 ms frame. */
  async updateMember(roomId: string, endpointId: string, options: RoomMemberOptions): Promise<void> {
    await this.request({ type: 'updateRoomMember', roomId, endpointId, options: memberOptions(options) });
  }

  /** Idempotent: an endpoint that is not (or no longer) in the room is fine. */
  async leaveRoom(roomId: string, endpointId: string): Promise<void> {
    await this.request({ type: 'leaveRoom', roomId, endpointId });
  }

  roomInfo(roomId: string): Promise<RoomInfo> {
    return this.request({ type: 'roomInfo', roomId });
  }

  /**
   * Stereo PCM16 8 kHz of the room's conversation on the mix clock: LEFT = what `options.left`
   * (default: the longest-standing member, i.e. the customer) says, RIGHT = everyone else who
   * speaks, mixed. Prompts and muted members are not recorded.
   */
  async startRoomRecording(roomId: string, file: string, options: RoomRecordingOptions = {}): Promise<void> {
    await this.request({ type: 'startRoomRecording', roomId, file, options: { ...options } });
  }

  /** CC-10: while paused, the room recording is written as silence (time keeps running). */
  async pauseRoomRecording(roomId: string, paused: boolean): Promise<void> {
    await this.request({ type: 'pauseRoomRecording', roomId, paused });
  }

  stopRoomRecording(roomId: string): Promise<RecordingInfo> {
    return this.request({ type: 'stopRoomRecording', roomId });
  }

  /**
   * Sends `digits` (0-9 * # A-D) as RFC 4733 telephone-events on the endpoint's outgoing stream
   * (same SSRC, next sequence numbers), on the telephone-event payload type negotiated in its
   * SDP; audio to the endpoint is replaced by the events while each digit is on the wire.
   * Resolves when the last digit's final end packet is sent; a string sent while another is
   * still going out follows it. Rejects with MediaError: `invalid_digits` (nothing sent),
   * `no_telephone_event` (the peer did not negotiate it), `not_sending` (hold), `invalid_argument`
   * (timing), `dtmf_aborted` (endpoint destroyed midway).
   */
  async sendDtmf(endpointId: string, digits: string, options: SendDtmfOptions = {}): Promise<void> {
    if (typeof digits !== 'string' || digits.length === 0 || ![...digits].every(isDtmfDigit))
      throw new MediaError(
        'invalid_digits',
        `DTMF digits must be 0-9 * # A-D, got ${JSON.stringify(digits)}`,
      );
    const durationMs = options.durationMs ?? DEFAULT_DTMF_DURATION_MS;
    const gapMs = options.gapMs ?? DEFAULT_DTMF_GAP_MS;
    // Long strings take longer than an ordinary command: allow for every digit plus slack.
    const timeoutMs =
      REQUEST_TIMEOUT_MS + [...digits].length * (Math.max(0, durationMs) + Math.max(0, gapMs) + 100);
    await this.request({ type: 'sendDtmf', endpointId, digits, durationMs, gapMs }, timeoutMs);
  }

  /**
   * Starts an audio tap for real-time listening: every `frameMs` (default 100) the listeners
   * registered with `onTap(tapId)` get `{ type: 'tap.audio', tapId, pcm, seq }` with 8 kHz mono
   * PCM16 of what the tap hears — for a room, the mix a listen-only member hearing `hears`
   * (default every member) would get; for an endpoint, the audio it receives from its far end.
   * The tap ends with `tap.ended` on stopTap, or when its room or endpoint is destroyed.
   */
  async startTap(target: TapTarget, options: TapOptions = {}): Promise<string> {
    const plain: TapTarget =
      'roomId' in target
        ? {
            roomId: target.roomId,
            ...(target.hears === undefined
              ? {}
              : { hears: target.hears === 'all' ? 'all' : [...target.hears] }),
          }
        : { endpointId: target.endpointId };
    const tapId = await this.request({ type: 'startTap', target: plain, frameMs: options.frameMs ?? 100 });
    // Registered before any tap message can arrive: the worker replies before the first batch.
    if (!this.endedTaps.has(tapId)) this.taps.set(tapId, new Set());
    return tapId;
  }

  /** Ends the tap (its last, possibly shorter, batch and then `tap.ended` are delivered). Idempotent. */
  async stopTap(tapId: string): Promise<void> {
    await this.request({ type: 'stopTap', tapId });
  }

  /**
   * Listens to one tap's `tap.audio` and `tap.ended` events (tap traffic never goes to onEvent
   * listeners); returns the unsubscribe function. Subscribe right after startTap resolves:
   * batches that arrive with no listener are dropped. On a tap that has already ended the
   * listener gets its `tap.ended` (asynchronously); an unknown id throws `unknown_tap`.
   */
  onTap(tapId: string, listener: TapListener): () => void {
    const listeners = this.taps.get(tapId);
    if (listeners) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }
    const ended = this.endedTaps.get(tapId);
    if (!ended) throw new MediaError('unknown_tap', `no audio tap ${tapId}`);
    queueMicrotask(() => this.callTapListener(listener, ended));
    return () => undefined;
  }

  /** Destroys every endpoint (BYE, sockets closed, recordings finalised) and ends the worker. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.request({ type: 'shutdown' });
    } finally {
      this.stopped = true;
      await this.worker.terminate();
    }
  }

  private request<C extends MediaCommand>(
    command: C,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<MediaCommandResults[C['type']]> {
    if (this.stopped) return Promise.reject(new MediaError('engine_stopped', 'media engine is stopped'));
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new MediaError('internal', `media command ${command.type} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        // The worker's reply to command C carries MediaCommandResults[C['type']] (media-core.ts).
        resolve: (value) => resolve(value as MediaCommandResults[C['type']]),
        reject,
        timer,
      });
      this.worker.postMessage({ id, command });
    });
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.kind) {
      case 'reply': {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.result);
        else pending.reject(deserializeMediaError(message.error));
        return;
      }
      case 'event':
        for (const listener of this.listeners) {
          try {
            listener(message.event);
          } catch (error) {
            this.logger?.error({ err: error, event: message.event.type }, 'media event listener threw');
          }
        }
        return;
      case 'tap':
        this.onTapEvent(message.event);
        return;
      case 'log':
        this.log(message.level, message.msg, message.data);
        return;
      case 'ready':
        return;
    }
  }

  private onTapEvent(event: TapEvent): void {
    const listeners = this.taps.get(event.tapId);
    if (event.type === 'tap.ended') {
      this.taps.delete(event.tapId);
      this.endedTaps.set(event.tapId, event);
      // Oldest first (insertion order): keep the memory bounded.
      for (const id of this.endedTaps.keys()) {
        if (this.endedTaps.size <= ENDED_TAPS_KEPT) break;
        this.endedTaps.delete(id);
      }
    }
    if (!listeners) return;
    for (const listener of listeners) this.callTapListener(listener, event);
  }

  private callTapListener(listener: TapListener, event: TapEvent): void {
    try {
      listener(event);
    } catch (error) {
      this.logger?.error({ err: error, event: event.type, tapId: event.tapId }, 'tap listener threw');
    }
  }

  private log(level: LogLevel, msg: string, data: Record<string, unknown>): void {
    this.logger?.[level](data, msg);
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }
}

/** Only the known fields cross to the worker, and the hearing list as a plain array. */
function memberOptions(options: RoomMemberOptions): RoomMemberOptions {
  const { hears, speaks } = options;
  return {
    ...(hears === undefined ? {} : { hears: hears === 'all' ? 'all' : [...hears] }),
    ...(speaks === undefined ? {} : { speaks }),
  };
}
