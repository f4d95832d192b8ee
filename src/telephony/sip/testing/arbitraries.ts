/**
 * fast-check generators of valid SIP messages, built from typed parts (URIs, Via, name-addr,
 * CSeq) through this stack's own serializers, so a round trip through the wire form can be
 * checked part by part: the message, and each header's parsed structure.
 */
import fc from 'fast-check';
import { serializeCSeq, type CSeq } from '../cseq.ts';
import { SipHeaders, headerKey, type SipMessage, type SipRequest, type SipResponse } from '../message.ts';
import { serializeNameAddr, type NameAddr } from '../name-addr.ts';
import { serializeUri, type SipUri } from '../uri.ts';
import { serializeVia, type Via } from '../via.ts';

export const token = fc.stringMatching(/^[A-Za-z0-9.!%*_+`'~-]{1,16}$/);
const lowerToken = fc.stringMatching(/^[a-z0-9-]{1,10}$/);

const label = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9-]{0,8}[A-Za-z0-9])?$/);
const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const ipv6 = fc
  .array(fc.stringMatching(/^[0-9a-f]{1,4}$/), { minLength: 3, maxLength: 8 })
  .map((groups) => (groups.length === 8 ? `[${groups.join(':')}]` : `[${groups.join(':')}::1]`));
export const host = fc.oneof(hostname, ipv4, ipv6);
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });

/** Parameter values are tokens: quoted strings would be kept quoted, which is fine but not the point here. */
const params = fc
  .uniqueArray(fc.tuple(lowerToken, fc.option(token, { nil: null })), {
    maxLength: 4,
    selector: ([name]) => name,
  })
  .map((entries) => new Map<string, string | null>(entries));

const escaped = fc.stringMatching(/^%[0-9A-F]{2}$/);
const userPart = fc
  .array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9\-_.!~*'()&=+$,]{1,8}$/), escaped), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => parts.join(''));

export const sipUri: fc.Arbitrary<SipUri> = fc
  .record({
    scheme: fc.constantFrom('sip' as const, 'sips' as const),
    user: fc.option(userPart, { nil: undefined }),
    password: fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), { nil: undefined }),
    host,
    port,
    params,
  })
  .map(({ scheme, user, password, host: h, port: p, params: ps }) => {
    const uri: SipUri = { scheme, host: h, params: ps };
    if (user !== undefined) {
      uri.user = user;
      if (password !== undefined) uri.password = password;
    }
    if (p !== undefined) uri.port = p;
    return uri;
  });

const telUri = fc.stringMatching(/^\+?[0-9]{3,15}$/).map((n) => `tel:${n}`);
export const requestUri = fc.oneof({ weight: 4, arbitrary: sipUri.map(serializeUri) }, telUri);

/** Display names: tokens separated by spaces, or any quoted text (UTF-8, quotes, backslashes). */
const displayName = fc.option(
  fc.oneof(
    fc.array(token, { minLength: 1, maxLength: 3 }).map((words) => words.join(' ')),
    fc
      .string({ unit: 'grapheme', maxLength: 20 })
      // eslint-disable-next-line no-control-regex -- header text may hold no control characters
      .filter((s) => !/[\x00-\x1f\x7f]/.test(s) && !/^[ \t]|[ \t]$/.test(s)),
  ),
  { nil: undefined },
);

export const nameAddr: fc.Arbitrary<NameAddr> = fc
  .record({
    displayName,
    uri: fc.oneof({ weight: 4, arbitrary: sipUri.map(serializeUri) }, telUri),
    params,
    tag: fc.option(token, { nil: undefined }),
  })
  .map(({ displayName: d, uri, params: ps, tag }) => {
    const p = new Map(ps);
    p.delete('tag');
    if (tag !== undefined) p.set('tag', tag);
    const out: NameAddr = { uri, params: p };
    if (d !== undefined) out.displayName = d;
    return out;
  });

export const via: fc.Arbitrary<Via> = fc
  .record({
    transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'WS', 'SCTP'),
    host,
    port,
    branch: token.map((t) => `z9hG4bK${t}`),
    extra: params,
    rport: fc.option(fc.option(fc.integer({ min: 1, max: 65535 }), { nil: null }), { nil: undefined }),
  })
  .map(({ transport, host: h, port: p, branch, extra, rport }) => {
    const ps = new Map<string, string | null>([['branch', branch]]);
    for (const [k, v] of extra) if (k !== 'branch' && k !== 'rport') ps.set(k, v);
    if (rport !== undefined) ps.set('rport', rport === null ? null : String(rport));
    const out: Via = { protocol: 'SIP', version: '2.0', transport, host: h, params: ps };
    if (p !== undefined) out.port = p;
    return out;
  });

const callIdWord = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]{1,20}$/);
export const callId = fc
  .tuple(callIdWord, fc.option(callIdWord, { nil: undefined }))
  .map(([a, b]) => (b === undefined ? a : `${a}@${b}`));

/** Header names that the generator sets itself or that the parser validates. */
const RESERVED = new Set(['via', 'from', 'to', 'call-id', 'cseq', 'content-length', 'max-forwards']);
const extraName = token.filter((name) => !RESERVED.has(headerKey(name)));
/** Printable text with inner spaces/tabs and UTF-8, never starting or ending with whitespace. */
const extraValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e\t]{0,40}[\x21-\x7e])?$/),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 16 })
    // eslint-disable-next-line no-control-regex -- header text may hold no control characters
    .filter((s) => !/[\x00-\x08\x0a-\x1f\x7f]/.test(s) && !/^[ \t]|[ \t]$/.test(s) && s !== ''),
);

/** The typed parts a generated message was built from, for checking each after a round trip. */
export interface GeneratedParts {
  vias: Via[];
  from: NameAddr;
  to: NameAddr;
  callId: string;
  cseq: CSeq;
}

export interface GeneratedMessage {
  message: SipMessage;
  parts: GeneratedParts;
}

interface CommonParts {
  vias: Via[];
  viaCombined: boolean;
  from: NameAddr;
  to: NameAddr;
  callId: string;
  seq: number;
  maxForwards: number | undefined;
  compact: boolean;
  extra: [string, string][];
  order: number;
  body: Buffer;
}

const common: fc.Arbitrary<CommonParts> = fc.record({
  vias: fc.array(via, { minLength: 1, maxLength: 4 }),
  viaCombined: fc.boolean(),
  from: nameAddr,
  to: nameAddr,
  callId,
  seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  maxForwards: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
  compact: fc.boolean(),
  extra: fc.array(fc.tuple(extraName, extraValue), { maxLength: 6 }),
  order: fc.nat(),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
    fc.string({ unit: 'grapheme', maxLength: 100 }).map((s) => Buffer.from(s, 'utf8')),
  ),
});

function buildHeaders(c: CommonParts, method: string): { headers: SipHeaders; parts: GeneratedParts } {
  const cseq: CSeq = { seq: c.seq, method };
  const name = (long: string, short: string): string => (c.compact ? short : long);
  const fields: [string, string][] = [];
  const viaTexts = c.vias.map(serializeVia);
  if (c.viaCombined) fields.push([name('Via', 'v'), viaTexts.join(', ')]);
  else for (const v of viaTexts) fields.push([name('Via', 'v'), v]);
  fields.push(
    [name('From', 'f'), serializeNameAddr(c.from)],
    [name('To', 't'), serializeNameAddr(c.to)],
    [name('Call-ID', 'i'), c.callId],
    ['CSeq', serializeCSeq(cseq)],
  );
  if (c.maxForwards !== undefined) fields.push(['Max-Forwards', String(c.maxForwards)]);
  // Extra headers go anywhere, but the Vias keep their relative order (it is significant).
  const headers = new SipHeaders(fields);
  for (const [i, [n, v]] of c.extra.entries()) {
    if ((c.order + i) % 3 === 0) headers.prepend(n, v);
    else headers.append(n, v);
  }
  return { headers, parts: { vias: c.vias, from: c.from, to: c.to, callId: c.callId, cseq } };
}

export const sipRequest: fc.Arbitrary<GeneratedMessage> = fc
  .tuple(token, requestUri, common)
  .map(([method, uri, c]) => {
    const { headers, parts } = buildHeaders(c, method);
    const message: SipRequest = { kind: 'request', method, uri, headers, body: c.body };
    return { message, parts };
  });

/** Reason phrases: any text without line breaks or control characters, UTF-8 included, may be empty. */
const reason = fc.oneof(
  fc.constantFrom('OK', 'Ringing', 'Busy Here', 'Not Found', ''),
  fc
    .string({ unit: 'grapheme', maxLength: 30 })
    // eslint-disable-next-line no-control-regex -- a reason phrase holds no control characters
    .filter((s) => !/[\x00-\x08\x0a-\x1f\x7f]/.test(s)),
);

export const sipResponse: fc.Arbitrary<GeneratedMessage> = fc
  .tuple(fc.integer({ min: 100, max: 699 }), reason, token, common)
  .map(([status, r, method, c]) => {
    const { headers, parts } = buildHeaders(c, method);
    const message: SipResponse = { kind: 'response', status, reason: r, headers, body: c.body };
    return { message, parts };
  });

export const sipMessage: fc.Arbitrary<GeneratedMessage> = fc.oneof(sipRequest, sipResponse);
