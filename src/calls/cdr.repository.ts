/**
 * CDR persistence (CC-09). A row is inserted when the call is offered and updated at each step,
 * so a crash mid-call still leaves the call on record.
 */
import { and, desc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import { newId, tables, type Db } from '../store/index.ts';

const { cdrs } = tables;

export type Disposition =
  'in_progress' | 'answered' | 'abandoned' | 'blocked' | 'ivr' | 'failed' | 'callback_failed';

export type CdrRow = typeof cdrs.$inferSelect;

export interface QueueTotals {
  queue: string;
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  answeredWithinSl: number;
  totalAnswerWaitSec: number;
}
export type CdrPatch = Partial<Omit<CdrRow, 'id' | 'callId'>>;

export class CdrRepository {
  constructor(private readonly db: Db) {}

  async open(call: {
    callId: string;
    caller: string;
    callerE164: string | null;
    dnis: string;
    offeredAt: Date;
  }): Promise<string> {
    const id = newId('cdr');
    await this.db.insert(cdrs).values({ id, ...call, disposition: 'in_progress' });
    return id;
  }

  async update(id: string, patch: CdrPatch): Promise<void> {
    await this.db.update(cdrs).set(patch).where(eq(cdrs.id, id));
  }

  async list(limit: number, offset: number): Promise<CdrRow[]> {
    return this.db
      .select()
      .from(cdrs)
      .orderBy(desc(cdrs.offeredAt), desc(cdrs.id))
      .limit(limit)
      .offset(offset);
  }

  async byId(id: string): Promise<CdrRow | null> {
    const [row] = await this.db.select().from(cdrs).where(eq(cdrs.id, id)).limit(1);
    return row ?? null;
  }

  /**
   * Per-queue counts since `since` (ACD-07): offered = reached the queue; abandoned excludes short
   * abandons (hung up within the group's threshold), which are counted apart; SL uses each group's
   * threshold. Durations in seconds.
   */
  async queueTotals(
    since: Date,
    thresholds: Map<string, { slSeconds: number; shortAbandonSeconds: number }>,
  ): Promise<QueueTotals[]> {
    const wait = sql<number>`extract(epoch from (coalesce(${cdrs.answeredAt}, ${cdrs.endedAt}) - ${cdrs.queuedAt}))`;
    const rows = await this.db
      .select({
        queue: cdrs.queue,
        disposition: cdrs.disposition,
        wait,
        answered: isNotNull(cdrs.answeredAt),
      })
      .from(cdrs)
      .where(and(gte(cdrs.offeredAt, since), isNotNull(cdrs.queue), isNotNull(cdrs.queuedAt)));
    const totals = new Map<string, QueueTotals>();
    for (const r of rows) {
      const q = r.queue as string;
      const t =
        totals.get(q) ??
        ({
          queue: q,
          offered: 0,
          answered: 0,
          abandoned: 0,
          shortAbandoned: 0,
          answeredWithinSl: 0,
          totalAnswerWaitSec: 0,
        } satisfies QueueTotals);
      const limits = thresholds.get(q) ?? { slSeconds: 20, shortAbandonSeconds: 5 };
      const waited = Number(r.wait ?? 0);
      t.offered++;
      if (r.answered) {
        t.answered++;
        t.totalAnswerWaitSec += waited;
        if (waited <= limits.slSeconds) t.answeredWithinSl++;
      } else if (r.disposition === 'abandoned') {
        if (waited < limits.shortAbandonSeconds) t.shortAbandoned++;
        else t.abandoned++;
      }
      totals.set(q, t);
    }
    return [...totals.values()];
  }

  /** CC-13 sticky agent: who last answered this caller since `since`, newest first. */
  async lastAgentFor(callerE164: string, since: Date): Promise<string | null> {
    const [row] = await this.db
      .select({ agentId: cdrs.agentId })
      .from(cdrs)
      .where(
        and(
          eq(cdrs.callerE164, callerE164),
          isNotNull(cdrs.agentId),
          isNotNull(cdrs.answeredAt),
          gte(cdrs.offeredAt, since),
        ),
      )
      .orderBy(desc(cdrs.offeredAt))
      .limit(1);
    return row?.agentId ?? null;
  }

  /** Calls left open by a crash are closed at start-up as failed, keeping their timestamps. */
  async closeDangling(now: Date): Promise<number> {
    const rows = await this.db
      .update(cdrs)
      .set({ disposition: 'failed', endedAt: now })
      .where(eq(cdrs.disposition, 'in_progress'))
      .returning({ id: cdrs.id });
    return rows.length;
  }
}
