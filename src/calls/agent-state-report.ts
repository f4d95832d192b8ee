/**
 * Time in each agent state over a period (ACD-01 reports), from the state log the contact center
 * writes at every transition. Rows are clipped to the period; a state still open counts up to now.
 */
import { and, lt, sql } from 'drizzle-orm';
import { tables, type Db } from '../store/index.ts';

const { agentStateLog } = tables;

export interface AgentStateTotals {
  agentId: string;
  /** Seconds per state (logged_out excluded), e.g. { ready: 3600, on_call: 1800 }. */
  states: Record<string, number>;
  /** Seconds of not_ready per reason code (meal, training, meeting, no_answer, …). */
  notReadyReasons: Record<string, number>;
  /** Seconds logged in (every state but logged_out). */
  loggedInSec: number;
  /** Share of available time (ready, ringing, talking, wrap-up) spent ringing, talking and wrapping up. */
  occupancy: number | null;
}

export async function agentStateTotals(db: Db, from: Date, to: Date, now: Date): Promise<AgentStateTotals[]> {
  const end = now < to ? now : to;
  const upper = sql`least(coalesce(${agentStateLog.endedAt}, ${end.toISOString()}::timestamptz), ${end.toISOString()}::timestamptz)`;
  const lower = sql`greatest(${agentStateLog.startedAt}, ${from.toISOString()}::timestamptz)`;
  const rows = await db
    .select({
      agentId: agentStateLog.agentId,
      state: agentStateLog.state,
      reason: agentStateLog.reason,
      seconds: sql<number>`sum(greatest(0, extract(epoch from (${upper} - ${lower}))))::float8`,
    })
    .from(agentStateLog)
    .where(
      and(
        lt(agentStateLog.startedAt, end),
        sql`coalesce(${agentStateLog.endedAt}, ${end.toISOString()}::timestamptz) > ${from.toISOString()}::timestamptz`,
      ),
    )
    .groupBy(agentStateLog.agentId, agentStateLog.state, agentStateLog.reason);
  const byAgent = new Map<string, AgentStateTotals>();
  for (const r of rows) {
    const seconds = Math.round(Number(r.seconds));
    let t = byAgent.get(r.agentId);
    if (!t) {
      t = { agentId: r.agentId, states: {}, notReadyReasons: {}, loggedInSec: 0, occupancy: null };
      byAgent.set(r.agentId, t);
    }
    if (r.state === 'logged_out') continue;
    t.states[r.state] = (t.states[r.state] ?? 0) + seconds;
    t.loggedInSec += seconds;
    if (r.state === 'not_ready') {
      const reason = r.reason ?? 'other';
      t.notReadyReasons[reason] = (t.notReadyReasons[reason] ?? 0) + seconds;
    }
  }
  for (const t of byAgent.values()) {
    const busy = (t.states.on_call ?? 0) + (t.states.after_call_work ?? 0) + (t.states.reserved ?? 0);
    const available = busy + (t.states.ready ?? 0);
    t.occupancy = available > 0 ? busy / available : null;
  }
  return [...byAgent.values()].sort((a, b) => a.agentId.localeCompare(b.agentId));
}
