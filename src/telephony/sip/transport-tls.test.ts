import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseMessage } from './parser.ts';
import { SourceGuard } from './security.ts';
import { selfSignedCertificate, type TestCertificate } from './testing/tls-certificate.ts';
import { TlsTransport, type TlsTransportOptions } from './transport-tls.ts';
import { WsTransport } from './transport-ws.ts';
import type { PeerAddress, Transport } from './transport.ts';

/** SIP over TLS and WSS specifics beyond the shared contract. Ports 24300-24399. */

let nextPort = 24_300;
const freshPort = (): number => (nextPort = nextPort >= 24_399 ? 24_300 : nextPort + 1);

const running: Transport[] = [];
const sockets: { destroy(): void }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(running.splice(0).map((t) => t.close()));
});

let certificate: TestCertificate | undefined;
afterAll(() => certificate?.remove());

const OPTIONS = (transport: string, n: number, extra = ''): string =>
  [
    'OPTIONS sip:switch@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/${transport} 127.0.0.1:5061;branch=z9hG4bKtls${n};rport`,
    'Max-Forwards: 70',
    `From: <sip:peer@127.0.0.1>;tag=t${n}`,
    'To: <sip:switch@127.0.0.1>',
    `Call-ID: tls-${n}`,
    `CSeq: ${n} OPTIONS`,
    ...(extra === '' ? [] : [extra]),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

describe('TLS and WSS specifics', () => {
  const cert = (): TestCertificate => (certificate ??= selfSignedCertificate());

  async function tlsServer(
    options: Partial<TlsTransportOptions> = {},
    onMessage: (source: PeerAddress) => void = () => undefined,
  ): Promise<{ transport: TlsTransport; port: number }> {
    const { cert: c, key } = cert();
    const transport = new TlsTransport(
      { host: '127.0.0.1', port: freshPort(), cert: c, key, ...options },
      { onMessage: (_m, source) => onMessage(source) },
    );
    running.push(transport);
    return { transport, port: (await transport.listen()).port };
  }

  /** Resolves once the handshake is done; rejects if the server cuts the connection first. */
  function tlsClient(port: number, localAddress = '127.0.0.1'): Promise<TLSSocket> {
    const tcp = netConnect({ host: '127.0.0.1', port, localAddress });
    const socket = tlsConnect({ socket: tcp, ca: cert().cert });
    sockets.push(tcp);
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('secureConnect', () => resolve(socket));
      socket.once('error', reject);
      socket.once('close', () => reject(new Error('closed before the handshake')));
    });
  }

  const closed = (socket: TLSSocket) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed) resolve();
      else socket.once('close', () => resolve());
    });

  it('closes the connection on a framing error (oversized header)', async () => {
    const { transport, port } = await tlsServer();
    const socket = await tlsClient(port);
    socket.on('error', () => undefined);
    socket.write(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'y'.repeat(70_000)}`);
    await closed(socket);
    expect(transport.stats.framingErrors).toBe(1);
  });

  it('rejects a body over maxBodyBytes', async () => {
    const { transport, port } = await tlsServer({ maxBodyBytes: 100 });
    const socket = await tlsClient(port);
    socket.on('error', () => undefined);
    socket.write(OPTIONS('TLS', 1).replace('Content-Length: 0', 'Content-Length: 5000'));
    await closed(socket);
    expect(transport.stats.framingErrors).toBe(1);
  });

  it('refuses connections over maxConnections and over the per-source limit', async () => {
    const { transport, port } = await tlsServer({ maxConnections: 3, maxConnectionsPerIp: 2 });
    await tlsClient(port);
    await tlsClient(port);
    await settle();
    await expect(tlsClient(port)).rejects.toThrow();
    await tlsClient(port, '127.0.0.2');
    await settle();
    await expect(tlsClient(port, '127.0.0.3')).rejects.toThrow();
    expect(transport.stats.connectionsRefused).toBe(2);
    expect(transport.connectionCount).toBe(3);
  });

  it('refuses a locked-out source before the handshake', async () => {
    const guard = new SourceGuard({});
    guard.lock('127.0.0.7', 'scanner');
    const { transport, port } = await tlsServer({ guard });
    await expect(tlsClient(port, '127.0.0.7')).rejects.toThrow();
    expect(transport.stats.blocked).toBe(1);
    expect(transport.connectionCount).toBe(0);
  });

  it('answers a CRLF ping with a CRLF pong (RFC 5626 §4.4.1)', async () => {
    const { port } = await tlsServer();
    const socket = await tlsClient(port);
    const pong = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
    socket.write('\r\n\r\n');
    expect(await pong).toBe('\r\n');
  });

  it('opens outbound connections verifying the certificate, and reuses them', async () => {
    const sources: PeerAddress[] = [];
    const { port } = await tlsServer({}, (s) => sources.push(s));
    const { transport: trusting } = await tlsServer({ ca: cert().cert });
    const { transport: strict } = await tlsServer();
    const parsed = parseMessage(Buffer.from(OPTIONS('TLS', 2)));
    if (!parsed.ok) throw new Error('fixture');
    const target: PeerAddress = { transport: 'tls', host: '127.0.0.1', port };
    await trusting.send(parsed.message, target);
    await trusting.send(parsed.message, target);
    // Default verification against Node's CA list: a self-signed certificate is refused.
    await expect(strict.send(parsed.message, target)).rejects.toThrow(/self[- ]signed/i);
    await settle();
    expect(sources).toHaveLength(2);
    expect(sources[0]?.connectionId).toMatch(/^tls-/);
    expect(sources[0]?.connectionId).toBe(sources[1]?.connectionId);
    expect(trusting.connectionCount).toBe(1);
  });

  it('WSS: requires the sip subprotocol and stamps the WSS Via like WS', async () => {
    const { cert: c, key } = cert();
    let via: string | undefined;
    const transport = new WsTransport(
      { host: '127.0.0.1', port: freshPort(), tls: { cert: c, key } },
      { onMessage: (m) => (via = m.headers.get('via')) },
    );
    running.push(transport);
    expect(transport.protocol).toBe('wss');
    const { port } = await transport.listen();
    const refused = new WebSocket(`wss://127.0.0.1:${port}`, [], { ca: c });
    refused.on('error', () => undefined);
    sockets.push({ destroy: () => refused.terminate() });
    const status = await new Promise<number | undefined>((resolve) => {
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      refused.once('open', () => resolve(undefined));
    });
    expect(status).toBe(400);
    const ok = new WebSocket(`wss://127.0.0.1:${port}`, 'sip', { ca: c });
    sockets.push({ destroy: () => ok.terminate() });
    await new Promise<void>((resolve) => ok.once('open', () => resolve()));
    ok.send(OPTIONS('WSS', 3).replace('127.0.0.1:5061', 'df7jal23ls0d.invalid'));
    await settle();
    expect(via).toMatch(
      /^SIP\/2\.0\/WSS df7jal23ls0d\.invalid;branch=z9hG4bKtls3;rport=\d+;received=127\.0\.0\.1$/,
    );
  });
});
