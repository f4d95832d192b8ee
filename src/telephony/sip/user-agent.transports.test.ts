import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import { buildAuthorization, parseDigestChallenge } from './digest-auth.ts';
import { createResponse, randomToken } from './message-factory.ts';
import { serialize, type SipMessage, type SipRequest, type SipResponse } from './message.ts';
import { parseMessage } from './parser.ts';
import { selfSignedCertificate, type TestCertificate } from './testing/tls-certificate.ts';
import { SipCallError, SipUserAgent, type InboundInvite, type SipUserAgentOptions } from './index.ts';

/**
 * The UA core over the new transports: a browser-style phone (the `ws` package, subprotocol "sip")
 * registers with digest over WebSocket and is called over that same WebSocket (RFC 7118 §5); SIP
 * over TLS and WSS answer OPTIONS; two UAs register and call over TLS. Ports 24400-24499.
 */

const PASSWORDS: Record<string, string> = { '1001': 'secret-1001', '1002': 'secret-1002' };
const SDP =
  'v=0\r\no=b 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n';
const WS_CONTACT = 'sip:1001@df7jal23ls0d.invalid;transport=ws';

let nextPort = 24_400;
const freshPort = (): number => (nextPort = nextPort >= 24_499 ? 24_400 : nextPort + 1);

const running: SipUserAgent[] = [];
const phones: WsPhone[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) p.socket.terminate();
  await Promise.all(running.splice(0).map((ua) => ua.stop()));
});

let certificate: TestCertificate | undefined;
const cert = (): TestCertificate => (certificate ??= selfSignedCertificate());
afterAll(() => certificate?.remove());

async function switchUa(
  options: Partial<SipUserAgentOptions>,
  onInvite: (invite: InboundInvite) => void = (invite) => invite.reject(486),
): Promise<SipUserAgent> {
  const ua = new SipUserAgent(
    {
      host: '127.0.0.1',
      port: 0,
      domain: '127.0.0.1',
      credentials: async (user) => PASSWORDS[user] ?? null,
      timers: { T1: 50 },
      ...options,
    },
    { onInvite },
  );
  running.push(ua);
  await ua.start();
  return ua;
}

/** A SIP-over-WebSocket phone the way a browser stack (JsSIP, SIP.js) does it: one message per frame. */
class WsPhone {
  readonly inbox: SipMessage[] = [];
  private readonly waiters: ((m: SipMessage) => void)[] = [];
  private cseq = 0;
  readonly callId = `ws-reg-${randomToken(6)}`;
  readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('error', () => undefined);
    socket.on('message', (data: Buffer) => {
      const parsed = parseMessage(data);
      if (!parsed.ok) throw new Error(`phone got unparseable data: ${data.toString()}`);
      const waiter = this.waiters.shift();
      if (waiter) waiter(parsed.message);
      else this.inbox.push(parsed.message);
    });
    this.closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
  }

  static async connect(url: string, options: ClientOptions = {}): Promise<WsPhone> {
    const socket = new WebSocket(url, 'sip', options);
    const phone = new WsPhone(socket);
    phones.push(phone);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return phone;
  }

  next(): Promise<SipMessage> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  send(message: SipMessage | string): void {
    this.socket.send(typeof message === 'string' ? message : serialize(message).toString('utf8'));
  }

  async request(text: string): Promise<SipResponse> {
    this.send(text);
    const reply = await this.next();
    if (reply.kind !== 'response') throw new Error(`expected a response, got ${reply.method}`);
    return reply;
  }

  /** REGISTER, answering the digest challenge (RFC 3261 §22.2); returns the final response. */
  async register(password: string, user = '1001'): Promise<SipResponse> {
    let authorization: string | undefined;
    for (;;) {
      const response = await this.request(
        [
          'REGISTER sip:127.0.0.1 SIP/2.0',
          `Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK${randomToken(8)};rport`,
          'Max-Forwards: 70',
          `From: <sip:${user}@127.0.0.1>;tag=ph${this.callId}`,
          `To: <sip:${user}@127.0.0.1>`,
          `Call-ID: ${this.callId}`,
          `CSeq: ${++this.cseq} REGISTER`,
          `Contact: <sip:${user}@df7jal23ls0d.invalid;transport=ws>;expires=600`,
          'User-Agent: JsSIP 3.10.1',
          ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      if (response.status !== 401 || authorization !== undefined) return response;
      const challenge = parseDigestChallenge(response.headers.get('www-authenticate') ?? '');
      if (challenge === undefined) throw new Error('401 without a digest challenge');
      authorization = buildAuthorization(challenge, {
        username: user,
        password,
        method: 'REGISTER',
        uri: 'sip:127.0.0.1',
      });
    }
  }

  async nextRequest(): Promise<SipRequest> {
    const message = await this.next();
    if (message.kind !== 'request') throw new Error(`expected a request, got ${message.status}`);
    return message;
  }
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SIP over WebSocket (RFC 7118) through the UA core', () => {
  it('registers with digest over WS, then an INVITE to that user arrives over the same WebSocket', async () => {
    const changes: string[] = [];
    const server = await switchUa({ ws: { port: freshPort() } });
    server.onRegistrationChange((user, bindings) => changes.push(`${user}:${bindings.length}`));
    const wsPort = server.ports.ws as number;
    expect(wsPort).toBeGreaterThan(0);
    const phone = await WsPhone.connect(`ws://127.0.0.1:${wsPort}`);

    const registered = await phone.register('secret-1001');
    expect(registered.status).toBe(200);
    expect(registered.headers.get('contact')).toBe(`<${WS_CONTACT}>;expires=600`);
    expect(registered.headers.get('via')).toMatch(
      /^SIP\/2\.0\/WS df7jal23ls0d\.invalid;.*received=127\.0\.0\.1/,
    );
    const [binding] = server.registrar.lookup('1001');
    expect(binding?.contact).toBe(WS_CONTACT);
    expect(binding?.source.transport).toBe('ws');
    expect(binding?.source.connectionId).toMatch(/^ws-/);
    expect(changes).toEqual(['1001:1']);

    // The switch calls the extension: routed to the registration's flow, not to the .invalid host.
    const call = server.invite({ to: '1001', from: { user: '900' }, sdp: SDP });
    const invite = await phone.nextRequest();
    expect(invite.method).toBe('INVITE');
    expect(invite.uri).toBe(WS_CONTACT);
    expect(invite.headers.get('via')).toMatch(
      new RegExp(`^SIP/2\\.0/WS 127\\.0\\.0\\.1:${wsPort};branch=z9hG4bK`),
    );
    expect(invite.headers.get('contact')).toBe(`<sip:900@127.0.0.1:${wsPort};transport=ws>`);
    expect(invite.body.toString()).toBe(SDP);
    // Reliable transport: no Timer A retransmissions (§17.1.1.2) even after several T1.
    await settle(300);
    expect(phone.inbox).toHaveLength(0);

    const toTag = randomToken(6);
    const contact: [string, string] = ['Contact', `<${WS_CONTACT}>`];
    phone.send(createResponse(invite, 180, { toTag, headers: [contact] }));
    phone.send(
      createResponse(invite, 200, {
        toTag,
        headers: [contact, ['Content-Type', 'application/sdp']],
        body: SDP.replace('o=b', 'o=ws'),
      }),
    );
    const { dialog, sdp } = await call.answered;
    expect(sdp).toContain('o=ws');
    const ack = await phone.nextRequest();
    expect(ack.method).toBe('ACK');
    expect(ack.uri).toBe(WS_CONTACT);
    expect(ack.headers.get('via')).toMatch(/^SIP\/2\.0\/WS /);

    // In-dialog requests follow the same flow.
    const bye = dialog.bye();
    const byeRequest = await phone.nextRequest();
    expect(byeRequest.method).toBe('BYE');
    phone.send(createResponse(byeRequest, 200));
    await bye;
    expect(server.activeDialogs).toBe(0);
    expect(server.stats().ws?.received).toBeGreaterThanOrEqual(5);
  });

  it('routes a request to a registered WS contact URI over its flow, and forgets the binding when the socket closes', async () => {
    const changes: string[] = [];
    const server = await switchUa({ ws: { port: freshPort() } });
    server.onRegistrationChange((user, bindings) => changes.push(`${user}:${bindings.length}`));
    const phone = await WsPhone.connect(`ws://127.0.0.1:${server.ports.ws}`);
    expect((await phone.register('secret-1001')).status).toBe(200);

    const call = server.invite({ to: WS_CONTACT, from: { user: '900' }, sdp: SDP });
    const invite = await phone.nextRequest();
    expect(invite.uri).toBe(WS_CONTACT);
    phone.send(createResponse(invite, 486, { toTag: randomToken(6) }));
    const refused = (await call.answered.catch((e: unknown) => e)) as SipCallError;
    expect(refused.status).toBe(486);
    expect((await phone.nextRequest()).method).toBe('ACK'); // §17.1.1.3 ACK for the 486, same flow

    phone.socket.close();
    await phone.closed;
    await settle(50);
    expect(server.registrar.lookup('1001')).toEqual([]);
    expect(changes).toEqual(['1001:1', '1001:0']);
    for (const to of ['1001', WS_CONTACT]) {
      const error = (await server
        .invite({ to, from: { user: '900' }, sdp: SDP })
        .answered.catch((e: unknown) => e)) as SipCallError;
      expect(error).toBeInstanceOf(SipCallError);
      expect(error.status).toBe(480);
    }
  });

  it('takes calls from a WS phone: INVITE, 200 and ACK over the socket', async () => {
    const invites: InboundInvite[] = [];
    const server = await switchUa({ ws: { port: freshPort() } }, (invite) => invites.push(invite));
    const phone = await WsPhone.connect(`ws://127.0.0.1:${server.ports.ws}`);
    phone.send(
      [
        'INVITE sip:900@127.0.0.1 SIP/2.0',
        'Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKwsinv1;rport',
        'Max-Forwards: 70',
        'From: "Web" <sip:1001@127.0.0.1>;tag=web1',
        'To: <sip:900@127.0.0.1>',
        'Call-ID: ws-call-1',
        'CSeq: 1 INVITE',
        `Contact: <${WS_CONTACT}>`,
        'Content-Type: application/sdp',
        `Content-Length: ${Buffer.byteLength(SDP)}`,
        '',
        SDP,
      ].join('\r\n'),
    );
    await settle(50);
    const invite = invites[0] as InboundInvite;
    expect(invite.source.transport).toBe('ws');
    const accepted = invite.accept(SDP);
    const ok = await phone.next();
    if (ok.kind !== 'response') throw new Error('expected 200');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('contact')).toBe(`<sip:900@127.0.0.1:${server.ports.ws};transport=ws>`);
    phone.send(
      [
        'ACK sip:900@127.0.0.1 SIP/2.0',
        'Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKwsack1;rport',
        'Max-Forwards: 70',
        'From: "Web" <sip:1001@127.0.0.1>;tag=web1',
        `To: ${ok.headers.get('to')}`,
        'Call-ID: ws-call-1',
        'CSeq: 1 ACK',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const dialog = await accepted;
    expect(dialog.state).toBe('confirmed');
    expect(dialog.peer.transport).toBe('ws');
  });

  it('locks out a WS source after failed logins and closes its socket', async () => {
    const server = await switchUa({ ws: { port: freshPort() }, security: { maxAuthFailures: 2 } });
    const phone = await WsPhone.connect(`ws://127.0.0.1:${server.ports.ws}`, { localAddress: '127.0.0.9' });
    expect((await phone.register('wrong')).status).toBe(403);
    expect((await phone.register('wrong')).status).toBe(403);
    expect(server.security.isLocked('127.0.0.9')).toBe(true);
    phone.send('OPTIONS sip:127.0.0.1 SIP/2.0\r\n\r\n');
    await phone.closed;
    await expect(
      WsPhone.connect(`ws://127.0.0.1:${server.ports.ws}`, { localAddress: '127.0.0.9' }),
    ).rejects.toThrow();
  });
});

const options = (transport: string, n: number): string =>
  [
    'OPTIONS sip:switch@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/${transport} 192.0.2.1:5061;branch=z9hG4bKua${n};rport`,
    'Max-Forwards: 70',
    `From: <sip:probe@example.com>;tag=o${n}`,
    'To: <sip:switch@127.0.0.1>',
    `Call-ID: ua-opt-${n}`,
    `CSeq: ${n} OPTIONS`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

describe('SIP over TLS and WSS through the UA core', () => {
  it('answers OPTIONS over TLS with 200 on the same connection', async () => {
    const { cert: c, key } = cert();
    const server = await switchUa({ tls: { port: freshPort(), cert: c, key } });
    const tlsPort = server.ports.tls as number;
    const socket = tlsConnect({ host: '127.0.0.1', port: tlsPort, ca: c });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', () => resolve());
        socket.once('error', reject);
      });
      const reply = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('\r\n\r\n')) resolve(text);
        });
      });
      socket.write(options('TLS', 1));
      const response = await reply;
      expect(response).toMatch(/^SIP\/2\.0 200 OK\r\n/);
      expect(response).toMatch(
        /Via: SIP\/2\.0\/TLS 192\.0\.2\.1:5061;branch=z9hG4bKua1;rport=\d+;received=127\.0\.0\.1/,
      );
      expect(response).toContain('Allow: ');
      expect(server.stats().tls?.received).toBe(1);
    } finally {
      socket.destroy();
    }
  });

  it('answers OPTIONS over WSS with 200', async () => {
    const { cert: c, key } = cert();
    const server = await switchUa({ wss: { port: freshPort(), cert: c, key } });
    const phone = await WsPhone.connect(`wss://127.0.0.1:${server.ports.wss}`, { ca: c });
    const response = await phone.request(options('WSS', 2));
    expect(response.status).toBe(200);
    expect(response.headers.get('via')).toMatch(/^SIP\/2\.0\/WSS .*received=127\.0\.0\.1/);
  });

  it('a phone registers over TLS and the switch calls it back over that connection', async () => {
    const { cert: c, key } = cert();
    const server = await switchUa({ udp: false, tcp: false, tls: { port: freshPort(), cert: c, key } });
    const phoneInvites: InboundInvite[] = [];
    const phone = await switchUa(
      {
        udp: false,
        tcp: false,
        credentials: async () => null,
        tls: { port: freshPort(), cert: c, key, ca: c },
      },
      (invite) => phoneInvites.push(invite),
    );
    const target = { transport: 'tls' as const, host: '127.0.0.1', port: server.ports.tls as number };
    const result = await phone.register({ target, user: '1002', password: 'secret-1002' });
    expect(result.status).toBe(200);
    const [binding] = server.registrar.lookup('1002');
    expect(binding?.contact).toBe(`sip:1002@127.0.0.1:${phone.ports.tls};transport=tls`);
    expect(binding?.source.connectionId).toMatch(/^tls-/);

    const call = server.invite({ to: '1002', from: { user: '900' }, sdp: SDP });
    await settle(50);
    const invite = phoneInvites[0] as InboundInvite;
    expect(invite.request.headers.get('via')).toMatch(/^SIP\/2\.0\/TLS 127\.0\.0\.1:\d+;/);
    // Over the connection the phone opened, not a new one to the phone's listening port.
    expect(invite.source.port).toBe(server.ports.tls);
    const accepted = invite.accept(SDP);
    const { dialog } = await call.answered;
    await accepted;
    await dialog.bye();
    expect(server.stats().tls?.sent).toBeGreaterThan(0);
  });

  it('refuses to register over TLS to a server whose certificate it cannot verify', async () => {
    const { cert: c, key } = cert();
    const server = await switchUa({ tls: { port: freshPort(), cert: c, key } });
    const phone = await switchUa({
      credentials: async () => null,
      tls: { port: freshPort(), cert: c, key },
    });
    const target = { transport: 'tls' as const, host: '127.0.0.1', port: server.ports.tls as number };
    const result = await phone.register({ target, user: '1002', password: 'secret-1002' });
    expect(result.status).toBe(503);
    expect(server.registrar.lookup('1002')).toEqual([]);
  });
});

describe('listeners that need a certificate', () => {
  it('are not started without one', async () => {
    const server = await switchUa({
      tls: { port: freshPort() },
      wss: { port: freshPort() },
      ws: { port: freshPort() },
    });
    expect(Object.keys(server.ports).sort()).toEqual(['tcp', 'udp', 'ws']);
    expect(server.stats().tls).toBeUndefined();
  });

  it('refuse to start with a certificate but no key', async () => {
    const ua = new SipUserAgent(
      {
        host: '127.0.0.1',
        port: 0,
        domain: '127.0.0.1',
        credentials: async () => null,
        tls: { port: freshPort(), cert: 'PEM' },
      },
      { onInvite: () => undefined },
    );
    await expect(ua.start()).rejects.toThrow(/tls needs both a certificate and a private key/);
    await ua.stop();
  });
});
