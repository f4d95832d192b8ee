/**
 * CDR persistence (CC-09). A row is inserted when the call is offered and updated at each step,
 * so a crash mid-call still leaves the call on record.
 */
import { desc, eq } from 'drizzle-orm';
import { newId, tables, type Db } from '../store/index.ts';

const { cdrs } = tables;

export type Disposition = 'in_progress' | 'answered' | 'abandoned' | 'blocked' | 'ivr' | 'failed';

export type CdrRow = typeof cdrs.$inferSelect;
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
