/**
 * The database side of imports: finding stored duplicates in bulk, writing a plan in one
 * transaction with the undo record of every customer touched, and undoing a batch.
 */
import { and, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { newId, tables, type Db } from '../../store/index.ts';
import {
  addContacts,
  addToContact,
  deleteContacts,
  insertChunked,
  insertContactRows,
  insertCustomers,
  updateCustomerRow,
  type NewContact,
} from '../customers/customer-writer.ts';
import type { ImportRecord } from './import-row.ts';
import type { DuplicatePolicy, Existing, Plan } from './import-plan.ts';

const { customers, contacts, contactPhones, contactEmails, importBatches, importBatchItems } = tables;

const CHUNK = 1000;
const chunks = <T>(list: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
};

/** A customer as it was before an import changed it: the row and all of its contacts. */
interface Snapshot {
  customer: Record<string, unknown>;
  contacts: Record<string, unknown>[];
  phones: Record<string, unknown>[];
  emails: Record<string, unknown>[];
}

export type BatchRow = typeof importBatches.$inferSelect;

export class ImportRepository {
  constructor(private readonly db: Db) {}

  async findExisting(records: ImportRecord[], editScope: SQL): Promise<Existing> {
    const byKey = new Map<string, string>();
    const byExternalId = new Map<string, string>();
    const live = isNull(customers.deletedAt);
    const uniq = <T>(xs: T[]) => [...new Set(xs)];
    for (const part of chunks(uniq(records.map((r) => r.nameKey)))) {
      const rows = await this.db
        .select({ id: customers.id, key: customers.nameKey })
        .from(customers)
        .where(and(inArray(customers.nameKey, part), live));
      for (const r of rows) if (!byKey.has(`n:${r.key}`)) byKey.set(`n:${r.key}`, r.id);
    }
    for (const part of chunks(uniq(records.flatMap((r) => (r.creditCode ? [r.creditCode] : []))))) {
      const rows = await this.db
        .select({ id: customers.id, code: customers.creditCode })
        .from(customers)
        .where(and(inArray(customers.creditCode, part), live));
      for (const r of rows) if (!byKey.has(`c:${r.code}`)) byKey.set(`c:${r.code}`, r.id);
    }
    // External IDs are unique over deleted customers too; a deleted one is brought back by update.
    for (const part of chunks(uniq(records.flatMap((r) => (r.externalId ? [r.externalId] : []))))) {
      const rows = await this.db
        .select({ id: customers.id, ext: customers.externalId })
        .from(customers)
        .where(inArray(customers.externalId, part));
      for (const r of rows) byExternalId.set(r.ext!, r.id);
    }
    for (const part of chunks(uniq(records.flatMap((r) => r.phones.map((p) => p.e164))))) {
      const rows = await this.db
        .select({ id: contactPhones.customerId, e164: contactPhones.e164 })
        .from(contactPhones)
        .innerJoin(customers, eq(customers.id, contactPhones.customerId))
        .where(and(inArray(contactPhones.e164, part), live));
      for (const r of rows) if (!byKey.has(`p:${r.e164}`)) byKey.set(`p:${r.e164}`, r.id);
    }
    for (const part of chunks(uniq(records.flatMap((r) => r.emails.map((e) => e.toLowerCase()))))) {
      const rows = await this.db
        .select({ id: contactEmails.customerId, email: contactEmails.emailLower })
        .from(contactEmails)
        .innerJoin(customers, eq(customers.id, contactEmails.customerId))
        .where(and(inArray(contactEmails.emailLower, part), live));
      for (const r of rows) if (!byKey.has(`e:${r.email}`)) byKey.set(`e:${r.email}`, r.id);
    }
    const candidates = uniq([...byKey.values(), ...byExternalId.values()]);
    const editable = new Set<string>();
    for (const part of chunks(candidates)) {
      const rows = await this.db
        .select({ id: customers.id })
        .from(customers)
        .where(and(inArray(customers.id, part), editScope));
      for (const r of rows) editable.add(r.id);
    }
    return { byKey, byExternalId, editable };
  }

  async createBatch(input: {
    userId: string | null;
    username: string | null;
    fileName: string;
    policy: DuplicatePolicy;
    totalRows: number;
  }): Promise<string> {
    const id = newId('imp');
    await this.db.insert(importBatches).values({ id, ...input, status: 'running' });
    return id;
  }

  async finishBatch(
    id: string,
    outcome: {
      status: 'completed' | 'failed';
      created: number;
      updated: number;
      skipped: number;
      errors: { line: number; message: string }[];
    },
  ): Promise<void> {
    await this.db
      .update(importBatches)
      .set({
        status: outcome.status,
        created: outcome.created,
        updated: outcome.updated,
        skipped: outcome.skipped,
        errors: outcome.errors.slice(0, 1000),
        errorCount: outcome.errors.length,
        finishedAt: new Date(),
      })
      .where(eq(importBatches.id, id));
  }

  async batch(id: string): Promise<BatchRow | null> {
    const [row] = await this.db.select().from(importBatches).where(eq(importBatches.id, id));
    return row ?? null;
  }

  /**
   * Writes the plan in one transaction: new customers in chunks, then each updated customer after
   * keeping a snapshot of it. `onChunk` reports progress in customers written.
   */
  async apply(
    batchId: string,
    plan: Plan,
    owner: { userId: string | null; departmentId: string | null },
    onChunk: (written: number) => void,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      let written = 0;
      for (const part of chunks(plan.creates)) {
        const ids = await insertCustomers(
          tx,
          part.map((c) => ({
            customer: {
              name: c.record.name,
              nameKey: c.record.nameKey,
              kind: c.record.kind,
              tier: c.fields.tier ?? null,
              relationshipType: c.fields.relationshipType ?? 'customer',
              lifecycleStage: c.fields.lifecycleStage ?? 'customer',
              industry: c.fields.industry ?? null,
              region: c.fields.region ?? null,
              creditCode: c.fields.creditCode ?? null,
              externalId: c.fields.externalId ?? null,
              ownerUserId: owner.userId,
              departmentId: owner.departmentId,
            },
            contacts: c.contacts,
          })),
        );
        await insertChunked(
          (rows) => tx.insert(importBatchItems).values(rows),
          part.map((c, i) => ({ batchId, customerId: ids[i]!, action: 'created' as const, line: c.line })),
        );
        written += part.length;
        onChunk(written);
      }
      const updates = [...plan.updates.values()];
      for (const part of chunks(updates)) {
        const snapshots = await this.snapshots(
          tx,
          part.map((u) => u.customerId),
        );
        await insertChunked(
          (rows) => tx.insert(importBatchItems).values(rows),
          part.map((u) => ({
            batchId,
            customerId: u.customerId,
            action: 'updated' as const,
            line: u.line,
            previous: snapshots.get(u.customerId) ?? null,
          })),
        );
        for (const u of part) {
          const before = snapshots.get(u.customerId);
          const existingExternal = before?.customer.externalId ?? null;
          const { externalId, ...fields } = u.fields;
          await updateCustomerRow(tx, u.customerId, {
            ...fields,
            ...(externalId && !existingExternal ? { externalId } : {}),
            deletedAt: null,
          });
          const { fresh, additions } = newContactsFor(u.contacts, before);
          await addContacts(tx, u.customerId, fresh);
          for (const a of additions) await addToContact(tx, u.customerId, a.contactId, a);
        }
        written += part.length;
        onChunk(written);
      }
    });
  }

  private async snapshots(db: Db, ids: string[]): Promise<Map<string, Snapshot>> {
    const [cs, ks, ps, es] = await Promise.all([
      db.select().from(customers).where(inArray(customers.id, ids)),
      db.select().from(contacts).where(inArray(contacts.customerId, ids)),
      db.select().from(contactPhones).where(inArray(contactPhones.customerId, ids)),
      db.select().from(contactEmails).where(inArray(contactEmails.customerId, ids)),
    ]);
    const out = new Map<string, Snapshot>();
    for (const c of cs) {
      out.set(c.id, {
        customer: { ...c },
        contacts: ks.filter((k) => k.customerId === c.id),
        phones: ps.filter((p) => p.customerId === c.id),
        emails: es.filter((e) => e.customerId === c.id),
      });
    }
    return out;
  }

  /** Restores every customer the batch touched to its state before the batch. */
  async undo(batchId: string, undoneBy: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      const items = await tx.select().from(importBatchItems).where(eq(importBatchItems.batchId, batchId));
      const created = items.filter((i) => i.action === 'created').map((i) => i.customerId);
      for (const part of chunks(created)) await tx.delete(customers).where(inArray(customers.id, part));
      const restored = items.filter((i) => i.action === 'updated' && i.previous);
      for (const part of chunks(restored)) {
        const ids = part.map((i) => i.customerId);
        await deleteContacts(tx, ids);
        for (const item of part) {
          const s = item.previous as Snapshot;
          const { id: _id, createdAt: _created, ...row } = s.customer;
          await updateCustomerRow(tx, item.customerId, reviveDates(row));
        }
        const snaps = part.map((i) => i.previous as Snapshot);
        await insertContactRows(
          tx,
          snaps.flatMap((s) => s.contacts.map(reviveDates)) as (typeof contacts.$inferInsert)[],
          snaps.flatMap((s) => s.phones) as (typeof contactPhones.$inferInsert)[],
          snaps.flatMap((s) => s.emails) as (typeof contactEmails.$inferInsert)[],
        );
      }
      await tx
        .update(importBatches)
        .set({ status: 'undone', undoneAt: new Date(), undoneBy })
        .where(eq(importBatches.id, batchId));
    });
  }
}

const DATE_COLUMNS = new Set(['createdAt', 'updatedAt', 'deletedAt']);

/** Snapshots went through JSON; timestamps come back as strings. */
function reviveDates<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const k of Object.keys(out))
    if (DATE_COLUMNS.has(k) && typeof out[k] === 'string') out[k] = new Date(out[k] as string);
  return out as T;
}

/** What to add to a stored customer: new people, and new numbers and addresses of known ones. */
function newContactsFor(
  incoming: NewContact[],
  before: Snapshot | undefined,
): {
  fresh: NewContact[];
  additions: { contactId: string; phones: NewContact['phones']; emails: string[] }[];
} {
  const phones = new Set((before?.phones ?? []).map((p) => String(p.e164)));
  const emails = new Set((before?.emails ?? []).map((e) => String(e.emailLower)));
  const fresh: NewContact[] = [];
  const additions: { contactId: string; phones: NewContact['phones']; emails: string[] }[] = [];
  for (const c of incoming) {
    const add = {
      phones: c.phones.filter((p) => !phones.has(p.e164)),
      emails: c.emails.filter((e) => !emails.has(e.toLowerCase())),
    };
    const known = (before?.contacts ?? []).find((k) => k.name === c.name);
    if (!known) fresh.push({ ...c, ...add });
    else if (add.phones.length > 0 || add.emails.length > 0)
      additions.push({ contactId: String(known.id), ...add });
  }
  return { fresh, additions };
}
