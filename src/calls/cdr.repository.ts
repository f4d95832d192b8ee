/**
 * CDR persistence (CC-09). A row is inserted when the call is offered and updated at each step,
 * so a crash mid-call still leaves the call on record.
 */
import { and, desc, eq, gte, ilike, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { newId, tables, type Db } from '../store/index.ts';

const { cdrs, customers, skillGroups } = tables;

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
export interface CdrFilter {
  from?: Date;
  to?: Date;
  agentId?: string;
  /** An agent's data scope: calls they answered and internal calls they placed (ownCall). */
  own?: OwnCalls;
  /**
   * Sales roles: the calls of customers this condition on `customers` admits (their data scope),
   * besides their own calls when `own` is given too.
   */
  customersIn?: SQL;
  agentExtension?: string;
  customerId?: string;
  queue?: string;
  disposition?: string;
  direction?: 'inbound' | 'outbound' | 'internal';
  /** Digits of the caller or called number, in any written form. */
  number?: string;
  minTalkSec?: number;
  maxTalkSec?: number;
  hasRecording?: boolean;
  limit: number;
  offset: number;
}

export type CdrPatch = Partial<Omit<CdrRow, 'id' | 'callId'>>;

/** Whose calls an agent may see: their agent id and their extension (null: none). */
export interface OwnCalls {
  agentId: string;
  extension: string | null;
}

/** An agent's own call: they are its agent, or it is an internal call from their extension (CC-07). */
export function ownCall(row: Pick<CdrRow, 'agentId' | 'direction' | 'caller'>, own: OwnCalls): boolean {
  return row.agentId === own.agentId || (row.direction === 'internal' && row.caller === own.extension);
}

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
    return (await this.search({ limit, offset })).rows;
  }

  /**
   * Calls and recordings by any combination of filters (CC-09, CC-10), newest first, with the
   * total for paging. `caller` matches digits anywhere in the caller or called number.
   */
  async search(f: CdrFilter): Promise<{ rows: CdrRow[]; total: number }> {
    const where: SQL[] = [];
    if (f.from) where.push(gte(cdrs.offeredAt, f.from));
    if (f.to) where.push(lt(cdrs.offeredAt, f.to));
    if (f.agentId) where.push(eq(cdrs.agentId, f.agentId));
    const mine: SQL[] = [];
    if (f.own) {
      const { agentId, extension } = f.own;
      const placed = extension ? and(eq(cdrs.direction, 'internal'), eq(cdrs.caller, extension)) : undefined;
      mine.push(placed ? or(eq(cdrs.agentId, agentId), placed)! : eq(cdrs.agentId, agentId));
    }
    if (f.customersIn)
      mine.push(
        inArray(cdrs.customerId, this.db.select({ id: customers.id }).from(customers).where(f.customersIn)),
      );
    if (mine.length > 0) where.push(or(...mine)!);
    if (f.agentExtension) where.push(eq(cdrs.agentExtension, f.agentExtension));
    if (f.customerId) where.push(eq(cdrs.customerId, f.customerId));
    if (f.queue) where.push(eq(cdrs.queue, f.queue));
    if (f.disposition) where.push(eq(cdrs.disposition, f.disposition));
    if (f.direction) where.push(eq(cdrs.direction, f.direction));
    if (f.hasRecording !== undefined)
      where.push(f.hasRecording ? isNotNull(cdrs.recordingPath) : isNull(cdrs.recordingPath));
    const digits = f.number?.replace(/\D/g, '').replace(/^0/, '');
    if (digits) {
      const like = `%${digits}%`;
      where.push(
        or(
          ilike(cdrs.caller, like),
          ilike(cdrs.dnis, like),
          ilike(sql`coalesce(${cdrs.callerE164}, '')`, like),
        )!,
      );
    }
    const talk = sql`extract(epoch from (${cdrs.endedAt} - ${cdrs.answeredAt}))`;
    if (f.minTalkSec !== undefined) where.push(sql`${talk} >= ${f.minTalkSec}`);
    if (f.maxTalkSec !== undefined) where.push(sql`${talk} <= ${f.maxTalkSec}`);
    const cond = where.length ? and(...where) : undefined;
    const [rows, [count]] = await Promise.all([
      this.db
        .select()
        .from(cdrs)
        .where(cond)
        .orderBy(desc(cdrs.offeredAt), desc(cdrs.id))
        .limit(f.limit)
        .offset(f.offset),
      this.db
        .select({ n: sql<number>`count(*)::int` })
        .from(cdrs)
        .where(cond),
    ]);
    return { rows, total: Number(count?.n ?? 0) };
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
  async closeDangling(now: Date): Promise<{ id: string; recordingPath: string | null }[]> {
    return this.db
      .update(cdrs)
      .set({ disposition: 'failed', endedAt: now })
      .where(eq(cdrs.disposition, 'in_progress'))
      .returning({ id: cdrs.id, recordingPath: cdrs.recordingPath });
  }

  /**
   * A call closed by closeDangling whose recording was repaired: its conversation lasted at least
   * as long as the audio captured, so the end is put there (answer + recording) rather than at
   * the restart, which would count the downtime as talk time.
   */
  async endAtRecordingEnd(id: string, recordingMs: number): Promise<void> {
    await this.db
      .update(cdrs)
      .set({
        recordingDurationMs: recordingMs,
        endedAt: sql`${cdrs.answeredAt} + make_interval(secs => ${recordingMs / 1000})`,
      })
      .where(and(eq(cdrs.id, id), isNotNull(cdrs.answeredAt)));
  }
}
