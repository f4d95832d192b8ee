import type { FieldError } from '../api/types';

export type FieldPath = (string | number)[];

/**
 * Turns a server field name ("contacts.0.phones.1", "contacts[0].phones[1]" or "/contacts/0/name")
 * into an antd form path (['contacts', 0, 'phones', 1]).
 */
export function toFieldPath(field: string): FieldPath {
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\//g, '.')
    .split('.')
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export interface SplitFieldErrors<P extends FieldPath> {
  /** Errors that belong to an input the form shows. */
  placed: { name: P; errors: string[] }[];
  /** Errors with no matching input (whole-list errors, unknown fields): shown above the form. */
  general: string[];
}

/** `isField` says whether the form has an input at that path. Messages for the same field are merged. */
export function splitFieldErrors<P extends FieldPath>(
  fields: FieldError[],
  isField: (path: FieldPath) => path is P,
): SplitFieldErrors<P> {
  const placed = new Map<string, { name: P; errors: string[] }>();
  const general: string[] = [];
  for (const { field, message } of fields) {
    const path = toFieldPath(field);
    if (path.length > 0 && isField(path)) {
      const key = path.join('.');
      const entry = placed.get(key) ?? { name: path, errors: [] };
      entry.errors.push(message);
      placed.set(key, entry);
    } else {
      general.push(field ? `${field}: ${message}` : message);
    }
  }
  return { placed: [...placed.values()], general };
}
