import { and, asc, count, desc, eq, gte, inArray, isNull, lte, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { tables, type Db } from '../../store/index.ts';
import type { ContactRecordQuery, ContactRecordView } from './contact-record.schemas.ts';

const { contactRecords, customers, users } = tables;
const reviewers = alias(users, 'reviewers');

export type ContactRecordRow = typeof contactRecords.$inferSelect;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export class ContactRecordRepository {
  constructor(private readonly db: Db) {}

  async insert(row: typeof contactRecords.$inferInsert): Promise<void> {
    await this.db.insert(contactRecords).values(row);
  }

  async update(id: string, set: Partial<typeof contactRecords.$inferInsert>): Promise<void> {
    await this.db
      .update(contactRecords)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(contactRecords.id, id));
  }

  async remove(id: string): Promise<void> {
    await this.db.delete(contactRecords).where(eq(contactRecords.id, id));
  }

  /** The raw row when it is within `scope` (and its customer not deleted). */
  async rowInScope(id: string, scope: SQL): Promise<ContactRecordRow | null> {
    const [row] = await this.db
      .select({ r: contactRecords })
      .from(contactRecords)
      .innerJoin(customers, eq(customers.id, contactRecords.customerId))
      .where(and(eq(contactRecords.id, id), isNull(customers.deletedAt), scope));
    return row?.r ?? null;
  }

  async page(
    query: ContactRecordQuery,
    conditions: (SQL | undefined)[],
  ): Promise<{ items: ContactRecordView[]; total: number }> {
    const where = and(
      isNull(customers.deletedAt),
      query.customerId ? eq(contactRecords.customerId, query.customerId) : undefined,
      query.authorId ? eq(contactRecords.authorUserId, query.authorId) : undefined,
      query.status ? eq(contactRecords.status, query.status) : undefined,
      query.kind ? eq(contactRecords.kind, query.kind) : undefined,
      query.from ? gte(contactRecords.occurredAt, query.from) : undefined,
      query.to ? lte(contactRecords.occurredAt, query.to) : undefined,
      ...conditions,
    );
    const column = query.sort.endsWith('createdAt') ? contactRecords.createdAt : contactRecords.occurredAt;
    const order = query.sort.startsWith('-') ? desc(column) : asc(column);
    const [rows, [total]] = await Promise.all([
      this.select()
        .where(where)
        .orderBy(order, desc(contactRecords.id))
        .limit(query.limit)
        .offset(query.offset),
      this.db
        .select({ n: count() })
        .from(contactRecords)
        .innerJoin(customers, eq(customers.id, contactRecords.customerId))
        .where(where),
    ]);
    return { items: rows.map(toView), total: Number(total?.n ?? 0) };
  }

  async views(ids: string[]): Promise<ContactRecordView[]> {
    if (ids.length === 0) return [];
    const rows = await this.select().where(inArray(contactRecords.id, ids));
    return rows.map(toView);
  }

  private select() {
    return this.db
      .select({
        r: contactRecords,
        customerName: customers.name,
        authorName: users.displayName,
        reviewerName: reviewers.displayName,
      })
      .from(contactRecords)
      .innerJoin(customers, eq(customers.id, contactRecords.customerId))
      .leftJoin(users, eq(users.id, contactRecords.authorUserId))
      .leftJoin(reviewers, eq(reviewers.id, contactRecords.reviewerUserId))
      .$dynamic();
  }
}

function toView(row: {
  r: ContactRecordRow;
  customerName: string;
  authorName: string | null;
  reviewerName: string | null;
}): ContactRecordView {
  const r = row.r;
  return {
    id: r.id,
    customerId: r.customerId,
    customerName: row.customerName,
    contactId: r.contactId,
    kind: r.kind,
    occurredAt: r.occurredAt.toISOString(),
    result: r.result,
    summary: r.summary,
    nextStep: r.nextStep,
    nextStepDate: r.nextStepDate,
    authorId: r.authorUserId,
    authorName: row.authorName ?? r.authorUserId,
    cdrId: r.cdrId,
    outingId: r.outingId,
    status: r.status,
    reviewerId: r.reviewerUserId,
    reviewerName: row.reviewerName,
    reviewComment: r.reviewComment,
    reviewedAt: iso(r.reviewedAt),
    createdAt: r.createdAt.toISOString(),
  };
}
