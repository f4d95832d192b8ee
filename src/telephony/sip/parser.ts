import { parseCSeq } from './cseq.ts';
import { SipHeaders, headerKey, type SipMessage } from './message.ts';
import { parseNameAddr } from './name-addr.ts';
import { parseUri } from './uri.ts';
import { parseVia } from './via.ts';

/**
 * Message parser (RFC 3261 §7, §25). Total: it returns a typed error for any input and never
 * throws, because it runs on bytes from the network. When a request is malformed but its
 * Via/From/To/Call-ID/CSeq are readable it returns them as `partial`, enough to answer with
 * 400 (§21.4.1) rather than leaving the client retransmitting into silence.
 */

export type ParseErrorCode =
  | 'empty'
  | 'no-header-end'
  | 'bad-start-line'
  | 'unsupported-version'
  | 'bad-header-line'
  | 'missing-header'
  | 'bad-header-value'
  | 'content-length'
  | 'too-large'
  | 'internal';

export interface ParseError {
  code: ParseErrorCode;
  message: string;
}

/** Raw fields of a malformed request, for building an error response (§8.2.6). */
export interface PartialRequest {
  method: string;
  uri: string;
  via: string[];
  from: string;
  to: string;
  callId: string;
  cseq: string;
  /** Which error response fits: 505 for a bad SIP version (§8.2.2.1 … §21.5.6), else 400. */
  status: 400 | 505;
}

export type ParseResult =
  { ok: true; message: SipMessage } | { ok: false; error: ParseError; partial?: PartialRequest };

export interface ParseOptions {
  /** Upper bound for the header section; beyond it the message is rejected. */
  maxHeaderBytes?: number;
  /**
   * Upper bound for the number of header fields. Every later header lookup scans the fields, so
   * a datagram of 16 000 one-letter headers would cost the whole stack milliseconds per lookup.
   */
  maxHeaderFields?: number;
}

export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
export const DEFAULT_MAX_HEADER_FIELDS = 500;

const METHOD = /^[A-Za-z0-9.!%*_+`'~-]+$/;
const HEADER_NAME = /^[A-Za-z0-9.!%*_+`'~-]+$/;
const REQUEST_LINE = /^(\S+) (\S+) SIP\/(\S+)$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
/** A CR that does not start a line end: never legal outside the body (§7.3.1, §25.1). */
const BARE_CR = /\r(?!\n)/;
const CALL_ID = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+(@[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+)?$/;
// `s`: a reason phrase may hold any UTF-8 text (§25.1), including U+2028/U+2029, which `.` skips.
const STATUS_LINE = /^SIP\/(\d+\.\d+) (\d{3})(?: (.*))?$/s;

export function parseMessage(buf: Buffer, options: ParseOptions = {}): ParseResult {
  try {
    return parseUnchecked(
      buf,
      options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
      options.maxHeaderFields ?? DEFAULT_MAX_HEADER_FIELDS,
    );
  } catch (cause) {
    // Defence in depth only: the property tests assert this branch is never taken.
    return { ok: false, error: { code: 'internal', message: String(cause) } };
  }
}

function fail(code: ParseErrorCode, message: string): ParseResult {
  return { ok: false, error: { code, message } };
}

/** Index of the blank line ending the header section, tolerating bare LF line ends. */
function findHeaderEnd(buf: Buffer, from: number): { end: number; bodyStart: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n', from, 'latin1');
  const lf = buf.indexOf('\n\n', from, 'latin1');
  if (crlf === -1 && lf === -1) return undefined;
  if (lf !== -1 && (crlf === -1 || lf < crlf)) return { end: lf, bodyStart: lf + 2 };
  return { end: crlf, bodyStart: crlf + 4 };
}

function parseUnchecked(buf: Buffer, maxHeaderBytes: number, maxHeaderFields: number): ParseResult {
  // §7.5: implementations SHOULD ignore CRLFs preceding the start line.
  let start = 0;
  while (start < buf.length && (buf[start] === 0x0d || buf[start] === 0x0a)) start++;
  if (start >= buf.length) return fail('empty', 'no data');

  const located = findHeaderEnd(buf, start);
  // A datagram without the blank line is treated as headers only; stream framing is stricter.
  const headerEnd = located?.end ?? buf.length;
  const bodyStart = located?.bodyStart ?? buf.length;
  if (headerEnd - start > maxHeaderBytes) return fail('too-large', 'header section too large');
  // A CR right before the blank line belongs to a mixed "\r\n\n" ending, not to a header value.
  const textEnd = headerEnd > start && buf[headerEnd - 1] === 0x0d ? headerEnd - 1 : headerEnd;
  const headerText = buf.toString('utf8', start, textEnd);
  const lines = unfold(headerText.split(/\r?\n/));
  const first = lines.shift() ?? '';

  let kind: 'request' | 'response';
  let method = '';
  let uri = '';
  let status = 0;
  let reason = '';
  let firstError: ParseError | undefined;
  let errorStatus: 400 | 505 = 400;

  const statusMatch = STATUS_LINE.exec(first);
  const requestMatch = statusMatch === null ? REQUEST_LINE.exec(first) : null;
  if (statusMatch !== null) {
    kind = 'response';
    status = Number(statusMatch[2]);
    reason = statusMatch[3] ?? '';
    if (statusMatch[1] !== '2.0') return fail('unsupported-version', `SIP/${statusMatch[1]}`);
    if (status < 100 || status > 699) return fail('bad-start-line', `status ${status}`);
  } else if (requestMatch !== null) {
    kind = 'request';
    method = requestMatch[1] as string;
    uri = requestMatch[2] as string;
    if (!METHOD.test(method)) return fail('bad-start-line', 'bad method token');
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) || (/^sips?:/i.test(uri) && parseUri(uri) === undefined)) {
      firstError = { code: 'bad-start-line', message: 'bad Request-URI' };
    }
    if (requestMatch[3] !== '2.0') {
      firstError = { code: 'unsupported-version', message: `SIP/${requestMatch[3]}` };
      errorStatus = 505;
    }
  } else {
    return fail('bad-start-line', 'not a SIP start line');
  }

  // §25.1: outside the body only HTAB, and CR and LF as a line end, of the control characters may
  // appear. A bare CR would survive into a header value and split it wherever it is relayed.
  if (CONTROL_CHARS.test(headerText) || BARE_CR.test(headerText))
    firstError ??= { code: 'bad-header-line', message: 'control character in header' };

  const headers = new SipHeaders();
  let fields = 0;
  for (const line of lines) {
    if (++fields > maxHeaderFields) {
      firstError ??= { code: 'too-large', message: 'too many header fields' };
      break;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : trimLws(line.slice(0, colon));
    if (colon === -1 || !HEADER_NAME.test(name)) {
      firstError ??= { code: 'bad-header-line', message: 'malformed header line' };
      continue;
    }
    headers.append(name, trimLws(line.slice(colon + 1)));
  }

  firstError ??= validateHeaders(headers, kind, method);

  let body = buf.subarray(bodyStart);
  const contentLength = headers.get('content-length');
  if (contentLength !== undefined && firstError === undefined) {
    if (!/^\d{1,10}$/.test(contentLength)) {
      firstError = { code: 'content-length', message: 'bad Content-Length' };
    } else if (Number(contentLength) > body.length) {
      firstError = { code: 'content-length', message: 'body shorter than Content-Length' };
    } else {
      // §18.3: octets beyond Content-Length in a datagram MUST be discarded.
      body = body.subarray(0, Number(contentLength));
    }
  }

  if (firstError !== undefined) {
    const result: ParseResult = { ok: false, error: firstError };
    if (kind === 'request' && method !== 'ACK') {
      const partial = partialOf(headers, method, uri, errorStatus);
      if (partial !== undefined) result.partial = partial;
    }
    return result;
  }

  // Copy the body so the message does not pin a large receive buffer.
  const ownBody = Buffer.from(body);
  const message: SipMessage =
    kind === 'request'
      ? { kind, method, uri, headers, body: ownBody }
      : { kind, status, reason, headers, body: ownBody };
  return { ok: true, message };
}

/**
 * Strip linear white space (§25.1 LWS: SP and HTAB) from both ends. String.prototype.trim would
 * also eat Unicode spaces that belong to a value, e.g. a trailing U+3000 in a Chinese Subject.
 * A loop, not a regex: `/[ \t]+$/` is quadratic on long inner runs of spaces.
 */
function trimLws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * §7.3.1: a line starting with whitespace continues the previous header value. Continuations are
 * collected and joined once: appending to the growing line each time made thousands of folds in
 * one datagram quadratic (found by fuzzing: 30 ms for a 64 KiB message).
 */
function unfold(rawLines: string[]): string[] {
  const groups: { first: string; parts: string[]; folded: boolean; trailingBlank: boolean }[] = [];
  for (const raw of rawLines) {
    const last = groups[groups.length - 1];
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && last !== undefined) {
      const part = trimLws(raw);
      last.folded = true;
      last.trailingBlank = part === '';
      if (part !== '') last.parts.push(part);
    } else if (trimLws(raw) !== '') {
      groups.push({ first: raw, parts: [], folded: false, trailingBlank: false });
    }
  }
  // Same text as joining one fold at a time: single spaces between the trimmed pieces, and a
  // trailing space when the last continuation was blank.
  return groups.map((g) => {
    if (!g.folded) return g.first;
    const joined = [trimLws(g.first), ...g.parts].join(' ');
    return g.trailingBlank ? `${joined} ` : joined;
  });
}

/** §8.1.1: To, From, CSeq, Call-ID, Max-Forwards and Via are the minimum; Max-Forwards is tolerated missing. */
function validateHeaders(
  headers: SipHeaders,
  kind: 'request' | 'response',
  method: string,
): ParseError | undefined {
  for (const name of ['via', 'from', 'to', 'call-id', 'cseq']) {
    if (!headers.has(name)) return { code: 'missing-header', message: `missing ${name}` };
  }
  // §25.1: callid = word [ "@" word ]; a word is printable ASCII without separators like SP.
  if (!CALL_ID.test(headers.get('call-id') as string)) {
    return { code: 'bad-header-value', message: 'bad Call-ID' };
  }
  const cseq = parseCSeq(headers.get('cseq') as string);
  if (cseq === undefined) return { code: 'bad-header-value', message: 'bad CSeq' };
  // §8.2 and RFC 4475 §3.1.2.11: the CSeq method must match the request method.
  if (kind === 'request' && cseq.method !== method) {
    return { code: 'bad-header-value', message: 'CSeq method does not match' };
  }
  // A top Via from anything but a SIP/2.0 element cannot be answered meaningfully.
  const via = parseVia(headers.getAll('via')[0] ?? '');
  if (via === undefined || via.protocol !== 'SIP' || via.version !== '2.0') {
    return { code: 'bad-header-value', message: 'bad Via' };
  }
  if (countFields(headers, 'from') > 1 || countFields(headers, 'to') > 1) {
    return { code: 'bad-header-value', message: 'duplicate From/To' };
  }
  if (parseNameAddr(headers.get('from') as string) === undefined) {
    return { code: 'bad-header-value', message: 'bad From' };
  }
  if (parseNameAddr(headers.get('to') as string) === undefined) {
    return { code: 'bad-header-value', message: 'bad To' };
  }
  const maxForwards = headers.get('max-forwards');
  if (maxForwards !== undefined && !/^\d{1,10}$/.test(maxForwards)) {
    return { code: 'bad-header-value', message: 'bad Max-Forwards' };
  }
  return undefined;
}

function countFields(headers: SipHeaders, name: string): number {
  return headers.entries().filter((f) => headerKey(f.name) === name).length;
}

function partialOf(
  headers: SipHeaders,
  method: string,
  uri: string,
  status: 400 | 505,
): PartialRequest | undefined {
  const via = headers.getAll('via');
  const from = headers.get('from');
  const to = headers.get('to');
  const callId = headers.get('call-id');
  const cseq = headers.get('cseq');
  if (via.length === 0 || parseVia(via[0] as string) === undefined) return undefined;
  if (from === undefined || to === undefined || callId === undefined || cseq === undefined) return undefined;
  // A 400 echoes these fields; one holding a control character or bare CR (found by fuzzing) would
  // be echoed into our response, so such a request is dropped instead of answered.
  if ([uri, ...via, from, to, callId, cseq].some((f) => CONTROL_CHARS.test(f) || BARE_CR.test(f)))
    return undefined;
  return { method, uri, via, from, to, callId, cseq, status };
}
