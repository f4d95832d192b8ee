/** Turns contact input (phones in any written form, e-mails) into rows, naming each bad field. */
import type { FieldError } from '../../shared/index.ts';
import { parseContactPhone } from '../phones/contact-phone.ts';
import type { ContactInput } from './customer.schemas.ts';
import type { NewContact } from './customer-writer.ts';

export function contactRows(
  input: ContactInput[],
  errors: FieldError[],
  fieldPrefix = 'contacts',
): NewContact[] {
  return input.map((c, ci) => ({
    name: c.name,
    title: c.title ?? null,
    phones: (c.phones ?? []).flatMap((raw, pi) => {
      const phone = parseContactPhone(raw);
      if (!phone) {
        errors.push({ field: `${fieldPrefix}.${ci}.phones.${pi}`, message: `not a phone number: ${raw}` });
        return [];
      }
      return [phone];
    }),
    emails: [...new Set((c.emails ?? []).map((e) => e.trim()))],
  }));
}
