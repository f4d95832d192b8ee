/**
 * Writes customers with their contacts, phones and e-mails in few statements, for one customer
 * (create) and for thousands (import): rows are gathered first, then inserted in chunks.
 */
import { eq, inArray } from 'drizzle-orm';
import { newId, tables, type Db } from '../../store/index.ts';
import type { ContactPhone } from '../phones/contact-phone.ts';

const { customers, contacts, contactPhones, contactEmails } = tables;

export type CustomerRow = typeof customers.$inferInsert;

export interface NewContact {
  name: string;
  title: string | null;
  phones: ContactPhone[];
  emails: string[];
}

export interface NewCustomer {
  customer: Omit<CustomerRow, 'id'> & { id?: string };
  contacts: NewContact[];
}

/** Postgres takes at most 65,535 parameters per statement; chunks stay well below. */
const CHUNK = 500;

export async function insertChunked<T>(insert: (rows: T[]) => Promise<unknown>, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** Inserts the customers and returns their IDs in input order. Run inside a transaction. */
export async function insertCustomers(db: Db, list: NewCustomer[]): Promise<string[]> {
  const customerRows: CustomerRow[] = [];
  const contactRows: (typeof contacts.$inferInsert)[] = [];
  const phoneRows: (typeof contactPhones.$inferInsert)[] = [];
  const emailRows: (typeof contactEmails.$inferInsert)[] = [];
  const ids: string[] = [];
  for (const item of list) {
    const id = item.customer.id ?? newId('cus');
    ids.push(id);
    customerRows.push({ ...item.customer, id });
    gatherContacts(id, item.contacts, contactRows, phoneRows, emailRows);
  }
  await insertChunked((r) => db.insert(customers).values(r), customerRows);
  await insertContactRows(db, contactRows, phoneRows, emailRows);
  return ids;
}

export async function addContacts(db: Db, customerId: string, list: NewContact[]): Promise<void> {
  const contactRows: (typeof contacts.$inferInsert)[] = [];
  const phoneRows: (typeof contactPhones.$inferInsert)[] = [];
  const emailRows: (typeof contactEmails.$inferInsert)[] = [];
  gatherContacts(customerId, list, contactRows, phoneRows, emailRows);
  await insertContactRows(db, contactRows, phoneRows, emailRows);
}

/** New phones and e-mails for a contact the customer already has. */
export async function addToContact(
  db: Db,
  customerId: string,
  contactId: string,
  add: { phones: ContactPhone[]; emails: string[] },
): Promise<void> {
  const phoneRows: (typeof contactPhones.$inferInsert)[] = [];
  const emailRows: (typeof contactEmails.$inferInsert)[] = [];
  gatherContacts(customerId, [{ name: '', title: null, ...add }], [], phoneRows, emailRows);
  for (const r of [...phoneRows, ...emailRows]) r.contactId = contactId;
  await insertContactRows(db, [], phoneRows, emailRows);
}

/** Replaces every contact of the customers (update with a contact list, undo of an import). */
export async function deleteContacts(db: Db, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await db.delete(contacts).where(inArray(contacts.customerId, customerIds));
}

export async function insertContactRows(
  db: Db,
  contactRows: (typeof contacts.$inferInsert)[],
  phoneRows: (typeof contactPhones.$inferInsert)[],
  emailRows: (typeof contactEmails.$inferInsert)[],
): Promise<void> {
  await insertChunked((r) => db.insert(contacts).values(r), contactRows);
  await insertChunked((r) => db.insert(contactPhones).values(r), phoneRows);
  await insertChunked((r) => db.insert(contactEmails).values(r), emailRows);
}

function gatherContacts(
  customerId: string,
  list: NewContact[],
  contactRows: (typeof contacts.$inferInsert)[],
  phoneRows: (typeof contactPhones.$inferInsert)[],
  emailRows: (typeof contactEmails.$inferInsert)[],
): void {
  for (const c of list) {
    const contactId = newId('con');
    contactRows.push({ id: contactId, customerId, name: c.name, title: c.title });
    for (const p of c.phones) {
      phoneRows.push({
        id: newId('cph'),
        contactId,
        customerId,
        e164: p.e164,
        raw: p.raw,
        digits: p.digits,
        kind: p.kind,
        extension: p.extension,
      });
    }
    for (const email of c.emails) {
      emailRows.push({ id: newId('cem'), contactId, customerId, email, emailLower: email.toLowerCase() });
    }
  }
}

export async function updateCustomerRow(
  db: Db,
  id: string,
  set: Partial<Omit<CustomerRow, 'id' | 'createdAt'>>,
): Promise<void> {
  await db
    .update(customers)
    .set({ updatedAt: new Date(), ...set })
    .where(eq(customers.id, id));
}
