/**
 * One media worker thread and its request/reply channel: starts the worker, sends `MediaCommand`s
 * with request ids, resolves them from the replies (rebuilding typed errors such as
 * SdpNegotiationError), and hands events, tap batches and log lines to the engine.
 */
import { Worker } from 'node:worker_threads';
import { MediaError, deserializeMediaError } from './media-errors.ts';
import type {
  LogLevel,
  MediaCommand,
  MediaCommandResults,
  MediaEvent,
  MediaWorkerConfig,
  TapEvent,
  WorkerMessage,
} from './media-protocol.ts';

const START_TIMEOUT_MS = 20_000;
export const REQUEST_TIMEOUT_MS = 30_000;

export interface WorkerChannelSink {
  event(event: MediaEvent): void;
  tap(event: TapEvent): void;
  log(level: LogLevel, msg: string, data: Record<string, unknown>): void;
  /** The worker failed or exited while it was meant to run. */
  died(error: Error, exited: boolean): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class WorkerChannel {
  private readonly pending = new Map<number, Pending>();
  private nextRequest = 1;
  private stopped = false;

  private constructor(
    private readonly worker: Worker,
    private readonly sink: WorkerChannelSink,
  ) {
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (error) => {
      this.sink.died(error, false);
      this.failAll(new MediaError('internal', `media worker failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      const unexpected = !this.stopped;
      this.stopped = true;
      this.failAll(new MediaError('engine_stopped', 'media worker exited'));
      if (unexpected) this.sink.died(new Error(`media worker exited with code ${code}`), true);
    });
  }

  /** Starts the worker and waits until it is ready to take commands. */
  static async start(config: MediaWorkerConfig, sink: WorkerChannelSink): Promise<WorkerChannel> {
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
    return new WorkerChannel(worker, sink);
  }

  get running(): boolean {
    return !this.stopped;
  }

  request<C extends MediaCommand>(
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

  /** Destroys every endpoint of this worker (BYE, sockets closed, recordings finalised) and ends it. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.request({ type: 'shutdown' });
    } finally {
      this.stopped = true;
      await this.worker.terminate();
    }
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
        this.sink.event(message.event);
        return;
      case 'tap':
        this.sink.tap(message.event);
        return;
      case 'log':
        this.sink.log(message.level, message.msg, message.data);
        return;
      case 'ready':
        return;
    }
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }
}
