/**
 * Audio taps: real-time listening (e.g. a supervisor's browser) without joining the call.
 *
 * A tap collects 20 ms frames of 8 kHz PCM16 on the worker's mix clock and hands them to the
 * main thread in batches (100 ms by default: 10 messages per second instead of 50). Each batch
 * is a fresh Int16Array whose buffer is transferred, not copied, across the worker boundary,
 * so it must never be touched again here; that is why a new batch is allocated after each one
 * (1.6 KB per 100 ms).
 *
 * Two kinds of source feed a tap:
 *  - a room (room.ts) writes the mix the tap hears every frame, like a listen-only member
 *    that nobody hears;
 *  - an endpoint tap (EndpointTapSource) queues what the endpoint receives from its far end in
 *    its own jitter buffer and reads one frame per 20 ms, silence when nothing arrived, so the
 *    listener gets a steady stream even through DTX, loss or hold.
 */
import type { G711Law } from './g711.ts';
import { JitterBuffer } from './jitter-buffer.ts';
import { FRAME_MS, FRAME_SAMPLES } from './player.ts';

/** Batch lengths a tap may use. */
export const TAP_FRAME_MS: readonly number[] = [20, 100];
export const DEFAULT_TAP_FRAME_MS = 100;
/** Most frames read in one tick to catch up after a late timer; beyond that, rebase. */
const MAX_CATCH_UP_FRAMES = 5;

export type TapSink = (pcm: Int16Array, seq: number) => void;

export class AudioTap {
  private readonly batchSamples: number;
  private batch: Int16Array;
  private filled = 0;
  private seq = 0;

  constructor(
    readonly id: string,
    frameMs: number,
    private readonly sink: TapSink,
  ) {
    this.batchSamples = (frameMs / FRAME_MS) * FRAME_SAMPLES;
    this.batch = new Int16Array(this.batchSamples);
  }

  /** Appends one 20 ms frame (null: silence); hands the batch over when it is full. */
  writeFrame(pcm: Int16Array | null): void {
    if (pcm) this.batch.set(pcm.subarray(0, FRAME_SAMPLES), this.filled);
    else this.batch.fill(0, this.filled, this.filled + FRAME_SAMPLES);
    this.filled += FRAME_SAMPLES;
    if (this.filled >= this.batchSamples) this.flush();
  }

  /** Hands over what is collected so far (the tap is ending); the last batch may be shorter. */
  flush(): void {
    if (this.filled === 0) return;
    const pcm = this.filled === this.batchSamples ? this.batch : this.batch.slice(0, this.filled);
    // The batch's buffer now belongs to the receiver (transfer list); never reuse it.
    this.batch = new Int16Array(this.batchSamples);
    this.filled = 0;
    this.sink(pcm, this.seq++);
  }
}

/** Feeds a tap with what one endpoint receives, paced to one frame per 20 ms. */
export class EndpointTapSource {
  private readonly input = new JitterBuffer();
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private startMs: number;
  private frames = 0;

  constructor(
    readonly tap: AudioTap,
    nowMs: number,
  ) {
    this.startMs = nowMs;
  }

  /** One received G.711 packet (called from the endpoint's receive path, before any relay). */
  receive(law: G711Law, ssrc: number, sequenceNumber: number, payload: Uint8Array): void {
    this.input.push(law, ssrc, sequenceNumber, payload);
  }

  /** Called by the worker clock; writes every frame that is due. */
  tick(nowMs: number): void {
    let due = Math.floor((nowMs - this.startMs) / FRAME_MS) + 1 - this.frames;
    if (due > MAX_CATCH_UP_FRAMES) {
      // The worker stalled: move the schedule forward rather than burst a backlog.
      this.startMs += (due - 1) * FRAME_MS;
      due = 1;
    }
    for (let i = 0; i < due; i++) {
      this.frames++;
      this.tap.writeFrame(this.input.pull(this.frame) ? this.frame : null);
    }
  }
}
