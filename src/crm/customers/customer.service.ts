import { AppError, type FieldError } from '../../shared/index.ts';
import { normalizePhone } from '../phones/phone-number.ts';
import { CustomerRepository } from './customer.repository.ts';
import {
  createCustomerInput,
  type CreateCustomerInput,
  type CustomerCard,
  type CustomerQuery,
  type CustomerView,
} from './customer.schemas.ts';
import type { Db } from '../../store/index.ts';

export interface CallerLookup {
  /** The caller's number in E.164, or null when it could not be read as a number. */
  e164: string | null;
  /** Every customer with a contact owning the number; 0, 1 or many (CC-12). */
  matches: CustomerCard[];
}

export class CustomerService {
  private readonly repo: CustomerRepository;

  constructor(db: Db) {
    this.repo = new CustomerRepository(db);
  }

  async create(input: CreateCustomerInput): Promise<CustomerView> {
    const parsed = createCustomerInput.safeParse(input);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
      throw new AppError('validation', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
    }
    const fieldErrors: FieldError[] = [];
    const contactRows = parsed.data.contacts.map((c, ci) => ({
      name: c.name,
      title: c.title ?? null,
      phones: c.phones.flatMap((raw, pi) => {
        const n = normalizePhone(raw);
        if (!n) {
          fieldErrors.push({ field: `contacts.${ci}.phones.${pi}`, message: `not a phone number: ${raw}` });
          return [];
        }
        return [{ e164: n.e164, raw }];
      }),
    }));
    if (fieldErrors.length > 0) {
      throw new AppError(
        'validation',
        fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; '),
        fieldErrors,
      );
    }
    const id = await this.repo.insert({
      name: parsed.data.name,
      kind: parsed.data.kind,
      tier: parsed.data.tier ?? null,
      contacts: contactRows,
    });
    const [view] = await this.repo.findByIds([id]);
    if (!view) throw new Error(`customer ${id} vanished after insert`);
    return view;
  }

  async list(query: CustomerQuery): Promise<CustomerView[]> {
    if (query.phone !== undefined) {
      const n = normalizePhone(query.phone);
      if (n?.valid) {
        const hits = await this.repo.findByPhone(n.e164);
        const ids = [...new Set(hits.map((h) => h.customerId))].slice(
          query.offset,
          query.offset + query.limit,
        );
        return this.repo.findByIds(ids);
      }
      // A partial number ("137 0013") finds every phone containing those digits.
      const digits = query.phone.replace(/\D/g, '');
      if (digits.length < 3) {
        throw new AppError('validation', 'phone: give at least 3 digits', [
          { field: 'phone', message: 'give at least 3 digits' },
        ]);
      }
      return this.repo.findByIds(await this.repo.searchPhoneDigits(digits, query.limit, query.offset));
    }
    return this.repo.findByIds(await this.repo.search(query.q, query.limit, query.offset));
  }

  /** Screen-pop lookup by caller ID in any written form. */
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
}
