/**
 * Outing registration (外出登记, CRM-03): a salesperson plans customer visits for the week, then
 * registers departure and return. Outings are scoped by their user (`outing` data scope); the
 * contact record written for a visit carries the outing's id.
 */
import { and, asc, count, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import { AppError, notFound } from '../../shared/index.ts';
import { newId, tables, type Db } from '../../store/index.ts';
import { DataScopes } from '../scopes/data-scopes.ts';
import type { UserActor } from './contact-record.service.ts';
import { requireVisibleCustomer } from './customer-access.ts';
import {
  weekOf,
  type CreateOutingInput,
  type MovementInput,
  type OutingQuery,
  type OutingView,
  type UpdateOutingInput,
} from './outing.schemas.ts';

const { contactRecords, customers, outings, users } = tables;

type OutingRow = typeof outings.$inferSelect;

export class OutingService {
  private readonly scopes: DataScopes;

  constructor(private readonly db: Db) {
    this.scopes = new DataScopes(db);
  }

  private scope(actor: UserActor, action: 'view' | 'edit' | 'delete') {
    return this.scopes.ownedCondition(actor, 'outing', action, outings.userId);
  }

  /** The week's outings in the caller's scope, by planned date. */
  async week(
    query: OutingQuery,
    actor: UserActor,
  ): Promise<{ from: string; to: string; items: OutingView[]; total: number }> {
    const { from, to } = weekOf(query.week ?? new Date().toISOString().slice(0, 10));
    const where = and(
      gte(outings.plannedDate, from),
      lte(outings.plannedDate, to),
      query.userId ? eq(outings.userId, query.userId) : undefined,
      query.customerId ? eq(outings.customerId, query.customerId) : undefined,
      query.status ? eq(outings.status, query.status) : undefined,
      await this.scope(actor, 'view'),
    );
    const [rows, [total]] = await Promise.all([
      this.views(where, query.limit, query.offset),
      this.db.select({ n: count() }).from(outings).where(where),
    ]);
    return { from, to, items: rows, total: Number(total?.n ?? 0) };
  }

  async get(id: string, actor: UserActor): Promise<OutingView> {
    const [view] = await this.views(and(eq(outings.id, id), await this.scope(actor, 'view')), 1, 0);
    if (!view) throw notFound(`outing ${id}`);
    return view;
  }

  async create(input: CreateOutingInput, actor: UserActor): Promise<OutingView> {
    await requireVisibleCustomer(this.db, this.scopes, actor, input.customerId);
    const id = newId('out');
    await this.db.insert(outings).values({
      id,
      userId: actor.id,
      customerId: input.customerId,
      plannedDate: input.plannedDate,
      purpose: input.purpose,
    });
    return this.get(id, actor);
  }

  async update(id: string, input: UpdateOutingInput, actor: UserActor): Promise<OutingView> {
    const row = await this.row(id, actor, 'edit');
    if (row.status !== 'planned') throw new AppError('invalid_state', `the outing is ${row.status}`);
    await this.set(id, input);
    return this.get(id, actor);
  }

  async depart(id: string, input: MovementInput, actor: UserActor): Promise<OutingView> {
    const row = await this.row(id, actor, 'edit');
    if (row.status !== 'planned') throw new AppError('invalid_state', `the outing is ${row.status}`);
    await this.set(id, {
      status: 'out',
      departedAt: input.at ?? new Date(),
      departLocation: input.location ?? null,
    });
    return this.get(id, actor);
  }

  async return(id: string, input: MovementInput, actor: UserActor): Promise<OutingView> {
    const row = await this.row(id, actor, 'edit');
    if (row.status !== 'out') throw new AppError('invalid_state', 'register the departure first');
    const at = input.at ?? new Date();
    if (row.departedAt && at < row.departedAt)
      throw new AppError('validation', 'at: return before departure', [
        { field: 'at', message: 'return before departure' },
      ]);
    await this.set(id, { status: 'returned', returnedAt: at, returnLocation: input.location ?? null });
    return this.get(id, actor);
  }

  async cancel(id: string, actor: UserActor): Promise<OutingView> {
    const row = await this.row(id, actor, 'edit');
    if (row.status !== 'planned') throw new AppError('invalid_state', `the outing is ${row.status}`);
    await this.set(id, { status: 'cancelled' });
    return this.get(id, actor);
  }

  private async set(id: string, values: Partial<typeof outings.$inferInsert>): Promise<void> {
    await this.db
      .update(outings)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(outings.id, id));
  }

  private async row(id: string, actor: UserActor, action: 'edit' | 'delete'): Promise<OutingRow> {
    const [row] = await this.db
      .select()
      .from(outings)
      .where(and(eq(outings.id, id), await this.scope(actor, action)));
    if (!row) throw notFound(`outing ${id}`);
    return row;
  }

  private async views(where: SQL | undefined, limit: number, offset: number): Promise<OutingView[]> {
    const rows = await this.db
      .select({ o: outings, customerName: customers.name, userName: users.displayName })
      .from(outings)
      .innerJoin(customers, eq(customers.id, outings.customerId))
      .leftJoin(users, eq(users.id, outings.userId))
      .where(where)
      .orderBy(asc(outings.plannedDate), asc(outings.createdAt), asc(outings.id))
      .limit(limit)
      .offset(offset);
    const ids = rows.map((r) => r.o.id);
    const links =
      ids.length > 0
        ? await this.db
            .select({ id: contactRecords.id, outingId: contactRecords.outingId })
            .from(contactRecords)
            .where(inArray(contactRecords.outingId, ids))
        : [];
    const recordOf = new Map(links.map((l) => [l.outingId, l.id]));
    return rows.map(({ o, customerName, userName }) => ({
      id: o.id,
      userId: o.userId,
      userName: userName ?? o.userId,
      customerId: o.customerId,
      customerName,
      plannedDate: o.plannedDate,
      purpose: o.purpose,
      status: o.status,
      departedAt: o.departedAt?.toISOString() ?? null,
      departLocation: o.departLocation,
      returnedAt: o.returnedAt?.toISOString() ?? null,
      returnLocation: o.returnLocation,
      contactRecordId: recordOf.get(o.id) ?? null,
    }));
  }
}
