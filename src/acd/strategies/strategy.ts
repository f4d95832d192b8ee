/**
 * One interface for every distribution rule (ACD-05). A strategy does not see the queue or other
 * groups: the router hands it one pool per (group, channel, level) holding exactly the members
 * that may take work right now, and asks it to choose. Levels are handled outside the strategy
 * (a level-1 pool is always asked before a level-2 pool, ACD-02), so "within a level the strategy
 * decides".
 *
 * Pools are indexes, not lists to scan: the router adds a member when it becomes available and
 * deletes it when it stops being available, so a member's ordering facts never change while it is
 * in a pool (the router deletes and re-adds around every change).
 */
import type { Channel } from '../acd-types.ts';
import type { Rng } from '../rng.ts';

export const strategyNames = [
  'linear',
  'round_robin',
  'fewest_answered',
  'longest_idle',
  'least_talk_time',
  'agent_priority',
  'random',
  'weighted_random',
  'ring_all',
  'ring_progressively',
] as const;
export type StrategyName = (typeof strategyNames)[number];

/** How many agents one call rings: one, all of the best level at once, or one more every step. */
export type FanOut = 'one' | 'all' | 'progressive';

/** The facts about an agent a strategy may order by. */
export interface AgentFacts {
  readonly id: string;
  /** Start of the current state: for a ready agent, when they became idle. */
  readonly since: number;
  readonly answeredCalls: number;
  readonly talkMs: number;
  /** Agent-wide rank for agent_priority; lower is offered first. */
  readonly priority: number;
  /** Relative weight for weighted_random. */
  readonly weight: number;
  /** Open items per channel. */
  readonly load: Readonly<Record<Channel, number>>;
}

/** An agent's membership of one group, as a pool holds it. */
export interface PoolMember {
  readonly agent: AgentFacts;
  /** Fixed order within the group (linear, agent_priority ties, ring order). */
  readonly position: number;
  /** Round-robin memory: sequence number of the last offer this group made to the member. */
  readonly lastOffered: number;
  /** Index of the member inside the pool of each channel (-1 when absent); owned by the pool. */
  readonly slots: Record<Channel, number>;
}

export interface AgentPool<M extends PoolMember> {
  readonly size: number;
  has(member: M): boolean;
  add(member: M): void;
  delete(member: M): boolean;
  /** The member the strategy offers next, without removing it; undefined when empty. */
  choose(rng: Rng): M | undefined;
  /** Every member, in no particular order (ring_all). */
  members(): readonly M[];
}

export interface RoutingStrategy {
  readonly name: StrategyName;
  readonly fanOut: FanOut;
  createPool<M extends PoolMember>(channel: Channel): AgentPool<M>;
}
