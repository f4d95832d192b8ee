/**
 * Skill-group configuration (业务组, ACD-02/04/05/07): strategy, weight, timers, overflow rules and
 * level escalation. A group nobody configured behaves as before: longest idle, weight 1, every
 * level eligible (lowest first), no overflow.
 */
import type { OverflowCondition } from './acd-types.ts';
import { isStrategyName } from './strategies/registry.ts';
import type { StrategyName } from './strategies/strategy.ts';

/**
 * Overflow (溢出, ACD-04). `threshold` means, by condition:
 * - all_busy: no member is free for the call's channel (any level); optional seconds of grace;
 * - unstaffed: no member is logged in, reachable and on schedule; optional seconds of grace;
 * - wait_exceeds: seconds the call has waited in this group (required);
 * - queue_exceeds: callers in the queue; the newest beyond it move (required).
 * `to` is one group or a chain: the call goes to the first target not already visited that has
 * a free agent, else the first one that is staffed; when none is staffed the call stays.
 */
export interface OverflowRule {
  when: OverflowCondition;
  threshold?: number | null;
  to: string | readonly string[];
}

/** After `afterSeconds` in the group, members up to `maxLevel` (null: all) become eligible. */
export interface EscalationStep {
  afterSeconds: number;
  maxLevel: number | null;
}

export interface GroupConfig {
  name: string;
  strategy: StrategyName;
  /** Which group wins a free agent that several groups' callers want: waited time × weight. */
  weight: number;
  wrapUpSeconds: number;
  ringTimeoutSeconds: number;
  /** ring_progressively: seconds between adding one more ringing agent. */
  ringStepSeconds: number;
  slSeconds: number;
  shortAbandonSeconds: number;
  maxQueue: number | null;
  overflow: readonly OverflowRule[];
  /**
   * Penalty-style escalation keeping the caller's place: with steps, a call starts with level 1
   * only and widens at each step; without steps every level is eligible from the start.
   */
  escalation: readonly EscalationStep[];
  /** Handle time assumed for the wait estimate until the group has recorded calls. */
  defaultHandleSeconds: number;
}

export type GroupInput = { name: string; strategy?: string } & Partial<
  Omit<GroupConfig, 'name' | 'strategy'>
>;

export function defaultGroup(name: string): GroupConfig {
  return {
    name,
    strategy: 'longest_idle',
    weight: 1,
    wrapUpSeconds: 15,
    ringTimeoutSeconds: 20,
    ringStepSeconds: 5,
    slSeconds: 20,
    shortAbandonSeconds: 5,
    maxQueue: null,
    overflow: [],
    escalation: [],
    defaultHandleSeconds: 180,
  };
}

function nonNegative(field: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${field} must be a non-negative number, got ${v}`);
  return v;
}

/** Fill defaults and reject configurations the router cannot honour (a config error is a bug). */
export function normalizeGroup(input: GroupInput): GroupConfig {
  const d = defaultGroup(input.name);
  const strategy = input.strategy ?? d.strategy;
  if (!isStrategyName(strategy)) throw new RangeError(`unknown ACD strategy ${strategy}`);
  const weight = input.weight ?? d.weight;
  if (!(weight > 0) || !Number.isFinite(weight))
    throw new RangeError(`weight must be positive, got ${weight}`);
  const escalation = [...(input.escalation ?? [])].sort((a, b) => a.afterSeconds - b.afterSeconds);
  let previous = 1;
  for (const s of escalation) {
    nonNegative('escalation.afterSeconds', s.afterSeconds);
    const level = s.maxLevel ?? Infinity;
    if (level < previous) throw new RangeError('escalation must not narrow the eligible levels');
    previous = level;
  }
  for (const r of input.overflow ?? []) {
    const needs = r.when === 'wait_exceeds' || r.when === 'queue_exceeds';
    if (needs && (r.threshold === null || r.threshold === undefined))
      throw new RangeError(`overflow ${r.when} needs a threshold`);
    if (r.threshold !== null && r.threshold !== undefined) nonNegative('overflow.threshold', r.threshold);
    if (targets(r).length === 0) throw new RangeError('overflow rule without a target');
  }
  const maxQueue = input.maxQueue ?? d.maxQueue;
  return {
    name: input.name,
    strategy,
    weight,
    wrapUpSeconds: nonNegative('wrapUpSeconds', input.wrapUpSeconds ?? d.wrapUpSeconds),
    ringTimeoutSeconds: nonNegative('ringTimeoutSeconds', input.ringTimeoutSeconds ?? d.ringTimeoutSeconds),
    ringStepSeconds: nonNegative('ringStepSeconds', input.ringStepSeconds ?? d.ringStepSeconds),
    slSeconds: nonNegative('slSeconds', input.slSeconds ?? d.slSeconds),
    shortAbandonSeconds: nonNegative(
      'shortAbandonSeconds',
      input.shortAbandonSeconds ?? d.shortAbandonSeconds,
    ),
    maxQueue: maxQueue === null ? null : nonNegative('maxQueue', maxQueue),
    overflow: [...(input.overflow ?? [])],
    escalation,
    defaultHandleSeconds: nonNegative(
      'defaultHandleSeconds',
      input.defaultHandleSeconds ?? d.defaultHandleSeconds,
    ),
  };
}

export function targets(rule: OverflowRule): readonly string[] {
  return typeof rule.to === 'string' ? [rule.to] : rule.to;
}

/** Highest eligible level after waiting `waitedMs` in the group (Infinity: every level). */
export function maxLevelAfter(config: GroupConfig, waitedMs: number): number {
  if (config.escalation.length === 0) return Infinity;
  let level = 1;
  for (const s of config.escalation) {
    if (waitedMs < s.afterSeconds * 1000) break;
    level = s.maxLevel ?? Infinity;
  }
  return level;
}
