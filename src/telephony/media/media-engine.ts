/**
 * Main-thread façade of the media engine. It runs one or more media worker threads ("shards",
 * each with its own slice of the RTP port range and its own 10 ms clock), turns method calls into
 * `MediaCommand`s for the worker that owns the endpoint, room or tap (the id says which:
 * `ep_12-s1` lives in shard 1, plain `ep_12` in shard 0), and hands `MediaEvent`s to listeners.
 *
 * Placement: a new endpoint or room goes to the shard of `near` (an endpoint or room of the same
 * call) or else to the least loaded shard, so each call's bridge, rooms and recordings stay in one
 * worker and the workers share the machine's cores. Operations that still span shards are
 * carried out through links (shard-links.ts).
 */
import { availableParallelism } from 'node:os';
import { isDtmfDigit } from './dtmf.ts';
import { DEFAULT_DTMF_DURATION_MS, DEFAULT_DTMF_GAP_MS } from './dtmf-sender.ts';
import { MediaError } from './media-errors.ts';
import type {
  EndpointInfo,
  EndpointStats,
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
} from './media-protocol.ts';
import { REQUEST_TIMEOUT_MS, WorkerChannel } from './media-worker-channel.ts';
import { ShardLinks } from './shard-links.ts';

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
  /**
   * Media worker threads. Default 1; `'auto'` = one per core, at most 4. Fewer are started when
   * the port range is too small to give each at least 8 endpoints.
   */
  readonly workers?: number | 'auto';
  readonly logger?: MediaLogger;
}

/** Where a new endpoint or room should live: next to this endpoint or room of the same call. */
export interface PlacementOptions {
  readonly near?: string | null;
}

export type MediaEventListener = (event: MediaEvent) => void;
export type TapListener = (event: TapEvent) => void;

/** Ended taps remembered so that a late onTap still learns how its tap ended. */
const ENDED_TAPS_KEPT = 256;
const MAX_AUTO_WORKERS = 4;
/** Each shard gets at least this many RTP/RTCP port pairs. */
const MIN_PAIRS_PER_SHARD = 8;
const SHARD_SUFFIX = /-s(\d+)$/;

/** The shard an endpoint, room or tap id belongs to (media-core appends `-sN` beyond shard 0). */
export function shardOfId(id: string): number {
  const m = SHARD_SUFFIX.exec(id);
  return m ? Number(m[1]) : 0;
}

/** Splits [portMin, portMax] into `count` slices of whole even-aligned RTP/RTCP pairs. */
export function splitPortRange(portMin: number, portMax: number, count: number): [number, number][] {
  const first = portMin % 2 === 0 ? portMin : portMin + 1;
  const pairs = Math.floor((portMax - first + 1) / 2);
  const n = Math.max(1, Math.min(count, Math.floor(pairs / MIN_PAIRS_PER_SHARD)));
  const per = Math.floor(pairs / n);
  return Array.from({ length: n }, (_, i) => {
    const lo = first + i * per * 2;
    const hi = i === n - 1 ? portMax : lo + per * 2 - 1;
    return [lo, hi] as [number, number];
  });
}

/** A recording whose two endpoints live in different shards, made on stand-ins in one of them. */
interface LinkedRecording {
  readonly shard: number;
  /** Origin id → the id recorded in `shard`. */
  readonly ids: Map<string, string>;
}

export class MediaEngine {
  private readonly listeners = new Set<MediaEventListener>();
  /** Running taps (from startTap's reply to tap.ended) and their listeners. */
  private readonly taps = new Map<string, Set<TapListener>>();
  private readonly endedTaps = new Map<string, TapEndedEvent>();
  private readonly shards: WorkerChannel[] = [];
  /** Live endpoints per shard, for placing new calls. */
  private readonly load: number[];
  private readonly links: ShardLinks;
  private readonly linkedRecordings = new Map<string, LinkedRecording>();
  private stopped = false;

  private constructor(
    private readonly shardCount: number,
    loopback: string,
    private readonly logger: MediaLogger | undefined,
  ) {
    this.load = new Array<number>(shardCount).fill(0);
    this.links = new ShardLinks(
      {
        shardOf: (id) => shardOfId(id),
        request: (shard, command) => this.on(shard, command),
        createEndpointOn: (shard) => this.createOn(shard),
        destroyEndpointOn: async (shard, endpointId) => {
          await this.on(shard, { type: 'destroyEndpoint', endpointId }).catch(() => null);
          this.load[shard] = Math.max(0, this.load[shard]! - 1);
        },
        linked: (origin, from, to) =>
          this.logger?.warn({ endpointId: origin, from, to }, 'media linked across worker threads'),
      },
      loopback,
    );
  }

  /** Starts the worker(s) and waits until they take commands. */
  static async start(options: MediaEngineOptions): Promise<MediaEngine> {
    const wanted =
      options.workers === 'auto'
        ? Math.min(MAX_AUTO_WORKERS, availableParallelism())
        : Math.max(1, Math.floor(options.workers ?? 1));
    const slices = splitPortRange(options.portMin, options.portMax, wanted);
    const bind = options.bindAddress;
    const loopback = bind === '0.0.0.0' ? '127.0.0.1' : bind === '::' ? '::1' : bind;
    const engine = new MediaEngine(slices.length, loopback, options.logger);
    try {
      for (const [i, [portMin, portMax]] of slices.entries()) {
        const config: MediaWorkerConfig = {
          bindAddress: options.bindAddress,
          advertiseAddress: options.advertiseAddress,
          portMin,
          portMax,
          rtpTimeoutMs: options.rtpTimeoutMs ?? 60_000,
          rtcpIntervalMs: options.rtcpIntervalMs ?? 5_000,
          idSuffix: i === 0 ? '' : `-s${i}`,
        };
        engine.shards.push(await WorkerChannel.start(config, engine.sink(i)));
      }
    } catch (error) {
      await Promise.all(engine.shards.map((s) => s.stop().catch(() => undefined)));
      throw error;
    }
    return engine;
  }

  /** Worker threads running, cross-worker links live and made so far (0 when placement works). */
  get workerInfo(): { workers: number; links: number; linksMade: number; endpoints: readonly number[] } {
    return {
      workers: this.shardCount,
      links: this.links.count,
      linksMade: this.links.made,
      endpoints: [...this.load],
    };
  }

  /** Subscribes to media events; returns the unsubscribe function. */
  onEvent(listener: MediaEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A new endpoint, in the shard of `near` when given (keep a call's endpoints together). When that
   * worker's ports are all taken it goes to another one (and is linked when it meets the call).
   */
  async createEndpoint(options: PlacementOptions = {}): Promise<EndpointInfo> {
    const first = this.placement(options.near);
    try {
      return await this.createOn(first);
    } catch (error) {
      if (!(error instanceof MediaError) || error.code !== 'ports_exhausted' || this.shardCount === 1)
        throw error;
      const others = [...this.load.keys()]
        .filter((i) => i !== first)
        .sort((x, y) => this.load[x]! - this.load[y]!);
      for (const shard of others) {
        try {
          return await this.createOn(shard);
        } catch (next) {
          if (!(next instanceof MediaError) || next.code !== 'ports_exhausted') throw next;
        }
      }
      throw new MediaError('ports_exhausted', 'no free RTP port pair in any media worker');
    }
  }

  /** Answers a remote offer; throws SdpNegotiationError when no codec is in common (→ 488). */
  answer(endpointId: string, remoteOfferSdp: string, options: NegotiationOptions = {}): Promise<string> {
    return this.request({ type: 'answer', endpointId, sdp: remoteOfferSdp, options }, endpointId);
  }

  /** Our offer: PCMU, PCMA, telephone-event/8000 on PT 101. */
  offer(endpointId: string, options: NegotiationOptions = {}): Promise<string> {
    return this.request({ type: 'offer', endpointId, options }, endpointId);
  }

  async setRemoteAnswer(endpointId: string, remoteAnswerSdp: string): Promise<void> {
    await this.request({ type: 'setRemoteAnswer', endpointId, sdp: remoteAnswerSdp }, endpointId);
  }

  play(endpointId: string, options: PlayOptions): Promise<PlaybackInfo> {
    return this.request(
      { type: 'play', endpointId, files: [...options.files], loop: options.loop ?? false },
      endpointId,
    );
  }

  async stopPlayback(endpointId: string): Promise<void> {
    await this.request({ type: 'stopPlayback', endpointId }, endpointId);
  }

  async bridge(a: string, b: string): Promise<void> {
    const sa = shardOfId(a);
    const sb = shardOfId(b);
    if (sa === sb || sa >= this.shardCount || sb >= this.shardCount) {
      await this.request({ type: 'bridge', a, b }, a);
      return;
    }
    // Across shards: bridge in whichever shard already has a stand-in, else link `a` into b's.
    if (this.links.hasLink(b, sa)) {
      await this.on(sa, { type: 'bridge', a, b: await this.links.localize(b, sa) });
      return;
    }
    await this.on(sb, { type: 'bridge', a: await this.links.localize(a, sb), b });
  }

  async unbridge(endpointId: string): Promise<void> {
    await this.request({ type: 'unbridge', endpointId }, endpointId);
  }

  /** Stereo PCM16 8 kHz: LEFT = audio received from `a`, RIGHT = audio received from `b`. */
  async startRecording(a: string, b: string, file: string): Promise<void> {
    const sa = shardOfId(a);
    const sb = shardOfId(b);
    if (sa === sb) {
      await this.request({ type: 'startRecording', a, b, file }, a);
      return;
    }
    // Record where the two meet: on a's stand-in next to b, or on b's stand-in next to a.
    const shard = this.links.hasLink(a, sb) ? sb : sa;
    const ra = await this.links.localize(a, shard);
    const rb = await this.links.localize(b, shard);
    await this.on(shard, { type: 'startRecording', a: ra, b: rb, file });
    const rec: LinkedRecording = {
      shard,
      ids: new Map([
        [a, ra],
        [b, rb],
      ]),
    };
    this.linkedRecordings.set(a, rec);
    this.linkedRecordings.set(b, rec);
  }

  stopRecording(endpointId: string): Promise<RecordingInfo> {
    const rec = this.linkedRecordings.get(endpointId);
    if (!rec) return this.request({ type: 'stopRecording', endpointId }, endpointId);
    for (const origin of rec.ids.keys()) this.linkedRecordings.delete(origin);
    return this.on(rec.shard, { type: 'stopRecording', endpointId: rec.ids.get(endpointId)! });
  }

  /** CC-10: while paused, the endpoint's recording is written as silence (time keeps running). */
  async pauseRecording(endpointId: string, paused: boolean): Promise<void> {
    const rec = this.linkedRecordings.get(endpointId);
    if (!rec) await this.request({ type: 'pauseRecording', endpointId, paused }, endpointId);
    else await this.on(rec.shard, { type: 'pauseRecording', endpointId: rec.ids.get(endpointId)!, paused });
  }

  async destroyEndpoint(endpointId: string): Promise<void> {
    const shard = shardOfId(endpointId);
    await this.request({ type: 'destroyEndpoint', endpointId }, endpointId);
    if (shard < this.shardCount) this.load[shard] = Math.max(0, this.load[shard]! - 1);
    const rec = this.linkedRecordings.get(endpointId);
    // A linked recording ends when either origin goes (its stand-in is destroyed below).
    if (rec) for (const origin of rec.ids.keys()) this.linkedRecordings.delete(origin);
    await this.links.drop(endpointId);
  }

  stats(endpointId: string): Promise<EndpointStats> {
    return this.request({ type: 'stats', endpointId }, endpointId);
  }

  /**
   * A new, empty N-party mixer ("room"): conference, monitoring, whisper, barge-in and hold
   * are rooms whose members differ in what they hear and whether they speak (README.md).
   * Created in the shard of `near` when given (an endpoint of the call).
   */
  createRoom(options: PlacementOptions = {}): Promise<string> {
    return this.on(this.placement(options.near), { type: 'createRoom' });
  }

  /**
   * Every member leaves (endpoints stay, unbridged and silent) and a running room recording is
   * finalised (`room.recording.done`). Idempotent.
   */
  async destroyRoom(roomId: string): Promise<void> {
    await this.request({ type: 'destroyRoom', roomId }, roomId);
  }

  /**
   * Adds an endpoint to a room. An endpoint is in one bridge or one room at a time: joining
   * unbridges it (its former peer stays, unbridged) and takes it out of any other room; joining
   * the room it is already in just updates its options. Defaults: hears everyone else, speaks.
   */
  async joinRoom(roomId: string, endpointId: string, options: RoomMemberOptions = {}): Promise<void> {
    const shard = shardOfId(roomId);
    const member = shard < this.shardCount ? await this.links.localize(endpointId, shard) : endpointId;
    await this.request(
      { type: 'joinRoom', roomId, endpointId: member, options: this.memberOptions(options, shard) },
      roomId,
    );
  }

  /** Changes what a member hears and whether it speaks; applies from the next 20 ms frame. */
  async updateMember(roomId: string, endpointId: string, options: RoomMemberOptions): Promise<void> {
    const shard = shardOfId(roomId);
    await this.request(
      {
        type: 'updateRoomMember',
        roomId,
        endpointId: this.links.existing(endpointId, shard),
        options: this.memberOptions(options, shard),
      },
      roomId,
    );
  }

  /** Idempotent: an endpoint that is not (or no longer) in the room is fine. */
  async leaveRoom(roomId: string, endpointId: string): Promise<void> {
    const member = this.links.existing(endpointId, shardOfId(roomId));
    await this.request({ type: 'leaveRoom', roomId, endpointId: member }, roomId);
  }

  async roomInfo(roomId: string): Promise<RoomInfo> {
    const info = await this.request({ type: 'roomInfo', roomId }, roomId);
    // Members that joined through a stand-in are reported under their own id.
    return {
      ...info,
      members: info.members.map((m) => ({
        ...m,
        endpointId: this.links.originOf(m.endpointId) ?? m.endpointId,
      })),
    };
  }

  /**
   * Stereo PCM16 8 kHz of the room's conversation on the mix clock: LEFT = what `options.left`
   * (default: the longest-standing member, i.e. the customer) says, RIGHT = everyone else who
   * speaks, mixed. Prompts and muted members are not recorded.
   */
  async startRoomRecording(roomId: string, file: string, options: RoomRecordingOptions = {}): Promise<void> {
    const left =
      options.left === undefined ? {} : { left: this.links.existing(options.left, shardOfId(roomId)) };
    await this.request({ type: 'startRoomRecording', roomId, file, options: left }, roomId);
  }

  /** CC-10: while paused, the room recording is written as silence (time keeps running). */
  async pauseRoomRecording(roomId: string, paused: boolean): Promise<void> {
    await this.request({ type: 'pauseRoomRecording', roomId, paused }, roomId);
  }

  stopRoomRecording(roomId: string): Promise<RecordingInfo> {
    return this.request({ type: 'stopRoomRecording', roomId }, roomId);
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
    await this.request({ type: 'sendDtmf', endpointId, digits, durationMs, gapMs }, endpointId, timeoutMs);
  }

  /**
   * Starts an audio tap for real-time listening: every `frameMs` (default 100) the listeners
   * registered with `onTap(tapId)` get `{ type: 'tap.audio', tapId, pcm, seq }` with 8 kHz mono
   * PCM16 of what the tap hears — for a room, the mix a listen-only member hearing `hears`
   * (default every member) would get; for an endpoint, the audio it receives from its far end.
   * The tap ends with `tap.ended` on stopTap, or when its room or endpoint is destroyed.
   */
  async startTap(target: TapTarget, options: TapOptions = {}): Promise<string> {
    const owner = 'roomId' in target ? target.roomId : target.endpointId;
    const shard = shardOfId(owner);
    const plain: TapTarget =
      'roomId' in target
        ? {
            roomId: target.roomId,
            ...(target.hears === undefined
              ? {}
              : {
                  hears:
                    target.hears === 'all' ? 'all' : target.hears.map((id) => this.links.existing(id, shard)),
                }),
          }
        : { endpointId: target.endpointId };
    const tapId = await this.request(
      { type: 'startTap', target: plain, frameMs: options.frameMs ?? 100 },
      owner,
    );
    // Registered before any tap message can arrive: the worker replies before the first batch.
    if (!this.endedTaps.has(tapId)) this.taps.set(tapId, new Set());
    return tapId;
  }

  /** Ends the tap (its last, possibly shorter, batch and then `tap.ended` are delivered). Idempotent. */
  async stopTap(tapId: string): Promise<void> {
    await this.request({ type: 'stopTap', tapId }, tapId);
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

  /** Destroys every endpoint (BYE, sockets closed, recordings finalised) and ends the workers. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const results = await Promise.allSettled(this.shards.map((s) => s.stop()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private placement(near: string | null | undefined): number {
    if (near) {
      const shard = shardOfId(near);
      if (shard < this.shardCount) return shard;
    }
    let best = 0;
    for (let i = 1; i < this.shardCount; i++) if (this.load[i]! < this.load[best]!) best = i;
    return best;
  }

  private async createOn(shard: number): Promise<EndpointInfo> {
    const info = await this.on(shard, { type: 'createEndpoint' });
    this.load[shard]!++;
    return info;
  }

  /** Sends a command to the shard that owns `ownerId`. */
  private request<C extends MediaCommand>(
    command: C,
    ownerId: string,
    timeoutMs?: number,
  ): Promise<MediaCommandResults[C['type']]> {
    return this.on(shardOfId(ownerId), command, timeoutMs);
  }

  private on<C extends MediaCommand>(
    shard: number,
    command: C,
    timeoutMs?: number,
  ): Promise<MediaCommandResults[C['type']]> {
    if (this.stopped) return Promise.reject(new MediaError('engine_stopped', 'media engine is stopped'));
    const channel = this.shards[shard];
    if (!channel) {
      // An id with a shard suffix this engine does not have: nothing of that name exists here.
      const kind = command.type.toLowerCase().includes('room') ? 'unknown_room' : 'unknown_endpoint';
      return Promise.reject(new MediaError(kind, `no media object in worker ${shard}`));
    }
    return channel.request(command, timeoutMs);
  }

  /** Room hearing lists name endpoints as the room's shard knows them (stand-ins for linked ones). */
  private memberOptions(options: RoomMemberOptions, shard: number): RoomMemberOptions {
    const { hears, speaks } = options;
    return {
      ...(hears === undefined
        ? {}
        : { hears: hears === 'all' ? 'all' : hears.map((id) => this.links.existing(id, shard)) }),
      ...(speaks === undefined ? {} : { speaks }),
    };
  }

  private sink(shard: number): Parameters<typeof WorkerChannel.start>[1] {
    return {
      event: (event) => this.onWorkerEvent(event),
      tap: (event) => this.onTapEvent(event),
      log: (level, msg, data) => this.logger?.[level](shard === 0 ? data : { ...data, worker: shard }, msg),
      died: (error, exited) => {
        this.logger?.error(
          { err: error, worker: shard },
          exited ? 'media worker exited unexpectedly' : 'media worker failed',
        );
        if (!exited) return;
        // Its taps can never deliver again.
        for (const tapId of [...this.taps.keys()])
          if (shardOfId(tapId) === shard)
            this.onTapEvent({ type: 'tap.ended', tapId, reason: 'engine_stopped' });
      },
    };
  }

  private onWorkerEvent(raw: MediaEvent): void {
    let event = raw;
    if ('endpointId' in raw && this.links.isInternal(raw.endpointId)) {
      // Link endpoints are the engine's own; only a recording made on a stand-in concerns the switch.
      const origin = this.links.originOf(raw.endpointId);
      if (raw.type !== 'recording.done' || !origin) return;
      event = { ...raw, endpointId: origin };
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger?.error({ err: error, event: event.type }, 'media event listener threw');
      }
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
}
