import { describe, expect, it } from 'vitest';
import { parseCSeq } from './cseq.ts';
import { parseNameAddr, tagOf } from './name-addr.ts';
import { parseMessage } from './parser.ts';
import { parseUri } from './uri.ts';
import { parseVia } from './via.ts';

/**
 * Torture cases in the spirit of RFC 4475, written for this stack: odd but valid messages
 * must parse, invalid ones must fail cleanly (and carry what a 400 needs when possible).
 */
const lines = (...l: string[]): Buffer => Buffer.from(l.join('\r\n'), 'utf8');

describe('valid but unusual messages (RFC 4475 §3.1.1 style)', () => {
  it('accepts a short tortuous INVITE: odd whitespace, case, escaped user, unknown headers', () => {
    const result = parseMessage(
      lines(
        'INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0',
        'TO :',
        ' sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
        'from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>',
        '  ;',
        '  tag = 98asjd8',
        'MaX-fOrWaRdS: 0068',
        'Call-ID: wsinv.ndaksdj@192.0.2.1',
        'Content-Length   : 0',
        'cseq: 0009',
        '  INVITE',
        'Via  : SIP  /   2.0',
        ' /UDP',
        '    192.0.2.2;branch=390skdjuw',
        's :',
        'NewFangledHeader:   newfangled value',
        ' continued newfangled value',
        'UnknownHeaderWithUnusualValue: ;;,,;;,;',
        'Route:',
        ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
        'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
        '  branch  =   z9hG4bK9ikj8  ,',
        ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
        ' z9hG4bK30239',
        'm:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =',
        '      newvalue ;',
        '  secondparam ; q = 0.33',
        '',
        '',
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const h = result.message.headers;
    expect(tagOf(h.get('to'))).toBe('1918181833n');
    expect(parseNameAddr(h.get('from') ?? '')?.displayName).toBe('J Rosenberg \\"');
    expect(tagOf(h.get('from'))).toBe('98asjd8');
    expect(parseCSeq(h.get('cseq') ?? '')).toEqual({ seq: 9, method: 'INVITE' });
    const vias = h.getAll('via').map((v) => parseVia(v));
    expect(vias.map((v) => v?.transport)).toEqual(['UDP', 'TCP', 'UDP']);
    expect(vias[1]?.params.get('branch')).toBe('z9hG4bK9ikj8');
    expect(vias[2]?.params.get('branch')).toBe('z9hG4bK30239');
    expect(parseNameAddr(h.get('contact') ?? '')?.params.get('q')).toBe('0.33');
    expect(h.get('newfangledheader')).toBe('newfangled value continued newfangled value');
  });

  it('accepts escaped characters and semicolons in the user part', () => {
    const uri = parseUri('sip:sips%3Auser%40example.com@example.net;transport=tcp');
    expect(uri?.user).toBe('sips%3Auser%40example.com');
    expect(uri?.host).toBe('example.net');
    expect(parseUri('sip:+1-212-555-1212:1234@gateway.com;user=phone')?.password).toBe('1234');
    expect(parseUri('sip:alice;day=tuesday@atlanta.com')?.user).toBe('alice;day=tuesday');
  });

  it('accepts IPv6 references in URIs and Via', () => {
    expect(parseUri('sip:user@[2001:db8::10]:5070')).toMatchObject({ host: '[2001:db8::10]', port: 5070 });
    expect(parseVia('SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3')?.host).toBe('[2001:db8::9:1]');
  });

  it('accepts a message with no reason phrase text and an unknown method', () => {
    const result = parseMessage(
      lines(
        'NEWMETHOD sip:user@example.com SIP/2.0',
        'To: sip:j.user@example.com',
        'From: sip:caller@example.net;tag=34525',
        'Max-Forwards: 6',
        'Call-ID: unknownmethod@example.net',
        'CSeq: 1 NEWMETHOD',
        'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bK-4-4',
        'Content-Length: 0',
        '',
        '',
      ),
    );
    expect(result.ok && result.message.kind === 'request' && result.message.method).toBe('NEWMETHOD');
  });

  it('keeps a body with bare binary octets intact', () => {
    const body = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 9]);
    const head = lines(
      'MESSAGE sip:kumiko@example.org SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543',
      'From: <sip:fluffy@example.com>;tag=2fb0dcc9',
      'To: <sip:kumiko@example.org>',
      'Call-ID: 3b1aa8a6@127.0.0.1',
      'CSeq: 1 MESSAGE',
      'Content-Type: application/octet-stream',
      `Content-Length: ${body.length}`,
      '',
      '',
    );
    const result = parseMessage(Buffer.concat([head, body]));
    expect(result.ok && result.message.body.equals(body)).toBe(true);
  });
});

describe('invalid messages (RFC 4475 §3.1.2 style)', () => {
  const base = [
    'Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw',
    'From: <sip:a@example.com>;tag=1',
    'To: <sip:b@example.com>',
    'Call-ID: bad@example.com',
  ];

  it('rejects a negative Content-Length but can still answer 400', () => {
    const result = parseMessage(
      lines('OPTIONS sip:x@example.com SIP/2.0', ...base, 'CSeq: 1 OPTIONS', 'Content-Length: -999', '', ''),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.partial?.method).toBe('OPTIONS');
  });

  it('rejects a CSeq above 2**31 - 1', () => {
    const result = parseMessage(
      lines('OPTIONS sip:x@example.com SIP/2.0', ...base, 'CSeq: 2147483648 OPTIONS', '', ''),
    );
    expect(!result.ok && result.error.code).toBe('bad-header-value');
  });

  it('rejects a request line with extra spaces', () => {
    const result = parseMessage(
      lines('INVITE  sip:x@example.com  SIP/2.0', ...base, 'CSeq: 1 INVITE', '', ''),
    );
    expect(!result.ok && result.error.code).toBe('bad-start-line');
  });

  it('rejects an unterminated quoted display name', () => {
    const result = parseMessage(
      lines(
        'OPTIONS sip:x@example.com SIP/2.0',
        base[0] ?? '',
        'From: "Bob <sip:a@example.com>;tag=1',
        ...base.slice(2),
        'CSeq: 1 OPTIONS',
        '',
        '',
      ),
    );
    expect(!result.ok && result.error.message).toBe('bad From');
  });

  it('rejects a To with a bare URI containing spaces (no angle brackets)', () => {
    expect(parseNameAddr('sip:user@example.com ;tag=1')).toBeDefined();
    expect(parseNameAddr('sip:user name@example.com')).toBeUndefined();
  });

  it('rejects a header line without a colon, keeping the partial for 400', () => {
    const result = parseMessage(
      lines('INVITE sip:x@example.com SIP/2.0', ...base, 'CSeq: 1 INVITE', 'this is not a header', '', ''),
    );
    expect(!result.ok && result.error.code).toBe('bad-header-line');
    expect(!result.ok && result.partial?.cseq).toBe('1 INVITE');
  });

  it('rejects two From headers', () => {
    const result = parseMessage(
      lines('OPTIONS sip:x@example.com SIP/2.0', ...base, 'From: <sip:c@d>;tag=2', 'CSeq: 1 OPTIONS', '', ''),
    );
    expect(!result.ok && result.error.message).toBe('duplicate From/To');
  });

  it('rejects a malformed Max-Forwards', () => {
    const result = parseMessage(
      lines('OPTIONS sip:x@example.com SIP/2.0', ...base, 'CSeq: 1 OPTIONS', 'Max-Forwards: many', '', ''),
    );
    expect(!result.ok && result.error.message).toBe('bad Max-Forwards');
  });

  it('rejects control characters outside the body (§25.1)', () => {
    const result = parseMessage(
      lines('OPTIONS sip:x@example.com SIP/2.0', ...base, 'CSeq: 1 OPTIONS', 'Subject: a\u0002b', '', ''),
    );
    expect(!result.ok && result.error.message).toBe('control character in header');
    expect(!result.ok && result.partial).toBeDefined();
  });

  it('rejects a Call-ID that is not word["@"word] (§25.1)', () => {
    for (const callId of ['two words', 'caf\u00e9@host', 'a@b@c']) {
      const headers = base.map((l) => (l.startsWith('Call-ID') ? `Call-ID: ${callId}` : l));
      const result = parseMessage(
        lines('OPTIONS sip:x@example.com SIP/2.0', ...headers, 'CSeq: 1 OPTIONS', '', ''),
      );
      expect(!result.ok && result.error.message, callId).toBe('bad Call-ID');
    }
  });

  it('rejects a top Via that is not SIP/2.0', () => {
    const result = parseMessage(
      lines(
        'OPTIONS sip:x@example.com SIP/2.0',
        'Via: SIP/9.9/UDP h;branch=z9hG4bKv',
        ...base.slice(1),
        'CSeq: 1 OPTIONS',
        '',
        '',
      ),
    );
    expect(!result.ok && result.error.message).toBe('bad Via');
  });

  it('rejects an unparseable SIP Request-URI but tolerates other schemes', () => {
    const bad = parseMessage(lines('OPTIONS sip:x@exa mple SIP/2.0', ...base, 'CSeq: 1 OPTIONS', '', ''));
    expect(bad.ok).toBe(false);
    const worse = parseMessage(lines('OPTIONS sip:x@[::1 SIP/2.0', ...base, 'CSeq: 1 OPTIONS', '', ''));
    expect(!worse.ok && worse.error.message).toBe('bad Request-URI');
    const tel = parseMessage(lines('OPTIONS tel:+8613812345678 SIP/2.0', ...base, 'CSeq: 1 OPTIONS', '', ''));
    expect(tel.ok).toBe(true);
  });

  it('survives pathological whitespace without quadratic blow-up', () => {
    const started = Date.now();
    const spaces = ' '.repeat(60_000);
    parseMessage(
      lines('OPTIONS sip:x@example.com SIP/2.0', `X-A:${spaces}x`, `X-B${spaces}: y`, ...base, '', ''),
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
