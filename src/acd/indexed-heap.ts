/**
 * A binary heap whose items remember their own index (a "slot"), so any item can be removed in
 * O(log n). The strategies keep each group's available agents in one of these: picking the next
 * agent is O(1) and an agent changing state is O(log n), never a scan of all members.
 */
export interface SlotAccess<T> {
  get(item: T): number;
  set(item: T, index: number): void;
}

export class IndexedHeap<T> {
  private readonly items: T[] = [];

  constructor(
    private readonly cmp: (a: T, b: T) => number,
    private readonly slot: SlotAccess<T>,
  ) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  values(): readonly T[] {
    return this.items;
  }

  has(item: T): boolean {
    const i = this.slot.get(item);
    return i >= 0 && this.items[i] === item;
  }

  push(item: T): void {
    if (this.has(item)) return;
    this.items.push(item);
    this.slot.set(item, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  delete(item: T): boolean {
    if (!this.has(item)) return false;
    const i = this.slot.get(item);
    const last = this.items.pop() as T;
    this.slot.set(item, -1);
    if (i < this.items.length) {
      this.items[i] = last;
      this.slot.set(last, i);
      this.down(this.up(i));
    }
    return true;
  }

  private up(start: number): number {
    let i = start;
    const item = this.items[i] as T;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = this.items[p] as T;
      if (this.cmp(item, parent) >= 0) break;
      this.items[i] = parent;
      this.slot.set(parent, i);
      i = p;
    }
    this.items[i] = item;
    this.slot.set(item, i);
    return i;
  }

  private down(start: number): void {
    let i = start;
    const n = this.items.length;
    const item = this.items[i] as T;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.cmp(this.items[r] as T, this.items[l] as T) < 0 ? r : l;
      const child = this.items[c] as T;
      if (this.cmp(child, item) >= 0) break;
      this.items[i] = child;
      this.slot.set(child, i);
      i = c;
    }
    this.items[i] = item;
    this.slot.set(item, i);
  }
}
