import { desc, eq, ilike, inArray, like, or, sql } from 'drizzle-orm';
import { newId, tables, type Db } from '../../store/index.ts';
import { normalizePhone } from '../phones/phone-number.ts';
import type { CustomerView } from './customer.schemas.ts';

const { customers, contacts, contactPhones } = tables;

export interface NewCustomerRow {
  name: string;
  kind: 'company' | 'person';
  tier: string | null;
  contacts: { name: string; title: string | null; phones: { e164: string; raw: string }[] }[];
}

export class CustomerRepository {
  constructor(private readonly db: Db) {}

  async insert(row: NewCustomerRow): Promise<string> {
    const customerId = newId('cus');
    await this.db.transaction(async (tx) => {
      await tx.insert(customers).values({ id: customerId, name: row.name, kind: row.kind, tier: row.tier });
      for (const c of row.contacts) {
        const contactId = newId('con');
        await tx.insert(contacts).values({ id: contactId, customerId, name: c.name, title: c.title });
        if (c.phones.length > 0) {
          await tx
            .insert(contactPhones)
            .values(
              c.phones.map((p) => ({ id: newId('tel'), contactId, customerId, e164: p.e164, raw: p.raw })),
            );
        }
      }
    });
    return customerId;
  }

  async findByIds(ids: string[]): Promise<CustomerView[]> {
    if (ids.length === 0) return [];
    const [customerRows, contactRows, phoneRows] = await Promise.all([
      this.db.select().from(customers).where(inArray(customers.id, ids)),
      this.db.select().from(contacts).where(inArray(contacts.customerId, ids)).orderBy(contacts.createdAt),
      this.db.select().from(contactPhones).where(inArray(contactPhones.customerId, ids)),
    ]);
    const byId = new Map(customerRows.map((c) => [c.id, c]));
    return ids.flatMap((id) => {
      const c = byId.get(id);
      if (!c) return [];
      return [
        {
          id: c.id,
          name: c.name,
          kind: c.kind,
          tier: c.tier,
          createdAt: c.createdAt.toISOString(),
          contacts: contactRows
            .filter((k) => k.customerId === id)
            .map((k) => ({
              id: k.id,
              name: k.name,
              title: k.title,
              phones: phoneRows
                .filter((p) => p.contactId === k.id)
                .map((p) => ({ e164: p.e164, display: normalizePhone(p.e164)?.display ?? p.raw })),
            })),
        },
      ];
    });
  }

  /** Customer IDs owning a phone, with the matching contact, oldest customer first. */
  async findByPhone(e164: string): Promise<{ customerId: string; contactId: string }[]> {
    return this.db
      .selectDistinct({ customerId: contactPhones.customerId, contactId: contactPhones.contactId })
      .from(contactPhones)
      .where(eq(contactPhones.e164, e164))
      .orderBy(contactPhones.customerId);
  }

  async searchPhoneDigits(digits: string, limit: number, offset: number): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ id: contactPhones.customerId })
      .from(contactPhones)
      .where(like(contactPhones.e164, `%${digits}%`))
      .orderBy(contactPhones.customerId)
      .limit(limit)
      .offset(offset);
    return rows.map((r) => r.id);
  }

  async search(q: string | undefined, limit: number, offset: number): Promise<string[]> {
    const term = q?.trim();
    const digits = term?.replace(/\D/g, '') ?? '';
    const base = this.db.select({ id: customers.id }).from(customers);
    const filtered = term
      ? base.where(
          or(
            ilike(customers.name, `%${term.replace(/[%_\\]/g, '\\$&')}%`),
            digits.length >= 4
              ? inArray(
                  customers.id,
                  this.db
                    .select({ id: contactPhones.customerId })
                    .from(contactPhones)
                    .where(like(contactPhones.e164, `%${digits}%`)),
                )
              : sql`false`,
          ),
        )
      : base;
    const rows = await filtered
      .orderBy(desc(customers.createdAt), desc(customers.id))
      .limit(limit)
      .offset(offset);
    return rows.map((r) => r.id);
  }
}
