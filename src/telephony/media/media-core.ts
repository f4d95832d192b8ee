/**
 * The media engine proper, as it runs inside the worker: endpoints, port allocation, the
 * pacing clock, bridges, rooms, recordings, DTMF sending, audio taps and the prompt cache. It takes
 * `MediaCommand`s and reports `MediaEvent`s and `TapEvent`s through a delegate, and knows nothing
 * about threads, so it can also be driven directly in tests.
 */
import {
  DEFAULT_DTMF_DURATION_MS,
  DEFAULT_DTMF_GAP_MS,
  MAX_DTMF_DURATION_MS,
  MAX_DTMF_GAP_MS,
  MIN_DTMF_DURATION_MS,
  parseDtmfDigits,
} from './dtmf-sender.ts';
import type { G711Law } from './g711.ts';
import { MediaClock } from './media-clock.ts';
import { MediaError } from './media-errors.ts';
import type {
  EndpointInfo,
  MediaCommand,
  MediaCommandResults,
  MediaCommandType,
  MediaWorkerConfig,
  NegotiationOptions,
  RecordingInfo,
  RoomMemberOptions,
  RoomRecordingOptions,
  TapEndReason,
  TapEvent,
  TapTarget,
} from './media-protocol.ts';
import { Playback } from './player.ts';
import { PortAllocator } from './port-allocator.ts';
import { PromptCache } from './prompt-cache.ts';
import { CallRecorder } from './recorder.ts';
import { MAX_ROOM_MEMBERS, MediaRoom } from './room.ts';
import { RoomRecorder } from './room-recorder.ts';
import { RtpEndpoint, type EndpointDelegate } from './rtp-endpoint.ts';
import { createAnswer, createOffer, DEFAULT_TELEPHONE_EVENT_PT, parseAnswer } from './sdp-offer-answer.ts';
import { AudioTap, DEFAULT_TAP_FRAME_MS, EndpointTapSource, TAP_FRAME_MS } from './tap.ts';

const TICK_MS = 10;
const RECORDER_FLUSH_MS = 100;
const OFFERED_CODECS: readonly G711Law[] = ['PCMU', 'PCMA'];

/** What the core reports: endpoint events and log lines, plus audio taps. */
export interface MediaCoreDelegate extends EndpointDelegate {
  /** A `tap.audio` event's `pcm` is handed over: the worker transfers its buffer. */
  emitTap(event: TapEvent): void;
}

/** A running tap and what feeds it: a room, or an endpoint's received audio. */
type TapEntry =
  | { readonly kind: 'room'; readonly tap: AudioTap; readonly room: MediaRoom }
  | {
      readonly kind: 'endpoint';
      readonly tap: AudioTap;
      readonly endpoint: RtpEndpoint;
      readonly source: EndpointTapSource;
    };

interface RecordingSession {
  readonly recorder: CallRecorder;
  readonly endpoints: readonly [RtpEndpoint, RtpEndpoint];
}

export class MediaCore {
  private readonly endpoints = new Map<string, RtpEndpoint>();
  private readonly recordings = new Set<RecordingSession>();
  private readonly rooms = new Map<string, MediaRoom>();
  private readonly taps = new Map<string, TapEntry>();
  private readonly allocator: PortAllocator;
  private readonly clock = new MediaClock(TICK_MS, (now) => this.tick(now));
  private readonly prompts = new PromptCache();
  private nextEndpoint = 1;
  private nextPlayback = 1;
  private nextRoom = 1;
  private nextTap = 1;
  private lastFlushMs = 0;
  private stopped = false;

  constructor(
    private readonly config: MediaWorkerConfig,
    private readonly delegate: MediaCoreDelegate,
  ) {
    this.allocator = new PortAllocator(config.portMin, config.portMax);
    this.clock.start();
  }

  /** Runs one command; the result type follows the command type (see MediaCommandResults). */
  async execute(command: MediaCommand): Promise<MediaCommandResults[MediaCommandType]> {
    if (this.stopped) throw new MediaError('engine_stopped', 'media engine is stopped');
    switch (command.type) {
      case 'createEndpoint':
        return this.createEndpoint();
      case 'answer':
        return this.answer(command.endpointId, command.sdp, command.options);
      case 'offer':
        return this.offer(command.endpointId, command.options);
      case 'setRemoteAnswer':
        return this.setRemoteAnswer(command.endpointId, command.sdp);
      case 'play':
        return { playbackId: await this.play(command.endpointId, command.files, command.loop) };
      case 'stopPlayback':
        this.endpoint(command.endpointId).endPlayback('stopped');
        return null;
      case 'bridge':
        return this.bridge(command.a, command.b);
      case 'unbridge':
        return this.unbridge(this.endpoint(command.endpointId));
      case 'startRecording':
        return this.startRecording(command.a, command.b, command.file);
      case 'stopRecording':
        return this.stopRecording(this.endpoint(command.endpointId));
      case 'pauseRecording':
        return this.pauseRecording(this.endpoint(command.endpointId), command.paused);
      case 'destroyEndpoint':
        return this.destroyEndpoint(command.endpointId);
      case 'stats':
        return this.endpoint(command.endpointId).stats();
      case 'createRoom':
        return this.createRoom();
      case 'destroyRoom':
        return this.destroyRoom(command.roomId);
      case 'joinRoom':
        return this.joinRoom(command.roomId, command.endpointId, command.options);
      case 'updateRoomMember':
        return this.updateRoomMember(command.roomId, command.endpointId, command.options);
      case 'leaveRoom':
        return this.leaveRoom(command.roomId, command.endpointId);
      case 'roomInfo':
        return this.room(command.roomId).info();
      case 'startRoomRecording':
        return this.startRoomRecording(command.roomId, command.file, command.options);
      case 'stopRoomRecording':
        return this.stopRoomRecording(this.room(command.roomId));
      case 'pauseRoomRecording':
        return this.pauseRoomRecording(this.room(command.roomId), command.paused);
      case 'sendDtmf':
        return this.sendDtmf(command.endpointId, command.digits, command.durationMs, command.gapMs);
      case 'startTap':
        return this.startTap(command.target, command.frameMs);
      case 'stopTap':
        return this.stopTap(command.tapId);
      case 'shutdown':
        return this.shutdown();
    }
  }

  private endpoint(id: string): RtpEndpoint {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) throw new MediaError('unknown_endpoint', `no media endpoint ${id}`);
    return endpoint;
  }

  private async createEndpoint(): Promise<EndpointInfo> {
    const id = `ep_${this.nextEndpoint++}${this.config.idSuffix ?? ''}`;
    const settings = { rtpTimeoutMs: this.config.rtpTimeoutMs, rtcpIntervalMs: this.config.rtcpIntervalMs };
    for (const port of this.allocator.candidates()) {
      this.allocator.reserve(port);
      try {
        const endpoint = await RtpEndpoint.open(
          id,
          port,
          this.config.bindAddress,
          this.delegate,
          settings,
          () => this.clock.now(),
        );
        this.endpoints.set(id, endpoint);
        return { id, port };
      } catch (error) {
        this.allocator.release(port);
        // Taken by another process: try the next pair. Anything else is a real failure.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
      }
    }
    throw this.allocator.exhausted();
  }

  private answer(id: string, sdp: string, options: NegotiationOptions): string {
    const endpoint = this.endpoint(id);
    const result = createAnswer(sdp, {
      address: this.config.advertiseAddress,
      port: endpoint.port,
      supported: OFFERED_CODECS,
      direction: options.direction ?? 'sendrecv',
      origin: { sessionId: endpoint.sessionId, sessionVersion: ++endpoint.sessionVersion },
    });
    endpoint.pendingOffer = null;
    endpoint.applyNegotiation(result.media);
    return result.sdp;
  }

  private offer(id: string, options: NegotiationOptions): string {
    const endpoint = this.endpoint(id);
    const direction = options.direction ?? 'sendrecv';
    endpoint.pendingOffer = {
      codecs: OFFERED_CODECS,
      telephoneEventPt: DEFAULT_TELEPHONE_EVENT_PT,
      direction,
    };
    return createOffer({
      address: this.config.advertiseAddress,
      port: endpoint.port,
      codecs: OFFERED_CODECS,
      telephoneEventPt: DEFAULT_TELEPHONE_EVENT_PT,
      direction,
      origin: { sessionId: endpoint.sessionId, sessionVersion: ++endpoint.sessionVersion },
    });
  }

  private setRemoteAnswer(id: string, sdp: string): null {
    const endpoint = this.endpoint(id);
    if (!endpoint.pendingOffer)
      throw new MediaError('invalid_argument', `endpoint ${id} has no offer outstanding`);
    const media = parseAnswer(sdp, endpoint.pendingOffer);
    endpoint.pendingOffer = null;
    endpoint.applyNegotiation(media);
    return null;
  }

  private async play(id: string, files: readonly string[], loop: boolean): Promise<string> {
    if (files.length === 0) throw new MediaError('invalid_argument', 'play needs at least one file');
    if (!this.endpoint(id).negotiated)
      throw new MediaError('not_negotiated', `endpoint ${id} has no negotiated media`);
    const clips: Int16Array[] = [];
    for (const file of files) clips.push(await this.prompts.load(file));
    // Look the endpoint up again: it may have been destroyed while the files were loading.
    const endpoint = this.endpoint(id);
    const playbackId = `pb_${this.nextPlayback++}`;
    endpoint.startPlayback(new Playback(playbackId, clips, loop, this.clock.now()));
    return playbackId;
  }

  private bridge(a: string, b: string): null {
    if (a === b) throw new MediaError('invalid_argument', 'cannot bridge an endpoint to itself');
    const left = this.endpoint(a);
    const right = this.endpoint(b);
    // An endpoint is in one bridge or one room: bridging takes it out of its room.
    this.leaveCurrentRoom(left);
    this.leaveCurrentRoom(right);
    this.unbridge(left);
    this.unbridge(right);
    left.peer = right;
    right.peer = left;
    // Re-bridging the same phones must not show the gap as packet loss downstream.
    left.restartOutgoing();
    right.restartOutgoing();
    return null;
  }

  private unbridge(endpoint: RtpEndpoint): null {
    if (endpoint.peer) endpoint.peer.peer = null;
    endpoint.peer = null;
    return null;
  }

  private async startRecording(a: string, b: string, file: string): Promise<null> {
    const left = this.endpoint(a);
    const right = this.endpoint(b);
    if (left === right) throw new MediaError('invalid_argument', 'a recording needs two different endpoints');
    if (left.recording || right.recording)
      throw new MediaError('already_recording', 'endpoint is already recorded');
    let recorder: CallRecorder;
    try {
      recorder = await CallRecorder.start(file, this.clock.now());
    } catch (error) {
      throw new MediaError('file_unwritable', `cannot write ${file}: ${(error as Error).message}`);
    }
    if (left.recording || right.recording || !this.endpoints.has(a) || !this.endpoints.has(b)) {
      await recorder.stop(this.clock.now());
      throw new MediaError('already_recording', 'endpoint changed while the recording was starting');
    }
    left.recording = { recorder, channel: 0 };
    right.recording = { recorder, channel: 1 };
    this.recordings.add({ recorder, endpoints: [left, right] });
    return null;
  }

  private async stopRecording(endpoint: RtpEndpoint): Promise<RecordingInfo> {
    const session = [...this.recordings].find((s) => s.endpoints.includes(endpoint));
    if (!session) throw new MediaError('not_recording', `endpoint ${endpoint.id} is not being recorded`);
    this.recordings.delete(session);
    for (const e of session.endpoints) e.recording = null;
    const info = await session.recorder.stop(this.clock.now());
    this.delegate.emit({ type: 'recording.done', endpointId: session.endpoints[0].id, ...info });
    return info;
  }

  private pauseRecording(endpoint: RtpEndpoint, paused: boolean): null {
    const session = [...this.recordings].find((s) => s.endpoints.includes(endpoint));
    if (!session) throw new MediaError('not_recording', `endpoint ${endpoint.id} is not being recorded`);
    session.recorder.setPaused(paused);
    return null;
  }

  private async destroyEndpoint(id: string): Promise<null> {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) return null;
    this.endpoints.delete(id);
    this.unbridge(endpoint);
    this.leaveCurrentRoom(endpoint);
    this.endTaps((entry) => entry.kind === 'endpoint' && entry.endpoint === endpoint, 'endpoint_destroyed');
    if (endpoint.recording) {
      try {
        await this.stopRecording(endpoint);
      } catch (error) {
        this.delegate.log('error', 'recording could not be finalised', {
          endpointId: id,
          error: String(error),
        });
      }
    }
    await endpoint.close();
    this.allocator.release(endpoint.port);
    return null;
  }

  private room(id: string): MediaRoom {
    const room = this.rooms.get(id);
    if (!room) throw new MediaError('unknown_room', `no media room ${id}`);
    return room;
  }

  private createRoom(): string {
    const id = `room_${this.nextRoom++}${this.config.idSuffix ?? ''}`;
    this.rooms.set(id, new MediaRoom(id, this.clock.now()));
    return id;
  }

  /** Members leave (their endpoints stay, silent until bridged or played to); idempotent. */
  private async destroyRoom(id: string): Promise<null> {
    const room = this.rooms.get(id);
    if (!room) return null;
    this.rooms.delete(id);
    room.clear();
    this.endTaps((entry) => entry.kind === 'room' && entry.room === room, 'room_destroyed');
    if (room.recorder) await this.stopRoomRecording(room);
    return null;
  }

  private checkMemberOptions(options: RoomMemberOptions): void {
    const { hears, speaks } = options;
    const hearsOk =
      hears === undefined ||
      hears === 'all' ||
      (Array.isArray(hears) && hears.every((id: unknown) => typeof id === 'string'));
    if (!hearsOk) throw new MediaError('invalid_argument', "hears must be 'all' or a list of endpoint ids");
    if (speaks !== undefined && typeof speaks !== 'boolean')
      throw new MediaError('invalid_argument', 'speaks must be a boolean');
  }

  /** Joining takes the endpoint out of its bridge (the peer stays, unbridged) or other room. */
  private joinRoom(roomId: string, endpointId: string, options: RoomMemberOptions): null {
    const room = this.room(roomId);
    const endpoint = this.endpoint(endpointId);
    this.checkMemberOptions(options);
    if (endpoint.roomMember?.room !== room) {
      if (room.size >= MAX_ROOM_MEMBERS)
        throw new MediaError('room_full', `room ${roomId} has ${MAX_ROOM_MEMBERS} members already`);
      this.leaveCurrentRoom(endpoint);
    }
    this.unbridge(endpoint);
    room.join(endpoint, options);
    return null;
  }

  private updateRoomMember(roomId: string, endpointId: string, options: RoomMemberOptions): null {
    const room = this.room(roomId);
    this.checkMemberOptions(options);
    const member = room.member(endpointId);
    if (!member) throw new MediaError('not_in_room', `endpoint ${endpointId} is not in room ${roomId}`);
    room.update(member, options);
    return null;
  }

  /** Idempotent for endpoints that are gone or not in the room. */
  private leaveRoom(roomId: string, endpointId: string): null {
    const room = this.room(roomId);
    const endpoint = this.endpoints.get(endpointId);
    if (endpoint) room.leave(endpoint);
    return null;
  }

  private leaveCurrentRoom(endpoint: RtpEndpoint): void {
    endpoint.roomMember?.room.leave(endpoint);
  }

  private async startRoomRecording(
    roomId: string,
    file: string,
    options: RoomRecordingOptions,
  ): Promise<null> {
    const room = this.room(roomId);
    if (room.recorder) throw new MediaError('already_recording', `room ${roomId} is already recorded`);
    if (options.left !== undefined && typeof options.left !== 'string')
      throw new MediaError('invalid_argument', 'left must be an endpoint id');
    let recorder: RoomRecorder;
    try {
      recorder = await RoomRecorder.start(file);
    } catch (error) {
      throw new MediaError('file_unwritable', `cannot write ${file}: ${(error as Error).message}`);
    }
    if (room.recorder || this.rooms.get(roomId) !== room) {
      await recorder.stop();
      throw new MediaError('already_recording', 'room changed while the recording was starting');
    }
    room.startRecording(recorder, options.left ?? null);
    return null;
  }

  private pauseRoomRecording(room: MediaRoom, paused: boolean): null {
    if (!room.recorder) throw new MediaError('not_recording', `room ${room.id} is not being recorded`);
    room.recorder.setPaused(paused);
    return null;
  }

  private async stopRoomRecording(room: MediaRoom): Promise<RecordingInfo> {
    const recorder = room.takeRecording();
    if (!recorder) throw new MediaError('not_recording', `room ${room.id} is not being recorded`);
    const info = await recorder.stop();
    this.delegate.emit({ type: 'room.recording.done', roomId: room.id, ...info });
    return info;
  }

  /** Validates everything before anything is sent; resolves when the last digit is out. */
  private async sendDtmf(id: string, value: unknown, durationMs: unknown, gapMs: unknown): Promise<null> {
    const digits = typeof value === 'string' && value.length > 0 ? parseDtmfDigits(value) : null;
    if (!digits)
      throw new MediaError('invalid_digits', `DTMF digits must be 0-9 * # A-D, got ${JSON.stringify(value)}`);
    const duration = durationMs ?? DEFAULT_DTMF_DURATION_MS;
    const gap = gapMs ?? DEFAULT_DTMF_GAP_MS;
    if (
      typeof duration !== 'number' ||
      !Number.isInteger(duration) ||
      duration < MIN_DTMF_DURATION_MS ||
      duration > MAX_DTMF_DURATION_MS
    )
      throw new MediaError(
        'invalid_argument',
        `durationMs must be an integer from ${MIN_DTMF_DURATION_MS} to ${MAX_DTMF_DURATION_MS}`,
      );
    if (typeof gap !== 'number' || !Number.isInteger(gap) || gap < 0 || gap > MAX_DTMF_GAP_MS)
      throw new MediaError('invalid_argument', `gapMs must be an integer from 0 to ${MAX_DTMF_GAP_MS}`);
    await this.endpoint(id).sendDtmf(digits, duration, gap);
    return null;
  }

  /** A tap on a room's mix or on an endpoint's received audio; returns its id. */
  private startTap(target: TapTarget, frameMs: unknown): string {
    if (frameMs !== undefined && !TAP_FRAME_MS.some((ms) => ms === frameMs))
      throw new MediaError('invalid_argument', `frameMs must be one of ${TAP_FRAME_MS.join(', ')}`);
    const id = `tap_${this.nextTap++}${this.config.idSuffix ?? ''}`;
    const newTap = (): AudioTap =>
      new AudioTap(id, typeof frameMs === 'number' ? frameMs : DEFAULT_TAP_FRAME_MS, (pcm, seq) =>
        this.delegate.emitTap({ type: 'tap.audio', tapId: id, pcm, seq }),
      );
    if (typeof target === 'object' && target !== null && 'roomId' in target) {
      const room = this.room(target.roomId);
      const hears = target.hears ?? 'all';
      this.checkMemberOptions({ hears });
      const tap = newTap();
      room.addTap(tap, hears === 'all' ? 'all' : [...hears]);
      this.taps.set(id, { kind: 'room', tap, room });
      return id;
    }
    if (typeof target === 'object' && target !== null && 'endpointId' in target) {
      const endpoint = this.endpoint(target.endpointId);
      const tap = newTap();
      const source = new EndpointTapSource(tap, this.clock.now());
      endpoint.taps.add(source);
      this.taps.set(id, { kind: 'endpoint', tap, endpoint, source });
      return id;
    }
    throw new MediaError('invalid_argument', 'a tap needs a roomId or an endpointId');
  }

  /** Idempotent: a tap that already ended (stopped, or its room/endpoint destroyed) is fine. */
  private stopTap(id: string): null {
    const entry = this.taps.get(id);
    if (entry) this.endTap(id, entry, 'stopped');
    return null;
  }

  private endTaps(match: (entry: TapEntry) => boolean, reason: TapEndReason): void {
    for (const [id, entry] of [...this.taps]) if (match(entry)) this.endTap(id, entry, reason);
  }

  /** Detaches the tap, hands over its last partial batch, then reports `tap.ended`. */
  private endTap(id: string, entry: TapEntry, reason: TapEndReason): void {
    this.taps.delete(id);
    if (entry.kind === 'room') entry.room.removeTap(entry.tap);
    else entry.endpoint.taps.delete(entry.source);
    entry.tap.flush();
    this.delegate.emitTap({ type: 'tap.ended', tapId: id, reason });
  }

  private async shutdown(): Promise<null> {
    for (const id of [...this.rooms.keys()]) {
      try {
        await this.destroyRoom(id);
      } catch (error) {
        this.delegate.log('error', 'room recording could not be finalised', {
          roomId: id,
          error: String(error),
        });
      }
    }
    for (const id of [...this.endpoints.keys()]) await this.destroyEndpoint(id);
    this.clock.stop();
    this.stopped = true;
    return null;
  }

  private tick(now: number): void {
    for (const endpoint of this.endpoints.values()) {
      try {
        endpoint.tick(now);
      } catch (error) {
        this.delegate.log('error', 'endpoint tick failed', { endpointId: endpoint.id, error: String(error) });
      }
    }
    for (const room of this.rooms.values()) {
      try {
        room.tick(now);
      } catch (error) {
        this.delegate.log('error', 'room tick failed', { roomId: room.id, error: String(error) });
      }
    }
    for (const entry of this.taps.values()) {
      if (entry.kind !== 'endpoint') continue;
      try {
        entry.source.tick(now);
      } catch (error) {
        this.delegate.log('error', 'tap tick failed', { tapId: entry.tap.id, error: String(error) });
      }
    }
    if (now - this.lastFlushMs >= RECORDER_FLUSH_MS) {
      this.lastFlushMs = now;
      for (const session of this.recordings) session.recorder.flush(now);
    }
  }
}
