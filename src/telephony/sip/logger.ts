/**
 * Minimal structured logger the stack writes to (pino-compatible argument order). Phone
 * numbers are personal data: everything we log about callers goes through `maskNumber`.
 */
export interface SipLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export const silentLogger: SipLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Mask every run of 5+ digits except its last four: `+8613812345678` → `+*********5678`. */
export function maskNumber(text: string | undefined): string {
  if (text === undefined) return '';
  return text.replace(/\d{5,}/g, (digits) => '*'.repeat(digits.length - 4) + digits.slice(-4));
}

/**
 * Mask numbers in a SIP URI or header value, e.g. `sip:13812345678@host` → `sip:*******5678@host`.
 * Credentials are never passed here: Authorization headers are not logged at all.
 */
export function maskUri(text: string | undefined): string {
  if (text === undefined) return '';
  return text
    .replace(/(sips?:)([^@;>\s]+)@/gi, (_m, scheme: string, user: string) => `${scheme}${maskNumber(user)}@`)
    .replace(/(tel:)([^;>\s]+)/gi, (_m, scheme: string, number: string) => `${scheme}${maskNumber(number)}`);
}
