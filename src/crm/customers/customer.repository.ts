/** Reads customers as views, and searches them within a data-scope condition (CRM-01, CRM-02). */
import { and, asc, count, desc, eq, ilike, inArray, isNull, like, or, type SQL } from 'drizzle-orm';
import { tables, type Db } from '../../store/index.ts';
import { normalizePhone } from '../phones/phone-number.ts';
import type { CustomerQuery, CustomerView } from './customer.schemas.ts';

const { customers, contacts, contactPhones, contactEmails, users } = tables;

export type CustomerFilter = Omit<CustomerQuery, 'limit' | 'offset' | 'sort' | 'order' | 'phone'> & {
  /** Exact E.164 numbers, or digits contained in a phone. */
  phoneE164?: string;
  phoneDigits?: string;
};

const likeEscape = (s: string) => s.replace(/[%_\\]/g, '\\$&');

export class CustomerRepository {
  constructor(private readonly db: Db) {}

  /** Views of live customers among `ids`, in the order given. */
  async findByIds(ids: string[]): Promise<CustomerView[]> {
    if (ids.length === 0) return [];
    const [customerRows, contactRows, phoneRows, emailRows] = await Promise.all([
      this.db
        .select({ c: customers, ownerName: users.displayName })
        .from(customers)
        .leftJoin(users, eq(users.id, customers.ownerUserId))
        .where(and(inArray(customers.id, ids), isNull(customers.deletedAt))),
      this.db.select().from(contacts).where(inArray(contacts.customerId, ids)).orderBy(contacts.createdAt),
      this.db.select().from(contactPhones).where(inArray(contactPhones.customerId, ids)),
      this.db.select().from(contactEmails).where(inArray(contactEmails.customerId, ids)),
    ]);
    const byId = new Map(customerRows.map((r) => [r.c.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const c = row.c;
      return [
        {
          id: c.id,
          name: c.name,
          kind: c.kind,
          tier: c.tier,
          relationshipType: c.relationshipType,
          lifecycleStage: c.lifecycleStage,
          industry: c.industry,
          region: c.region,
          creditCode: c.creditCode,
          externalId: c.externalId,
          ownerId: c.ownerUserId,
          ownerName: row.ownerName,
          departmentId: c.departmentId,
          customFields: (c.customFields ?? {}) as Record<string, unknown>,
          createdAt: c.createdAt.toISOString(),
          updatedAt: c.updatedAt.toISOString(),
          contacts: contactRows
            .filter((k) => k.customerId === id)
            .map((k) => ({
              id: k.id,
              name: k.name,
              title: k.title,
              phones: phoneRows
                .filter((p) => p.contactId === k.id)
                .map((p) => ({
                  e164: p.e164,
                  display:
                    (normalizePhone(p.e164)?.display ?? p.raw) + (p.extension ? ` 转 ${p.extension}` : ''),
                  kind: p.kind,
                  extension: p.extension,
                })),
              emails: emailRows.filter((e) => e.contactId === k.id).map((e) => e.email),
            })),
        },
      ];
    });
  }

  /** Live customers owning a phone, with the matching contact, oldest customer first. */
  async findByPhone(e164: string): Promise<{ customerId: string; contactId: string }[]> {
    return this.db
      .selectDistinct({ customerId: contactPhones.customerId, contactId: contactPhones.contactId })
      .from(contactPhones)
      .innerJoin(customers, eq(customers.id, contactPhones.customerId))
      .where(and(eq(contactPhones.e164, e164), isNull(customers.deletedAt)))
      .orderBy(contactPhones.customerId);
  }

  /** The live customer's id if it exists and `scope` admits it. */
  async idInScope(id: string, scope: SQL): Promise<string | null> {
    const [row] = await this.db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.id, id), isNull(customers.deletedAt), scope));
    return row?.id ?? null;
  }

  async idsInScope(ids: string[], scope: SQL): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({ id: customers.id })
      .from(customers)
      .where(and(inArray(customers.id, ids), isNull(customers.deletedAt), scope));
    return rows.map((r) => r.id);
  }

  async idsOfOwner(ownerId: string, scope: SQL): Promise<string[]> {
    const rows = await this.db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.ownerUserId, ownerId), isNull(customers.deletedAt), scope));
    return rows.map((r) => r.id);
  }

  /** One page of IDs matching the filter within `scope`, and how many match in all. */
  async search(
    filter: CustomerFilter,
    scope: SQL,
    page: { limit: number; offset: number; sort: 'createdAt' | 'updatedAt' | 'name'; order: 'asc' | 'desc' },
  ): Promise<{ ids: string[]; total: number }> {
    const where = and(isNull(customers.deletedAt), scope, ...this.conditions(filter));
    const column = { createdAt: customers.createdAt, updatedAt: customers.updatedAt, name: customers.name }[
      page.sort
    ];
    const dir = page.order === 'asc' ? asc : desc;
    const [rows, [total]] = await Promise.all([
      this.db
        .select({ id: customers.id })
        .from(customers)
        .where(where)
        .orderBy(dir(column), dir(customers.id))
        .limit(page.limit)
        .offset(page.offset),
      this.db.select({ n: count() }).from(customers).where(where),
    ]);
    return { ids: rows.map((r) => r.id), total: total?.n ?? 0 };
  }

  private conditions(f: CustomerFilter): (SQL | undefined)[] {
    const phoneOwners = (cond: SQL) =>
      inArray(customers.id, this.db.select({ id: contactPhones.customerId }).from(contactPhones).where(cond));
    const out: (SQL | undefined)[] = [];
    const term = f.q?.trim();
    if (term) {
      const digits = term.replace(/\D/g, '');
      out.push(
        or(
          ilike(customers.name, `%${likeEscape(term)}%`),
          digits.length >= 4
            ? phoneOwners(
                or(like(contactPhones.digits, `%${digits}%`), like(contactPhones.e164, `%${digits}%`))!,
              )
            : undefined,
          term.includes('@')
            ? inArray(
                customers.id,
                this.db
                  .select({ id: contactEmails.customerId })
                  .from(contactEmails)
                  .where(like(contactEmails.emailLower, `%${likeEscape(term.toLowerCase())}%`)),
              )
            : undefined,
        ),
      );
    }
    if (f.phoneE164) out.push(phoneOwners(eq(contactPhones.e164, f.phoneE164)));
    if (f.phoneDigits)
      out.push(
        phoneOwners(
          or(
            like(contactPhones.digits, `%${f.phoneDigits}%`),
            like(contactPhones.e164, `%${f.phoneDigits}%`),
          )!,
        ),
      );
    if (f.email)
      out.push(
        inArray(
          customers.id,
          this.db
            .select({ id: contactEmails.customerId })
            .from(contactEmails)
            .where(eq(contactEmails.emailLower, f.email.trim().toLowerCase())),
        ),
      );
    if (f.relationshipType) out.push(eq(customers.relationshipType, f.relationshipType));
    if (f.tier) out.push(eq(customers.tier, f.tier));
    if (f.lifecycleStage) out.push(eq(customers.lifecycleStage, f.lifecycleStage));
    if (f.region) out.push(eq(customers.region, f.region));
    if (f.industry) out.push(eq(customers.industry, f.industry));
    if (f.ownerId) out.push(eq(customers.ownerUserId, f.ownerId));
    return out;
  }
}
