import { describe, expect, it } from 'vitest';
import { register, type RegistrationHost } from './client-registration.ts';
import { parseDigestCredentials } from './digest-auth.ts';
import { createResponse } from './message-factory.ts';
import type { SipRequest, SipResponse } from './message.ts';

const target = { transport: 'udp' as const, host: '192.0.2.10', port: 5060 };

/** A registrar that challenges every REGISTER without credentials, then grants `granted` seconds. */
function carrier(granted: (req: SipRequest) => [string, string][]) {
  const seen: SipRequest[] = [];
  const host: RegistrationHost = {
    via: () => 'SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKtest;rport',
    contact: (user) => `<sip:${user}@198.51.100.1:5060>`,
    sendRequest: async (request): Promise<SipResponse> => {
      seen.push(request);
      if (!request.headers.has('authorization'))
        return createResponse(request, 401, {
          toTag: 'reg',
          headers: [['WWW-Authenticate', 'Digest realm="carrier", nonce="n1", algorithm=MD5, qop="auth"']],
        });
      return createResponse(request, 200, { toTag: 'reg', headers: granted(request) });
    },
  };
  return { host, seen };
}

describe('REGISTER towards a carrier (RFC 3261 §10.2)', () => {
  it('answers the digest challenge and reads our binding’s expiry from the Contact list', async () => {
    const c = carrier(() => [
      ['Contact', '<sip:other@203.0.113.9>;expires=3000, <sip:trunk@198.51.100.1:5060>;expires=1800'],
    ]);
    const r = await register(c.host, { target, user: 'trunk', password: 'pw', domain: 'ims.example' });
    expect(r).toMatchObject({ status: 200, expires: 1800, cseq: 2 });
    expect(c.seen.map((q) => q.headers.get('cseq'))).toEqual(['1 REGISTER', '2 REGISTER']);
    expect(c.seen[0]!.uri).toBe('sip:ims.example');
    const creds = parseDigestCredentials(c.seen[1]!.headers.get('authorization')!);
    expect(creds).toMatchObject({ username: 'trunk', realm: 'carrier', uri: 'sip:ims.example' });
  });

  it('falls back to the Expires header when the Contact has no expires', async () => {
    const c = carrier(() => [
      ['Contact', '<sip:trunk@198.51.100.1:5060>'],
      ['Expires', '900'],
    ]);
    expect((await register(c.host, { target, user: 'trunk', password: 'pw' })).expires).toBe(900);
  });

  it('§10.2.4: a refresh reuses the Call-ID and continues the CSeq', async () => {
    const c = carrier(() => [['Contact', '<sip:trunk@198.51.100.1:5060>;expires=60']]);
    const first = await register(c.host, { target, user: 'trunk', password: 'pw' });
    const refresh = await register(c.host, {
      target,
      user: 'trunk',
      password: 'pw',
      callId: first.callId,
      cseq: first.cseq,
    });
    expect(refresh.callId).toBe(first.callId);
    expect(c.seen.map((q) => q.headers.get('call-id'))).toEqual(Array(4).fill(first.callId));
    expect(c.seen.map((q) => q.headers.get('cseq'))).toEqual([
      '1 REGISTER',
      '2 REGISTER',
      '3 REGISTER',
      '4 REGISTER',
    ]);
    expect(refresh.cseq).toBe(4);
  });
});
