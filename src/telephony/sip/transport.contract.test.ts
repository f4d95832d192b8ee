import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { serialize, type SipMessage } from './message.ts';
import type { ParseError } from './parser.ts';
import { selfSignedCertificate, type TestCertificate } from './testing/tls-certificate.ts';
import { TcpTransport } from './transport-tcp.ts';
import { TlsTransport } from './transport-tls.ts';
import { UdpTransport } from './transport-udp.ts';
import { WsTransport } from './transport-ws.ts';
import type { PeerAddress, Transport, TransportDelegate, TransportProtocol } from './transport.ts';
import { parseMessage } from './parser.ts';
import { parseVia } from './via.ts';

/** A raw peer on the other side of the transport under test: plain sockets, no SIP stack. */
interface RawPeer {
  port: number;
  send(data: Buffer | string): Promise<void>;
  next(): Promise<Buffer>;
  close(): Promise<void>;
}

async function udpPeer(remotePort: number): Promise<RawPeer> {
  const socket = createSocket('udp4');
  const inbox: Buffer[] = [];
  const waiters: ((b: Buffer) => void)[] = [];
  socket.on('message', (data) => (waiters.shift() ?? ((b: Buffer) => inbox.push(b)))(data));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: socket.address().port,
    send: (data) => new Promise((resolve) => socket.send(data, remotePort, '127.0.0.1', () => resolve())),
    next: () =>
      new Promise((resolve) => (inbox.length > 0 ? resolve(inbox.shift() as Buffer) : waiters.push(resolve))),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

async function tcpPeer(remotePort: number): Promise<RawPeer> {
  const socket: Socket = connect(remotePort, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return streamPeer(socket);
}

async function tlsPeer(remotePort: number): Promise<RawPeer> {
  const socket = tlsConnect({ host: '127.0.0.1', port: remotePort, ca: certificate()?.cert });
  await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
  return streamPeer(socket);
}

function streamPeer(socket: Socket): RawPeer {
  let buffered = Buffer.alloc(0);
  const waiters: ((b: Buffer) => void)[] = [];
  const drain = (): void => {
    // Responses in these tests have no body, so the blank line ends each one.
    for (
      let end = buffered.indexOf('\r\n\r\n');
      end !== -1 && waiters.length > 0;
      end = buffered.indexOf('\r\n\r\n')
    ) {
      const one = buffered.subarray(0, end + 4);
      buffered = buffered.subarray(end + 4);
      waiters.shift()?.(one);
    }
  };
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    drain();
  });
  return {
    port: socket.localPort ?? 0,
    send: (data) => new Promise((resolve) => socket.write(data, () => resolve())),
    next: () =>
      new Promise((resolve) => {
        waiters.push(resolve);
        drain();
      }),
    close: async () => {
      socket.destroy();
    },
  };
}

/** A WebSocket client offering the `sip` subprotocol: one SIP message per WebSocket message. */
async function wsPeer(remotePort: number, secure = false): Promise<RawPeer> {
  const socket = new WebSocket(
    `${secure ? 'wss' : 'ws'}://127.0.0.1:${remotePort}`,
    'sip',
    secure ? { ca: certificate()?.cert } : {},
  );
  let localPort = 0;
  socket.once('upgrade', (response) => (localPort = response.socket.localPort ?? 0));
  const inbox: Buffer[] = [];
  const waiters: ((b: Buffer) => void)[] = [];
  socket.on('message', (data: Buffer) => (waiters.shift() ?? ((b: Buffer) => inbox.push(b)))(data));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    port: localPort,
    send: (data) => new Promise((resolve) => socket.send(data, () => resolve())),
    next: () =>
      new Promise((resolve) => (inbox.length > 0 ? resolve(inbox.shift() as Buffer) : waiters.push(resolve))),
    close: async () => {
      socket.terminate();
    },
  };
}

/** One self-signed certificate for the TLS and WSS cases, made on first use (needs openssl). */
let testCertificate: TestCertificate | undefined;
function certificate(): TestCertificate {
  testCertificate ??= selfSignedCertificate();
  return testCertificate;
}
afterAll(() => testCertificate?.remove());

/** Fixed ports for the connection transports, from the test range 24000-24999 (this file: 24000-24199). */
let nextPort = 24_000;
const freshPort = (): number => (nextPort = nextPort >= 24_199 ? 24_000 : nextPort + 1);

type Case = [TransportProtocol, (d: TransportDelegate) => Transport, (port: number) => Promise<RawPeer>];
const credentials = (): { cert: Buffer; key: Buffer } => {
  const c = certificate();
  return { cert: c.cert, key: c.key };
};
const secureCases: Case[] = [
  [
    'tls',
    (d) => new TlsTransport({ host: '127.0.0.1', port: freshPort(), maxConnections: 3, ...credentials() }, d),
    tlsPeer,
  ],
  [
    'wss',
    (d) =>
      new WsTransport({ host: '127.0.0.1', port: freshPort(), maxConnections: 3, tls: credentials() }, d),
    (port) => wsPeer(port, true),
  ],
];

const OPTIONS = (via: string): string =>
  [
    'OPTIONS sip:ua@127.0.0.1 SIP/2.0',
    `Via: ${via}`,
    'From: <sip:peer@127.0.0.1>;tag=p1',
    'To: <sip:ua@127.0.0.1>',
    'Call-ID: contract-1',
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

/** The same contract for every transport (Hono-style shared case suite). */
describe.each<Case>([
  ['udp', (d) => new UdpTransport({ host: '127.0.0.1', port: 0 }, d), udpPeer],
  ['tcp', (d) => new TcpTransport({ host: '127.0.0.1', port: 0, maxConnections: 3 }, d), tcpPeer],
  ['ws', (d) => new WsTransport({ host: '127.0.0.1', port: freshPort(), maxConnections: 3 }, d), wsPeer],
  ...secureCases,
])('Transport contract: %s', (protocol, create, rawPeer) => {
  let transport: Transport;
  let received: { message: SipMessage; source: PeerAddress }[];
  let parseErrors: ParseError[];
  let port: number;
  let peer: RawPeer;

  beforeEach(async () => {
    received = [];
    parseErrors = [];
    transport = create({
      onMessage: (message, source) => received.push({ message, source }),
      onParseError: (error) => parseErrors.push(error),
    });
    port = (await transport.listen()).port;
    peer = await rawPeer(port);
  });

  afterEach(async () => {
    await peer.close();
    await transport.close();
  });

  const settle = () => new Promise((r) => setTimeout(r, 50));

  it('delivers a parsed request with its source address', async () => {
    await peer.send(OPTIONS(`SIP/2.0/${protocol.toUpperCase()} 127.0.0.1:${peer.port};branch=z9hG4bKc1`));
    await settle();
    expect(received).toHaveLength(1);
    expect(received[0]?.source).toMatchObject({ transport: protocol, host: '127.0.0.1', port: peer.port });
    if (protocol !== 'udp') expect(received[0]?.source.connectionId).toMatch(new RegExp(`^${protocol}-`));
  });

  it('stamps received and rport on the top Via (RFC 3581)', async () => {
    await peer.send(OPTIONS(`SIP/2.0/${protocol.toUpperCase()} 10.9.9.9:5060;branch=z9hG4bKc2;rport`));
    await settle();
    const via = parseVia(received[0]?.message.headers.get('via') ?? '');
    expect(via?.params.get('received')).toBe('127.0.0.1');
    expect(via?.params.get('rport')).toBe(String(peer.port));
  });

  it('sends back to the peer (over the inbound connection for TCP, TLS, WS, WSS)', async () => {
    await peer.send(OPTIONS(`SIP/2.0/${protocol.toUpperCase()} 10.9.9.9:5060;branch=z9hG4bKc3;rport`));
    await settle();
    const source = received[0]?.source as PeerAddress;
    const reply = parseMessage(
      Buffer.from(
        OPTIONS('SIP/2.0/UDP x;branch=z9hG4bKreply').replace(
          'OPTIONS sip:ua@127.0.0.1 SIP/2.0',
          'SIP/2.0 200 OK',
        ),
      ),
    );
    if (!reply.ok) throw new Error('fixture');
    await transport.send(reply.message, source);
    const data = await peer.next();
    expect(data.toString()).toContain('SIP/2.0 200 OK');
    expect(transport.stats.sent).toBe(1);
  });

  it('answers a malformed request that has the core headers with 400 and a Warning', async () => {
    const bad = OPTIONS(
      `SIP/2.0/${protocol.toUpperCase()} 127.0.0.1:${peer.port};branch=z9hG4bKc4;rport`,
    ).replace('Max-Forwards: 70', 'Max-Forwards: lots');
    await peer.send(bad);
    const data = (await peer.next()).toString();
    expect(data).toMatch(/^SIP\/2\.0 400 /);
    expect(data).toContain('Warning: 399 127.0.0.1 "bad Max-Forwards"');
    expect(data).toContain('Call-ID: contract-1');
    expect(received).toHaveLength(0);
    expect(transport.stats.rejected).toBe(1);
  });

  it('drops and counts unparseable input, and keeps working', async () => {
    if (protocol === 'udp') {
      for (let i = 0; i < 20; i++) await peer.send(Buffer.from([i, 255, 0, 13, 10]));
      await settle();
      expect(transport.stats.dropped).toBe(20);
      expect(parseErrors).toHaveLength(20);
    } else {
      await peer.send('garbage garbage\r\n\r\n');
      await settle();
      expect(transport.stats.dropped + transport.stats.parseErrors).toBeGreaterThan(0);
      peer = await rawPeer(port);
    }
    await peer.send(OPTIONS(`SIP/2.0/${protocol.toUpperCase()} 127.0.0.1:${peer.port};branch=z9hG4bKc5`));
    await settle();
    expect(received).toHaveLength(1);
  });

  it('survives a delegate that throws', async () => {
    const throwing = create({
      onMessage: () => {
        throw new Error('bug above');
      },
    });
    const throwingPort = (await throwing.listen()).port;
    const other = await rawPeer(throwingPort);
    await other.send(OPTIONS(`SIP/2.0/${protocol.toUpperCase()} 127.0.0.1:${other.port};branch=z9hG4bKc6`));
    await other.send(OPTIONS(`SIP/2.0/${protocol.toUpperCase()} 127.0.0.1:${other.port};branch=z9hG4bKc7`));
    await settle();
    expect(throwing.stats.received).toBe(2);
    await other.close();
    await throwing.close();
  });

  it('rejects send when closed', async () => {
    const reply = parseMessage(Buffer.from(OPTIONS('SIP/2.0/UDP x;branch=z9hG4bKq')));
    if (!reply.ok) throw new Error('fixture');
    await transport.close();
    await expect(
      transport.send(reply.message, { transport: protocol, host: '127.0.0.1', port: peer.port }),
    ).rejects.toThrow();
  });
});

describe('TcpTransport specifics', () => {
  it('closes the connection on a framing error (oversized header)', async () => {
    const transport = new TcpTransport({ host: '127.0.0.1', port: 0 }, { onMessage: () => undefined });
    const { port } = await transport.listen();
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'y'.repeat(70_000)}`);
    await closed;
    expect(transport.stats.framingErrors).toBe(1);
    await transport.close();
  });

  it('refuses connections beyond maxConnections and closes idle ones', async () => {
    const transport = new TcpTransport(
      { host: '127.0.0.1', port: 0, maxConnections: 1, idleTimeoutMs: 100 },
      { onMessage: () => undefined },
    );
    const { port } = await transport.listen();
    const first = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => first.once('connect', () => resolve()));
    await new Promise((r) => setTimeout(r, 20));
    const second = connect(port, '127.0.0.1');
    second.on('error', () => undefined);
    await new Promise<void>((resolve) => second.on('close', () => resolve()));
    expect(transport.stats.connectionsRefused).toBe(1);
    await new Promise<void>((resolve) => first.on('close', () => resolve()));
    await new Promise((r) => setTimeout(r, 50));
    expect(transport.connectionCount).toBe(0);
    await transport.close();
  });

  it('opens an outbound connection and reuses it', async () => {
    const inbound: PeerAddress[] = [];
    const a = new TcpTransport({ host: '127.0.0.1', port: 0 }, { onMessage: (_m, s) => inbound.push(s) });
    const b = new TcpTransport({ host: '127.0.0.1', port: 0 }, { onMessage: () => undefined });
    const aPort = (await a.listen()).port;
    await b.listen();
    const parsed = parseMessage(Buffer.from(OPTIONS('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKo1')));
    if (!parsed.ok) throw new Error('fixture');
    await b.send(parsed.message, { transport: 'tcp', host: '127.0.0.1', port: aPort });
    await b.send(parsed.message, { transport: 'tcp', host: '127.0.0.1', port: aPort });
    await new Promise((r) => setTimeout(r, 50));
    expect(inbound).toHaveLength(2);
    expect(inbound[0]?.connectionId).toBe(inbound[1]?.connectionId);
    expect(b.connectionCount).toBe(1);
    expect(serialize(parsed.message).length).toBeGreaterThan(0);
    await a.close();
    await b.close();
  });
});
