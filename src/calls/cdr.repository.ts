/**
 * CDR persistence (CC-09). A row is inserted when the call is offered and updated at each step,
 * so a crash mid-call still leaves the call on record.
 */
import { and, desc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import { newId, tables, type Db } from '../store/index.ts';

const { cdrs, skillGroups } = tables;

export type Disposition =
  | 'in_progress'
  | 'answered'
  | 'abandoned'
  | 'blocked'
  | 'ivr'
  | 'failed'
  | 'callback_failed'
  /** Outbound: the called party did not answer (busy, no answer, rejected). */
  | 'no_answer';

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
   * Per-queue counts since `since` (ACD-07), aggregated in SQL so the wallboard's 2 s refresh does
   * not read every call of the day. Offered = reached the queue; short abandons (hung up sooner
   * than the group's threshold) are counted apart from abandons; SL uses each group's threshold
   * (20 s / 5 s when the group no longer exists). Durations in seconds.
   */
  async queueTotals(since: Date): Promise<QueueTotals[]> {
    const wait = sql`extract(epoch from (coalesce(${cdrs.answeredAt}, ${cdrs.endedAt}) - ${cdrs.queuedAt}))`;
    const slSeconds = sql`coalesce(${skillGroups.slSeconds}, 20)`;
    const shortSeconds = sql`coalesce(${skillGroups.shortAbandonSeconds}, 5)`;
    const abandoned = sql`${cdrs.answeredAt} is null and ${cdrs.disposition} = 'abandoned'`;
    const rows = await this.db
      .select({
        queue: cdrs.queue,
        offered: sql<number>`count(*)::int`,
        answered: sql<number>`(count(*) filter (where ${cdrs.answeredAt} is not null))::int`,
        abandoned: sql<number>`(count(*) filter (where ${abandoned} and ${wait} >= ${shortSeconds}))::int`,
        shortAbandoned: sql<number>`(count(*) filter (where ${abandoned} and ${wait} < ${shortSeconds}))::int`,
        answeredWithinSl: sql<number>`(count(*) filter (where ${cdrs.answeredAt} is not null and ${wait} <= ${slSeconds}))::int`,
        totalAnswerWaitSec: sql<number>`coalesce(sum(${wait}) filter (where ${cdrs.answeredAt} is not null), 0)::float8`,
      })
      .from(cdrs)
      .leftJoin(skillGroups, eq(skillGroups.name, cdrs.queue))
      .where(and(gte(cdrs.offeredAt, since), isNotNull(cdrs.queue), isNotNull(cdrs.queuedAt)))
      .groupBy(cdrs.queue);
    return rows.map((r) => ({
      queue: r.queue as string,
      offered: Number(r.offered),
      answered: Number(r.answered),
      abandoned: Number(r.abandoned),
      shortAbandoned: Number(r.shortAbandoned),
      answeredWithinSl: Number(r.answeredWithinSl),
      totalAnswerWaitSec: Number(r.totalAnswerWaitSec),
    }));
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
