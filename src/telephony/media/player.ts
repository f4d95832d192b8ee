/**
 * Prompt playback: a queue of 8 kHz PCM clips cut into fixed 20 ms frames, due at
 * start + n·20 ms. The frame index, not the timer, decides what is sent, so the stream keeps
 * exactly 50 packets per second over any length (RFC 3551 §4.2 packetization; 160 samples of
 * G.711 per packet). After a long stall (the worker was busy) the schedule is moved forward
 * instead of bursting a backlog the far end would only discard.
 */

export const FRAME_MS = 20;
export const FRAME_SAMPLES = 160;
/** Most frames sent in one tick to catch up after a late timer. */
const MAX_CATCH_UP_FRAMES = 5;

export type PlaybackEndReason = 'finished' | 'stopped';

export class Playback {
  private clipIndex = 0;
  private offset = 0;
  private framesSent = 0;
  private startMs: number;

  constructor(
    readonly id: string,
    private readonly clips: readonly Int16Array[],
    private readonly loop: boolean,
    startMs: number,
  ) {
    this.startMs = startMs;
  }

  /** Frames that should have been sent by `nowMs` and were not yet (bounded). */
  framesDue(nowMs: number): number {
    const due = Math.floor((nowMs - this.startMs) / FRAME_MS) + 1 - this.framesSent;
    if (due > MAX_CATCH_UP_FRAMES) {
      // Rebase rather than burst: frames keep their spacing from here on.
      this.startMs += (due - 1) * FRAME_MS;
      return 1;
    }
    return Math.max(0, due);
  }

  get finished(): boolean {
    return this.clipIndex >= this.clips.length;
  }

  /**
   * Fills `out` with the next frame (silence-padded at the very end); false when nothing is
   * left. Clips are concatenated sample-exactly, so a list of files plays without gaps.
   */
  readFrame(out: Int16Array): boolean {
    if (this.finished) return false;
    let filled = 0;
    // Bounded: each pass consumes from one clip; empty clips are skipped; loops need audio.
    for (let pass = 0; filled < FRAME_SAMPLES && pass < this.clips.length * 2 + 2; pass++) {
      const clip = this.clips[this.clipIndex];
      if (!clip) break;
      const take = Math.min(FRAME_SAMPLES - filled, clip.length - this.offset);
      out.set(clip.subarray(this.offset, this.offset + take), filled);
      filled += take;
      this.offset += take;
      if (this.offset >= clip.length) {
        this.offset = 0;
        this.clipIndex++;
        if (this.clipIndex >= this.clips.length && this.loop && this.hasAudio()) this.clipIndex = 0;
        if (this.finished) break;
      }
    }
    out.fill(0, filled, FRAME_SAMPLES);
    this.framesSent++;
    return filled > 0;
  }

  private hasAudio(): boolean {
    return this.clips.some((c) => c.length > 0);
  }
}
