/**
 * Customers and their contacts (CRM-01, CRM-02, CRM-12): every read and write goes through the
 * caller's data scope, so a record outside it is "not found" rather than forbidden.
 */
import { AppError, notFound, type FieldError } from '../../shared/index.ts';
import { tables, type Db } from '../../store/index.ts';
import { and, eq } from 'drizzle-orm';
import { normalizePhone } from '../phones/phone-number.ts';
import { OrgRepository } from '../org/org.repository.ts';
import { DataScopes, systemActor, type Actor } from '../scopes/data-scopes.ts';
import { contactRows } from './contact-input.ts';
import { CustomerRepository, type CustomerFilter } from './customer.repository.ts';
import {
  contactInput,
  createCustomerInput,
  customerQuery,
  updateCustomerInput,
  type ContactInput,
  type CreateCustomerInput,
  type CustomerCard,
  type CustomerQuery,
  type CustomerView,
  type DuplicateCandidate,
  type UpdateCustomerInput,
} from './customer.schemas.ts';
import { addContacts, deleteContacts, insertCustomers, updateCustomerRow } from './customer-writer.ts';
import { findDuplicates, nameKey, type DuplicateProbe } from './duplicates.ts';

export interface CallerLookup {
  /** The caller's number in E.164, or null when it could not be read as a number. */
  e164: string | null;
  /** Every customer with a contact owning the number; 0, 1 or many (CC-12). */
  matches: CustomerCard[];
}

export interface CustomerPage {
  items: CustomerView[];
  total: number;
}

function validationError(fields: FieldError[]): AppError {
  return new AppError('validation', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
}

/** Thrown when a new customer resembles existing ones; the route answers 409 with the candidates. */
export class DuplicateCustomerError extends AppError {
  constructor(readonly candidates: DuplicateCandidate[]) {
    super('conflict', `possible duplicate of ${candidates.map((c) => c.name).join(', ')}`);
  }
}

export class CustomerService {
  private readonly repo: CustomerRepository;
  readonly scopes: DataScopes;
  private readonly org: OrgRepository;

  constructor(private readonly db: Db) {
    this.repo = new CustomerRepository(db);
    this.scopes = new DataScopes(db);
    this.org = new OrgRepository(db);
  }

  async create(
    input: CreateCustomerInput,
    actor: Actor = systemActor,
    options: { checkDuplicates?: boolean } = {},
  ): Promise<CustomerView> {
    const parsed = createCustomerInput.safeParse(input);
    if (!parsed.success)
      throw validationError(
        parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      );
    const data = parsed.data;
    const fieldErrors: FieldError[] = [];
    const contacts = contactRows(data.contacts, fieldErrors);
    if (fieldErrors.length > 0) throw validationError(fieldErrors);
    if (options.checkDuplicates && !data.allowDuplicate) {
      const candidates = await findDuplicates(this.db, {
        name: data.name,
        phones: contacts.flatMap((c) => c.phones.map((p) => p.e164)),
        emails: contacts.flatMap((c) => c.emails),
        creditCode: data.creditCode,
        externalId: data.externalId,
      });
      if (candidates.length > 0) throw new DuplicateCustomerError(candidates);
    }
    const owner = await this.ownerOf(data.ownerId, actor);
    const [id] = await this.db.transaction((tx) =>
      insertCustomers(tx, [
        {
          customer: {
            name: data.name,
            nameKey: nameKey(data.name),
            kind: data.kind,
            tier: data.tier ?? null,
            relationshipType: data.relationshipType,
            lifecycleStage: data.lifecycleStage,
            industry: data.industry ?? null,
            region: data.region ?? null,
            creditCode: data.creditCode ?? null,
            externalId: data.externalId ?? null,
            ownerUserId: owner.userId,
            departmentId: owner.departmentId,
            customFields: data.customFields ?? {},
          },
          contacts,
        },
      ]),
    );
    const [view] = await this.repo.findByIds([id!]);
    if (!view) throw new Error(`customer ${id} vanished after insert`);
    return view;
  }

  /** The owner a new customer gets: the one named, else the creating user; with their department. */
  private async ownerOf(
    ownerId: string | null | undefined,
    actor: Actor,
    field = 'ownerId',
  ): Promise<{ userId: string | null; departmentId: string | null }> {
    const userId = ownerId ?? ('system' in actor ? null : actor.id);
    if (!userId) return { userId: null, departmentId: null };
    const [row] = await this.db
      .select({ id: tables.users.id, departmentId: tables.users.departmentId })
      .from(tables.users)
      .where(eq(tables.users.id, userId));
    if (!row) throw validationError([{ field, message: `no user ${userId}` }]);
    return { userId: row.id, departmentId: row.departmentId };
  }

  async duplicates(probe: DuplicateProbe): Promise<DuplicateCandidate[]> {
    return findDuplicates(this.db, probe);
  }

  async get(id: string, actor: Actor = systemActor): Promise<CustomerView> {
    const found = await this.repo.idInScope(id, await this.scopes.customerCondition(actor, 'view'));
    const [view] = found ? await this.repo.findByIds([found]) : [];
    if (!view) throw notFound(`customer ${id}`);
    return view;
  }

  async update(id: string, input: UpdateCustomerInput, actor: Actor = systemActor): Promise<CustomerView> {
    const parsed = updateCustomerInput.safeParse(input);
    if (!parsed.success)
      throw validationError(
        parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      );
    const data = parsed.data;
    if (!(await this.repo.idInScope(id, await this.scopes.customerCondition(actor, 'edit'))))
      throw notFound(`customer ${id}`);
    const fieldErrors: FieldError[] = [];
    const contacts = data.contacts ? contactRows(data.contacts, fieldErrors) : null;
    if (fieldErrors.length > 0) throw validationError(fieldErrors);
    const { contacts: _c, ownerId, ...fields } = data;
    const set: Parameters<typeof updateCustomerRow>[2] = { ...fields };
    if (fields.name) set.nameKey = nameKey(fields.name);
    if (ownerId !== undefined) {
      const owner = await this.ownerOf(ownerId, actor);
      set.ownerUserId = owner.userId;
      set.departmentId = owner.departmentId;
    }
    await this.db.transaction(async (tx) => {
      await updateCustomerRow(tx, id, set);
      if (contacts) {
        await deleteContacts(tx, [id]);
        await addContacts(tx, id, contacts);
      }
    });
    return this.get(id);
  }

  async addContact(
    customerId: string,
    input: ContactInput,
    actor: Actor = systemActor,
  ): Promise<CustomerView> {
    const parsed = contactInput.safeParse(input);
    if (!parsed.success)
      throw validationError(
        parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      );
    if (!(await this.repo.idInScope(customerId, await this.scopes.customerCondition(actor, 'edit'))))
      throw notFound(`customer ${customerId}`);
    const fieldErrors: FieldError[] = [];
    const [contact] = contactRows([parsed.data], fieldErrors, 'contact');
    if (fieldErrors.length > 0)
      throw validationError(fieldErrors.map((f) => ({ ...f, field: f.field.replace(/^contact\.0\./, '') })));
    await addContacts(this.db, customerId, [contact!]);
    await updateCustomerRow(this.db, customerId, {});
    return this.get(customerId);
  }

  async removeContact(customerId: string, contactId: string, actor: Actor = systemActor): Promise<void> {
    if (!(await this.repo.idInScope(customerId, await this.scopes.customerCondition(actor, 'edit'))))
      throw notFound(`customer ${customerId}`);
    const removed = await this.db
      .delete(tables.contacts)
      .where(and(eq(tables.contacts.id, contactId), eq(tables.contacts.customerId, customerId)))
      .returning({ id: tables.contacts.id });
    if (removed.length === 0) throw notFound(`contact ${contactId}`);
  }

  /** Soft delete: the customer disappears from lists and lookups but stays for audit. */
  async remove(id: string, actor: Actor = systemActor): Promise<void> {
    if (!(await this.repo.idInScope(id, await this.scopes.customerCondition(actor, 'delete'))))
      throw notFound(`customer ${id}`);
    await updateCustomerRow(this.db, id, { deletedAt: new Date() });
  }

  /**
   * Assign or transfer customers to `toOwnerId`, singly or in bulk: the IDs given, or every customer
   * of `fromOwnerId`. Only customers in the caller's edit scope move; returns their IDs.
   */
  async transfer(
    input: { customerIds?: string[]; fromOwnerId?: string; toOwnerId: string },
    actor: Actor = systemActor,
  ): Promise<string[]> {
    if (!input.customerIds && !input.fromOwnerId)
      throw validationError([{ field: 'customerIds', message: 'give customerIds or fromOwnerId' }]);
    const scope = await this.scopes.customerCondition(actor, 'edit');
    const owner = await this.ownerOf(input.toOwnerId, systemActor, 'toOwnerId');
    const ids = input.customerIds
      ? await this.repo.idsInScope(input.customerIds, scope)
      : await this.repo.idsOfOwner(input.fromOwnerId!, scope);
    if (input.customerIds && ids.length < new Set(input.customerIds).size) {
      const missing = input.customerIds.filter((id) => !ids.includes(id));
      throw new AppError('not_found', `customer ${missing[0]} not found`);
    }
    await this.db.transaction(async (tx) => {
      for (const id of ids)
        await updateCustomerRow(tx, id, {
          ownerUserId: owner.userId,
          departmentId: owner.departmentId,
        });
    });
    return ids;
  }

  /** One page of customers in the actor's view scope, with the total for the pager. */
  async page(
    query: CustomerQuery,
    actor: Actor = systemActor,
    action: 'view' | 'export' = 'view',
  ): Promise<CustomerPage> {
    const q = customerQuery.parse(query);
    const filter: CustomerFilter = { ...q };
    if (q.phone !== undefined) {
      const n = normalizePhone(q.phone);
      if (n?.valid) filter.phoneE164 = n.e164;
      else {
        // A partial number ("137 0013") finds every phone containing those digits.
        const digits = q.phone.replace(/\D/g, '');
        if (digits.length < 3) throw validationError([{ field: 'phone', message: 'give at least 3 digits' }]);
        filter.phoneDigits = digits;
      }
    }
    const scope = await this.scopes.customerCondition(actor, action);
    const { ids, total } = await this.repo.search(filter, scope, q);
    return { items: await this.repo.findByIds(ids), total };
  }

  async list(query: CustomerQuery, actor: Actor = systemActor): Promise<CustomerView[]> {
    return (await this.page(query, actor)).items;
  }

  /** Screen-pop lookup by caller ID in any written form; every live customer, whoever owns it. */
  async lookupCaller(callerNumber: string): Promise<CallerLookup> {
    const n = normalizePhone(callerNumber);
    if (!n) return { e164: null, matches: [] };
    const hits = await this.repo.findByPhone(n.e164);
    const views = await this.repo.findByIds([...new Set(hits.map((h) => h.customerId))]);
    const matches = views.map(({ createdAt: _createdAt, ...v }) => ({
      ...v,
      matchedContactId: hits.find((h) => h.customerId === v.id)?.contactId ?? null,
    }));
    return { e164: n.e164, matches };
  }

  get organisation(): OrgRepository {
    return this.org;
  }
}
