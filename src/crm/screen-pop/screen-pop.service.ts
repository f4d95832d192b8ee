/**
 * The screen pop (CC-12, CRM-13) over HTTP: everything an agent wants on screen the moment a
 * number rings — the customers whose contacts own it, with their contacts, the open tasks for them
 * (callbacks, voicemails to return) and their latest timeline entries. The caller's data scope
 * applies: a salesperson only pops their own customers, an agent every customer.
 */
import { and, desc, inArray, sql } from 'drizzle-orm';
import { tables, type Db } from '../../store/index.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { CustomerCard } from '../customers/customer.schemas.ts';
import type { Actor, DataScopes } from '../scopes/data-scopes.ts';

const { customers, customerTimeline, workItems } = tables;

/** Timeline entries shown per customer. */
const RECENT = 5;
const OPEN_STATUSES = ['queued', 'offered', 'accepted'] as const;

export interface ScreenPopEntry {
  kind: string;
  title: string;
  occurredAt: string;
}

export interface ScreenPopTask {
  id: string;
  channel: string;
  subject: string;
  status: string;
  createdAt: string;
}

export type ScreenPopMatch = CustomerCard & {
  matchedContactId: string | null;
  openTasks: ScreenPopTask[];
  recent: ScreenPopEntry[];
};

export interface ScreenPop {
  /** The number in E.164, or null when it is not a phone number. */
  e164: string | null;
  matches: ScreenPopMatch[];
}

export class ScreenPopService {
  constructor(
    private readonly db: Db,
    private readonly customerService: Pick<CustomerService, 'lookupCaller'>,
    private readonly scopes: Pick<DataScopes, 'customerCondition'>,
  ) {}

  async lookup(number: string, actor: Actor): Promise<ScreenPop> {
    // Round trips are what a pop costs: the scope is worked out while the number is looked up,
    // and the scope filter, open tasks and timeline go out together.
    const [found, scope] = await Promise.all([
      this.customerService.lookupCaller(number),
      this.scopes.customerCondition(actor, 'view'),
    ]);
    if (found.matches.length === 0) return { e164: found.e164, matches: [] };
    const ids = found.matches.map((m) => m.id);
    const [visibleRows, tasks, recent] = await Promise.all([
      this.db
        .select({ id: customers.id })
        .from(customers)
        .where(and(inArray(customers.id, ids), scope)),
      this.openTasks(ids),
      this.recent(ids),
    ]);
    const visible = new Set(visibleRows.map((r) => r.id));
    return {
      e164: found.e164,
      matches: found.matches
        .filter((m) => visible.has(m.id))
        .map((m) => ({ ...m, openTasks: tasks.get(m.id) ?? [], recent: recent.get(m.id) ?? [] })),
    };
  }

  private async openTasks(ids: string[]): Promise<Map<string, ScreenPopTask[]>> {
    const rows = await this.db
      .select({
        id: workItems.id,
        customerId: workItems.customerId,
        channel: workItems.channel,
        subject: workItems.subject,
        status: workItems.status,
        createdAt: workItems.createdAt,
      })
      .from(workItems)
      .where(and(inArray(workItems.customerId, ids), inArray(workItems.status, [...OPEN_STATUSES])))
      .orderBy(desc(workItems.createdAt))
      .limit(50);
    const out = new Map<string, ScreenPopTask[]>();
    for (const r of rows) {
      if (!r.customerId) continue;
      const list = out.get(r.customerId) ?? [];
      list.push({
        id: r.id,
        channel: r.channel,
        subject: r.subject,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
      });
      out.set(r.customerId, list);
    }
    return out;
  }

  /** The newest RECENT entries of each customer, in one query (window function). */
  private async recent(ids: string[]): Promise<Map<string, ScreenPopEntry[]>> {
    const ranked = this.db
      .select({
        customerId: customerTimeline.customerId,
        kind: customerTimeline.kind,
        title: customerTimeline.title,
        occurredAt: customerTimeline.occurredAt,
        n: sql<number>`row_number() over (partition by ${customerTimeline.customerId} order by ${customerTimeline.occurredAt} desc)`.as(
          'n',
        ),
      })
      .from(customerTimeline)
      .where(inArray(customerTimeline.customerId, ids))
      .as('ranked');
    const rows = await this.db
      .select()
      .from(ranked)
      .where(sql`${ranked.n} <= ${RECENT}`)
      .orderBy(ranked.customerId, desc(ranked.occurredAt));
    const out = new Map<string, ScreenPopEntry[]>();
    for (const r of rows) {
      const list = out.get(r.customerId) ?? [];
      list.push({ kind: r.kind, title: r.title, occurredAt: new Date(r.occurredAt).toISOString() });
      out.set(r.customerId, list);
    }
    return out;
  }
}
