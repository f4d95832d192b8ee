/**
 * Recording of a room: a PCM16 8 kHz stereo WAV written from the room's own mix clock. Every
 * 20 ms frame the room hands over the same decoded member frames it mixes, so all parties are
 * aligned by construction (their jitter was absorbed before mixing) and the file runs exactly
 * as long as the recording: a frame nobody spoke in is written as silence.
 *
 * LEFT is one party (the room's longest-standing member, in a contact center the customer),
 * RIGHT is the sum of every other speaking member, clamped: the same split as the two-party
 * call recording, so quality review and speech analytics can keep treating LEFT as the customer.
 * Frames are batched (100 ms) before they go to the writer, so a recording costs one small
 * write per batch, not per frame.
 */
import { FRAME_SAMPLES } from './player.ts';
import type { RecordingResult } from './recorder.ts';
import { WavWriter } from './wav-writer.ts';
import { TELEPHONY_SAMPLE_RATE } from './wav.ts';

const SAMPLES_PER_MS = TELEPHONY_SAMPLE_RATE / 1000;
const BATCH_FRAMES = 5;

export class RoomRecorder {
  private readonly batch = new Int16Array(BATCH_FRAMES * FRAME_SAMPLES * 2);
  private batched = 0;
  /** CC-10: while paused, every frame is written as silence; the file keeps its timeline. */
  private paused = false;

  private constructor(
    readonly file: string,
    private readonly writer: WavWriter,
  ) {}

  static async start(file: string): Promise<RoomRecorder> {
    const writer = await WavWriter.open(file, { channels: 2, sampleRate: TELEPHONY_SAMPLE_RATE });
    return new RoomRecorder(file, writer);
  }

  /** Pauses (true) or resumes (false) the recording; the paused span is written as silence. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /** One frame: `left` (null = silence) and the unclamped sum for the right channel. */
  writeFrame(left: Int16Array | null, right: Int32Array): void {
    if (this.paused) {
      this.writeSilence(1);
      return;
    }
    const out = this.batch;
    let o = this.batched * FRAME_SAMPLES * 2;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const r = right[i] ?? 0;
      out[o++] = left ? (left[i] ?? 0) : 0;
      out[o++] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
    }
    if (++this.batched === BATCH_FRAMES) this.flush();
  }

  /** Frames the room could not mix (the worker stalled): kept as silence so time stays true. */
  writeSilence(frames: number): void {
    for (let f = 0; f < frames; f++) {
      this.batch.fill(0, this.batched * FRAME_SAMPLES * 2, (this.batched + 1) * FRAME_SAMPLES * 2);
      if (++this.batched === BATCH_FRAMES) this.flush();
    }
  }

  private flush(): void {
    if (this.batched === 0) return;
    this.writer.write(this.batch, this.batched * FRAME_SAMPLES * 2);
    this.batched = 0;
  }

  async stop(): Promise<RecordingResult> {
    this.flush();
    const result = await this.writer.close();
    return {
      file: this.file,
      durationMs: Math.round(result.frames / SAMPLES_PER_MS),
      samples: result.frames,
    };
  }
}
