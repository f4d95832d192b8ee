/**
 * Credit management (资信, CRM-10): a customer's rating and limit change only through a request
 * that someone else with credit edit scope over the customer approves; every request with its
 * decision is the history. The `credit` data scope works on the customer's owner; a role whose
 * scope does not reach the customer gets the credit fields hidden, not an error.
 */
import { and, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { AppError, notFound } from '../../shared/index.ts';
import { newId, tables, type Db } from '../../store/index.ts';
import type { NotificationService, UserActor } from '../activities/index.ts';
import { DataScopes } from '../scopes/data-scopes.ts';
import type { TimelineWriter } from '../timeline/index.ts';
import type {
  CreditRequestInput,
  CreditRequestQuery,
  CreditRequestView,
  CreditView,
} from './credit.schemas.ts';

const { creditRequests, customerCredit, customers, users } = tables;
const deciders = alias(users, 'deciders');

/** Roles that decide credit requests (within their credit edit scope). */
export const creditApprovers: readonly string[] = ['admin', 'supervisor', 'sales_manager'];

export class CreditService {
  private readonly scopes: DataScopes;

  constructor(
    private readonly db: Db,
    private readonly timeline: TimelineWriter,
    private readonly notifications: NotificationService,
  ) {
    this.scopes = new DataScopes(db);
  }

  private credit(actor: UserActor, action: 'view' | 'edit') {
    return this.scopes.ownedCondition(actor, 'credit', action, customers.ownerUserId);
  }

  /** 404 unless the caller sees the customer; whether its credit is visible to them. */
  private async access(customerId: string, actor: UserActor, action: 'view' | 'edit'): Promise<boolean> {
    const [row] = await this.db
      .select({ reaches: sqlBool(await this.credit(actor, action)) })
      .from(customers)
      .where(
        and(
          eq(customers.id, customerId),
          isNull(customers.deletedAt),
          await this.scopes.customerCondition(actor, 'view'),
        ),
      );
    if (!row) throw notFound(`customer ${customerId}`);
    return row.reaches;
  }

  async get(customerId: string, actor: UserActor): Promise<CreditView> {
    if (!(await this.access(customerId, actor, 'view')))
      return {
        customerId,
        hidden: true,
        rating: null,
        limitAmount: null,
        updatedAt: null,
        pendingRequestId: null,
      };
    const [current] = await this.db
      .select()
      .from(customerCredit)
      .where(eq(customerCredit.customerId, customerId));
    const [pending] = await this.db
      .select({ id: creditRequests.id })
      .from(creditRequests)
      .where(and(eq(creditRequests.customerId, customerId), eq(creditRequests.status, 'pending')));
    return {
      customerId,
      hidden: false,
      rating: current?.rating ?? null,
      limitAmount: current?.limitAmount ?? null,
      updatedAt: current?.updatedAt.toISOString() ?? null,
      pendingRequestId: pending?.id ?? null,
    };
  }

  async request(customerId: string, input: CreditRequestInput, actor: UserActor): Promise<CreditRequestView> {
    if (!(await this.access(customerId, actor, 'edit')))
      throw new AppError('forbidden', "the customer's credit is outside your scope");
    const current = await this.get(customerId, actor);
    if (current.pendingRequestId)
      throw new AppError('conflict', `request ${current.pendingRequestId} is still pending`);
    const id = newId('creq');
    await this.db.insert(creditRequests).values({
      id,
      customerId,
      rating: input.rating,
      limitAmount: input.limitAmount,
      previousRating: current.rating,
      previousLimit: current.limitAmount,
      reason: input.reason,
      requestedBy: actor.id,
    });
    return this.view(id);
  }

  async page(
    query: CreditRequestQuery,
    actor: UserActor,
  ): Promise<{ items: CreditRequestView[]; total: number }> {
    const where = and(
      isNull(customers.deletedAt),
      query.status ? eq(creditRequests.status, query.status) : undefined,
      query.customerId ? eq(creditRequests.customerId, query.customerId) : undefined,
      await this.credit(actor, 'view'),
    );
    const [items, [total]] = await Promise.all([
      this.views(where, query.limit, query.offset),
      this.db
        .select({ n: count() })
        .from(creditRequests)
        .innerJoin(customers, eq(customers.id, creditRequests.customerId))
        .where(where),
    ]);
    return { items, total: Number(total?.n ?? 0) };
  }

  /** Approve or reject; the requester is notified, an approval becomes the customer's credit. */
  async decide(
    id: string,
    approve: boolean,
    comment: string | undefined,
    actor: UserActor,
  ): Promise<CreditRequestView> {
    const [req] = await this.db
      .select({ r: creditRequests })
      .from(creditRequests)
      .innerJoin(customers, eq(customers.id, creditRequests.customerId))
      .where(and(eq(creditRequests.id, id), isNull(customers.deletedAt), await this.credit(actor, 'edit')));
    if (!req) throw notFound(`credit request ${id}`);
    const r = req.r;
    if (!creditApprovers.includes(actor.role) || r.requestedBy === actor.id)
      throw new AppError('forbidden', 'a credit request is decided by a manager other than its requester');
    if (r.status !== 'pending') throw new AppError('invalid_state', `the request is already ${r.status}`);
    const now = new Date();
    await this.db.transaction(async (tx) => {
      await tx
        .update(creditRequests)
        .set({
          status: approve ? 'approved' : 'rejected',
          decidedBy: actor.id,
          decidedAt: now,
          decisionComment: comment ?? null,
        })
        .where(eq(creditRequests.id, id));
      if (approve) {
        const values = {
          rating: r.rating,
          limitAmount: r.limitAmount,
          approvedRequestId: id,
          updatedAt: now,
        };
        await tx
          .insert(customerCredit)
          .values({ customerId: r.customerId, ...values })
          .onConflictDoUpdate({ target: customerCredit.customerId, set: values });
      }
    });
    const view = await this.view(id);
    // The timeline is read by everyone who sees the customer (agents too), so the entry names the
    // change without the rating or limit: those stay behind the credit scope.
    if (approve)
      await this.timeline.append({
        customerId: r.customerId,
        kind: 'credit',
        refId: id,
        title: 'credit changed',
        detail: { requestId: id, approvedBy: view.decidedByName },
      });
    await this.notifications.notify({
      userId: r.requestedBy,
      kind: approve ? 'credit.approved' : 'credit.rejected',
      title: `credit request for ${view.customerName} ${approve ? 'approved' : 'rejected'}`,
      body: comment ?? '',
      refType: 'credit_request',
      refId: id,
    });
    return view;
  }

  private async view(id: string): Promise<CreditRequestView> {
    const [view] = await this.views(eq(creditRequests.id, id), 1, 0);
    if (!view) throw notFound(`credit request ${id}`);
    return view;
  }

  private async views(where: SQL | undefined, limit: number, offset: number): Promise<CreditRequestView[]> {
    const rows = await this.db
      .select({
        r: creditRequests,
        customerName: customers.name,
        requestedByName: users.displayName,
        decidedByName: deciders.displayName,
      })
      .from(creditRequests)
      .innerJoin(customers, eq(customers.id, creditRequests.customerId))
      .leftJoin(users, eq(users.id, creditRequests.requestedBy))
      .leftJoin(deciders, eq(deciders.id, creditRequests.decidedBy))
      .where(where)
      .orderBy(desc(creditRequests.createdAt), desc(creditRequests.id))
      .limit(limit)
      .offset(offset);
    return rows.map(({ r, customerName, requestedByName, decidedByName }) => ({
      id: r.id,
      customerId: r.customerId,
      customerName,
      rating: r.rating,
      limitAmount: r.limitAmount,
      previousRating: r.previousRating,
      previousLimit: r.previousLimit,
      reason: r.reason,
      status: r.status,
      requestedBy: r.requestedBy,
      requestedByName: requestedByName ?? r.requestedBy,
      decidedBy: r.decidedBy,
      decidedByName,
      decisionComment: r.decisionComment,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}

function sqlBool(condition: SQL) {
  return sql<boolean>`(${condition})`.mapWith((v: unknown) => v === true || v === 't' || v === 'true');
}
