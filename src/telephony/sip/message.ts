import { splitOutsideQuotes } from './params.ts';

/**
 * SIP messages (RFC 3261 §7). Headers are an ordered list because order matters for Via,
 * Route and Record-Route (§7.3.1) and because a proxy-friendly stack must not reorder what it
 * relays; lookups are case-insensitive and understand the compact forms of §7.3.3.
 */

/** Compact header names (RFC 3261 §7.3.3 and later RFCs' registrations). */
const COMPACT_FORMS: Readonly<Record<string, string>> = {
  i: 'call-id',
  m: 'contact',
  f: 'from',
  t: 'to',
  v: 'via',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
  o: 'event',
  u: 'allow-events',
  r: 'refer-to',
  b: 'referred-by',
  x: 'session-expires',
};

/**
 * Headers whose values are comma-separated lists (§7.3.1: such a header may be split over
 * several lines or combined on one). WWW-Authenticate and friends are deliberately absent:
 * their commas separate auth-params, not values.
 */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'via',
  'contact',
  'route',
  'record-route',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'accept',
  'accept-encoding',
  'accept-language',
  'content-encoding',
  'allow-events',
  'in-reply-to',
  'call-info',
  'alert-info',
  'error-info',
  'warning',
]);

/** Canonical lower-case long form used for comparisons. */
export function headerKey(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT_FORMS[lower] ?? lower;
}

export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

export class SipHeaders {
  private fields: HeaderField[] = [];

  constructor(fields: Iterable<readonly [string, string]> = []) {
    for (const [name, value] of fields) this.fields.push({ name, value });
  }

  /** First field value with this name (compact forms match their long forms). */
  get(name: string): string | undefined {
    const key = headerKey(name);
    return this.fields.find((f) => headerKey(f.name) === key)?.value;
  }

  /**
   * Every value for `name`: one per header line, and for list headers (§7.3.1) each
   * comma-separated element separately, so `Via: a, b` and two Via lines look the same.
   */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const lines = this.fields.filter((f) => headerKey(f.name) === key).map((f) => f.value);
    if (!LIST_HEADERS.has(key)) return lines;
    return lines.flatMap((line) =>
      splitOutsideQuotes(line, ',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    );
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  append(name: string, value: string): this {
    this.fields.push({ name, value });
    return this;
  }

  /** Insert before every other field; how a new top Via is added (§8.1.1.7). */
  prepend(name: string, value: string): this {
    this.fields.unshift({ name, value });
    return this;
  }

  /** Replace all fields with this name by one, keeping the position of the first. */
  set(name: string, value: string): this {
    const key = headerKey(name);
    const index = this.fields.findIndex((f) => headerKey(f.name) === key);
    if (index === -1) return this.append(name, value);
    this.fields = this.fields.filter((f, i) => i === index || headerKey(f.name) !== key);
    this.fields[index] = { name: this.fields[index]?.name ?? name, value };
    return this;
  }

  delete(name: string): this {
    const key = headerKey(name);
    this.fields = this.fields.filter((f) => headerKey(f.name) !== key);
    return this;
  }

  /** Remove only the first element of a (possibly combined) list header, e.g. the top Via. */
  removeFirstValue(name: string): this {
    const key = headerKey(name);
    const index = this.fields.findIndex((f) => headerKey(f.name) === key);
    const field = this.fields[index];
    if (field === undefined) return this;
    const rest = splitOutsideQuotes(field.value, ',').slice(1);
    if (rest.length === 0) this.fields.splice(index, 1);
    else this.fields[index] = { name: field.name, value: rest.join(',').trim() };
    return this;
  }

  /** Replace only the first element of a list header, e.g. stamping `received` on the top Via. */
  replaceFirstValue(name: string, value: string): this {
    const key = headerKey(name);
    const index = this.fields.findIndex((f) => headerKey(f.name) === key);
    const field = this.fields[index];
    if (field === undefined) return this.append(name, value);
    const rest = splitOutsideQuotes(field.value, ',').slice(1);
    this.fields[index] = { name: field.name, value: [value, ...rest.map((v) => v.trim())].join(', ') };
    return this;
  }

  entries(): readonly HeaderField[] {
    return this.fields;
  }

  clone(): SipHeaders {
    return new SipHeaders(this.fields.map((f) => [f.name, f.value] as const));
  }
}

export interface SipRequest {
  readonly kind: 'request';
  method: string;
  /** Request-URI as text; it may be a non-SIP URI (tel:, urn:), so it is parsed on demand. */
  uri: string;
  headers: SipHeaders;
  body: Buffer;
}

export interface SipResponse {
  readonly kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export function createRequest(
  method: string,
  uri: string,
  headers: Iterable<readonly [string, string]> = [],
  body: Buffer | string = Buffer.alloc(0),
): SipRequest {
  return {
    kind: 'request',
    method,
    uri,
    headers: new SipHeaders(headers),
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  };
}

export function isRequest(message: SipMessage): message is SipRequest {
  return message.kind === 'request';
}

export function startLine(message: SipMessage): string {
  return message.kind === 'request'
    ? `${message.method} ${message.uri} SIP/2.0`
    : `SIP/2.0 ${message.status} ${message.reason}`;
}

/**
 * Wire form with CRLF line ends. Content-Length is always recomputed from the body: it is
 * mandatory on stream transports (§18.3, §20.14) and a stale value corrupts framing.
 */
export function serialize(message: SipMessage): Buffer {
  const headers = message.headers.clone().set('Content-Length', String(message.body.length));
  let head = `${startLine(message)}\r\n`;
  for (const field of headers.entries()) head += `${field.name}: ${field.value}\r\n`;
  head += '\r\n';
  return Buffer.concat([Buffer.from(head, 'utf8'), message.body]);
}
