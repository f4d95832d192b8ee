/**
 * Streaming PCM16 WAV writer for call recordings.
 *
 * The header is written first with the largest sizes a 32-bit RIFF allows, so a recording cut
 * short by a crash is still a WAV that players (and our own reader, which clamps sizes to the
 * file length) open to the last written sample; `close()` patches the real sizes in place.
 * Samples are gathered in memory and written in blocks of `flushMs` of audio (200 ms by default):
 * one file write per block instead of one per 10 ms tick keeps hundreds of concurrent
 * recordings cheap, and a crash loses at most that last block. Blocks are written in order from
 * the worker's event loop; the queue is bounded so a stalled disk drops audio (counted) instead
 * of growing memory without limit.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { WAV_HEADER_LENGTH, wavHeader } from './wav.ts';

/** Placeholder data size: 4-byte aligned and RIFF size (data + 36) still fits in 32 bits. */
const STREAMING_DATA_SIZE = 0xffffffd8;
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export interface WavWriterOptions {
  readonly channels: number;
  readonly sampleRate: number;
  /** Audio gathered before a block goes to disk, ms; default 200, 0 writes every call. */
  readonly flushMs?: number;
}

const DEFAULT_FLUSH_MS = 200;
const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

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
  /** Samples gathered for the next block (a fresh ArrayBuffer each block, so always aligned). */
  private block: Int16Array;
  private blockSamples = 0;
  private readonly blockCapacity: number;

  private constructor(
    private readonly handle: FileHandle,
    private readonly options: WavWriterOptions,
  ) {
    const flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
    this.blockCapacity = Math.max(1, Math.round((flushMs * options.sampleRate * options.channels) / 1000));
    this.block = new Int16Array(this.blockCapacity);
  }

  static async open(path: string, options: WavWriterOptions): Promise<WavWriter> {
    const handle = await open(path, 'w');
    const writer = new WavWriter(handle, options);
    const header = wavHeader({ encoding: 'pcm16', ...options, dataBytes: STREAMING_DATA_SIZE });
    await handle.write(header, 0, header.length, 0);
    return writer;
  }

  /** Takes interleaved PCM16 samples (copied, so the caller may reuse its buffer). */
  write(interleaved: Int16Array, count: number = interleaved.length): void {
    if (this.closed || this.failure || count === 0) return;
    let from = 0;
    while (from < count) {
      const n = Math.min(count - from, this.blockCapacity - this.blockSamples);
      this.block.set(interleaved.subarray(from, from + n), this.blockSamples);
      this.blockSamples += n;
      from += n;
      if (this.blockSamples === this.blockCapacity) this.writeBlock();
    }
  }

  /** Sends the gathered samples to disk (queued behind earlier blocks). */
  private writeBlock(): void {
    const samples = this.blockSamples;
    if (samples === 0) return;
    const block = this.block;
    this.block = new Int16Array(this.blockCapacity);
    this.blockSamples = 0;
    let bytes: Buffer;
    if (littleEndian) bytes = Buffer.from(block.buffer, 0, samples * 2);
    else {
      bytes = Buffer.allocUnsafe(samples * 2);
      for (let i = 0; i < samples; i++) bytes.writeInt16LE(block[i] ?? 0, i * 2);
    }
    const at = this.position;
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
    return this.position - WAV_HEADER_LENGTH + this.blockSamples * 2;
  }

  /** Waits for queued writes, patches the RIFF and data sizes, closes the file. */
  async close(): Promise<WavWriterResult> {
    if (!this.closed) this.writeBlock();
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
