/**
 * Work besides voice (ACD-08): chats, e-mails, SMS and tasks go through the same ACD engine as
 * calls, held against each agent's per-channel capacity. An item is offered to one agent at a
 * time; the agent accepts or declines it, or the offer lapses after the group's ring timeout and
 * the item goes back to its place in the queue. Accepted items hold a slot until completed. State
 * is in `work_items`, so a restart puts queued items back in order and accepted ones back on the
 * agents who hold them.
 */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AcdEngine, Offer, QueuedCall, StateChange } from '../acd/index.ts';
import type { CtiHub, WorkChannel, WorkItemView, WorkStatus } from '../cti/index.ts';
import { AppError, invalid, notFound, type Clock, type Logger } from '../shared/index.ts';
import { newId, tables, type Db } from '../store/index.ts';

const { workItems } = tables;
type WorkItemRow = typeof workItems.$inferSelect;

export interface NewWorkItem {
  channel: WorkChannel;
  queue: string;
  subject: string;
  priority?: number;
  fromAddress?: string | null;
  customerId?: string | null;
}

export interface WorkItemFilter {
  status?: WorkStatus[];
  queue?: string;
  agentId?: string;
  limit: number;
  offset: number;
}

export interface WorkItemRouterOptions {
  db: Db;
  acd: AcdEngine;
  cti: CtiHub;
  clock: Clock;
  logger: Logger;
  /** Seconds an agent has to accept an offered item (the group's ring timeout). */
  offerTimeoutSec(queue: string): number;
  queueExists(queue: string): boolean;
  /** Match waiting work to free agents again (after a slot frees or an item is requeued). */
  distribute(): void;
  /** Record and publish an agent state change the engine made (auto-pause after missed offers). */
  applied(change: StateChange): void;
}

interface PendingOffer {
  agentId: string;
  call: QueuedCall;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

export class WorkItemRouter {
  private readonly offers = new Map<string, PendingOffer>();
  /** Item writes land in the order they were made (an accept never overtakes its offer). */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: WorkItemRouterOptions) {}

  /** After a restart: accepted items hold their agents' slots again; the rest wait in order. */
  async restore(): Promise<void> {
    const rows = await this.o.db
      .select()
      .from(workItems)
      .where(inArray(workItems.status, ['queued', 'offered', 'accepted']))
      .orderBy(workItems.createdAt, workItems.id);
    const now = this.o.clock.now();
    for (const row of rows) {
      if (row.status === 'accepted' && row.agentId && this.o.acd.holdWork(row.agentId, row.id, row.channel))
        continue;
      if (row.status !== 'queued') {
        await this.o.db
          .update(workItems)
          .set({ status: 'queued', agentId: null, offeredAt: null })
          .where(eq(workItems.id, row.id));
      }
      this.o.acd.enqueue(row.id, row.queue, row.priority, now, { channel: row.channel });
    }
  }

  async create(input: NewWorkItem, createdBy: string | null): Promise<WorkItemView> {
    if (!this.o.queueExists(input.queue)) throw invalid('queue', `unknown skill group ${input.queue}`);
    const [row] = await this.o.db
      .insert(workItems)
      .values({
        id: newId('wki'),
        channel: input.channel,
        queue: input.queue,
        priority: input.priority ?? 0,
        subject: input.subject,
        fromAddress: input.fromAddress ?? null,
        customerId: input.customerId ?? null,
        createdBy,
        createdAt: new Date(this.o.clock.now()),
      })
      .returning();
    const item = row!;
    this.o.acd.enqueue(item.id, item.queue, item.priority, this.o.clock.now(), { channel: item.channel });
    this.publish('work.updated', item);
    this.o.distribute();
    return this.view(item);
  }

  /** The engine matched an item to an agent (called from the contact center's distribute). */
  offered(offer: Offer): void {
    const now = this.o.clock.now();
    const expiresAt = now + this.o.offerTimeoutSec(offer.group) * 1000;
    const timer = setTimeout(() => {
      void this.lapse(offer.callId, offer.agentId, 'timeout').catch((err: unknown) =>
        this.o.logger.error({ err, item: offer.callId }, 'work item offer timeout failed'),
      );
    }, expiresAt - now);
    timer.unref();
    this.offers.set(offer.callId, { agentId: offer.agentId, call: offer.call, expiresAt, timer });
    void this.write(offer.callId, {
      status: 'offered',
      agentId: offer.agentId,
      offeredAt: new Date(now),
      queue: offer.group,
    })
      .then((row) => row && this.publish('work.offered', row))
      .catch(() => undefined); // logged by write()
  }

  async accept(agentId: string, id: string): Promise<WorkItemView> {
    const offer = this.offers.get(id);
    if (!offer || offer.agentId !== agentId)
      throw new AppError('invalid_state', 'this item is not offered to you');
    clearTimeout(offer.timer);
    this.offers.delete(id);
    const now = this.o.clock.now();
    this.o.acd.offerAnswered(agentId, now, id);
    return this.changed(id, { status: 'accepted', acceptedAt: new Date(now) });
  }

  async decline(agentId: string, id: string): Promise<WorkItemView> {
    const offer = this.offers.get(id);
    if (!offer || offer.agentId !== agentId)
      throw new AppError('invalid_state', 'this item is not offered to you');
    return this.lapse(id, agentId, 'declined');
  }

  async complete(agentId: string, id: string): Promise<WorkItemView> {
    const row = await this.row(id);
    if (row.status !== 'accepted' || row.agentId !== agentId)
      throw new AppError('invalid_state', 'only the agent who accepted an item can complete it');
    this.o.acd.finishWork(id);
    const view = await this.changed(id, { status: 'completed', completedAt: new Date(this.o.clock.now()) });
    this.o.distribute();
    return view;
  }

  /** A supervisor withdraws an item wherever it is. */
  async cancel(id: string): Promise<WorkItemView> {
    const row = await this.row(id);
    if (row.status === 'completed' || row.status === 'cancelled')
      throw new AppError('invalid_state', `the item is already ${row.status}`);
    const offer = this.offers.get(id);
    if (offer) clearTimeout(offer.timer);
    this.offers.delete(id);
    this.o.acd.remove(id);
    this.o.acd.withdrawOffer(id, this.o.clock.now()).forEach((c) => this.o.applied(c));
    this.o.acd.finishWork(id);
    const view = await this.changed(id, { status: 'cancelled', completedAt: new Date(this.o.clock.now()) });
    this.o.distribute();
    return view;
  }

  async list(filter: WorkItemFilter): Promise<{ items: WorkItemView[]; total: number }> {
    const where: SQL[] = [];
    if (filter.status?.length) where.push(inArray(workItems.status, filter.status));
    if (filter.queue) where.push(eq(workItems.queue, filter.queue));
    if (filter.agentId) where.push(eq(workItems.agentId, filter.agentId));
    const cond = where.length ? and(...where) : undefined;
    const [rows, [count]] = await Promise.all([
      this.o.db
        .select()
        .from(workItems)
        .where(cond)
        .orderBy(desc(workItems.createdAt), desc(workItems.id))
        .limit(filter.limit)
        .offset(filter.offset),
      this.o.db
        .select({ n: sql<number>`count(*)::int` })
        .from(workItems)
        .where(cond),
    ]);
    return { items: rows.map((r) => this.view(r)), total: Number(count?.n ?? 0) };
  }

  shutdown(): void {
    for (const offer of this.offers.values()) clearTimeout(offer.timer);
    this.offers.clear();
  }

  /** Declined or timed out: the slot is freed (a miss counts towards auto-pause), the item requeued. */
  private async lapse(id: string, agentId: string, why: 'declined' | 'timeout'): Promise<WorkItemView> {
    const offer = this.offers.get(id);
    if (!offer || offer.agentId !== agentId) return this.view(await this.row(id));
    clearTimeout(offer.timer);
    this.offers.delete(id);
    const now = this.o.clock.now();
    const change = this.o.acd.offerMissed(agentId, now, id);
    if (change) this.o.applied(change);
    offer.call.declinedBy = [...(offer.call.declinedBy ?? []), agentId];
    this.o.acd.requeue(offer.call, now);
    this.o.logger.info({ item: id, agentId, why }, 'work item offer lapsed');
    const view = await this.changed(id, {
      status: 'queued',
      agentId: null,
      offeredAt: null,
      declines: sql`${workItems.declines} + 1`,
    });
    // The agent whose offer lapsed hears it too (the item no longer names them).
    this.o.cti.publish('work.updated', view, { agentId });
    this.o.distribute();
    return view;
  }

  private async changed(id: string, patch: Parameters<WorkItemRouter['write']>[1]): Promise<WorkItemView> {
    const row = await this.write(id, patch);
    if (!row) throw notFound('work item');
    this.publish('work.updated', row);
    return this.view(row);
  }

  private write(
    id: string,
    patch: Partial<Omit<WorkItemRow, 'id' | 'declines'>> & { declines?: SQL },
  ): Promise<WorkItemRow | undefined> {
    const next = this.writes.then(async () => {
      const [row] = await this.o.db.update(workItems).set(patch).where(eq(workItems.id, id)).returning();
      return row;
    });
    this.writes = next.catch((err: unknown) =>
      this.o.logger.error({ err, item: id }, 'work item write failed'),
    );
    return next;
  }

  private async row(id: string): Promise<WorkItemRow> {
    await this.writes;
    const [row] = await this.o.db.select().from(workItems).where(eq(workItems.id, id)).limit(1);
    if (!row) throw notFound('work item');
    return row;
  }

  private publish(type: 'work.offered' | 'work.updated', row: WorkItemRow): void {
    this.o.cti.publish(type, this.view(row), { agentId: row.agentId });
  }

  private view(row: WorkItemRow): WorkItemView {
    const offer = this.offers.get(row.id);
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: row.id,
      channel: row.channel,
      queue: row.queue,
      priority: row.priority,
      subject: row.subject,
      fromAddress: row.fromAddress,
      customerId: row.customerId,
      status: row.status,
      agentId: row.agentId,
      createdAt: row.createdAt.toISOString(),
      offeredAt: iso(row.offeredAt),
      acceptedAt: iso(row.acceptedAt),
      completedAt: iso(row.completedAt),
      offerExpiresAt: row.status === 'offered' && offer ? new Date(offer.expiresAt).toISOString() : null,
      declines: row.declines,
    };
  }
}
