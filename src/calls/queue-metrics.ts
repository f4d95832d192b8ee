/**
 * Builds the wallboard's numbers (CC-15, ACD-07) from live state (waiting calls, agent states)
 * and today's CDR totals. Pure: every input is passed in.
 */
import type { AgentState } from '../acd/index.ts';
import type { AgentRow, GroupMetrics, QueueMetrics } from '../cti/index.ts';
import type { SkillGroupRecord } from '../directory/index.ts';
import type { QueueTotals } from './cdr.repository.ts';

export interface WaitingCall {
  group: string;
  queuedAt: number;
}

const CHINA_OFFSET = '+08:00';

/** Midnight of the current day in China (no daylight saving, so a fixed offset is exact). */
export function startOfChinaDay(now: number): Date {
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(now));
  return new Date(`${ymd}T00:00:00${CHINA_OFFSET}`);
}

const emptyStates = (): Record<AgentState, number> => ({
  logged_out: 0,
  ready: 0,
  not_ready: 0,
  reserved: 0,
  on_call: 0,
  after_call_work: 0,
});

export function buildQueueMetrics(input: {
  now: number;
  groups: SkillGroupRecord[];
  agents: AgentRow[];
  waiting: WaitingCall[];
  totals: QueueTotals[];
  ewt: (group: string) => number | null;
}): QueueMetrics {
  const groups: GroupMetrics[] = input.groups.map((g) => {
    const waiting = input.waiting.filter((w) => w.group === g.name);
    const oldest = waiting.reduce<number | null>(
      (min, w) => (min === null || w.queuedAt < min ? w.queuedAt : min),
      null,
    );
    const agents = emptyStates();
    for (const a of input.agents) if (a.groups.some((m) => m.name === g.name)) agents[a.state]++;
    const t = input.totals.find((x) => x.queue === g.name);
    const denominator = t ? t.answered + t.abandoned : 0;
    return {
      name: g.name,
      displayName: g.displayName,
      waiting: waiting.length,
      oldestWaitSec: oldest === null ? null : Math.max(0, Math.round((input.now - oldest) / 1000)),
      agents,
      offeredToday: t?.offered ?? 0,
      answeredToday: t?.answered ?? 0,
      abandonedToday: t?.abandoned ?? 0,
      shortAbandonedToday: t?.shortAbandoned ?? 0,
      serviceLevelToday: t && denominator > 0 ? t.answeredWithinSl / denominator : null,
      serviceLevelOfAnsweredToday: t && t.answered > 0 ? t.answeredWithinSl / t.answered : null,
      slSeconds: g.slSeconds,
      asaSec: t && t.answered > 0 ? Math.round((t.totalAnswerWaitSec / t.answered) * 10) / 10 : null,
      ewtSec: input.ewt(g.name),
    };
  });
  return { at: new Date(input.now).toISOString(), groups, agents: input.agents };
}
