/**
 * A skill group at run time: its configuration, its members, its queue, and the index of free
 * members per channel and level that the router asks instead of scanning agents. Also keeps the
 * group's staffing counters and the statistics the wait estimate and SL report need.
 */
import type { Channel } from './acd-types.ts';
import { isStaffed, type Membership } from './agent-record.ts';
import { CallQueue } from './call-queue.ts';
import type { GroupConfig } from './group-config.ts';
import { ServiceLevelStats } from './service-level.ts';
import { strategyFor } from './strategies/registry.ts';
import type { AgentPool, RoutingStrategy } from './strategies/strategy.ts';
import { HandleTimeWindow } from './wait-estimate.ts';

/** Free members of one channel, one pool per level, lowest level asked first (ACD-02). */
export class LevelPools {
  /** Levels that have a pool, ascending. */
  readonly levels: number[] = [];
  private readonly byLevel = new Map<number, AgentPool<Membership>>();
  private count = 0;

  constructor(
    private readonly strategy: RoutingStrategy,
    private readonly channel: Channel,
  ) {}

  get size(): number {
    return this.count;
  }

  has(m: Membership): boolean {
    return this.byLevel.get(m.level)?.has(m) ?? false;
  }

  add(m: Membership): void {
    let pool = this.byLevel.get(m.level);
    if (!pool) {
      pool = this.strategy.createPool<Membership>(this.channel);
      this.byLevel.set(m.level, pool);
      let i = this.levels.length;
      while (i > 0 && (this.levels[i - 1] as number) > m.level) i--;
      this.levels.splice(i, 0, m.level);
    }
    if (pool.has(m)) return;
    pool.add(m);
    this.count++;
  }

  delete(m: Membership): void {
    if (this.byLevel.get(m.level)?.delete(m)) this.count--;
  }

  /** The lowest-level non-empty pool with level ≤ maxLevel. */
  best(maxLevel: number): AgentPool<Membership> | undefined {
    if (this.count === 0) return undefined;
    for (const level of this.levels) {
      if (level > maxLevel) return undefined;
      const pool = this.byLevel.get(level) as AgentPool<Membership>;
      if (pool.size > 0) return pool;
    }
    return undefined;
  }
}

export type FreeTest = (m: Membership, channel: Channel) => boolean;

export class GroupRuntime {
  strategy: RoutingStrategy;
  /** Set by upsertGroup; implicit groups run on defaults. */
  explicit = false;
  readonly members = new Map<string, Membership>();
  readonly queue = new CallQueue();
  readonly stats = new ServiceLevelStats();
  readonly handleTimes: HandleTimeWindow;
  /** Members on duty, logged in and reachable (ACD-04 "unstaffed" when 0). */
  staffed = 0;
  /** Staffed members not paused: who will take calls (the wait estimate's servers). */
  serving = 0;
  /** Round-robin memory (ACD-05): sequence of this group's offers. */
  offerSeq = 0;
  private pools = new Map<Channel, LevelPools>();

  constructor(
    public config: GroupConfig,
    private readonly isFree: FreeTest,
    handleWindow: number,
  ) {
    this.strategy = strategyFor(config.strategy);
    this.handleTimes = new HandleTimeWindow(handleWindow);
  }

  get name(): string {
    return this.config.name;
  }

  configure(config: GroupConfig): void {
    const changed = config.strategy !== this.config.strategy;
    this.config = config;
    if (!changed) return;
    // A new strategy needs pools of its own shape: rebuild those the group had, from its members.
    this.strategy = strategyFor(config.strategy);
    const used = [...this.pools.keys()];
    for (const m of this.members.values()) for (const ch of used) m.slots[ch] = -1;
    this.pools = new Map();
    for (const ch of used) this.poolsFor(ch);
  }

  /** The free-member index of `channel`, built from the members the first time it is needed. */
  poolsFor(channel: Channel): LevelPools {
    let lp = this.pools.get(channel);
    if (!lp) {
      lp = new LevelPools(this.strategy, channel);
      this.pools.set(channel, lp);
      for (const m of this.members.values()) if (this.isFree(m, channel)) lp.add(m);
    }
    return lp;
  }

  freeCount(channel: Channel): number {
    return this.poolsFor(channel).size;
  }

  /** Any member free on a channel this group has queued work for (pools exist only for those). */
  anyFree(): boolean {
    for (const lp of this.pools.values()) if (lp.size > 0) return true;
    return false;
  }

  /** Some channel with an index has no free member: the "all busy" overflow may apply. */
  someChannelBusy(): boolean {
    for (const lp of this.pools.values()) if (lp.size === 0) return true;
    return false;
  }

  /** Re-file a member after anything about it changed (state, load, schedule, level). */
  place(m: Membership): void {
    for (const [ch, lp] of this.pools) {
      lp.delete(m);
      if (this.isFree(m, ch)) lp.add(m);
    }
    const staffed = isStaffed(m);
    if (staffed !== m.staffed) {
      this.staffed += staffed ? 1 : -1;
      m.staffed = staffed;
    }
    const serving = staffed && m.agent.state !== 'not_ready';
    if (serving !== m.serving) {
      this.serving += serving ? 1 : -1;
      m.serving = serving;
    }
  }

  /** Take a member out of every index (before its level changes or it leaves). */
  unplace(m: Membership): void {
    for (const lp of this.pools.values()) lp.delete(m);
    if (m.staffed) {
      this.staffed--;
      m.staffed = false;
    }
    if (m.serving) {
      this.serving--;
      m.serving = false;
    }
  }
}
