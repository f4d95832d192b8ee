import { randomBytes } from 'node:crypto';

/** Prefixed, time-sortable IDs: `cus_` + 10 hex chars of milliseconds + 12 random hex chars. */
export function newId(prefix: string): string {
  const time = Date.now().toString(16).padStart(12, '0');
  return `${prefix}_${time}${randomBytes(6).toString('hex')}`;
}
