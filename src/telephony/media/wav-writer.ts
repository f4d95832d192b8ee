/**
 * Streaming PCM16 WAV writer for call recordings.
 *
 * The header is written first with the largest sizes a 32-bit RIFF allows, so a recording cut
 * short by a crash is still a WAV that players (and our own reader, which clamps sizes to the
 * file length) open to the last written sample; `close()` patches the real sizes in place.
 * Writes are queued and issued in order from the worker's event loop; the queue is bounded so
 * a stalled disk drops audio (counted) instead of growing memory without limit.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { WAV_HEADER_LENGTH, wavHeader } from './wav.ts';

/** Placeholder data size: 4-byte aligned and RIFF size (data + 36) still fits in 32 bits. */
const STREAMING_DATA_SIZE = 0xffffffd8;
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export interface WavWriterOptions {
  readonly channels: number;
  readonly sampleRate: number;
}

export interface WavWriterResult {
  /** Frames (samples per channel) written. */
  readonly frames: number;
  readonly dataBytes: number;
  /** Bytes dropped because the write queue was full. */
  readonly droppedBytes: number;
}

export class WavWriter {
  private position = WAV_HEADER_LENGTH;
  private queuedBytes = 0;
  private droppedBytes = 0;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    private readonly options: WavWriterOptions,
  ) {}

  static async open(path: string, options: WavWriterOptions): Promise<WavWriter> {
    const handle = await open(path, 'w');
    const writer = new WavWriter(handle, options);
    const header = wavHeader({ encoding: 'pcm16', ...options, dataBytes: STREAMING_DATA_SIZE });
    await handle.write(header, 0, header.length, 0);
    return writer;
  }

  /** Queues interleaved PCM16 samples (copied, so the caller may reuse its buffer). */
  write(interleaved: Int16Array, count: number = interleaved.length): void {
    if (this.closed || this.failure || count === 0) return;
    const bytes = Buffer.allocUnsafe(count * 2);
    for (let i = 0; i < count; i++) bytes.writeInt16LE(interleaved[i] ?? 0, i * 2);
    const at = this.position;
    // Advance even when dropping: the hole reads back as silence and keeps the channels aligned.
    this.position += bytes.length;
    if (this.queuedBytes + bytes.length > MAX_QUEUED_BYTES) {
      this.droppedBytes += bytes.length;
      return;
    }
    this.queuedBytes += bytes.length;
    this.chain = this.chain.then(async () => {
      try {
        await this.handle.write(bytes, 0, bytes.length, at);
      } catch (error) {
        this.failure ??= error as Error;
      } finally {
        this.queuedBytes -= bytes.length;
      }
    });
  }

  get bytesWritten(): number {
    return this.position - WAV_HEADER_LENGTH;
  }

  /** Waits for queued writes, patches the RIFF and data sizes, closes the file. */
  async close(): Promise<WavWriterResult> {
    this.closed = true;
    await this.chain;
    const dataBytes = this.position - WAV_HEADER_LENGTH;
    try {
      const header = wavHeader({ encoding: 'pcm16', ...this.options, dataBytes });
      await this.handle.write(header, 0, header.length, 0);
    } finally {
      await this.handle.close();
    }
    if (this.failure) throw this.failure;
    return {
      frames: dataBytes / (2 * this.options.channels),
      dataBytes,
      droppedBytes: this.droppedBytes,
    };
  }
}
