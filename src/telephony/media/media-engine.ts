/**
 * Main-thread façade of the media engine. It starts the media worker, turns method calls into
 * `MediaCommand` messages with request ids, resolves them from the replies (rebuilding typed
 * errors such as SdpNegotiationError), and hands `MediaEvent`s to listeners.
 */
import { Worker } from 'node:worker_threads';
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

const START_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 30_000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class MediaEngine {
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<MediaEventListener>();
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

  async destroyEndpoint(endpointId: string): Promise<void> {
    await this.request({ type: 'destroyEndpoint', endpointId });
  }

  stats(endpointId: string): Promise<EndpointStats> {
    return this.request({ type: 'stats', endpointId });
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

  private request<C extends MediaCommand>(command: C): Promise<MediaCommandResults[C['type']]> {
    if (this.stopped) return Promise.reject(new MediaError('engine_stopped', 'media engine is stopped'));
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new MediaError('internal', `media command ${command.type} timed out`));
      }, REQUEST_TIMEOUT_MS);
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
      case 'log':
        this.log(message.level, message.msg, message.data);
        return;
      case 'ready':
        return;
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
