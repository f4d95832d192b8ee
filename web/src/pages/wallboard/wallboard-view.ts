import type { AgentRow, GroupMetrics } from '../../api/types';
import { compareExtensions } from '../../lib/sort';

/** Service-level target the wallboard colours against: 80 % answered within the group's threshold. */
export const serviceLevelTarget = 0.8;

/** Within this distance below target the level shows amber, further below red. */
const serviceLevelWarningBand = 0.1;

export type Health = 'good' | 'warning' | 'bad' | 'none';

export const healthColors: Record<Health, string | undefined> = {
  good: '#389e0d',
  warning: '#d48806',
  bad: '#cf1322',
  none: undefined,
};

export function serviceLevelHealth(level: number | null, target = serviceLevelTarget): Health {
  if (level === null) return 'none';
  if (level >= target) return 'good';
  return level >= target - serviceLevelWarningBand ? 'warning' : 'bad';
}

/** "87%" (rounded down, so 79.6 % never reads as meeting an 80 % target); null before any call. */
export function formatPercent(level: number | null): string | null {
  if (level === null) return null;
  return `${Math.floor(Math.max(0, Math.min(1, level)) * 100)}%`;
}

/**
 * The oldest caller's wait, advanced by the time since the snapshot arrived, so it ticks between
 * snapshots. Measured from arrival in this browser, not from the server's `at`, so clock skew
 * between browser and server does not show.
 */
export function liveOldestWait(group: GroupMetrics, receivedAt: number, now: number): number | null {
  if (group.waiting === 0 || group.oldestWaitSec === null) return null;
  return group.oldestWaitSec + Math.max(0, Math.floor((now - receivedAt) / 1000));
}

/** Waiting callers turn red once the oldest has waited past the service-level threshold. */
export function waitingHealth(group: GroupMetrics, oldestWait: number | null): Health {
  if (group.waiting === 0) return 'good';
  return oldestWait !== null && oldestWait > group.slSeconds ? 'bad' : 'warning';
}

/** Busy with a call: talking, or being offered one (ringing). */
export function onCallCount(group: GroupMetrics): number {
  return group.agents.on_call + group.agents.reserved;
}

const stateOrder: Record<AgentRow['state'], number> = {
  reserved: 0,
  on_call: 1,
  after_call_work: 2,
  ready: 3,
  not_ready: 4,
  logged_out: 5,
};

/** Busiest first (ringing, talking, wrap-up), then by extension. */
export function compareAgentStates(a: AgentRow, b: AgentRow): number {
  return stateOrder[a.state] - stateOrder[b.state] || compareExtensions(a.extension, b.extension);
}
