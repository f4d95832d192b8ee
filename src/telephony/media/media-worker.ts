/**
 * Worker-thread side of the media engine. All UDP sockets, timers and audio work live here so
 * that RTP never waits on SIP parsing, HTTP or database work in the main thread, and a busy
 * main thread never delays a packet. This file only adapts messages to MediaCore.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MediaCore } from './media-core.ts';
import { serializeMediaError } from './media-errors.ts';
import type { MediaCommand, MediaWorkerConfig, WorkerMessage, WorkerRequest } from './media-protocol.ts';

function isConfig(value: unknown): value is MediaWorkerConfig {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['bindAddress'] === 'string' &&
    typeof v['advertiseAddress'] === 'string' &&
    typeof v['portMin'] === 'number' &&
    typeof v['portMax'] === 'number' &&
    typeof v['rtpTimeoutMs'] === 'number' &&
    typeof v['rtcpIntervalMs'] === 'number'
  );
}

function isRequest(value: unknown): value is WorkerRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const command = v['command'] as Record<string, unknown> | null | undefined;
  return (
    typeof v['id'] === 'number' &&
    typeof command === 'object' &&
    command !== null &&
    typeof command['type'] === 'string'
  );
}

function run(): void {
  const port = parentPort;
  if (!port) throw new Error('media-worker must run in a worker thread');
  const config: unknown = workerData;
  if (!isConfig(config)) throw new Error('media-worker started without a valid MediaWorkerConfig');
  const post = (message: WorkerMessage): void => port.postMessage(message);
  const core = new MediaCore(config, {
    emit: (event) => post({ kind: 'event', event }),
    log: (level, msg, data) => post({ kind: 'log', level, msg, data }),
    // Tap audio moves to the main thread without a copy (the tap allocated the batch as a plain
    // ArrayBuffer and never touches it again).
    emitTap: (event) =>
      port.postMessage(
        { kind: 'tap', event } satisfies WorkerMessage,
        event.type === 'tap.audio' ? [event.pcm.buffer as ArrayBuffer] : [],
      ),
  });
  port.on('message', (message: unknown) => {
    if (!isRequest(message)) {
      post({ kind: 'log', level: 'error', msg: 'media worker got a malformed request', data: {} });
      return;
    }
    const command: MediaCommand = message.command;
    core.execute(command).then(
      (result) => post({ kind: 'reply', id: message.id, ok: true, result }),
      (error: unknown) =>
        post({ kind: 'reply', id: message.id, ok: false, error: serializeMediaError(error) }),
    );
  });
  post({ kind: 'ready' });
}

run();
