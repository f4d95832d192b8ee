/**
 * Performance per person and period (CRM-08): contact records written, customers created in their
 * book, opportunities created, advanced (moved on by them) and won (with the amount), and calls
 * answered at their agent desk from the CDRs. Days are China Standard Time. The people listed are
 * those the caller's `employee_report` view scope reaches (themselves, their team, or everyone).
 */
import {
  and,
  asc,
  count,
  countDistinct,
  eq,
  gte,
  inArray,
  isNotNull,
  lt,
  sql,
  type AnyColumn,
  type SQL,
} from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { invalid } from '../../shared/index.ts';
import { tables, type Db } from '../../store/index.ts';
import { DataScopes } from '../scopes/data-scopes.ts';
import type { PerformanceRow } from './report.schemas.ts';

const { agents, cdrs, contactRecords, customers, opportunities, opportunityStageHistory, users } = tables;

const workingRoles = ['sales', 'sales_manager', 'agent'] as const;

export class PerformanceService {
  private readonly scopes: DataScopes;

  constructor(private readonly db: Db) {
    this.scopes = new DataScopes(db);
  }

  async report(
    query: { from: string; to: string; userId?: string },
    actor: { id: string; role: string },
  ): Promise<PerformanceRow[]> {
    if (query.to < query.from) throw invalid('to', 'must not be before from');
    const from = new Date(`${query.from}T00:00:00+08:00`);
    const to = new Date(new Date(`${query.to}T00:00:00+08:00`).getTime() + 86_400_000);
    const people = await this.db
      .select({ id: users.id, name: users.displayName })
      .from(users)
      .where(
        and(
          inArray(users.role, [...workingRoles]),
          query.userId ? eq(users.id, query.userId) : undefined,
          await this.scopes.ownedCondition(actor, 'employee_report', 'view', users.id),
        ),
      )
      .orderBy(asc(users.displayName));
    const ids = people.map((p) => p.id);
    if (ids.length === 0) return [];
    const within = (column: AnyColumn) => and(gte(column, from), lt(column, to));

    const [records, created, opened, advanced, won, calls] = await Promise.all([
      this.countBy(contactRecords.authorUserId, ids, within(contactRecords.occurredAt)),
      this.countBy(customers.ownerUserId, ids, within(customers.createdAt)),
      this.countBy(opportunities.createdBy, ids, within(opportunities.createdAt)),
      this.db
        .select({
          key: opportunityStageHistory.movedBy,
          n: countDistinct(opportunityStageHistory.opportunityId),
        })
        .from(opportunityStageHistory)
        .where(
          and(
            inArray(opportunityStageHistory.movedBy, ids),
            isNotNull(opportunityStageHistory.fromStageId),
            within(opportunityStageHistory.movedAt),
          ),
        )
        .groupBy(opportunityStageHistory.movedBy),
      this.db
        .select({
          key: opportunities.ownerUserId,
          n: count(),
          amount: sql<string>`coalesce(sum(${opportunities.amount}), 0)`,
        })
        .from(opportunities)
        .where(
          and(
            inArray(opportunities.ownerUserId, ids),
            eq(opportunities.status, 'won'),
            sql`${opportunities.deletedAt} is null`,
            within(opportunities.closedAt),
          ),
        )
        .groupBy(opportunities.ownerUserId),
      this.db
        .select({ key: agents.userId, n: count() })
        .from(cdrs)
        .innerJoin(agents, eq(agents.id, cdrs.agentId))
        .where(and(inArray(agents.userId, ids), isNotNull(cdrs.answeredAt), within(cdrs.offeredAt)))
        .groupBy(agents.userId),
    ]);
    const lookup = (rows: { key: string | null; n: number }[]) =>
      new Map(rows.map((r) => [r.key ?? '', Number(r.n)]));
    const [r, c, o, a, w, k] = [records, created, opened, advanced, won, calls].map(lookup);
    const amounts = new Map(won.map((x) => [x.key, Number(x.amount)]));
    return people.map((p) => ({
      userId: p.id,
      userName: p.name,
      contactRecords: r!.get(p.id) ?? 0,
      customersCreated: c!.get(p.id) ?? 0,
      opportunitiesCreated: o!.get(p.id) ?? 0,
      opportunitiesAdvanced: a!.get(p.id) ?? 0,
      opportunitiesWon: w!.get(p.id) ?? 0,
      wonAmount: amounts.get(p.id) ?? 0,
      callsHandled: k!.get(p.id) ?? 0,
    }));
  }

  private countBy(key: PgColumn, ids: string[], condition: SQL | undefined) {
    return this.db
      .select({ key: sql<string | null>`${key}`, n: count() })
      .from(key.table)
      .where(and(inArray(key, ids), condition))
      .groupBy(key);
  }
}
