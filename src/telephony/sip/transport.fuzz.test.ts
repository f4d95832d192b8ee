import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipUserAgent, silentLogger, type SipLogger, type SipMessage } from './index.ts';
import { topVia } from './message-factory.ts';
import { parseMessage } from './parser.ts';
import { Rng, mutate, randomInput, sipSeedCorpus } from './testing/fuzz.ts';
import { emptyStats, handleInbound, responseTarget, type PeerAddress } from './transport.ts';

/**
 * Mutated messages through the real transports of a running user agent (issue #4): every
 * malformed-but-answerable request gets its 400/505, the rest is dropped, the UA core never
 * throws on what the parser lets through, and a valid OPTIONS is still answered afterwards.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 3_261);
const UDP_MESSAGES = 2_500;
const TCP_CONNECTIONS = 150;

let ua: SipUserAgent;
let socket: Socket;
const replies: Buffer[] = [];
const problems: { level: string; msg: string; obj: Record<string, unknown> }[] = [];

const logger: SipLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (obj, msg) => void problems.push({ level: 'warn', msg, obj }),
  error: (obj, msg) => void problems.push({ level: 'error', msg, obj }),
};

beforeAll(async () => {
  ua = new SipUserAgent(
    {
      host: '127.0.0.1',
      port: 0,
      domain: '127.0.0.1',
      credentials: async () => null,
      logger,
      timers: { T1: 20 },
      // Mutated REGISTERs carry (wrong) digest credentials; locking the fuzzer out would end the test.
      security: { maxAuthFailures: 0 },
    },
    { onInvite: (invite) => invite.reject(486) },
  );
  await ua.start();
  socket = createSocket('udp4');
  socket.on('message', (data) => replies.push(data));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
});

afterAll(async () => {
  socket?.close();
  await ua?.stop();
});

const OPTIONS = (transport: 'UDP' | 'TCP', port: number, n: number): string =>
  [
    `OPTIONS sip:switch@127.0.0.1:${ua.port} SIP/2.0`,
    `Via: SIP/2.0/${transport} 127.0.0.1:${port};branch=z9hG4bKalive${n};rport`,
    'Max-Forwards: 70',
    `From: <sip:monitor@127.0.0.1>;tag=alive${n}`,
    `To: <sip:switch@127.0.0.1>`,
    `Call-ID: alive-${n}@127.0.0.1`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What any SIP peer needs from our responses: a status line, clean header lines, an exact Content-Length. */
function wireViolations(data: Buffer): string[] {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return ['no end of headers'];
  const head = data.toString('utf8', 0, end);
  const v: string[] = [];
  if (!/^SIP\/2\.0 [1-6]\d\d /.test(head)) v.push('status line');
  // eslint-disable-next-line no-control-regex -- control characters are what is checked for
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n/.test(head))
    v.push('control character or bare CR/LF');
  const length = /\r\nContent-Length: (\d+)\r\n|\r\nContent-Length: (\d+)$/.exec(head);
  if (length === null) v.push('no Content-Length');
  else if (Number(length[1] ?? length[2]) !== data.length - end - 4)
    v.push('Content-Length differs from the body');
  return v;
}

function statusLine(data: Buffer): string {
  return data.toString('latin1', 0, Math.max(0, data.indexOf('\r\n')));
}

describe('the shared receive path under fuzzing', () => {
  it('15 000 mutated datagrams: answered exactly when the parser says so, and always back to the source', () => {
    const rng = new Rng(SEED + 2);
    const corpus = sipSeedCorpus();
    const source: PeerAddress = { transport: 'udp', host: '127.0.0.9', port: 40_999 };
    const astray: string[] = [];
    let delivered = 0;
    let answered = 0;
    let answerable = 0;
    const toSource = (message: SipMessage, where: string): void => {
      // Symmetric response routing (RFC 3581, forced): whatever the Via says, answers go to the source.
      const target = responseTarget(topVia(message), source);
      if (target.host !== source.host || target.port !== source.port)
        astray.push(
          `${where} → ${target.host}:${target.port} ${message.headers.getAll('via')[0]?.slice(0, 200)}`,
        );
    };
    for (let i = 0; i < 15_000; i++) {
      const datagram = rng.chance(0.1) ? randomInput(rng) : mutate(rng, rng.pick(corpus), corpus);
      const parsed = parseMessage(datagram);
      if (!parsed.ok && parsed.partial !== undefined) answerable++;
      handleInbound(datagram, source, {
        delegate: {
          onMessage: (message) => {
            delivered++;
            if (message.kind === 'request') toSource(message, 'request');
          },
        },
        stats: emptyStats(),
        logger: silentLogger,
        localHost: '127.0.0.1',
        forceRport: true,
        reply: async (response, target) => {
          answered++;
          toSource(response, 'reply');
          if (target.host !== source.host || target.port !== source.port)
            astray.push(`sent to ${target.host}`);
        },
      });
    }
    expect(astray.slice(0, 5)).toEqual([]);
    expect(answered).toBe(answerable);
    expect(delivered).toBeGreaterThan(2_000);
  }, 30_000);
});

describe('fuzzing through the UDP and TCP transports of a running user agent', () => {
  it(`answers or drops ${UDP_MESSAGES} mutated datagrams exactly as the parser says, then still answers OPTIONS`, async () => {
    const rng = new Rng(SEED);
    const corpus = sipSeedCorpus();
    let answerable = 0;
    let unparseable = 0;
    let sent = 0;
    while (sent < UDP_MESSAGES) {
      const datagram = rng.chance(0.1) ? randomInput(rng) : mutate(rng, rng.pick(corpus), corpus);
      if (datagram.length === 0 || datagram.length > 60_000) continue;
      const parsed = parseMessage(datagram);
      if (!parsed.ok) {
        unparseable++;
        if (parsed.partial !== undefined) answerable++;
      }
      await new Promise<void>((resolve) => socket.send(datagram, ua.port, '127.0.0.1', () => resolve()));
      sent++;
      // Pace the burst so the kernel's socket buffers do not drop datagrams (that would be no finding).
      if (sent % 25 === 0) await pause(2);
    }
    await expect.poll(() => ua.stats().udp?.received, { timeout: 10_000 }).toBe(UDP_MESSAGES);
    const stats = ua.stats().udp;
    expect(stats).toMatchObject({
      parseErrors: unparseable,
      rejected: answerable,
      dropped: unparseable - answerable,
    });
    expect(answerable).toBeGreaterThan(100);

    await pause(300);
    const lines = replies.map(statusLine);
    // Every reply is well framed and clean on the wire (a 400 may echo a From/To we cannot parse,
    // but never a control character), and 400/505 went to each answerable malformed request.
    for (const reply of replies)
      expect(wireViolations(reply), JSON.stringify(reply.toString('latin1'))).toEqual([]);
    expect(replies.filter((r) => parseMessage(r).ok).length).toBeGreaterThan(replies.length / 2);
    expect(lines.filter((l) => / (400|505) /.test(l)).length).toBeGreaterThanOrEqual(answerable);
    for (const line of lines) expect(line).toMatch(/^SIP\/2\.0 [1-6]\d\d /);
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);

    replies.length = 0;
    socket.send(OPTIONS('UDP', socket.address().port, 1), ua.port, '127.0.0.1');
    await expect.poll(() => replies.map(statusLine)).toContain('SIP/2.0 200 OK');
  }, 60_000);

  it(`survives ${TCP_CONNECTIONS} TCP connections of mutated, split and truncated streams, then still answers OPTIONS`, async () => {
    const rng = new Rng(SEED + 1);
    const corpus = sipSeedCorpus();
    for (let i = 0; i < TCP_CONNECTIONS; i++) {
      const stream = Buffer.concat(
        Array.from({ length: rng.between(1, 3) }, () => mutate(rng, rng.pick(corpus), corpus)),
      );
      await new Promise<void>((resolve) => {
        const c = connect(ua.port, '127.0.0.1', async () => {
          // Arbitrary chunk boundaries, as TCP may deliver them.
          for (let at = 0; at < stream.length;) {
            const size = rng.between(1, 700);
            c.write(stream.subarray(at, at + size));
            at += size;
          }
          await pause(rng.chance(0.2) ? 10 : 0);
          c.destroy();
          resolve();
        });
        c.on('data', () => undefined);
        c.on('error', () => resolve());
      });
    }
    const answer = await new Promise<string>((resolve, reject) => {
      const c = connect(ua.port, '127.0.0.1', () => c.write(OPTIONS('TCP', c.localPort ?? 0, 2)));
      c.on('data', (d: Buffer) => {
        resolve(statusLine(d));
        c.destroy();
      });
      c.on('error', reject);
    });
    expect(answer).toBe('SIP/2.0 200 OK');
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);
  }, 60_000);
});
