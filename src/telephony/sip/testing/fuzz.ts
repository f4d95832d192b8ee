/**
 * Mutation fuzzing for the SIP parser (and, through the byte mutators, the SDP parser): a seeded
 * PRNG, a corpus of valid messages, byte- and line-level mutators, and the invariants every
 * parse result must satisfy. Used by the fuzz test suites and by `scripts/fuzz-sip.ts`; nothing
 * in the running system imports it.
 */
import { parseCSeq } from '../cseq.ts';
import { SipHeaders, headerKey, serialize, type SipMessage } from '../message.ts';
import { parseNameAddr } from '../name-addr.ts';
import { parseMessage, type ParseErrorCode, type ParseResult } from '../parser.ts';
import { parseVia } from '../via.ts';

/** mulberry32: small, fast and good enough to make fuzz runs reproducible from one seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Integer in [0, n). */
  below(n: number): number {
    return n <= 1 ? 0 : this.next() % n;
  }

  /** Integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }
}

const crlf = (...lines: string[]): string => lines.join('\r\n');

const SDP_OFFER = crlf(
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
);

function withBody(head: string[], body: string, contentType?: string): string {
  const bytes = Buffer.byteLength(body, 'utf8');
  const type = contentType === undefined ? [] : [`Content-Type: ${contentType}`];
  return crlf(...head, ...type, `Content-Length: ${bytes}`, '', body);
}

/** Valid messages the mutators start from: every method we handle, responses, odd-but-legal forms. */
export const SIP_SEED_MESSAGES: readonly string[] = [
  withBody(
    [
      'INVITE sip:4008001000@192.0.2.1:5060;user=phone SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776asdhds;rport',
      'Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKnashds8;received=192.0.2.3',
      'Max-Forwards: 70',
      'To: <sip:4008001000@192.0.2.1>',
      'From: "Alice Wang" <sip:13812345678@example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710@pc33.example.com',
      'CSeq: 314159 INVITE',
      'Contact: <sip:13812345678@192.0.2.10:5062;transport=udp>;expires=3600',
      'Record-Route: <sip:proxy.example.com;lr>',
      'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO',
      'Supported: replaces, timer',
      'User-Agent: Fuzz Phone 1.0',
    ],
    SDP_OFFER,
    'application/sdp',
  ),
  withBody(
    [
      'REGISTER sip:192.0.2.1 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnashds7',
      'Max-Forwards: 70',
      'To: <sip:1001@192.0.2.1>',
      'From: <sip:1001@192.0.2.1>;tag=456248',
      'Call-ID: 843817637684230@998sdasdh09',
      'CSeq: 1826 REGISTER',
      'Contact: <sip:1001@192.0.2.20:5060>;q=0.7;expires=600, <sip:1001@[2001:db8::20]>;q=0.1',
      'Authorization: Digest username="1001", realm="192.0.2.1", nonce="18c2b1f6a3e.q1w2e3r4t5y6u7i8o9p0aa", uri="sip:192.0.2.1", response="6629fae49393a05397450978507c4ef1", algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b"',
      'Expires: 600',
    ],
    '',
  ),
  withBody(
    [
      'OPTIONS sip:switch@192.0.2.1 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.30;branch=z9hG4bKhjhs8ass877',
      'Max-Forwards: 70',
      'To: <sip:switch@192.0.2.1>',
      'From: Monitor <sip:monitor@192.0.2.30>;tag=1928301774',
      'Call-ID: options-1@192.0.2.30',
      'CSeq: 63104 OPTIONS',
      'Accept: application/sdp',
    ],
    '',
  ),
  withBody(
    [
      'ACK sip:4008001000@192.0.2.1 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776asdhds',
      'Max-Forwards: 70',
      'To: <sip:4008001000@192.0.2.1>;tag=a6c85cf',
      'From: "Alice Wang" <sip:13812345678@example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710@pc33.example.com',
      'CSeq: 314159 ACK',
    ],
    '',
  ),
  withBody(
    [
      'BYE sip:switchyard@192.0.2.1:5060 SIP/2.0',
      'v: SIP/2.0/TCP 192.0.2.10:5062;branch=z9hG4bK74b43',
      'f: <sip:13812345678@example.com>;tag=1928301774',
      't: <sip:4008001000@192.0.2.1>;tag=a6c85cf',
      'i: a84b4c76e66710@pc33.example.com',
      'CSeq: 231 BYE',
      'Route: <sip:proxy.example.com;lr>',
    ],
    '',
  ),
  withBody(
    [
      'CANCEL sip:1001@192.0.2.20 SIP/2.0',
      'Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKc4nc3l',
      'Max-Forwards: 70',
      'To: <sip:1001@192.0.2.20>',
      'From: <sip:4008001000@192.0.2.1>;tag=sw1',
      'Call-ID: cancel-me',
      'CSeq: 2 CANCEL',
    ],
    '',
  ),
  withBody(
    [
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK4b43c2ff8.1;received=192.0.2.1',
      'To: <sip:1001@192.0.2.20>;tag=8321234356',
      'From: <sip:4008001000@192.0.2.1>;tag=9fxced76sl',
      'Call-ID: 3848276298220188511@192.0.2.1',
      'CSeq: 1 INVITE',
      'Contact: <sip:1001@192.0.2.20:5060>',
      'Allow: INVITE, ACK, CANCEL, BYE',
    ],
    SDP_OFFER.replace('alice', 'bob'),
    'application/sdp',
  ),
  withBody(
    [
      'SIP/2.0 401 Unauthorized',
      'Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnashds7;received=192.0.2.20;rport=5060',
      'To: <sip:1001@192.0.2.1>;tag=2493k59kd',
      'From: <sip:1001@192.0.2.1>;tag=456248',
      'Call-ID: 843817637684230@998sdasdh09',
      'CSeq: 1826 REGISTER',
      'WWW-Authenticate: Digest realm="192.0.2.1", nonce="18c2b1f6a3e.q1w2e3r4t5y6u7i8o9p0aa", algorithm=MD5, qop="auth"',
    ],
    '',
  ),
  withBody(
    [
      'SIP/2.0 180 Ringing',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK4b43c2ff8.1',
      'To: <sip:1001@192.0.2.20>;tag=8321234356',
      'From: <sip:4008001000@192.0.2.1>;tag=9fxced76sl',
      'Call-ID: 3848276298220188511@192.0.2.1',
      'CSeq: 1 INVITE',
    ],
    '',
  ),
  withBody(
    [
      'MESSAGE sip:1001@192.0.2.1 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.40;branch=z9hG4bKmsg1',
      'Max-Forwards: 70',
      'From: "王小明" <sip:13912345678@example.cn>;tag=49583',
      'To: <sip:1001@192.0.2.1>',
      'Call-ID: asd88asd77a@192.0.2.40',
      'CSeq: 1 MESSAGE',
      'Subject: 你好, 快递',
    ],
    '您的快递已到达，请查收。',
    'text/plain;charset=utf-8',
  ),
  withBody(
    [
      'INFO sip:switchyard@192.0.2.1 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKinfo',
      'To: <sip:4008001000@192.0.2.1>;tag=a6c85cf',
      'From: <sip:13812345678@example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710@pc33.example.com',
      'CSeq: 314160 INFO',
    ],
    'Signal=5\r\nDuration=160\r\n',
    'application/dtmf-relay',
  ),
  // Folded headers, odd whitespace and case (RFC 4475 §3.1.1.1 in spirit), LF-only line ends.
  [
    'NOTIFY sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0',
    'TO :',
    ' sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
    'from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>',
    '  ;',
    '  tag = 98asjd8',
    'MaX-fOrWaRdS: 0068',
    'Call-ID: wsinv.ndaksdj@192.0.2.1',
    'Content-Length   : 0',
    'cseq: 0009',
    '  NOTIFY',
    'Via  : SIP  /   2.0',
    ' /UDP',
    '    192.0.2.2;branch=390skdjuw',
    'Event: presence',
    'Subscription-State: active;expires=600',
    '',
    '',
  ].join('\n'),
  withBody(
    [
      'SUBSCRIBE tel:+8613812345678;phone-context=example.com SIP/2.0',
      'Via: SIP/2.0/TLS client.example.com:5061;branch=z9hG4bK-sub',
      'Max-Forwards: 70',
      'From: <tel:+8613812345678>;tag=sub1',
      'To: <tel:+8613812345678>',
      'Call-ID: sub-1',
      'CSeq: 1 SUBSCRIBE',
      'Event: dialog',
      'Expires: 3600',
    ],
    '',
  ),
];

export function sipSeedCorpus(): Buffer[] {
  return SIP_SEED_MESSAGES.map((m) => Buffer.from(m, 'utf8'));
}

// ---- mutators ----

type Mutator = (rng: Rng, input: Buffer, corpus: readonly Buffer[]) => Buffer;

const INTERESTING_BYTES = [
  0x00, 0x01, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x25, 0x2c, 0x2f, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x40, 0x5c, 0x7f,
  0x80, 0xc0, 0xfe, 0xff,
];

/** Byte sequences that are not UTF-8 (lone continuation, truncated, overlong, surrogate, > U+10FFFF). */
const NON_UTF8 = [
  [0x80],
  [0xc3, 0x28],
  [0xe2, 0x82],
  [0xf0, 0x28, 0x8c, 0xbc],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xff, 0xfe],
].map((b) => Buffer.from(b));

const SPECIAL_RUNS = [
  ' ',
  '\t',
  ',',
  ';',
  '"',
  '<',
  '>',
  ':',
  '\\',
  '@',
  '=',
  '%',
  '/',
  'a',
  '0',
  '\r\n ',
  '\n',
];

const HUGE_NUMBERS = [
  '99999999999',
  '4294967296',
  '2147483648',
  '-1',
  '1e9',
  '0x10',
  '',
  '  7  ',
  '9'.repeat(40),
  '00000000000000000001',
  'NaN',
];

function randomPos(rng: Rng, input: Buffer): number {
  return rng.below(input.length + 1);
}

function splice(input: Buffer, at: number, remove: number, insert: Buffer): Buffer {
  return Buffer.concat([input.subarray(0, at), insert, input.subarray(Math.min(input.length, at + remove))]);
}

/** Lines split on LF, each keeping its terminator, so joining them restores the input. */
function splitLines(input: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (;;) {
    const lf = input.indexOf(0x0a, start);
    if (lf === -1) break;
    lines.push(input.subarray(start, lf + 1));
    start = lf + 1;
  }
  if (start < input.length) lines.push(input.subarray(start));
  return lines;
}

function headerLineIndexes(lines: readonly Buffer[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const text = (lines[i] as Buffer).toString('latin1');
    if (text.trim() === '') break;
    out.push(i);
  }
  return out;
}

function replaceHeaderValue(rng: Rng, input: Buffer, name: RegExp, value: string): Buffer {
  const lines = splitLines(input);
  const candidates = headerLineIndexes(lines).filter((i) =>
    name.test((lines[i] as Buffer).toString('latin1')),
  );
  const target = candidates.length === 0 ? undefined : rng.pick(candidates);
  if (target === undefined) {
    // No such header: add one after the start line.
    const header = Buffer.from(`${name.source.replace(/[^A-Za-z-]/g, '') || 'Content-Length'}: ${value}\r\n`);
    return Buffer.concat([lines[0] ?? Buffer.alloc(0), header, ...lines.slice(1)]);
  }
  const line = (lines[target] as Buffer).toString('latin1');
  const colon = line.indexOf(':');
  const eol = line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
  lines[target] = Buffer.from(`${line.slice(0, colon + 1)} ${value}${eol}`, 'latin1');
  return Buffer.concat(lines);
}

export const MUTATORS: Readonly<Record<string, Mutator>> = {
  bitFlip: (rng, input) => {
    if (input.length === 0) return input;
    const out = Buffer.from(input);
    for (let n = rng.between(1, 8); n > 0; n--) {
      const i = rng.below(out.length);
      out[i] = (out[i] as number) ^ (1 << rng.below(8));
    }
    return out;
  },
  interestingByte: (rng, input) => {
    if (input.length === 0) return Buffer.from([rng.pick(INTERESTING_BYTES)]);
    const out = Buffer.from(input);
    for (let n = rng.between(1, 4); n > 0; n--) out[rng.below(out.length)] = rng.pick(INTERESTING_BYTES);
    return out;
  },
  truncate: (rng, input) => input.subarray(0, rng.below(input.length + 1)),
  insertRandom: (rng, input) => splice(input, randomPos(rng, input), 0, rng.bytes(rng.between(1, 32))),
  deleteRange: (rng, input) => splice(input, randomPos(rng, input), rng.between(1, 64), Buffer.alloc(0)),
  duplicateRange: (rng, input) => {
    const from = rng.below(input.length);
    const chunk = input.subarray(from, from + rng.between(1, 200));
    const copies = Buffer.concat(Array.from({ length: rng.between(1, 4) }, () => chunk));
    return splice(input, randomPos(rng, input), 0, copies);
  },
  duplicateLine: (rng, input) => {
    const lines = splitLines(input);
    if (lines.length === 0) return input;
    const i = rng.below(lines.length);
    lines.splice(i, 0, ...Array.from({ length: rng.between(1, 3) }, () => lines[i] as Buffer));
    return Buffer.concat(lines);
  },
  dropLine: (rng, input) => {
    const lines = splitLines(input);
    lines.splice(rng.below(lines.length), 1);
    return Buffer.concat(lines);
  },
  swapLines: (rng, input) => {
    const lines = splitLines(input);
    if (lines.length < 2) return input;
    const a = rng.below(lines.length);
    const b = rng.below(lines.length);
    [lines[a], lines[b]] = [lines[b] as Buffer, lines[a] as Buffer];
    return Buffer.concat(lines);
  },
  spliceLine: (rng, input, corpus) => {
    const donor = splitLines(rng.pick(corpus));
    const lines = splitLines(input);
    const line = donor.length === 0 ? Buffer.from('X: y\r\n') : rng.pick(donor);
    lines.splice(rng.below(lines.length + 1), 0, line);
    return Buffer.concat(lines);
  },
  crossover: (rng, input, corpus) => {
    const donor = rng.pick(corpus);
    return Buffer.concat([
      input.subarray(0, rng.below(input.length + 1)),
      donor.subarray(rng.below(donor.length)),
    ]);
  },
  contentLength: (rng, input) =>
    replaceHeaderValue(rng, input, /^(content-length|l)\s*:/i, rng.pick(HUGE_NUMBERS)),
  extraContentLength: (rng, input) => {
    const lines = splitLines(input);
    lines.splice(1, 0, Buffer.from(`Content-Length: ${rng.pick(HUGE_NUMBERS)}\r\n`));
    return Buffer.concat(lines);
  },
  numberRun: (rng, input) => {
    const text = input.toString('latin1');
    const runs = [...text.matchAll(/\d+/g)];
    if (runs.length === 0) return input;
    const run = rng.pick(runs);
    const at = run.index;
    return splice(input, at, run[0].length, Buffer.from(rng.pick(HUGE_NUMBERS), 'latin1'));
  },
  lfOnly: (rng, input) => {
    const text = input.toString('latin1');
    const out = rng.chance(0.5) ? text.replaceAll('\r\n', '\n') : text.replace('\r\n', '\n');
    return Buffer.from(out, 'latin1');
  },
  crOnly: (rng, input) => {
    const text = input.toString('latin1');
    const out = rng.chance(0.5) ? text.replaceAll('\r\n', '\r') : text.replace('\r\n', '\r');
    return Buffer.from(out, 'latin1');
  },
  dropCrlf: (rng, input) => {
    const text = input.toString('latin1');
    const positions = [...text.matchAll(/\r?\n/g)].map((m) => [m.index, m[0].length] as const);
    if (positions.length === 0) return input;
    const [at, len] = rng.pick(positions);
    return splice(input, at, len, Buffer.alloc(0));
  },
  removeBlankLine: (_rng, input) => {
    const crlf2 = input.indexOf('\r\n\r\n');
    if (crlf2 !== -1) return splice(input, crlf2 + 2, 2, Buffer.alloc(0));
    const lf2 = input.indexOf('\n\n');
    return lf2 === -1 ? input : splice(input, lf2 + 1, 1, Buffer.alloc(0));
  },
  fold: (rng, input) => {
    const text = input.toString('latin1');
    const spots = [...text.matchAll(/[ :;,=]/g)].map((m) => m.index);
    if (spots.length === 0) return input;
    return splice(
      input,
      rng.pick(spots) + 1,
      0,
      Buffer.from(rng.pick(['\r\n ', '\r\n\t', '\n ', '\r\n  \r\n '])),
    );
  },
  nul: (rng, input) => splice(input, randomPos(rng, input), 0, Buffer.alloc(rng.between(1, 3))),
  nonUtf8: (rng, input) => splice(input, randomPos(rng, input), 0, rng.pick(NON_UTF8)),
  specialRun: (rng, input) => {
    const run = rng.pick(SPECIAL_RUNS).repeat(rng.pick([2, 16, 256, 4096, 20000]));
    return splice(input, randomPos(rng, input), 0, Buffer.from(run, 'latin1'));
  },
  caseFlip: (rng, input) => {
    const out = Buffer.from(input);
    for (let n = rng.between(1, 16); n > 0 && out.length > 0; n--) {
      const i = rng.below(out.length);
      const c = out[i] as number;
      if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) out[i] = c ^ 0x20;
    }
    return out;
  },
  whitespace: (rng, input) => {
    const text = input.toString('latin1');
    const spots = [...text.matchAll(/[:;,/=<>@]/g)].map((m) => m.index);
    if (spots.length === 0) return input;
    const at = rng.pick(spots) + rng.below(2);
    return splice(input, at, 0, Buffer.from(rng.pick([' ', '\t', '   ', ' \t '])));
  },
  longHeader: (rng, input) => {
    const lines = splitLines(input);
    const value = rng.pick(SPECIAL_RUNS).repeat(rng.between(1000, 30000));
    lines.splice(
      1,
      0,
      Buffer.from(`${rng.pick(['X-Long', 'Contact', 'Via', 'Subject', 'Route'])}: ${value}\r\n`, 'latin1'),
    );
    return Buffer.concat(lines);
  },
  manyHeaders: (rng, input) => {
    const lines = splitLines(input);
    const name = rng.pick(['a', 'Via', 'v', 'X-H', 'Contact', 'Route']);
    const line = Buffer.from(
      `${name}: ${rng.pick(['', 'x', '<sip:a@b>', 'SIP/2.0/UDP h;branch=z9hG4bKx'])}\r\n`,
    );
    lines.splice(1, 0, ...Array.from({ length: rng.between(50, 3000) }, () => line));
    return Buffer.concat(lines);
  },
  startLine: (rng, input) => {
    const lines = splitLines(input);
    const replacement = rng.pick([
      'INVITE sip:a@b SIP/2.1',
      'INVITE sip:a@b sip/2.0',
      'INVITE sip:a@b SIP/20',
      'INVITE  sip:a@b SIP/2.0',
      'INVITE sip:a@b SIP/2.0 ',
      ' INVITE sip:a@b SIP/2.0',
      'SIP/2.0 99 Too Low',
      'SIP/2.0 700 Too High',
      'SIP/2.0 200',
      'SIP/3.0 200 OK',
      `${'X'.repeat(5000)} sip:a@b SIP/2.0`,
      'IN\u00e9VITE sip:a@b SIP/2.0',
      'INVITE sip:[::1 SIP/2.0',
      'INVITE tel:+1-555 SIP/2.0',
      'INVITE <sip:a@b> SIP/2.0',
    ]);
    lines[0] = Buffer.from(`${replacement}\r\n`, 'utf8');
    return Buffer.concat(lines);
  },
  emptyValue: (rng, input) => {
    const lines = splitLines(input);
    const headers = headerLineIndexes(lines);
    if (headers.length === 0) return input;
    const i = rng.pick(headers);
    const line = (lines[i] as Buffer).toString('latin1');
    const colon = line.indexOf(':');
    if (colon === -1) return input;
    lines[i] = Buffer.from(`${line.slice(0, colon + 1)}\r\n`, 'latin1');
    return Buffer.concat(lines);
  },
};

/** Relative weights: the mutators that build 20–60 KiB messages are picked rarely, they cost 100× more. */
const WEIGHTS: Readonly<Record<string, number>> = { manyHeaders: 1, longHeader: 3, specialRun: 5 };

export const MUTATOR_NAMES: readonly string[] = Object.keys(MUTATORS);
const WEIGHTED_NAMES: readonly string[] = MUTATOR_NAMES.flatMap((name) =>
  Array.from({ length: WEIGHTS[name] ?? 20 }, () => name),
);

/** Apply 1–`max` random mutators in a row. */
export function mutate(rng: Rng, input: Buffer, corpus: readonly Buffer[], max = 4): Buffer {
  let out = input;
  for (let n = rng.between(1, max); n > 0; n--) {
    const mutator = MUTATORS[rng.pick(WEIGHTED_NAMES)] as Mutator;
    out = mutator(rng, out, corpus);
  }
  return out;
}

/** Random bytes, sometimes starting like a SIP message so the parser gets past the start line. */
export function randomInput(rng: Rng): Buffer {
  const body = rng.bytes(rng.between(0, rng.chance(0.1) ? 4000 : 600));
  if (rng.chance(0.5)) return body;
  const prefix = rng.pick([
    'INVITE sip:a@b SIP/2.0\r\n',
    'SIP/2.0 200 OK\r\n',
    'OPTIONS sip:x SIP/2.0\r\nVia: ',
  ]);
  return Buffer.concat([Buffer.from(prefix), body]);
}

// ---- invariants ----

const PARSE_ERROR_CODES: ReadonlySet<ParseErrorCode> = new Set<ParseErrorCode>([
  'empty',
  'no-header-end',
  'bad-start-line',
  'unsupported-version',
  'bad-header-line',
  'missing-header',
  'bad-header-value',
  'content-length',
  'too-large',
]);
const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;
// eslint-disable-next-line no-control-regex -- control characters are what is checked for
const FORBIDDEN_IN_HEADER = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * What must hold for every parse result: a known error code (never `internal`, which means the
 * parser threw), a well-formed partial, or a message that respects its type and the checks the
 * parser promises (§8.1.1 headers present and readable) and survives serialize → parse unchanged.
 * Returns the violations, empty when all is well.
 */
export function parseResultViolations(result: ParseResult): string[] {
  const v: string[] = [];
  if (typeof result !== 'object' || result === null) return ['result is not an object'];
  if (!result.ok) {
    if (!PARSE_ERROR_CODES.has(result.error.code))
      v.push(`error code ${String(result.error.code)}: ${result.error.message}`);
    if (typeof result.error.message !== 'string') v.push('error message is not a string');
    const p = result.partial;
    if (p !== undefined) {
      if (!TOKEN.test(p.method)) v.push('partial method is not a token');
      if (p.method === 'ACK') v.push('partial for an ACK');
      if (!Array.isArray(p.via) || p.via.length === 0 || parseVia(p.via[0] as string) === undefined)
        v.push('partial without a readable top Via');
      for (const field of [p.uri, p.from, p.to, p.callId, p.cseq])
        if (typeof field !== 'string') v.push('partial field is not a string');
      if (p.status !== 400 && p.status !== 505) v.push(`partial status ${String(p.status)}`);
    }
    return v;
  }
  return messageViolations(result.message);
}

export function messageViolations(m: SipMessage): string[] {
  const v: string[] = [];
  if (!(m.headers instanceof SipHeaders)) v.push('headers is not SipHeaders');
  if (!Buffer.isBuffer(m.body)) v.push('body is not a Buffer');
  if (m.kind === 'request') {
    if (!TOKEN.test(m.method)) v.push(`method ${JSON.stringify(m.method)} is not a token`);
    if (m.uri === '' || /\s/.test(m.uri)) v.push('request-URI empty or with whitespace');
  } else if (m.kind === 'response') {
    if (!Number.isInteger(m.status) || m.status < 100 || m.status > 699) v.push(`status ${m.status}`);
    if (typeof m.reason !== 'string' || /[\r\n]/.test(m.reason)) v.push('reason with a line break');
  } else {
    return ['unknown message kind'];
  }
  if (v.length > 0) return v;
  for (const field of m.headers.entries()) {
    if (!TOKEN.test(field.name)) v.push(`header name ${JSON.stringify(field.name.slice(0, 40))}`);
    if (FORBIDDEN_IN_HEADER.test(field.value)) v.push(`control character in ${field.name}`);
    if (/^[ \t]|[ \t]$/.test(field.value)) v.push(`untrimmed value of ${field.name}`);
  }
  for (const name of ['via', 'from', 'to', 'call-id', 'cseq'])
    if (!m.headers.has(name)) v.push(`missing ${name}`);
  if (v.length > 0) return v;
  const cseq = parseCSeq(m.headers.get('cseq') as string);
  if (cseq === undefined) v.push('unreadable CSeq');
  else if (m.kind === 'request' && cseq.method !== m.method) v.push('CSeq method differs');
  if (parseVia(m.headers.getAll('via')[0] ?? '') === undefined) v.push('unreadable top Via');
  if (parseNameAddr(m.headers.get('from') as string) === undefined) v.push('unreadable From');
  if (parseNameAddr(m.headers.get('to') as string) === undefined) v.push('unreadable To');
  const contentLength = m.headers.get('content-length');
  if (contentLength !== undefined && Number(contentLength) !== m.body.length)
    v.push(`body of ${m.body.length} bytes, Content-Length ${contentLength}`);
  if (v.length > 0) return v;
  // Round trip: the wire form of what we parsed parses to the same message.
  const wire = serialize(m);
  const again = parseMessage(wire);
  if (!again.ok) return [`serialized message does not parse: ${again.error.code} ${again.error.message}`];
  const diff = messageDifference(m, again.message);
  if (diff !== undefined) v.push(`round trip changed ${diff}`);
  return v;
}

/**
 * Where two messages differ, or undefined when equal. Content-Length is compared by value only
 * where both carry it, because serialize() always (re)writes it.
 */
export function messageDifference(a: SipMessage, b: SipMessage): string | undefined {
  if (a.kind !== b.kind) return 'kind';
  if (a.kind === 'request' && b.kind === 'request') {
    if (a.method !== b.method) return 'method';
    if (a.uri !== b.uri) return 'uri';
  }
  if (a.kind === 'response' && b.kind === 'response') {
    if (a.status !== b.status) return 'status';
    if (a.reason !== b.reason) return 'reason';
  }
  if (!a.body.equals(b.body)) return 'body';
  const strip = (m: SipMessage) => m.headers.entries().filter((f) => headerKey(f.name) !== 'content-length');
  const ha = strip(a);
  const hb = strip(b);
  if (ha.length !== hb.length) return `header count ${ha.length} → ${hb.length}`;
  for (let i = 0; i < ha.length; i++) {
    const x = ha[i];
    const y = hb[i];
    if (x?.name !== y?.name || x?.value !== y?.value)
      return `header ${i}: ${JSON.stringify(x).slice(0, 120)} → ${JSON.stringify(y).slice(0, 120)}`;
  }
  return undefined;
}

export interface FuzzOutcome {
  result: ParseResult | undefined;
  /** Wall time of parseMessage alone, microseconds. */
  micros: number;
  violations: string[];
}

/** Parse one input, timing it, and check every invariant (a throw is a violation too). */
export function fuzzOne(input: Buffer): FuzzOutcome {
  const started = process.hrtime.bigint();
  let result: ParseResult;
  try {
    result = parseMessage(input);
  } catch (error) {
    return {
      result: undefined,
      micros: Number(process.hrtime.bigint() - started) / 1000,
      violations: [`threw ${String(error)}`],
    };
  }
  const micros = Number(process.hrtime.bigint() - started) / 1000;
  let violations: string[];
  try {
    violations = parseResultViolations(result);
  } catch (error) {
    violations = [`invariant check threw ${error instanceof Error ? error.stack : String(error)}`];
  }
  return { result, micros, violations };
}
