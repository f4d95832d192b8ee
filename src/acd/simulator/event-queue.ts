/**
 * The simulator's future-event list: a binary min-heap ordered by time, ties broken by insertion
 * order so that simultaneous events run first-scheduled-first (deterministic). Events are kept in
 * parallel arrays (time, sequence, kind, subject) to avoid an object per event.
 */
export class EventQueue {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly kinds: number[] = [];
  private readonly subjects: number[] = [];
  private seq = 0;

  get size(): number {
    return this.times.length;
  }

  push(time: number, kind: number, subject: number): void {
    let i = this.times.length;
    const seq = this.seq++;
    this.times.push(time);
    this.seqs.push(seq);
    this.kinds.push(kind);
    this.subjects.push(subject);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(time, seq, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.place(i, time, seq, kind, subject);
  }

  /** Time of the next event (Infinity when empty). */
  peekTime(): number {
    return this.times.length > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Removes the next event and returns it through `out` (no allocation). */
  pop(out: { time: number; kind: number; subject: number }): boolean {
    const n = this.times.length;
    if (n === 0) return false;
    out.time = this.times[0] as number;
    out.kind = this.kinds[0] as number;
    out.subject = this.subjects[0] as number;
    const time = this.times.pop() as number;
    const seq = this.seqs.pop() as number;
    const kind = this.kinds.pop() as number;
    const subject = this.subjects.pop() as number;
    const size = n - 1;
    if (size === 0) return true;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && this.lessAt(right, left) ? right : left;
      if (!this.lessThan(child, time, seq)) break; // the moved-up last entry belongs in the hole
      this.move(child, i);
      i = child;
    }
    this.place(i, time, seq, kind, subject);
    return true;
  }

  /** (time, seq) strictly before the entry at index j. */
  private before(time: number, seq: number, j: number): boolean {
    const tj = this.times[j] as number;
    return time < tj || (time === tj && seq < (this.seqs[j] as number));
  }

  /** Entry i strictly before (time, seq). */
  private lessThan(i: number, time: number, seq: number): boolean {
    const ti = this.times[i] as number;
    return ti < time || (ti === time && (this.seqs[i] as number) < seq);
  }

  private lessAt(i: number, j: number): boolean {
    return this.before(this.times[i] as number, this.seqs[i] as number, j);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from] as number;
    this.seqs[to] = this.seqs[from] as number;
    this.kinds[to] = this.kinds[from] as number;
    this.subjects[to] = this.subjects[from] as number;
  }

  private place(i: number, time: number, seq: number, kind: number, subject: number): void {
    this.times[i] = time;
    this.seqs[i] = seq;
    this.kinds[i] = kind;
    this.subjects[i] = subject;
  }
}
