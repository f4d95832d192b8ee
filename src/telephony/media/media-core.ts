/**
 * The media engine proper, as it runs inside the worker: endpoints, port allocation, the
 * pacing clock, bridges, recordings and the prompt cache. It takes `MediaCommand`s and reports
 * `MediaEvent`s through a delegate, and knows nothing about threads, so it can also be driven
 * directly in tests.
 */
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
} from './media-protocol.ts';
import { Playback } from './player.ts';
import { PortAllocator } from './port-allocator.ts';
import { PromptCache } from './prompt-cache.ts';
import { CallRecorder } from './recorder.ts';
import { RtpEndpoint, type EndpointDelegate } from './rtp-endpoint.ts';
import { createAnswer, createOffer, DEFAULT_TELEPHONE_EVENT_PT, parseAnswer } from './sdp-offer-answer.ts';

const TICK_MS = 10;
const RECORDER_FLUSH_MS = 100;
const OFFERED_CODECS: readonly G711Law[] = ['PCMU', 'PCMA'];

interface RecordingSession {
  readonly recorder: CallRecorder;
  readonly endpoints: readonly [RtpEndpoint, RtpEndpoint];
}

export class MediaCore {
  private readonly endpoints = new Map<string, RtpEndpoint>();
  private readonly recordings = new Set<RecordingSession>();
  private readonly allocator: PortAllocator;
  private readonly clock = new MediaClock(TICK_MS, (now) => this.tick(now));
  private readonly prompts = new PromptCache();
  private nextEndpoint = 1;
  private nextPlayback = 1;
  private lastFlushMs = 0;
  private stopped = false;

  constructor(
    private readonly config: MediaWorkerConfig,
    private readonly delegate: EndpointDelegate,
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
      case 'destroyEndpoint':
        return this.destroyEndpoint(command.endpointId);
      case 'stats':
        return this.endpoint(command.endpointId).stats();
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
    const id = `ep_${this.nextEndpoint++}`;
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

  private async destroyEndpoint(id: string): Promise<null> {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) return null;
    this.endpoints.delete(id);
    this.unbridge(endpoint);
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

  private async shutdown(): Promise<null> {
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
    if (now - this.lastFlushMs >= RECORDER_FLUSH_MS) {
      this.lastFlushMs = now;
      for (const session of this.recordings) session.recorder.flush(now);
    }
  }
}
