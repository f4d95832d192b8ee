/**
 * The three pool shapes behind the strategies: an ordered pool (a heap under a comparator), a
 * uniform random pool (an array with swap-remove) and a weighted random pool (an array with a
 * Fenwick tree of weights). Every operation is O(1) or O(log n) in the pool size.
 */
import type { Channel } from '../acd-types.ts';
import { IndexedHeap, type SlotAccess } from '../indexed-heap.ts';
import type { Rng } from '../rng.ts';
import type { AgentPool, PoolMember } from './strategy.ts';

function slots<M extends PoolMember>(channel: Channel): SlotAccess<M> {
  return { get: (m) => m.slots[channel], set: (m, i) => void (m.slots[channel] = i) };
}

/**
 * Ordered by `cmp`; ties fall back to the member's fixed position so picks are deterministic.
 * Non-voice pools first prefer the member with the fewest open items of that channel, so three
 * chats spread over three agents before one agent gets a second chat.
 */
export class OrderedPool<M extends PoolMember> implements AgentPool<M> {
  private readonly heap: IndexedHeap<M>;

  constructor(channel: Channel, cmp: (a: PoolMember, b: PoolMember) => number) {
    const byLoad =
      channel === 'voice'
        ? (a: M, b: M) => cmp(a, b) || a.position - b.position
        : (a: M, b: M) =>
            a.agent.load[channel] - b.agent.load[channel] || cmp(a, b) || a.position - b.position;
    this.heap = new IndexedHeap<M>(byLoad, slots<M>(channel));
  }

  get size(): number {
    return this.heap.size;
  }
  has(m: M): boolean {
    return this.heap.has(m);
  }
  add(m: M): void {
    this.heap.push(m);
  }
  delete(m: M): boolean {
    return this.heap.delete(m);
  }
  choose(): M | undefined {
    return this.heap.peek();
  }
  members(): readonly M[] {
    return this.heap.values();
  }
}

/** Array with swap-remove: uniform choice in O(1). */
export class UniformPool<M extends PoolMember> implements AgentPool<M> {
  protected readonly items: M[] = [];
  protected readonly slot: SlotAccess<M>;

  constructor(channel: Channel) {
    this.slot = slots<M>(channel);
  }

  get size(): number {
    return this.items.length;
  }
  has(m: M): boolean {
    const i = this.slot.get(m);
    return i >= 0 && this.items[i] === m;
  }
  add(m: M): void {
    if (this.has(m)) return;
    this.items.push(m);
    this.slot.set(m, this.items.length - 1);
    this.placed(this.items.length - 1);
  }
  delete(m: M): boolean {
    if (!this.has(m)) return false;
    const i = this.slot.get(m);
    const last = this.items.pop() as M;
    this.slot.set(m, -1);
    if (i < this.items.length) {
      this.items[i] = last;
      this.slot.set(last, i);
      this.placed(i);
    }
    this.placed(this.items.length);
    return true;
  }
  choose(rng: Rng): M | undefined {
    if (this.items.length === 0) return undefined;
    return this.items[Math.floor(rng() * this.items.length)];
  }
  members(): readonly M[] {
    return this.items;
  }
  /** Hook for subclasses: index `i` now holds a different member (or nothing when i === size). */
  protected placed(_i: number): void {}
}

/** Uniform pool plus a Fenwick tree of weights: weighted choice and updates in O(log n). */
export class WeightedPool<M extends PoolMember> extends UniformPool<M> {
  private weights: number[] = [];
  private tree: number[] = [0];

  override choose(rng: Rng): M | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const total = this.prefix(n);
    if (!(total > 0)) return this.items[Math.floor(rng() * n)];
    // Descend the tree for the first index whose prefix sum exceeds the target.
    let target = rng() * total;
    let pos = 0;
    let step = 1;
    while (step * 2 <= this.tree.length - 1) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next < this.tree.length && (this.tree[next] as number) <= target) {
        pos = next;
        target -= this.tree[next] as number;
      }
    }
    return this.items[Math.min(pos, n - 1)];
  }

  protected override placed(i: number): void {
    while (this.tree.length - 1 < this.items.length + 1) this.grow();
    const m = this.items[i];
    const w = m ? Math.max(0, m.agent.weight) : 0;
    const delta = w - (this.weights[i] ?? 0);
    this.weights[i] = w;
    if (delta !== 0) for (let k = i + 1; k < this.tree.length; k += k & -k) this.tree[k]! += delta;
  }

  private prefix(n: number): number {
    let s = 0;
    for (let k = n; k > 0; k -= k & -k) s += this.tree[k] as number;
    return s;
  }

  /** Double the tree and rebuild it from the weights (amortised O(1) per add). */
  private grow(): void {
    const size = Math.max(8, (this.tree.length - 1) * 2);
    this.tree = new Array<number>(size + 1).fill(0);
    for (let i = 0; i < size; i++) {
      const w = this.weights[i] ?? 0;
      if (w === 0) continue;
      for (let k = i + 1; k <= size; k += k & -k) this.tree[k]! += w;
    }
  }
}

/**
 * A sorted doubly-linked list that inserts by walking back from the tail. When keys arrive in
 * non-decreasing order — longest idle, where an agent's key is the moment they became ready —
 * every operation is O(1), so routing cost does not grow with the number of agents at all.
 * Out-of-order keys still work, at O(distance from the tail).
 */
export class TailSortedPool<M extends PoolMember> implements AgentPool<M> {
  private readonly items: (M | undefined)[] = [];
  /**
   * Node i's neighbours side by side: links[2i] is the previous node, links[2i + 1] the next (-1:
   * none). Unlinking a member of a 10,000-agent center is a cache miss per line touched, and an
   * agent going busy leaves every group it belongs to, so one line per node instead of two.
   */
  private readonly links: number[] = [];
  private readonly free: number[] = [];
  private head = -1;
  private tail = -1;
  private count = 0;
  private readonly slot: SlotAccess<M>;

  constructor(
    channel: Channel,
    private readonly cmp: (a: PoolMember, b: PoolMember) => number,
  ) {
    this.slot = slots<M>(channel);
  }

  get size(): number {
    return this.count;
  }

  has(m: M): boolean {
    const i = this.slot.get(m);
    return i >= 0 && this.items[i] === m;
  }

  add(m: M): void {
    if (this.has(m)) return;
    const i = this.free.pop() ?? this.items.length;
    this.items[i] = m;
    this.slot.set(m, i);
    const links = this.links;
    let after = this.tail;
    while (after >= 0 && this.order(this.items[after] as M, m) > 0) after = links[2 * after] as number;
    const before = after >= 0 ? (links[2 * after + 1] as number) : this.head;
    links[2 * i] = after;
    links[2 * i + 1] = before;
    if (after >= 0) links[2 * after + 1] = i;
    else this.head = i;
    if (before >= 0) links[2 * before] = i;
    else this.tail = i;
    this.count++;
  }

  delete(m: M): boolean {
    if (!this.has(m)) return false;
    const i = this.slot.get(m);
    const links = this.links;
    const p = links[2 * i] as number;
    const n = links[2 * i + 1] as number;
    if (p >= 0) links[2 * p + 1] = n;
    else this.head = n;
    if (n >= 0) links[2 * n] = p;
    else this.tail = p;
    this.items[i] = undefined;
    this.free.push(i);
    this.slot.set(m, -1);
    this.count--;
    return true;
  }

  choose(): M | undefined {
    return this.head >= 0 ? this.items[this.head] : undefined;
  }

  members(): readonly M[] {
    const out: M[] = [];
    for (let i = this.head; i >= 0; i = this.links[2 * i + 1] as number) out.push(this.items[i] as M);
    return out;
  }

  private order(a: M, b: M): number {
    return this.cmp(a, b) || a.position - b.position;
  }
}
