/**
 * End-of-speech detection for a caller answering a prompt (IVR-04): a plain energy detector over
 * 20 ms frames of 8 kHz PCM16. Telephone lines are quiet between words, so an RMS threshold with
 * a few frames of hangover is enough for digit strings; it is not meant for noisy far-field audio.
 *
 *   waiting  → speech once `onsetFrames` loud frames come in a row (the audio kept starts
 *              `preRollMs` before them, so a soft first consonant is not cut);
 *   speech   → done when `trailingSilenceMs` of quiet follows, or the utterance reaches `maxSpeechMs`;
 *   waiting  → done (no speech) when `noSpeechMs` pass without an onset.
 */

export interface VadOptions {
  /** Give up when nobody speaks for this long (ms). */
  noSpeechMs: number;
  /** Longest utterance kept (ms); speech still going on is cut there. */
  maxSpeechMs: number;
  /** Quiet after speech that ends the utterance (ms, default 800: pauses between digits are shorter). */
  trailingSilenceMs?: number;
  /** RMS of a loud frame (default 300, about -40 dBFS). */
  threshold?: number;
  /** Loud frames in a row that start speech (default 3: 60 ms, clicks are shorter). */
  onsetFrames?: number;
  /** Audio kept from before the onset (ms, default 200). */
  preRollMs?: number;
}

export type VadResult =
  { type: 'speech'; pcm: Int16Array; reason: 'silence' | 'max_length' } | { type: 'no_speech' };

const SAMPLE_RATE = 8000;
const FRAME = 160; // 20 ms

export function frameRms(frame: Int16Array): number {
  let sum = 0;
  for (const s of frame) sum += s * s;
  return frame.length ? Math.sqrt(sum / frame.length) : 0;
}

export class EnergyVad {
  private readonly threshold: number;
  private readonly onsetFrames: number;
  private readonly preRollFrames: number;
  private readonly silenceFrames: number;
  private readonly noSpeechFrames: number;
  private readonly maxSpeechFrames: number;
  /** Samples not yet making up a whole frame. */
  private carry = new Int16Array(0);
  private frames: Int16Array[] = [];
  private seen = 0;
  private loudRun = 0;
  private quietRun = 0;
  private speechStart = -1;
  private result: VadResult | null = null;

  constructor(options: VadOptions) {
    const frames = (ms: number) => Math.max(1, Math.round(ms / 20));
    this.threshold = options.threshold ?? 300;
    this.onsetFrames = options.onsetFrames ?? 3;
    this.preRollFrames = frames(options.preRollMs ?? 200);
    this.silenceFrames = frames(options.trailingSilenceMs ?? 800);
    this.noSpeechFrames = frames(options.noSpeechMs);
    this.maxSpeechFrames = frames(options.maxSpeechMs);
  }

  /** The verdict once there is one; later audio is ignored. */
  get done(): VadResult | null {
    return this.result;
  }

  /** Feeds 8 kHz PCM16 of any length; returns the verdict once the utterance (or the wait) is over. */
  push(pcm: Int16Array): VadResult | null {
    if (this.result) return this.result;
    const all = new Int16Array(this.carry.length + pcm.length);
    all.set(this.carry);
    all.set(pcm, this.carry.length);
    let at = 0;
    for (; at + FRAME <= all.length && !this.result; at += FRAME) this.frame(all.slice(at, at + FRAME));
    this.carry = all.slice(at);
    return this.result;
  }

  /** The audio ended (the tap stopped): whatever speech there is counts as the utterance. */
  finish(): VadResult {
    this.result ??= this.speechStart < 0 ? { type: 'no_speech' } : this.utterance('silence');
    return this.result;
  }

  private frame(frame: Int16Array): void {
    this.frames.push(frame);
    this.seen += 1;
    const loud = frameRms(frame) >= this.threshold;
    if (this.speechStart < 0) {
      this.loudRun = loud ? this.loudRun + 1 : 0;
      if (this.loudRun >= this.onsetFrames) {
        this.speechStart = Math.max(0, this.frames.length - this.onsetFrames - this.preRollFrames);
        this.frames = this.frames.slice(this.speechStart);
        this.speechStart = 0;
      } else if (this.seen >= this.noSpeechFrames) {
        this.result = { type: 'no_speech' };
      } else if (this.frames.length > this.preRollFrames + this.onsetFrames) {
        this.frames.shift(); // only the pre-roll is kept while waiting
      }
      return;
    }
    this.quietRun = loud ? 0 : this.quietRun + 1;
    if (this.quietRun >= this.silenceFrames) this.result = this.utterance('silence');
    else if (this.frames.length >= this.maxSpeechFrames) this.result = this.utterance('max_length');
  }

  private utterance(reason: 'silence' | 'max_length'): VadResult {
    // Trailing quiet beyond 200 ms carries no digits; the recognizer pads its own silence.
    const keepQuiet = Math.min(this.quietRun, Math.round(200 / 20));
    const frames = this.frames.slice(0, this.frames.length - this.quietRun + keepQuiet);
    const pcm = new Int16Array(frames.length * FRAME);
    frames.forEach((f, i) => pcm.set(f, i * FRAME));
    return { type: 'speech', pcm, reason };
  }
}

/** Seconds of audio in `pcm` at 8 kHz. */
export function durationSec(pcm: Int16Array): number {
  return pcm.length / SAMPLE_RATE;
}
