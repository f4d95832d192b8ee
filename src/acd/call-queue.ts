/**
 * One group's waiting calls, ordered by priority (higher first) and, within a priority, by
 * arrival sequence (FIFO, ACD-06). A call that comes back after a failed offer, an overflow or a
 * priority change is placed by its original sequence, so it keeps its place among its peers.
 * Binary search finds places and positions in O(log n).
 */
import type { QueuedCall } from './acd-types.ts';

function before(a: QueuedCall, b: QueuedCall): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
}

export class CallQueue {
  private readonly calls: QueuedCall[] = [];

  get size(): number {
    return this.calls.length;
  }

  at(i: number): QueuedCall | undefined {
    return this.calls[i];
  }

  all(): readonly QueuedCall[] {
    return this.calls;
  }

  insert(call: QueuedCall): void {
    this.calls.splice(this.lowerBound(call), 0, call);
  }

  /** 0-based index of `call`, or -1. */
  indexOf(call: QueuedCall): number {
    const i = this.lowerBound(call);
    return this.calls[i] === call ? i : -1;
  }

  remove(call: QueuedCall): boolean {
    const i = this.indexOf(call);
    if (i < 0) return false;
    this.calls.splice(i, 1);
    return true;
  }

  /** Remove many at once (after a distribution round) in one pass. */
  removeAll(gone: ReadonlySet<QueuedCall>): void {
    let w = 0;
    for (const c of this.calls) if (!gone.has(c)) this.calls[w++] = c;
    this.calls.length = w;
  }

  /** The newest call of the lowest priority: the one a queue-length overflow moves first. */
  last(): QueuedCall | undefined {
    return this.calls[this.calls.length - 1];
  }

  /** First index whose call does not come before `call`. */
  private lowerBound(call: QueuedCall): number {
    let lo = 0;
    let hi = this.calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.calls[mid] as QueuedCall, call)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
