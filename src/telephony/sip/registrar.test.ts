import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DigestAuthenticator, buildAuthorization, parseDigestChallenge } from './digest-auth.ts';
import { createRequest, type SipRequest, type SipResponse } from './message.ts';
import { Registrar, type Binding } from './registrar.ts';
import type { PeerAddress } from './transport.ts';

const SOURCE: PeerAddress = { transport: 'tcp', host: '203.0.113.7', port: 40123, connectionId: 'tcp-9' };
const PASSWORDS: Record<string, string> = { '1001': 'pw1001', '1002': 'pw1002' };

let now = 1_000_000;
let cseq = 1;

function register(
  user: string,
  contacts: string[],
  expires?: number,
  toUser = user,
  callId = 'reg-call',
): SipRequest {
  const headers: [string, string][] = [
    ['Via', 'SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bKr'],
    ['From', `<sip:${user}@sy>;tag=f`],
    ['To', `<sip:${toUser}@sy>`],
    ['Call-ID', callId],
    ['CSeq', `${cseq++} REGISTER`],
    ...contacts.map((c): [string, string] => ['Contact', c]),
  ];
  if (expires !== undefined) headers.push(['Expires', String(expires)]);
  return createRequest('REGISTER', 'sip:sy', headers);
}

describe('Registrar (RFC 3261 §10.3)', () => {
  let registrar: Registrar;
  let changes: [string, Binding[]][];
  const authenticator = new DigestAuthenticator({ realm: 'sy', algorithms: ['MD5'], now: () => now });

  /** Send REGISTER, answer the 401 like a phone would, return the final response. */
  async function authed(
    request: SipRequest,
    user = request.headers.get('from')?.match(/sip:(\d+)/)?.[1] ?? '',
    password?: string,
  ): Promise<SipResponse> {
    const challenge = await registrar.handle(request, SOURCE);
    expect(challenge.status).toBe(401);
    const parsed = parseDigestChallenge(challenge.headers.get('www-authenticate') ?? '')!;
    request.headers.append(
      'Authorization',
      buildAuthorization(parsed, {
        username: user,
        password: password ?? PASSWORDS[user] ?? '',
        method: 'REGISTER',
        uri: 'sip:sy',
      }),
    );
    return registrar.handle(request, SOURCE);
  }

  beforeEach(() => {
    vi.useFakeTimers();
    changes = [];
    registrar = new Registrar(
      {
        authenticator,
        credentials: async (u) => PASSWORDS[u] ?? null,
        minExpires: 60,
        maxExpires: 3600,
        now: () => now,
        sweepIntervalMs: 1000,
      },
      { onBindingChange: (user, bindings) => changes.push([user, [...bindings]]) },
    );
    registrar.start();
  });
  afterEach(() => {
    registrar.stop();
    vi.useRealTimers();
  });

  it('challenges a REGISTER without credentials with 401 and WWW-Authenticate', async () => {
    const response = await registrar.handle(register('1001', ['<sip:1001@10.0.0.5>']), SOURCE);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Digest realm="sy", nonce="[^"]+", algorithm=MD5, qop="auth"$/,
    );
  });

  it('adds a binding, remembers the source flow and lists bindings with expires in the 200', async () => {
    const response = await authed(register('1001', ['<sip:1001@10.0.0.5:5060;transport=tcp>'], 600));
    expect(response.status).toBe(200);
    expect(response.headers.getAll('contact')).toEqual([
      '<sip:1001@10.0.0.5:5060;transport=tcp>;expires=600',
    ]);
    const [binding] = registrar.lookup('1001');
    expect(binding?.source).toEqual(SOURCE);
    expect(changes).toHaveLength(1);
  });

  it('the AOR user MUST equal the authenticated user (403 otherwise)', async () => {
    const response = await authed(register('1001', ['<sip:1001@10.0.0.5>'], 600, '1002'), '1001');
    expect(response.status).toBe(403);
    expect(registrar.lookup('1002')).toEqual([]);
  });

  it('rejects a wrong password and an unknown user with 403', async () => {
    expect((await authed(register('1001', ['<sip:1001@h>']), '1001', 'bad')).status).toBe(403);
    expect((await authed(register('9999', ['<sip:9999@h>']), '9999', 'x')).status).toBe(403);
  });

  it('answers 423 Interval Too Brief with Min-Expires for a too-short expiry', async () => {
    const response = await authed(register('1001', ['<sip:1001@h>'], 30));
    expect(response.status).toBe(423);
    expect(response.headers.get('min-expires')).toBe('60');
  });

  it('caps the expiry at maxExpires and prefers the contact expires param over Expires', async () => {
    const response = await authed(
      register('1001', ['<sip:1001@a>;expires=99999', '<sip:1001@b>;expires=120'], 600),
    );
    expect(response.headers.getAll('contact').sort()).toEqual([
      '<sip:1001@a>;expires=3600',
      '<sip:1001@b>;expires=120',
    ]);
  });

  it('Contact: * with Expires: 0 removes all bindings; * with another Expires is a 400', async () => {
    await authed(register('1001', ['<sip:1001@a>', '<sip:1001@b>'], 600));
    expect(registrar.lookup('1001')).toHaveLength(2);
    expect((await authed(register('1001', ['*'], 300))).status).toBe(400);
    const response = await authed(register('1001', ['*'], 0, '1001', 'other-call'));
    expect(response.status).toBe(200);
    expect(response.headers.getAll('contact')).toEqual([]);
    expect(registrar.lookup('1001')).toEqual([]);
    expect(changes.at(-1)).toEqual(['1001', []]);
  });

  it('a REGISTER without Contact is a query returning the current bindings', async () => {
    await authed(register('1001', ['<sip:1001@a>'], 600));
    const response = await authed(register('1001', []));
    expect(response.headers.getAll('contact')).toEqual(['<sip:1001@a>;expires=600']);
  });

  it('an out-of-order REGISTER (same Call-ID, lower CSeq) fails', async () => {
    const later = register('1001', ['<sip:1001@a>'], 600);
    const earlier = register('1001', ['<sip:1001@a>'], 600);
    earlier.headers.set('CSeq', '1 REGISTER');
    await authed(later);
    expect((await authed(earlier)).status).toBe(500);
  });

  it('expires bindings on a timer and reports the change', async () => {
    await authed(register('1001', ['<sip:1001@a>'], 60));
    now += 59_000;
    vi.advanceTimersByTime(1000);
    expect(registrar.lookup('1001')).toHaveLength(1);
    now += 2_000;
    vi.advanceTimersByTime(1000);
    expect(registrar.lookup('1001')).toEqual([]);
    expect(changes.at(-1)).toEqual(['1001', []]);
  });

  it('a refresh does not report a change, a new contact does', async () => {
    await authed(register('1001', ['<sip:1001@a>'], 600));
    await authed(register('1001', ['<sip:1001@a>'], 600));
    expect(changes).toHaveLength(1);
    await authed(register('1001', ['<sip:1001@b>'], 600));
    expect(changes).toHaveLength(2);
  });

  it('Expires 0 on one contact removes only that binding', async () => {
    await authed(register('1001', ['<sip:1001@a>', '<sip:1001@b>'], 600));
    await authed(register('1001', ['<sip:1001@a>;expires=0']));
    expect(registrar.lookup('1001').map((b) => b.contact)).toEqual(['sip:1001@b']);
  });
});
