import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeDigestResponse, parseDigestCredentials } from './digest-auth.ts';
import { createResponse } from './message-factory.ts';
import { serialize, type SipRequest } from './message.ts';
import { parseMessage } from './parser.ts';
import { SipCallError, SipUserAgent } from './index.ts';

const SDP =
  'v=0\r\no=c 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40010 RTP/AVP 0\r\n';

/** A carrier proxy on a raw UDP socket: challenges the first INVITE with `status`, then answers. */
async function carrier(status: 401 | 407, password: string) {
  const socket: Socket = createSocket('udp4');
  const received: SipRequest[] = [];
  socket.on('message', (buf, rinfo) => {
    const parsed = parseMessage(buf);
    if (!parsed.ok || parsed.message.kind !== 'request') return;
    const req = parsed.message;
    received.push(req);
    const reply = (msg: Parameters<typeof serialize>[0]) =>
      socket.send(serialize(msg), rinfo.port, rinfo.address);
    if (req.method === 'BYE') reply(createResponse(req, 200));
    if (req.method !== 'INVITE') return;
    const header = status === 407 ? 'proxy-authorization' : 'authorization';
    const creds = req.headers.get(header);
    if (creds === undefined) {
      reply(
        createResponse(req, status, {
          toTag: 'c1',
          headers: [
            [
              status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate',
              'Digest realm="carrier.test", nonce="abc123", algorithm=MD5, qop="auth"',
            ],
          ],
        }),
      );
      return;
    }
    const c = parseDigestCredentials(creds)!;
    const expected = computeDigestResponse({
      algorithm: 'MD5',
      username: c.username,
      password,
      realm: c.realm,
      nonce: c.nonce,
      method: 'INVITE',
      uri: c.uri,
      qop: 'auth',
      nc: c.nc!,
      cnonce: c.cnonce!,
    });
    if (c.response !== expected) {
      reply(createResponse(req, 403, { toTag: 'c2' }));
      return;
    }
    reply(
      createResponse(req, 200, {
        toTag: 'c2',
        headers: [
          ['Contact', `<sip:carrier@127.0.0.1:${socket.address().port}>`],
          ['Content-Type', 'application/sdp'],
        ],
        body: SDP,
      }),
    );
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { socket, received, port: socket.address().port };
}

describe('INVITE through a carrier that challenges (RFC 3261 §22.2)', () => {
  let ua: SipUserAgent;
  let sockets: Socket[] = [];

  beforeEach(async () => {
    ua = new SipUserAgent(
      { host: '127.0.0.1', port: 0, domain: '127.0.0.1', credentials: async () => null },
      { onInvite: () => undefined },
    );
    await ua.start();
  });
  afterEach(async () => {
    await ua.stop();
    for (const s of sockets) s.close();
    sockets = [];
  });

  it.each([401, 407] as const)(
    'answers a %i once, with the same Call-ID and From tag and CSeq 2',
    async (status) => {
      const c = await carrier(status, 'pw');
      sockets.push(c.socket);
      const out = ua.invite({
        to: `sip:013800000001@127.0.0.1:${c.port}`,
        from: { user: '02088886666', domain: 'carrier.test' },
        sdp: SDP,
        credentials: { username: 'acct', password: 'pw' },
      });
      const call = await out.answered;
      expect(call.sdp).toContain('m=audio 40010');
      const invites = c.received.filter((r) => r.method === 'INVITE');
      expect(invites).toHaveLength(2);
      expect(invites.map((r) => r.headers.get('cseq'))).toEqual(['1 INVITE', '2 INVITE']);
      expect(new Set(invites.map((r) => r.headers.get('call-id'))).size).toBe(1);
      expect(new Set(invites.map((r) => r.headers.get('from'))).size).toBe(1);
      expect(invites[0]!.headers.get('from')).toContain('sip:02088886666@carrier.test');
      const header = status === 407 ? 'proxy-authorization' : 'authorization';
      expect(parseDigestCredentials(invites[1]!.headers.get(header)!)).toMatchObject({
        username: 'acct',
        uri: `sip:013800000001@127.0.0.1:${c.port}`,
      });
      // The 2xx to the second INVITE is ACKed with its CSeq.
      await expect
        .poll(() => c.received.find((r) => r.method === 'ACK' && r.headers.get('cseq') === '2 ACK'))
        .toBeTruthy();
      await call.dialog.bye();
    },
  );

  it('gives up after one answer: a wrong password is a rejected call, and no credentials means no retry', async () => {
    const c = await carrier(407, 'right');
    sockets.push(c.socket);
    const wrong = ua.invite({
      to: `sip:1@127.0.0.1:${c.port}`,
      from: { user: 'x' },
      sdp: SDP,
      credentials: { username: 'acct', password: 'wrong' },
    });
    await expect(wrong.answered).rejects.toMatchObject({ code: 'rejected', status: 403 });
    const none = ua.invite({ to: `sip:2@127.0.0.1:${c.port}`, from: { user: 'x' }, sdp: SDP });
    const err = await none.answered.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SipCallError);
    expect(err).toMatchObject({ status: 407 });
    expect(c.received.filter((r) => r.method === 'INVITE')).toHaveLength(3);
  });
});
