import { and, asc, count, desc, eq, gte, ilike, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { tables, type Db } from '../../store/index.ts';
import type { OpportunityQuery, OpportunityView } from './opportunity.schemas.ts';

const { customers, opportunities, opportunityStageHistory, opportunityStages, users } = tables;
const movers = alias(users, 'movers');

export type OpportunityRow = typeof opportunities.$inferSelect;

export class OpportunityRepository {
  constructor(private readonly db: Db) {}

  async insert(row: typeof opportunities.$inferInsert): Promise<void> {
    await this.db.insert(opportunities).values(row);
  }

  async update(id: string, set: Partial<typeof opportunities.$inferInsert>): Promise<void> {
    await this.db
      .update(opportunities)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(opportunities.id, id));
  }

  async addHistory(row: typeof opportunityStageHistory.$inferInsert): Promise<void> {
    await this.db.insert(opportunityStageHistory).values(row);
  }

  /** The raw row when it is within `scope` (not deleted, its customer not deleted). */
  async rowInScope(id: string, scope: SQL): Promise<OpportunityRow | null> {
    const [row] = await this.db
      .select({ o: opportunities })
      .from(opportunities)
      .innerJoin(customers, eq(customers.id, opportunities.customerId))
      .where(
        and(eq(opportunities.id, id), isNull(opportunities.deletedAt), isNull(customers.deletedAt), scope),
      );
    return row?.o ?? null;
  }

  filters(query: Partial<OpportunityQuery>, scope: SQL): SQL | undefined {
    return and(
      isNull(opportunities.deletedAt),
      isNull(customers.deletedAt),
      query.customerId ? eq(opportunities.customerId, query.customerId) : undefined,
      query.ownerId ? eq(opportunities.ownerUserId, query.ownerId) : undefined,
      query.stageId ? eq(opportunities.stageId, query.stageId) : undefined,
      query.status ? eq(opportunities.status, query.status) : undefined,
      query.q ? ilike(opportunities.title, `%${query.q.replace(/[\\%_]/g, '\\$&')}%`) : undefined,
      query.closeFrom ? gte(opportunities.expectedCloseDate, query.closeFrom) : undefined,
      query.closeTo ? lte(opportunities.expectedCloseDate, query.closeTo) : undefined,
      scope,
    );
  }

  async page(query: OpportunityQuery, scope: SQL): Promise<{ items: OpportunityView[]; total: number }> {
    const where = this.filters(query, scope);
    const key = query.sort.replace('-', '');
    const column =
      key === 'amount'
        ? opportunities.amount
        : key === 'expectedCloseDate'
          ? opportunities.expectedCloseDate
          : opportunities.updatedAt;
    const order = query.sort.startsWith('-') ? sql`${column} desc nulls last` : asc(column);
    const [rows, [total]] = await Promise.all([
      this.select()
        .where(where)
        .orderBy(order, desc(opportunities.id))
        .limit(query.limit)
        .offset(query.offset),
      this.db
        .select({ n: count() })
        .from(opportunities)
        .innerJoin(customers, eq(customers.id, opportunities.customerId))
        .where(where),
    ]);
    return { items: rows.map(toView), total: Number(total?.n ?? 0) };
  }

  async view(id: string): Promise<OpportunityView | null> {
    const [row] = await this.select().where(eq(opportunities.id, id));
    return row ? toView(row) : null;
  }

  /** Open deals grouped by stage or owner: count, Σ amount and Σ amount × probability. */
  async forecast(groupBy: 'stage' | 'owner', where: SQL | undefined) {
    const key = groupBy === 'stage' ? opportunities.stageId : opportunities.ownerUserId;
    const name = groupBy === 'stage' ? opportunityStages.nameZh : users.displayName;
    const rows = await this.db
      .select({
        key,
        name: sql<string>`max(${name})`,
        n: count(),
        amount: sql<string>`coalesce(sum(${opportunities.amount}), 0)`,
        weighted: sql<string>`coalesce(sum(${opportunities.amount} * ${opportunities.probability} / 100.0), 0)`,
        sort: sql<number>`max(${opportunityStages.sort})`,
      })
      .from(opportunities)
      .innerJoin(customers, eq(customers.id, opportunities.customerId))
      .innerJoin(opportunityStages, eq(opportunityStages.id, opportunities.stageId))
      .leftJoin(users, eq(users.id, opportunities.ownerUserId))
      .where(and(where, eq(opportunities.status, 'open')))
      .groupBy(key);
    return rows
      .map((r) => ({
        key: r.key,
        name: r.name ?? r.key,
        count: Number(r.n),
        amount: Number(r.amount),
        weighted: Math.round(Number(r.weighted)),
        sort: Number(r.sort),
      }))
      .sort((a, b) => (groupBy === 'stage' ? a.sort - b.sort : b.weighted - a.weighted))
      .map(({ sort: _sort, ...rest }) => rest);
  }

  async history(opportunityId: string) {
    const rows = await this.db
      .select({ h: opportunityStageHistory, movedByName: movers.displayName })
      .from(opportunityStageHistory)
      .leftJoin(movers, eq(movers.id, opportunityStageHistory.movedBy))
      .where(eq(opportunityStageHistory.opportunityId, opportunityId))
      .orderBy(asc(opportunityStageHistory.movedAt), asc(opportunityStageHistory.id));
    return rows.map((r) => ({
      id: r.h.id,
      fromStageId: r.h.fromStageId,
      toStageId: r.h.toStageId,
      movedBy: r.h.movedBy,
      movedByName: r.movedByName,
      movedAt: r.h.movedAt.toISOString(),
    }));
  }

  async userExists(id: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: users.id })
      .from(users)
      .where(inArray(users.id, [id]));
    return Boolean(row);
  }

  private select() {
    return this.db
      .select({ o: opportunities, customerName: customers.name, ownerName: users.displayName })
      .from(opportunities)
      .innerJoin(customers, eq(customers.id, opportunities.customerId))
      .leftJoin(users, eq(users.id, opportunities.ownerUserId))
      .$dynamic();
  }
}

function toView(row: { o: OpportunityRow; customerName: string; ownerName: string | null }): OpportunityView {
  const o = row.o;
  const scores = o.scores ?? {};
  return {
    id: o.id,
    customerId: o.customerId,
    customerName: row.customerName,
    title: o.title,
    ownerId: o.ownerUserId,
    ownerName: row.ownerName ?? o.ownerUserId,
    stageId: o.stageId,
    amount: o.amount,
    currency: o.currency,
    expectedCloseDate: o.expectedCloseDate,
    probability: o.probability,
    scores,
    scoreTotal: Object.values(scores).reduce((a, b) => a + b, 0),
    source: o.source,
    status: o.status,
    reasonId: o.reasonId,
    reasonNote: o.reasonNote,
    closedAt: o.closedAt ? o.closedAt.toISOString() : null,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}
