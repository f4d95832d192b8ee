import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SipUserAgent, type SipLogger, type SipSecurityOptions } from './index.ts';
import { parseMessage } from './parser.ts';

/** The defences seen over real sockets: lockout, scanners and the rate limit of a running UA. */
const PASSWORDS: Record<string, string> = { '1001': 'secret-1001', '1002': 'secret-1002' };
const running: SipUserAgent[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await Promise.all(running.splice(0).map((ua) => ua.stop()));
});

async function server(security: SipSecurityOptions, logger?: SipLogger): Promise<SipUserAgent> {
  const ua = new SipUserAgent(
    {
      host: '127.0.0.1',
      port: 0,
      domain: '127.0.0.1',
      credentials: async (user) => PASSWORDS[user] ?? null,
      security,
      ...(logger === undefined ? {} : { logger }),
    },
    { onInvite: (invite) => invite.reject(486) },
  );
  await ua.start();
  running.push(ua);
  return ua;
}

/** A phone on `host` (any 127/8 address is loopback on Linux) with short timers, so silence is a quick 408. */
async function phone(host: string): Promise<SipUserAgent> {
  const ua = new SipUserAgent(
    { host, port: 0, domain: host, credentials: async () => null, timers: { T1: 20 } },
    { onInvite: () => undefined },
  );
  await ua.start();
  running.push(ua);
  return ua;
}

/** A raw UDP peer that collects the first line of every reply. */
async function rawPeer(
  host: string,
): Promise<{ send(text: string, port: number): void; replies: string[]; port: number }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const replies: string[] = [];
  socket.on('message', (data) => {
    const parsed = parseMessage(data);
    if (parsed.ok && parsed.message.kind === 'response')
      replies.push(
        `${parsed.message.status}${parsed.message.headers.has('retry-after') ? ` retry-after=${parsed.message.headers.get('retry-after')}` : ''}`,
      );
  });
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  const port = socket.address().port;
  return { send: (text, to) => socket.send(text, to, '127.0.0.1'), replies, port };
}

let counter = 0;
function options(host: string, port: number, userAgent?: string): string {
  counter++;
  return [
    `OPTIONS sip:switch@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP ${host}:${port};branch=z9hG4bKsec${counter};rport`,
    'Max-Forwards: 70',
    `From: <sip:probe@${host}>;tag=p${counter}`,
    'To: <sip:switch@127.0.0.1>',
    `Call-ID: sec-${counter}@${host}`,
    'CSeq: 1 OPTIONS',
    ...(userAgent === undefined ? [] : [`User-Agent: ${userAgent}`]),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('lockout after failed REGISTERs', () => {
  it('locks out the guessing address on UDP and TCP; a correct password from it is ignored; other addresses register', async () => {
    const warnings: Record<string, unknown>[] = [];
    const logger: SipLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (obj, msg) => void warnings.push({ ...obj, msg }),
      error: () => undefined,
    };
    const sw = await server({ maxAuthFailures: 3, lockoutMs: 60_000 }, logger);
    const attacker = await phone('127.0.0.2');
    const target = { transport: 'udp' as const, host: '127.0.0.1', port: sw.port };
    for (const guess of ['a', 'b', 'c'])
      expect((await attacker.register({ target, user: '1001', password: guess })).status).toBe(403);
    expect(sw.security.isLocked('127.0.0.2')).toBe(true);

    // Now even the right password gets no answer at all (the client gives up with its own 408) ...
    expect((await attacker.register({ target, user: '1001', password: 'secret-1001' })).status).toBe(408);
    expect(sw.registrar.lookup('1001')).toEqual([]);
    // ... and TCP connections from that address are closed on accept.
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: sw.port, localAddress: '127.0.0.2' });
      socket.on('close', () => resolve(true));
      socket.on('error', () => undefined);
      socket.on('data', () => resolve(false));
      socket.on('connect', () => socket.write(options('127.0.0.2', 5060)));
    });
    expect(closed).toBe(true);

    // A phone on another address is unaffected, and successes there never count.
    const desk = await phone('127.0.0.1');
    expect((await desk.register({ target, user: '1002', password: 'secret-1002' })).status).toBe(200);
    expect(sw.registrar.lookup('1002')).toHaveLength(1);
    expect(sw.stats().udp?.blocked).toBeGreaterThan(0);

    const lockLine = warnings.find((w) => w.msg === 'sip: source locked out');
    expect(lockLine).toMatchObject({ ip: '127.0.0.2', reason: 'auth-failures' });
    expect(JSON.stringify(warnings)).not.toContain('secret-1001');
  });
});

describe('scanners', () => {
  it('drops a friendly-scanner OPTIONS without an answer and locks its address out', async () => {
    const sw = await server({});
    const scanner = await rawPeer('127.0.0.3');
    scanner.send(options('127.0.0.3', scanner.port, 'friendly-scanner'), sw.port);
    await settle(300);
    expect(scanner.replies).toEqual([]);
    // The same address without the tell-tale User-Agent is still ignored ...
    scanner.send(options('127.0.0.3', scanner.port, 'Linphone/5.2'), sw.port);
    await settle(300);
    expect(scanner.replies).toEqual([]);
    expect(sw.security.lockedSources()).toEqual([
      expect.objectContaining({ source: '127.0.0.3', reason: 'scanner' }),
    ]);
    // ... while everyone else is answered.
    const monitor = await rawPeer('127.0.0.1');
    monitor.send(options('127.0.0.1', monitor.port), sw.port);
    await expect.poll(() => monitor.replies).toEqual(['200']);
  });
});

describe('request-rate limit', () => {
  it('answers one 503 with Retry-After per second once a source is over its rate, then recovers', async () => {
    const sw = await server({ rateLimitLoopback: true, requestsPerSecond: 5, requestBurst: 10 });
    const peer = await rawPeer('127.0.0.4');
    for (let i = 0; i < 30; i++) peer.send(options('127.0.0.4', peer.port), sw.port);
    await expect.poll(() => peer.replies.length).toBe(11);
    await settle(200);
    expect(peer.replies.filter((r) => r === '200')).toHaveLength(10);
    expect(peer.replies.filter((r) => r.startsWith('503'))).toEqual(['503 retry-after=1']);
    expect(sw.stats().udp?.rateLimited).toBe(20);
    await settle(1100);
    peer.send(options('127.0.0.4', peer.port), sw.port);
    await expect.poll(() => peer.replies.at(-1)).toBe('200');
  });

  it('by default leaves loopback alone: a burst of 400 requests is answered in full', async () => {
    const sw = await server({});
    const peer = await rawPeer('127.0.0.1');
    // Far over the default 50/s with a burst of 100, in bursts small enough for the socket buffers.
    for (let i = 0; i < 400; i++) {
      peer.send(options('127.0.0.1', peer.port), sw.port);
      if (i % 20 === 19) await settle(2);
    }
    await expect.poll(() => peer.replies.length, { timeout: 5000 }).toBe(400);
    expect(new Set(peer.replies)).toEqual(new Set(['200']));
    expect(sw.stats().udp).toMatchObject({ received: 400, rateLimited: 0, blocked: 0 });
  });
});
