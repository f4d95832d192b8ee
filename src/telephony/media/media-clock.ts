/**
 * The worker's single pacing clock. Ticks are scheduled against absolute target times
 * (start + k·period on the monotonic clock), not by chaining fixed delays, so timer lateness
 * never accumulates into drift. Consumers decide what is due from the time they are given;
 * with one clock for all endpoints the number of timers does not grow with the call count.
 */
import { performance } from 'node:perf_hooks';

export type TickHandler = (nowMs: number) => void;

export class MediaClock {
  private timer: NodeJS.Timeout | null = null;
  private readonly origin = performance.now();
  private tickIndex = 0;

  constructor(
    private readonly periodMs: number,
    private readonly onTick: TickHandler,
  ) {}

  /** Monotonic milliseconds. */
  now(): number {
    return performance.now();
  }

  start(): void {
    if (this.timer) return;
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const now = this.now();
    this.tickIndex = Math.max(this.tickIndex + 1, Math.floor((now - this.origin) / this.periodMs) + 1);
    const target = this.origin + this.tickIndex * this.periodMs;
    this.timer = setTimeout(() => this.fire(), Math.max(0, target - now));
  }

  private fire(): void {
    try {
      this.onTick(this.now());
    } finally {
      if (this.timer) this.schedule();
    }
  }
}
