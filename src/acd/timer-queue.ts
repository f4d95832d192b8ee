/**
 * Due times the engine must act on (overflow after T s, escalation steps, ring-progressively steps,
 * wrap-up deadlines), kept in a min-heap so `tick(now)` touches only
 * what is due. Entries are never cancelled: each kind re-checks, when it fires, that the call or
 * agent is still in the situation it was scheduled for.
 */
export type Timer =
  | { kind: 'escalate'; due: number; callId: string; group: string; enteredAt: number }
  | { kind: 'wait_overflow'; due: number; callId: string; group: string; enteredAt: number; rule: number }
  | { kind: 'progressive'; due: number; callId: string }
  | { kind: 'wrap_up'; due: number; agentId: string; since: number };

export class TimerQueue {
  private readonly heap: { t: Timer; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  add(t: Timer): void {
    const h = this.heap;
    h.push({ t, seq: this.seq++ });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  /** Remove and return every timer due at or before `now`, earliest first (ties in insertion order). */
  takeDue(now: number): Timer[] {
    const out: Timer[] = [];
    while (this.heap.length > 0 && this.heap[0]!.t.due <= now) out.push(this.pop());
    return out;
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(l, m)) m = l;
        if (r < h.length && this.less(r, m)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top.t;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.t.due < y.t.due || (x.t.due === y.t.due && x.seq < y.seq);
  }
}
