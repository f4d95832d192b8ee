/**
 * Duplicate detection (CRM-12): a new or imported customer may already exist under the same
 * unified social credit code, external ID, a contact's phone or e-mail, or a name that differs
 * only in legal form, spacing, case or punctuation ("华东电子商贸有限公司" ~ "华东电子商贸").
 */
import { and, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { tables, type Db } from '../../store/index.ts';

const { customers, contactPhones, contactEmails } = tables;

const LEGAL_FORMS = /(股份有限公司|有限责任公司|有限公司|集团|公司|co\.|ltd\.?|inc\.?)/g;
const PUNCTUATION = /[\s\p{P}\p{S}]/gu;

/** The matching key of a customer name; the migration backfills the same key with SQL. */
export function nameKey(name: string): string {
  const key = name.normalize('NFKC').toLowerCase().replace(LEGAL_FORMS, '').replace(PUNCTUATION, '');
  // A name that is nothing but a legal form ("有限公司") keeps its own letters as the key.
  return key || name.normalize('NFKC').toLowerCase().replace(PUNCTUATION, '');
}

export interface DuplicateProbe {
  name?: string;
  phones?: string[];
  emails?: string[];
  creditCode?: string | null;
  externalId?: string | null;
}

export interface DuplicateHit {
  id: string;
  name: string;
  reasons: string[];
}

const likeEscape = (s: string) => s.replace(/[%_\\]/g, '\\$&');

/** Live customers resembling `probe`, best first; `exclude` leaves the customer itself out. */
export async function findDuplicates(
  db: Db,
  probe: DuplicateProbe,
  exclude?: string,
  limit = 10,
): Promise<DuplicateHit[]> {
  const hits = new Map<string, DuplicateHit>();
  const add = (rows: { id: string; name: string }[], reason: string) => {
    for (const r of rows) {
      if (r.id === exclude) continue;
      const hit = hits.get(r.id) ?? { id: r.id, name: r.name, reasons: [] };
      if (!hit.reasons.includes(reason)) hit.reasons.push(reason);
      hits.set(r.id, hit);
    }
  };
  const live = isNull(customers.deletedAt);
  const pick = { id: customers.id, name: customers.name };
  const select = (where: SQL | undefined) =>
    db.select(pick).from(customers).where(and(live, where)).limit(limit);
  if (probe.creditCode) add(await select(eq(customers.creditCode, probe.creditCode)), 'creditCode');
  if (probe.externalId) add(await select(eq(customers.externalId, probe.externalId)), 'externalId');
  if (probe.phones?.length) {
    const owners = db
      .select({ id: contactPhones.customerId })
      .from(contactPhones)
      .where(inArray(contactPhones.e164, probe.phones));
    add(await select(inArray(customers.id, owners)), 'phone');
  }
  if (probe.emails?.length) {
    const owners = db
      .select({ id: contactEmails.customerId })
      .from(contactEmails)
      .where(
        inArray(
          contactEmails.emailLower,
          probe.emails.map((e) => e.toLowerCase()),
        ),
      );
    add(await select(inArray(customers.id, owners)), 'email');
  }
  if (probe.name) {
    const key = nameKey(probe.name);
    const similar =
      key.length >= 4
        ? or(
            eq(customers.nameKey, key),
            ilike(customers.nameKey, `%${likeEscape(key)}%`),
            sql`${key} like '%' || ${customers.nameKey} || '%' and length(${customers.nameKey}) >= 4`,
          )
        : eq(customers.nameKey, key);
    add(await select(similar), 'name');
  }
  return [...hits.values()].sort((a, b) => b.reasons.length - a.reasons.length).slice(0, limit);
}
