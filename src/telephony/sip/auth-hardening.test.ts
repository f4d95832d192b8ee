import { describe, expect, it, vi } from 'vitest';
import {
  DigestAuthenticator,
  buildAuthorization,
  parseDigestChallenge,
  parseDigestCredentials,
  type DigestCredentials,
} from './digest-auth.ts';
import { createRequest, type SipRequest, type SipResponse } from './message.ts';
import { Registrar } from './registrar.ts';
import { SourceGuard } from './security.ts';
import type { PeerAddress } from './transport.ts';

const SECRET = Buffer.from('server-secret-for-tests');

function authenticator(clock: { now: number }, options: { secret?: Buffer; ttl?: number } = {}) {
  return new DigestAuthenticator({
    realm: 'sy',
    secret: options.secret ?? SECRET,
    algorithms: ['MD5', 'SHA-256'],
    ...(options.ttl === undefined ? {} : { nonceTtlMs: options.ttl }),
    now: () => clock.now,
  });
}

function credentialsFor(nonce: string, password: string, user = '1001'): DigestCredentials {
  const header = buildAuthorization(
    { realm: 'sy', nonce, algorithm: 'MD5', qop: 'auth' },
    { username: user, password, method: 'REGISTER', uri: 'sip:sy' },
  );
  return parseDigestCredentials(header) as DigestCredentials;
}

/** Flip one character of the part after the dot (the HMAC) or of the timestamp before it. */
function tamper(nonce: string, part: 'mac' | 'stamp'): string {
  const [stamp = '', mac = ''] = nonce.split('.');
  if (part === 'mac') return `${stamp}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
  // Push the timestamp an hour into the future: what someone stretching a nonce's life would do.
  return `${(parseInt(stamp, 16) + 3_600_000).toString(16)}.${mac}`;
}

describe('digest nonces (HMAC of a timestamp under the server secret)', () => {
  it('a fresh nonce is valid, with no per-nonce state: another instance with the secret agrees', () => {
    const clock = { now: 1_700_000_000_000 };
    const nonce = authenticator(clock).createNonce();
    expect(authenticator(clock).checkNonce(nonce)).toBe('valid');
    expect(authenticator(clock).verify(credentialsFor(nonce, 'pw'), 'REGISTER', 'pw')).toBe('ok');
  });

  it('expires after 5 minutes by default: stale, and a correct digest gets stale (a new challenge), never ok', () => {
    const clock = { now: 1_700_000_000_000 };
    const auth = authenticator(clock);
    const nonce = auth.createNonce();
    const answer = credentialsFor(nonce, 'pw');
    clock.now += 300_000;
    expect(auth.checkNonce(nonce)).toBe('valid');
    clock.now += 1;
    expect(auth.checkNonce(nonce)).toBe('stale');
    expect(auth.verify(answer, 'REGISTER', 'pw')).toBe('stale');
    // Reusing it later still never authenticates, and a wrong password over it is plainly invalid.
    clock.now += 86_400_000;
    expect(auth.verify(answer, 'REGISTER', 'pw')).toBe('stale');
    expect(auth.verify(credentialsFor(nonce, 'guess'), 'REGISTER', 'pw')).toBe('invalid');
  });

  it('honours a configured lifetime', () => {
    const clock = { now: 1_700_000_000_000 };
    const auth = authenticator(clock, { ttl: 10_000 });
    const nonce = auth.createNonce();
    clock.now += 10_001;
    expect(auth.checkNonce(nonce)).toBe('stale');
  });

  it('rejects a tampered nonce: changed HMAC, stretched timestamp, another secret, garbage', () => {
    const clock = { now: 1_700_000_000_000 };
    const auth = authenticator(clock);
    const nonce = auth.createNonce();
    for (const bad of [
      tamper(nonce, 'mac'),
      tamper(nonce, 'stamp'),
      authenticator(clock, { secret: Buffer.from('other') }).createNonce(),
      'deadbeef',
      '',
      '.',
      `${nonce}x`,
      'zz.abc',
    ])
      expect(auth.checkNonce(bad), bad).toBe('invalid');
    // Credentials computed over the genuine nonce but sent with a tampered one do not verify.
    const answer = credentialsFor(nonce, 'pw');
    expect(auth.verify({ ...answer, nonce: tamper(nonce, 'stamp') }, 'REGISTER', 'pw')).toBe('invalid');
    // A correct digest over a nonce that is not ours (e.g. issued before a restart) is never
    // accepted; it gets a stale=true challenge so the phone retries with a fresh nonce (RFC 7616 §3.3).
    const foreign = tamper(nonce, 'mac');
    expect(auth.verify(credentialsFor(foreign, 'pw'), 'REGISTER', 'pw')).toBe('stale');
    expect(auth.verify(credentialsFor(foreign, 'guess'), 'REGISTER', 'pw')).toBe('invalid');
  });

  it('rejects a nonce stamped in the future (more than the 5 s clock-skew allowance)', () => {
    const clock = { now: 1_700_000_000_000 };
    const auth = authenticator(clock);
    expect(auth.checkNonce(auth.createNonce(clock.now + 4_000))).toBe('valid');
    expect(auth.checkNonce(auth.createNonce(clock.now + 60_000))).toBe('invalid');
  });
});

const PASSWORDS: Record<string, string> = { '1001': 'right-password' };
const SOURCE: PeerAddress = { transport: 'udp', host: '203.0.113.50', port: 5060 };
let cseq = 1;

function register(user: string): SipRequest {
  return createRequest('REGISTER', 'sip:sy', [
    ['Via', 'SIP/2.0/UDP 203.0.113.50:5060;branch=z9hG4bKauth'],
    ['From', `<sip:${user}@sy>;tag=f${cseq}`],
    ['To', `<sip:${user}@sy>`],
    ['Call-ID', `reg-${user}`],
    ['CSeq', `${cseq++} REGISTER`],
    ['Contact', `<sip:${user}@203.0.113.50:5060>`],
  ]);
}

function setup(guardOptions = {}) {
  const clock = { now: 1_700_000_000_000 };
  const auth = authenticator(clock);
  const guard = new SourceGuard(guardOptions, () => clock.now);
  const registrar = new Registrar({
    authenticator: auth,
    credentials: async (u) => PASSWORDS[u] ?? null,
    now: () => clock.now,
    guard,
  });
  /** REGISTER, answer the 401 as a phone would with `password`, return the final response. */
  const attempt = async (user: string, password: string, source = SOURCE): Promise<SipResponse> => {
    const request = register(user);
    const challenge = await registrar.handle(request, source);
    expect(challenge.status).toBe(401);
    const parsed = parseDigestChallenge(challenge.headers.get('www-authenticate') ?? '');
    if (parsed === undefined) throw new Error('no challenge');
    request.headers.append(
      'Authorization',
      buildAuthorization(parsed, { username: user, password, method: 'REGISTER', uri: 'sip:sy' }),
    );
    return registrar.handle(request, source);
  };
  return { clock, auth, guard, registrar, attempt };
}

/** A response with its per-request parts (tags, Call-ID, CSeq, user) blanked out. */
function shape(response: SipResponse): string[] {
  return [
    `${response.status} ${response.reason}`,
    ...response.headers.entries().map(
      (f) =>
        `${f.name}: ${f.value
          .replace(/tag=[^;>]+/, 'tag=*')
          .replace(/\d+/g, 'N')
          .replace(/reg-\w+/, 'ID')}`,
    ),
    `body ${response.body.length}`,
  ];
}

describe('REGISTER without extension enumeration', () => {
  it('answers an unknown user exactly like a wrong password: 403, same headers, no challenge', async () => {
    const { attempt } = setup();
    const wrongPassword = await attempt('1001', 'guess');
    const unknownUser = await attempt('9999', 'guess');
    expect(wrongPassword.status).toBe(403);
    expect(shape(unknownUser)).toEqual(shape(wrongPassword));
    expect(unknownUser.headers.get('www-authenticate')).toBeUndefined();
  });

  it('computes a digest for an unknown user too, so timing does not tell them apart', async () => {
    const { auth, attempt } = setup();
    const verify = vi.spyOn(auth, 'verify');
    await attempt('9999', 'guess');
    await attempt('1001', 'guess');
    expect(verify).toHaveBeenCalledTimes(2);
    expect(verify.mock.results.map((r) => r.value)).toEqual(['invalid', 'invalid']);
  });

  it('a correct digest over an expired nonce gets 401 stale=true with a fresh nonce, not a failure', async () => {
    const { clock, guard, registrar } = setup({ maxAuthFailures: 1 });
    const request = register('1001');
    const challenge = parseDigestChallenge(
      (await registrar.handle(request, SOURCE)).headers.get('www-authenticate') ?? '',
    );
    if (challenge === undefined) throw new Error('no challenge');
    request.headers.append(
      'Authorization',
      buildAuthorization(challenge, {
        username: '1001',
        password: 'right-password',
        method: 'REGISTER',
        uri: 'sip:sy',
      }),
    );
    clock.now += 5 * 60_000 + 1;
    const response = await registrar.handle(request, SOURCE);
    expect(response.status).toBe(401);
    const again = parseDigestChallenge(response.headers.get('www-authenticate') ?? '');
    expect(again?.stale).toBe(true);
    expect(again?.nonce).not.toBe(challenge.nonce);
    expect(guard.isLocked(SOURCE.host)).toBe(false);
  });
});

describe('REGISTER failures feed the lockout', () => {
  it('counts wrong passwords and unknown users, not challenges or successes', async () => {
    const { guard, attempt } = setup({ maxAuthFailures: 3 });
    for (let i = 0; i < 20; i++) expect((await attempt('1001', 'right-password')).status).toBe(200);
    expect((await attempt('1001', 'guess-1')).status).toBe(403);
    expect((await attempt('9999', 'guess-2')).status).toBe(403);
    expect((await attempt('1001', 'right-password')).status).toBe(200);
    expect(guard.isLocked(SOURCE.host)).toBe(false);
    expect((await attempt('1001', 'guess-3')).status).toBe(403);
    expect(guard.isLocked(SOURCE.host)).toBe(true);
    // Another source is not affected.
    expect(guard.isLocked('203.0.113.51')).toBe(false);
  });
});
