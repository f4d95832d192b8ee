import { and, count, desc, eq } from 'drizzle-orm';
import { newId, tables, type Db } from '../../store/index.ts';

const { customerTimeline, customers } = tables;

export type TimelineRow = typeof customerTimeline.$inferSelect;
export type TimelineKind = TimelineRow['kind'];

export class TimelineRepository {
  constructor(private readonly db: Db) {}

  async insert(row: Omit<TimelineRow, 'id' | 'createdAt'>): Promise<string> {
    const id = newId('tl');
    await this.db.insert(customerTimeline).values({ id, ...row });
    return id;
  }

  async customerExists(customerId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.id, customerId));
    return row !== undefined;
  }

  async page(
    customerId: string,
    kind: TimelineKind | undefined,
    limit: number,
    offset: number,
  ): Promise<{ rows: TimelineRow[]; total: number }> {
    const where = kind
      ? and(eq(customerTimeline.customerId, customerId), eq(customerTimeline.kind, kind))
      : eq(customerTimeline.customerId, customerId);
    const [rows, [totalRow]] = await Promise.all([
      this.db
        .select()
        .from(customerTimeline)
        .where(where)
        .orderBy(desc(customerTimeline.occurredAt), desc(customerTimeline.id))
        .limit(limit)
        .offset(offset),
      this.db.select({ n: count() }).from(customerTimeline).where(where),
    ]);
    return { rows, total: Number(totalRow?.n ?? 0) };
  }
}
