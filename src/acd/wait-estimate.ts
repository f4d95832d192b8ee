/**
 * Estimated wait time (ACD-06) from the caller's position, the agents serving the group and the
 * group's recent handle times: a sliding window of the last K calls' talk + wrap-up, so the
 * estimate follows a change in call mix within K calls instead of decaying slowly like an
 * exponential average. Until a group has handled a call, its configured default is used.
 */
export class HandleTimeWindow {
  private readonly values: number[] = [];
  private next = 0;
  private sum = 0;

  constructor(readonly capacity = 50) {}

  get count(): number {
    return this.values.length;
  }

  record(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    if (this.values.length < this.capacity) {
      this.values.push(seconds);
    } else {
      this.sum -= this.values[this.next] as number;
      this.values[this.next] = seconds;
      this.next = (this.next + 1) % this.capacity;
    }
    this.sum += seconds;
  }

  mean(): number | null {
    return this.values.length > 0 ? this.sum / this.values.length : null;
  }
}

export interface WaitInputs {
  /** 1-based place among the calls of the group's queue. */
  position: number;
  /** Members free for the call's channel now. */
  free: number;
  /** Members logged in, on schedule and not paused: the ones who will free up. */
  serving: number;
  ahtSeconds: number;
}

/**
 * Callers ahead that free agents cannot absorb wait for busy agents; with `serving` agents each
 * finishing a call every AHT on average, a place in the queue clears every AHT / serving seconds.
 * Non-decreasing in position. Null when nobody serves the group (no honest estimate exists).
 */
export function estimateWaitSeconds(w: WaitInputs): number | null {
  if (w.position <= w.free) return 0;
  if (w.serving <= 0) return null;
  return ((w.position - w.free) * w.ahtSeconds) / w.serving;
}
