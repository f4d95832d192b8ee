import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import { createResponse } from './message-factory.ts';
import type { SipMessage } from './message.ts';
import { parseMessage } from './parser.ts';
import { SourceGuard } from './security.ts';
import { WsTransport, type WsTransportOptions } from './transport-ws.ts';
import type { PeerAddress, TransportDelegate } from './transport.ts';

/** SIP over WebSocket specifics (RFC 7118) beyond the shared contract. Ports 24200-24299. */

let nextPort = 24_200;
const freshPort = (): number => (nextPort = nextPort >= 24_299 ? 24_200 : nextPort + 1);

const running: WsTransport[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  await Promise.all(running.splice(0).map((t) => t.close()));
});

interface Recorder extends TransportDelegate {
  messages: { text: string; source: PeerAddress }[];
  parseErrors: string[];
  closed: PeerAddress[];
}

function recorder(): Recorder {
  const r: Recorder = {
    messages: [],
    parseErrors: [],
    closed: [],
    onMessage: (message, source) => {
      const line = message.kind === 'request' ? `${message.method} ${message.uri}` : String(message.status);
      r.messages.push({ text: line, source });
    },
    onParseError: (error) => r.parseErrors.push(error.code),
    onConnectionClosed: (source) => r.closed.push(source),
  };
  return r;
}

async function server(
  options: Partial<WsTransportOptions> = {},
  delegate: TransportDelegate = recorder(),
): Promise<{ transport: WsTransport; port: number }> {
  const transport = new WsTransport({ host: '127.0.0.1', port: freshPort(), ...options }, delegate);
  running.push(transport);
  const { port } = await transport.listen();
  return { transport, port };
}

interface Client {
  socket: WebSocket;
  inbox: { data: Buffer; binary: boolean }[];
  next(): Promise<{ data: Buffer; binary: boolean }>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Resolves with the open client, or rejects with the HTTP status (or error) that refused it. */
function client(
  port: number,
  protocols: string | string[] = 'sip',
  options: ClientOptions = {},
): Promise<Client> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`, protocols, options);
  clients.push(socket);
  socket.on('error', () => undefined);
  const inbox: { data: Buffer; binary: boolean }[] = [];
  const waiters: ((m: { data: Buffer; binary: boolean }) => void)[] = [];
  socket.on('message', (data: Buffer, binary: boolean) => {
    const waiter = waiters.shift();
    if (waiter) waiter({ data, binary });
    else inbox.push({ data, binary });
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    socket.once('open', () =>
      resolve({
        socket,
        inbox,
        closed,
        next: () =>
          new Promise((r) => {
            const m = inbox.shift();
            if (m) r(m);
            else waiters.push(r);
          }),
      }),
    );
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`));
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

const options = (n: number, extra: string[] = []): string =>
  [
    'OPTIONS sip:switch@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKws${n};rport`,
    'Max-Forwards: 70',
    `From: <sip:ws@df7jal23ls0d.invalid>;tag=w${n}`,
    'To: <sip:switch@127.0.0.1>',
    `Call-ID: ws-${n}`,
    `CSeq: ${n} OPTIONS`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

describe('WsTransport handshake (RFC 7118 §4)', () => {
  it('accepts the sip subprotocol and answers with it', async () => {
    const { port } = await server();
    const c = await client(port, ['chat', 'sip']);
    expect(c.socket.protocol).toBe('sip');
  });

  it('refuses a handshake without the sip subprotocol with 400', async () => {
    const { transport, port } = await server();
    await expect(client(port, [])).rejects.toThrow('HTTP 400');
    await expect(client(port, ['chat'])).rejects.toThrow('HTTP 400');
    expect(transport.stats.connectionsRefused).toBe(2);
    expect(transport.connectionCount).toBe(0);
  });

  it('answers plain HTTP with 426 Upgrade Required', async () => {
    const { port } = await server();
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(426);
  });
});

describe('WsTransport messages', () => {
  it('carries one SIP message per WebSocket message, text or binary, and stamps received', async () => {
    const delegate = recorder();
    const { transport, port } = await server({}, delegate);
    const c = await client(port);
    c.socket.send(options(1));
    c.socket.send(Buffer.from(options(2)), { binary: true });
    await settle();
    expect(delegate.messages.map((m) => m.text)).toEqual([
      'OPTIONS sip:switch@127.0.0.1',
      'OPTIONS sip:switch@127.0.0.1',
    ]);
    const source = delegate.messages[0]?.source as PeerAddress;
    expect(source).toMatchObject({ transport: 'ws', host: '127.0.0.1' });
    expect(source.connectionId).toMatch(/^ws-/);
    expect(transport.stats.received).toBe(2);
  });

  it('sends responses as text frames over the connection the request came on', async () => {
    let received: { message: SipMessage; source: PeerAddress } | undefined;
    const { transport, port } = await server(
      {},
      { onMessage: (message, source) => (received = { message, source }) },
    );
    const c = await client(port);
    c.socket.send(options(3));
    await settle();
    const request = received?.message;
    if (request?.kind !== 'request') throw new Error('no request delivered');
    await transport.send(createResponse(request, 200), received?.source as PeerAddress);
    const reply = await c.next();
    expect(reply.binary).toBe(false);
    expect(reply.data.toString()).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(reply.data.toString()).toMatch(/Via: SIP\/2\.0\/WS df7jal23ls0d\.invalid;.*received=127\.0\.0\.1/);
  });

  it('never dials out: sending without an open connection is a transport error', async () => {
    const { transport, port } = await server();
    const c = await client(port);
    c.socket.send(options(4));
    await settle();
    const parsed = parseMessage(Buffer.from(options(4)));
    if (!parsed.ok) throw new Error('fixture');
    await expect(
      transport.send(parsed.message, { transport: 'ws', host: '127.0.0.1', port: 1, connectionId: 'ws-999' }),
    ).rejects.toThrow(/no open ws connection/);
  });

  it('keeps the connection after an unparseable message', async () => {
    const delegate = recorder();
    const { transport, port } = await server({}, delegate);
    const c = await client(port);
    c.socket.send('garbage garbage\r\n\r\n');
    c.socket.send(options(5));
    await settle();
    expect(transport.stats.dropped).toBe(1);
    expect(delegate.messages).toHaveLength(1);
    expect(c.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes with 1009 on a message over maxMessageBytes, delivering nothing', async () => {
    const delegate = recorder();
    const { transport, port } = await server({ maxMessageBytes: 1024 }, delegate);
    const c = await client(port);
    c.socket.send(options(6, [`X-Padding: ${'p'.repeat(2000)}`]));
    const { code } = await c.closed;
    expect(code).toBe(1009);
    await settle();
    expect(transport.stats.framingErrors).toBe(1);
    expect(delegate.parseErrors).toEqual(['too-large']);
    expect(delegate.messages).toHaveLength(0);
    expect(transport.connectionCount).toBe(0);
  });

  it('tells the delegate when a connection closes', async () => {
    const delegate = recorder();
    const { port } = await server({}, delegate);
    const c = await client(port);
    c.socket.send(options(7));
    await settle();
    c.socket.close();
    await c.closed;
    await settle();
    expect(delegate.closed).toHaveLength(1);
    expect(delegate.closed[0]?.connectionId).toBe(delegate.messages[0]?.source.connectionId);
  });
});

describe('WsTransport limits and the source guard', () => {
  it('refuses connections over the per-source limit with 503, other sources still get in', async () => {
    const { transport, port } = await server({ maxConnectionsPerIp: 2 });
    await client(port);
    await client(port);
    await expect(client(port)).rejects.toThrow('HTTP 503');
    const other = await client(port, 'sip', { localAddress: '127.0.0.2' });
    expect(other.socket.readyState).toBe(WebSocket.OPEN);
    expect(transport.stats.connectionsRefused).toBe(1);
    expect(transport.connectionCount).toBe(3);
  });

  it('refuses connections over maxConnections, and takes new ones once others leave', async () => {
    const { transport, port } = await server({ maxConnections: 2 });
    const first = await client(port);
    await client(port, 'sip', { localAddress: '127.0.0.2' });
    await expect(client(port, 'sip', { localAddress: '127.0.0.3' })).rejects.toThrow('HTTP 503');
    first.socket.close();
    await first.closed;
    await settle();
    await client(port, 'sip', { localAddress: '127.0.0.3' });
    expect(transport.connectionCount).toBe(2);
  });

  it('drops a locked-out source without an answer and hangs up on one locked while connected', async () => {
    const guard = new SourceGuard({ maxAuthFailures: 1 });
    const delegate = recorder();
    const { transport, port } = await server({ guard }, delegate);
    const connected = await client(port, 'sip', { localAddress: '127.0.0.5' });
    guard.lock('127.0.0.4', 'auth-failures');
    const refused = await client(port, 'sip', { localAddress: '127.0.0.4' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(String(refused)).not.toContain('HTTP');
    guard.lock('127.0.0.5', 'auth-failures');
    connected.socket.send(options(8));
    await connected.closed;
    expect(delegate.messages).toHaveLength(0);
    expect(transport.stats.blocked).toBe(2);
  });

  it('drops scanners and locks them out', async () => {
    const guard = new SourceGuard({});
    const delegate = recorder();
    const { port } = await server({ guard }, delegate);
    const c = await client(port, 'sip', { localAddress: '127.0.0.6' });
    c.socket.send(options(9, ['User-Agent: friendly-scanner']));
    await settle();
    expect(delegate.messages).toHaveLength(0);
    expect(guard.isLocked('127.0.0.6')).toBe(true);
  });
});

describe('WsTransport keep-alive and close', () => {
  it('pings peers, keeps those that answer and drops those that do not', async () => {
    const { transport, port } = await server({ pingIntervalMs: 40 });
    const answering = await client(port);
    const silent = await client(port, 'sip', { autoPong: false });
    const { code } = await silent.closed;
    expect(code).toBe(1006); // terminated without a Close frame
    await settle(150);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    expect(transport.connectionCount).toBe(1);
  });

  it('answers a CRLF keep-alive with a CRLF and does not count it as a message', async () => {
    const { transport, port } = await server();
    const c = await client(port);
    c.socket.send('\r\n\r\n');
    const pong = await c.next();
    expect(pong.data.toString()).toBe('\r\n');
    expect(transport.stats.received).toBe(0);
    expect(transport.stats.parseErrors).toBe(0);
  });

  it('closes cleanly: Close 1001 to every peer, then stops listening', async () => {
    const { transport, port } = await server();
    const a = await client(port);
    const b = await client(port);
    running.splice(running.indexOf(transport), 1);
    await transport.close();
    expect((await a.closed).code).toBe(1001);
    expect((await b.closed).code).toBe(1001);
    expect(transport.address()).toBeUndefined();
    await expect(client(port)).rejects.toThrow(/ECONNREFUSED/);
    const parsed = parseMessage(Buffer.from(options(10)));
    if (!parsed.ok) throw new Error('fixture');
    await expect(
      transport.send(parsed.message, { transport: 'ws', host: '127.0.0.1', port }),
    ).rejects.toThrow(/not listening/);
  });
});
