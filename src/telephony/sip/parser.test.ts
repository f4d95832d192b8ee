import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serialize, type SipMessage, type SipRequest } from './message.ts';
import { parseMessage } from './parser.ts';

const INVITE = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@pc33.atlanta.example.com>',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\r\n',
].join('\r\n');

function parseOk(text: string | Buffer): SipMessage {
  const result = parseMessage(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.message;
}

function request(text: string): SipRequest {
  const message = parseOk(text);
  if (message.kind !== 'request') throw new Error('not a request');
  return message;
}

describe('parseMessage', () => {
  it('parses a request start line, headers and body', () => {
    const message = request(INVITE);
    expect(message.method).toBe('INVITE');
    expect(message.uri).toBe('sip:bob@biloxi.example.com');
    expect(message.headers.get('call-id')).toBe('a84b4c76e66710@pc33.atlanta.example.com');
    expect(message.headers.get('CSEQ')).toBe('314159 INVITE');
    expect(message.body.toString()).toBe('v=0\r');
  });

  it('parses a response with a multi-word reason phrase and an empty one', () => {
    const base = INVITE.replace('INVITE sip:bob@biloxi.example.com SIP/2.0', 'SIP/2.0 486 Busy Here');
    const busy = parseOk(base);
    expect(busy.kind === 'response' && busy.reason).toBe('Busy Here');
    const empty = parseOk(base.replace('486 Busy Here', '200 '));
    expect(empty.kind === 'response' && empty.status).toBe(200);
  });

  it('understands compact header names (RFC 3261 §7.3.3)', () => {
    const compact = [
      'BYE sip:bob@example.com SIP/2.0',
      'v: SIP/2.0/TCP client.example.com:5060;branch=z9hG4bK74b43',
      'f: <sip:alice@example.com>;tag=1',
      't: <sip:bob@example.com>;tag=2',
      'i: abc@host',
      'CSeq: 2 BYE',
      'm: <sip:alice@10.0.0.1>',
      'c: text/plain',
      'k: timer',
      's: hello',
      'e: gzip',
      'l: 0',
      '',
      '',
    ].join('\r\n');
    const message = request(compact);
    expect(message.headers.get('Via')).toContain('z9hG4bK74b43');
    expect(message.headers.get('From')).toBe('<sip:alice@example.com>;tag=1');
    expect(message.headers.get('Call-ID')).toBe('abc@host');
    expect(message.headers.get('Contact')).toBe('<sip:alice@10.0.0.1>');
    expect(message.headers.get('Content-Type')).toBe('text/plain');
    expect(message.headers.get('Supported')).toBe('timer');
    expect(message.headers.get('Subject')).toBe('hello');
    expect(message.headers.get('Content-Encoding')).toBe('gzip');
    expect(message.headers.get('Content-Length')).toBe('0');
  });

  it('unfolds continuation lines into one value (§7.3.1)', () => {
    const folded = INVITE.replace('Subject', 'x').replace(
      'Max-Forwards: 70',
      'Max-Forwards: 70\r\nSubject: I know you are there,\r\n     pick up the phone\r\n\tand talk to me!',
    );
    expect(request(folded).headers.get('subject')).toBe(
      'I know you are there, pick up the phone and talk to me!',
    );
  });

  it('treats combined and repeated list headers alike', () => {
    const twoLines = INVITE.replace(
      'Max-Forwards: 70',
      'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKa, SIP/2.0/UDP other.example.com;branch=z9hG4bKb\r\nMax-Forwards: 70',
    );
    const vias = request(twoLines).headers.getAll('via');
    expect(vias).toHaveLength(3);
    expect(vias[1]).toBe('SIP/2.0/UDP proxy.example.com;branch=z9hG4bKa');
    // Commas inside quotes do not split a Contact list.
    const contacts = request(
      INVITE.replace('Contact: <sip', 'Contact: "Doe, John" <sip:j@x>, <sip'),
    ).headers.getAll('contact');
    expect(contacts).toEqual(['"Doe, John" <sip:j@x>', '<sip:alice@pc33.atlanta.example.com>']);
  });

  it('ignores CRLFs before the start line (§7.5)', () => {
    expect(request(`\r\n\r\n${INVITE}`).method).toBe('INVITE');
  });

  it('discards octets beyond Content-Length in a datagram (§18.3)', () => {
    expect(request(`${INVITE}trailing junk`).body.toString()).toBe('v=0\r');
  });

  it('takes the rest of the datagram as body when Content-Length is absent', () => {
    expect(request(INVITE.replace('Content-Length: 4\r\n', '')).body.toString()).toBe('v=0\r\n');
  });

  it('rejects a body shorter than Content-Length, keeping what a 400 needs', () => {
    const result = parseMessage(Buffer.from(INVITE.replace('Content-Length: 4', 'Content-Length: 400')));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('content-length');
    expect(result.partial?.callId).toBe('a84b4c76e66710@pc33.atlanta.example.com');
    expect(result.partial?.via).toHaveLength(1);
    expect(result.partial?.status).toBe(400);
  });

  it('requires Via, From, To, Call-ID and CSeq (§8.1.1)', () => {
    for (const header of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
      const text = INVITE.split('\r\n')
        .filter((line) => !line.startsWith(`${header}:`))
        .join('\r\n');
      const result = parseMessage(Buffer.from(text));
      expect(result.ok, header).toBe(false);
    }
  });

  it('rejects a CSeq method that differs from the request method', () => {
    const result = parseMessage(Buffer.from(INVITE.replace('314159 INVITE', '314159 BYE')));
    expect(!result.ok && result.error.code).toBe('bad-header-value');
  });

  it('answers an unknown SIP version with 505 material', () => {
    const result = parseMessage(
      Buffer.from(INVITE.replace('biloxi.example.com SIP/2.0', 'biloxi.example.com SIP/7.0')),
    );
    expect(!result.ok && result.partial?.status).toBe(505);
  });

  it('gives no partial for ACK, which is never answered', () => {
    const ack = INVITE.replace(/INVITE/g, 'ACK').replace('Content-Length: 4', 'Content-Length: 99');
    const result = parseMessage(Buffer.from(ack));
    expect(!result.ok && result.partial).toBeUndefined();
  });

  it('returns errors for empty input and binary junk', () => {
    expect(parseMessage(Buffer.alloc(0)).ok).toBe(false);
    expect(parseMessage(Buffer.from('\r\n\r\n')).ok).toBe(false);
    expect(parseMessage(Buffer.from([0, 1, 2, 255, 254])).ok).toBe(false);
  });

  it('rejects a header section over 64 KiB', () => {
    const huge = INVITE.replace('Max-Forwards: 70', `X-Big: ${'a'.repeat(70_000)}\r\nMax-Forwards: 70`);
    const result = parseMessage(Buffer.from(huge));
    expect(!result.ok && result.error.code).toBe('too-large');
  });
});

describe('serialize', () => {
  it('writes CRLF line ends and recomputes Content-Length', () => {
    const message = request(INVITE);
    message.body = Buffer.from('v=0\r\no=x\r\n');
    const text = serialize(message).toString();
    expect(text).toContain('Content-Length: 10\r\n\r\nv=0\r\no=x\r\n');
    expect(text.startsWith('INVITE sip:bob@biloxi.example.com SIP/2.0\r\n')).toBe(true);
    expect(text.match(/Content-Length/g)).toHaveLength(1);
  });

  it('adds Content-Length when the parsed message had none', () => {
    const message = request(INVITE.replace('Content-Length: 4\r\n', ''));
    expect(serialize(message).toString()).toContain('Content-Length: 5\r\n');
  });

  it('round-trips: parse(serialize(m)) equals m', () => {
    const message = request(INVITE);
    const again = request(serialize(message).toString());
    expect(again.method).toBe(message.method);
    expect(again.headers.entries()).toEqual(message.headers.entries());
    expect(again.body.equals(message.body)).toBe(true);
  });
});

/** Valid messages with random-but-legal pieces, then byte-level mutations of them. */
const token = fc.stringMatching(/^[A-Za-z0-9.!%*_+`'~-]{1,12}$/);
const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,40}[\x21-\x7e])?$/);
const validMessage = fc
  .record({
    method: fc.constantFrom('INVITE', 'BYE', 'OPTIONS', 'REGISTER', 'INFO', 'FOO'),
    user: fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/),
    extra: fc.array(
      fc.tuple(
        token.map((t) => `X-${t}`),
        headerValue,
      ),
      { maxLength: 5 },
    ),
    body: fc.string({ maxLength: 50 }),
  })
  .map(({ method, user, extra, body }) =>
    [
      `${method} sip:${user}@example.com SIP/2.0`,
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc',
      `From: <sip:a@example.com>;tag=${user}`,
      'To: <sip:b@example.com>',
      `Call-ID: ${user}@host`,
      `CSeq: 7 ${method}`,
      ...extra.map(([name, value]) => `${name}: ${value}`),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
  );

const mutated = fc
  .tuple(
    validMessage,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    fc.nat(),
  )
  .map(([text, flips, cut]) => {
    const bytes = Buffer.from(text, 'utf8');
    for (const [position, value] of flips) bytes[position % bytes.length] = value;
    return bytes.subarray(0, Math.max(1, bytes.length - (cut % 20)));
  });

describe('parser properties (fast-check)', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const result = parseMessage(Buffer.from(bytes));
        expect(result.ok || result.error.code !== 'internal').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutated valid messages', () => {
    fc.assert(
      fc.property(mutated, (bytes) => {
        const result = parseMessage(bytes);
        expect(result.ok || result.error.code !== 'internal').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('parses every generated valid message', () => {
    fc.assert(
      fc.property(validMessage, (text) => parseMessage(Buffer.from(text)).ok),
      { numRuns: 500 },
    );
  });

  it('serialize∘parse is stable: a second round trip changes nothing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          validMessage.map((t) => Buffer.from(t)),
          mutated,
        ),
        (bytes) => {
          const first = parseMessage(bytes);
          if (!first.ok) return;
          const once = serialize(first.message);
          const second = parseMessage(once);
          expect(second.ok).toBe(true);
          if (!second.ok) return;
          expect(serialize(second.message).equals(once)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
