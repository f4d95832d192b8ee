import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DigestAuthenticator,
  buildAuthorization,
  computeDigestResponse,
  parseDigestChallenge,
  parseDigestCredentials,
} from './digest-auth.ts';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('digest computation (RFC 2617 §3.2.2.1, RFC 8760)', () => {
  it('matches the RFC 2617 §3.5 example (MD5, qop=auth)', () => {
    const response = computeDigestResponse({
      algorithm: 'MD5',
      username: 'Mufasa',
      password: 'Circle Of Life',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    });
    expect(response).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('matches the RFC 7616 §3.9.1 example for SHA-256 and MD5', () => {
    const input = {
      username: 'Mufasa',
      password: 'Circle of Life',
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      method: 'GET',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    };
    expect(computeDigestResponse({ ...input, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
    expect(computeDigestResponse({ ...input, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('agrees with a direct node:crypto computation for a SIP REGISTER', () => {
    const ha1 = sha256('1001:switchyard:pa55');
    const ha2 = sha256('REGISTER:sip:switchyard');
    const expected = sha256(`${ha1}:abc:0000000a:xyz:auth:${ha2}`);
    const actual = computeDigestResponse({
      algorithm: 'SHA-256',
      username: '1001',
      password: 'pa55',
      realm: 'switchyard',
      nonce: 'abc',
      method: 'REGISTER',
      uri: 'sip:switchyard',
      qop: 'auth',
      nc: '0000000a',
      cnonce: 'xyz',
    });
    expect(actual).toBe(expected);
  });

  it('uses the RFC 2069 form when no qop is given', () => {
    const expected = md5(`${md5('u:r:p')}:n:${md5('INVITE:sip:x@y')}`);
    expect(
      computeDigestResponse({
        algorithm: 'MD5',
        username: 'u',
        password: 'p',
        realm: 'r',
        nonce: 'n',
        method: 'INVITE',
        uri: 'sip:x@y',
      }),
    ).toBe(expected);
  });
});

describe('DigestAuthenticator (server side)', () => {
  let clock = 1_700_000_000_000;
  const auth = new DigestAuthenticator({
    realm: 'sy',
    secret: Buffer.from('k'),
    nonceTtlMs: 60_000,
    now: () => clock,
  });

  const answer = (challengeHeader: string, password: string, algorithmIndex = 0) => {
    const challenge = parseDigestChallenge(challengeHeader);
    if (challenge === undefined) throw new Error('bad challenge');
    const header = buildAuthorization(challenge, {
      username: '1001',
      password,
      method: 'REGISTER',
      uri: 'sip:sy',
    });
    return { credentials: parseDigestCredentials(header)!, algorithmIndex };
  };

  it('offers one challenge per algorithm, strongest first, with qop=auth', () => {
    const challenges = auth.challenges();
    expect(challenges).toHaveLength(2);
    expect(parseDigestChallenge(challenges[0]!)).toMatchObject({
      algorithm: 'SHA-256',
      qop: 'auth',
      realm: 'sy',
    });
    expect(parseDigestChallenge(challenges[1]!)?.algorithm).toBe('MD5');
  });

  it('accepts correct credentials for both algorithms and rejects a wrong password', () => {
    for (const challenge of auth.challenges()) {
      expect(auth.verify(answer(challenge, 'pw').credentials, 'REGISTER', 'pw')).toBe('ok');
      expect(auth.verify(answer(challenge, 'nope').credentials, 'REGISTER', 'pw')).toBe('invalid');
    }
  });

  it('rejects a forged nonce and a wrong realm', () => {
    const { credentials } = answer(auth.challenges()[0]!, 'pw');
    expect(
      auth.verify({ ...credentials, nonce: `${credentials.nonce.split('.')[0]}.forged` }, 'REGISTER', 'pw'),
    ).toBe('invalid');
    expect(auth.verify({ ...credentials, realm: 'other' }, 'REGISTER', 'pw')).toBe('invalid');
    const other = new DigestAuthenticator({
      realm: 'sy',
      secret: Buffer.from('other-key'),
      now: () => clock,
    });
    expect(other.checkNonce(credentials.nonce)).toBe('invalid');
  });

  it('reports stale (not invalid) for a correct digest over an expired nonce', () => {
    const { credentials } = answer(auth.challenges()[0]!, 'pw');
    clock += 61_000;
    expect(auth.verify(credentials, 'REGISTER', 'pw')).toBe('stale');
    expect(auth.verify(answer(auth.challenges()[0]!, 'pw').credentials, 'REGISTER', 'pw')).toBe('ok');
    expect(parseDigestChallenge(auth.challenges(true)[0]!)?.stale).toBe(true);
  });

  it('refuses qop=auth without nc/cnonce', () => {
    const { credentials } = answer(auth.challenges()[0]!, 'pw');
    const { nc: _nc, ...withoutNc } = credentials;
    expect(auth.verify(withoutNc, 'REGISTER', 'pw')).toBe('invalid');
  });
});

describe('header parsing', () => {
  it('parses Authorization with quoted commas and unquoted params', () => {
    const credentials = parseDigestCredentials(
      'Digest username="bob", realm="a,b", nonce="n", uri="sip:a,b", response="0123", algorithm=MD5, qop=auth, nc=00000001, cnonce="c"',
    );
    expect(credentials).toMatchObject({
      username: 'bob',
      realm: 'a,b',
      uri: 'sip:a,b',
      qop: 'auth',
      nc: '00000001',
    });
    expect(parseDigestCredentials('Basic Ym9iOnB3')).toBeUndefined();
    expect(parseDigestCredentials('Digest username="bob", algorithm=SHA-512')).toBeUndefined();
  });
});
