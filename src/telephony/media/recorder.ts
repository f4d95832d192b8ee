/**
 * A two-channel call recorder: LEFT is what one endpoint received (the caller), RIGHT what the
 * other received (the agent), both placed on a common timeline and streamed to a PCM16 8 kHz
 * stereo WAV. Audio is held back `delayMs` before it is written so that frames delayed by the
 * network still land in their place.
 */
import { decodeG711, type G711Law } from './g711.ts';
import { RecordingTimeline } from './timeline.ts';
import { WavWriter } from './wav-writer.ts';
import { TELEPHONY_SAMPLE_RATE } from './wav.ts';

const SAMPLES_PER_MS = TELEPHONY_SAMPLE_RATE / 1000;
/** Two seconds of ring per channel: far more than any jitter we wait for. */
const WINDOW_SAMPLES = 2 * TELEPHONY_SAMPLE_RATE;
const DEFAULT_DELAY_MS = 200;
/** Largest G.711 payload we accept per packet (120 ms at 8 kHz). */
const MAX_FRAME_SAMPLES = 960;

export type RecordingChannel = 0 | 1;

export interface RecordingResult {
  readonly file: string;
  readonly durationMs: number;
  /** Frames written (samples per channel). */
  readonly samples: number;
}

export class CallRecorder {
  private readonly timeline = new RecordingTimeline({ windowSamples: WINDOW_SAMPLES, channels: 2 });
  private readonly decoded = new Int16Array(MAX_FRAME_SAMPLES);
  private readonly drainBuffer = new Int16Array(WINDOW_SAMPLES * 2);
  /** CC-10: while paused, received audio is recorded as silence; the timeline keeps running. */
  private paused = false;

  private constructor(
    readonly file: string,
    private readonly writer: WavWriter,
    private readonly startMs: number,
    private readonly delayMs: number,
  ) {}

  static async start(file: string, nowMs: number, delayMs: number = DEFAULT_DELAY_MS): Promise<CallRecorder> {
    const writer = await WavWriter.open(file, { channels: 2, sampleRate: TELEPHONY_SAMPLE_RATE });
    return new CallRecorder(file, writer, nowMs, delayMs);
  }

  private nowSample(nowMs: number): number {
    return Math.max(0, Math.round((nowMs - this.startMs) * SAMPLES_PER_MS));
  }

  /** Pauses (true) or resumes (false) the recording; the paused span is written as silence. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Takes one received G.711 frame for a channel. */
  onAudio(
    channel: RecordingChannel,
    law: G711Law,
    ssrc: number,
    timestamp: number,
    payload: Uint8Array,
    nowMs: number,
  ): void {
    const count = Math.min(payload.length, MAX_FRAME_SAMPLES);
    if (this.paused) this.decoded.fill(0, 0, count);
    else decodeG711(law, payload, 0, count, this.decoded, 0);
    this.timeline.put(channel, ssrc, timestamp, this.decoded, count, this.nowSample(nowMs));
  }

  /** Writes out everything older than the jitter allowance. Call periodically. */
  flush(nowMs: number): void {
    this.drainTo(this.nowSample(nowMs - this.delayMs));
  }

  private drainTo(target: number): void {
    // Bounded: each pass drains up to one window, and the target is at most a few windows away.
    for (let pass = 0; pass < 64; pass++) {
      const frames = this.timeline.drain(target, this.drainBuffer);
      if (frames === 0) return;
      this.writer.write(this.drainBuffer, frames * 2);
    }
  }

  /** Writes everything up to now and closes the file. */
  async stop(nowMs: number): Promise<RecordingResult> {
    this.drainTo(this.nowSample(nowMs));
    const result = await this.writer.close();
    return {
      file: this.file,
      durationMs: Math.round(result.frames / SAMPLES_PER_MS),
      samples: result.frames,
    };
  }
}
