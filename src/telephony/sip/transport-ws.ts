import { isUtf8 } from 'node:buffer';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { silentLogger, type SipLogger } from './logger.ts';
import { serialize, type SipMessage } from './message.ts';
import { sourceKey } from './security.ts';
import { plainAddress } from './transport-stream.ts';
import type { TlsCredentials } from './transport-tls.ts';
import {
  emptyStats,
  handleInbound,
  type LocalAddress,
  type PeerAddress,
  type Transport,
  type TransportDelegate,
  type TransportOptions,
  type TransportStats,
} from './transport.ts';

export interface WsTransportOptions extends TransportOptions {
  /** Certificate and key: served as WSS (WebSocket over TLS, Via `WSS`); without them plain WS. */
  tls?: TlsCredentials;
  /** Largest SIP message (one WebSocket message) accepted; a bigger one closes the connection (1009). Default 64 KiB. */
  maxMessageBytes?: number;
  /** Default 1024. */
  maxConnections?: number;
  /** Connections from one source (IPv6: one /64) at a time. Default 100. */
  maxConnectionsPerIp?: number;
  /** Ping every connection this often and drop one that did not answer the previous ping; 0 off. Default 30 s. */
  pingIntervalMs?: number;
  /** Time for the HTTP upgrade request (and the TLS handshake) to arrive. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** On close, how long connections get to answer our Close frame before they are cut. Default 1 s. */
  closeTimeoutMs?: number;
}

interface Connection {
  id: string;
  socket: WebSocket;
  host: string;
  port: number;
  sourceKey: string;
  /** Cleared when a ping goes out, set by the pong (or any message). */
  alive: boolean;
}

/** RFC 7118 §4.1: the WebSocket subprotocol of SIP. */
export const SIP_SUBPROTOCOL = 'sip';

const CLOSE_GOING_AWAY = 1001;

/**
 * SIP over WebSocket (RFC 7118), the transport of browser phones (JsSIP, SIP.js). An HTTP(S)
 * server accepts upgrades that offer the `sip` subprotocol (others get 400). Each WebSocket
 * message, text or binary, carries exactly one SIP message, so there is no stream framing:
 * a message is parsed like a UDP datagram. The transport is reliable (no retransmissions).
 *
 * A WebSocket client cannot be connected to (its Contact host is a random `….invalid` name), so
 * this transport never opens connections: responses go back over the connection the request came
 * on, and requests towards a client go over the connection its REGISTER came on (§5, the binding's
 * `source.connectionId`). Sending to a client without an open connection is a transport error.
 */
export class WsTransport implements Transport {
  readonly protocol: 'ws' | 'wss';
  readonly reliable = true;
  readonly stats: TransportStats = emptyStats();
  private server: Server | undefined;
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<string, Connection>();
  private readonly byPeer = new Map<string, string>();
  private readonly perSource = new Map<string, number>();
  private pinger: ReturnType<typeof setInterval> | undefined;
  private nextId = 1;
  private readonly logger: SipLogger;
  private readonly maxMessageBytes: number;

  constructor(
    private readonly options: WsTransportOptions,
    private readonly delegate: TransportDelegate,
  ) {
    this.protocol = options.tls === undefined ? 'ws' : 'wss';
    this.logger = options.logger ?? silentLogger;
    this.maxMessageBytes = options.maxMessageBytes ?? 64 * 1024;
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: this.maxMessageBytes,
      handleProtocols: (offered) => sipProtocolOf([...offered]) ?? false,
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  listen(): Promise<LocalAddress> {
    const tls = this.options.tls;
    const handshakeTimeout = this.options.handshakeTimeoutMs ?? 10_000;
    const server =
      tls === undefined
        ? createHttpServer()
        : createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2', handshakeTimeout });
    server.headersTimeout = handshakeTimeout;
    server.requestTimeout = handshakeTimeout;
    // A locked-out source is cut as soon as it connects: no TLS handshake, no HTTP parsing.
    server.prependListener('connection', (socket: Socket) => {
      if (this.options.guard?.isLocked(plainAddress(socket.remoteAddress)) !== true) return;
      this.stats.connectionsRefused++;
      this.stats.blocked++;
      socket.destroy();
    });
    server.on('request', (_request, response) => {
      // Plain HTTP on a SIP WebSocket port: say what is spoken here.
      response.writeHead(426, { Upgrade: 'websocket', Connection: 'close', 'Content-Type': 'text/plain' });
      response.end('SIP over WebSocket (RFC 7118): upgrade with subprotocol "sip"\n');
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(request, socket, head),
    );
    server.on('tlsClientError', (error: Error) =>
      this.logger.debug({ err: error.message }, 'sip: wss handshake failed'),
    );
    server.on('clientError', (error: Error, socket: Duplex) => {
      this.logger.debug({ err: error.message }, `sip: ${this.protocol} bad http request`);
      socket.destroy();
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        this.server = undefined;
        reject(error);
      };
      server.once('error', onError);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', onError);
        server.on('error', (error) =>
          this.logger.warn({ err: error.message }, `sip: ${this.protocol} server error`),
        );
        this.startPinging();
        resolve(this.address() as LocalAddress);
      });
    });
  }

  address(): LocalAddress | undefined {
    const address = this.server?.address();
    if (address === null || address === undefined || typeof address === 'string') return undefined;
    return { host: address.address, port: address.port };
  }

  /** Limits and the guard before the handshake, then RFC 7118 §4.1: no `sip` subprotocol, no upgrade. */
  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const host = plainAddress(request.socket.remoteAddress);
    socket.on('error', () => undefined);
    if (this.server === undefined) {
      socket.destroy();
      return;
    }
    if (this.options.guard?.isLocked(host) === true) {
      // Silence, as on UDP and TCP: a locked-out source learns nothing.
      this.stats.connectionsRefused++;
      this.stats.blocked++;
      socket.destroy();
      return;
    }
    const perIp = this.options.maxConnectionsPerIp ?? 100;
    if (
      this.connections.size >= (this.options.maxConnections ?? 1024) ||
      (this.perSource.get(sourceKey(host)) ?? 0) >= perIp
    ) {
      this.stats.connectionsRefused++;
      refuseUpgrade(socket, 503, 'Service Unavailable', 'too many connections');
      return;
    }
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (sipProtocolOf(offered) === undefined) {
      this.stats.connectionsRefused++;
      this.logger.debug({ from: host }, `sip: ${this.protocol} upgrade without the sip subprotocol refused`);
      refuseUpgrade(socket, 400, 'Bad Request', 'the "sip" WebSocket subprotocol is required (RFC 7118)');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) =>
      this.register(ws, host, request.socket.remotePort ?? 0),
    );
  }

  private register(socket: WebSocket, host: string, port: number): void {
    if (this.server === undefined) {
      socket.terminate();
      return;
    }
    const connection: Connection = {
      id: `${this.protocol}-${this.nextId++}`,
      socket,
      host,
      port,
      sourceKey: sourceKey(host),
      alive: true,
    };
    const peerKey = `${host}:${port}`;
    this.connections.set(connection.id, connection);
    this.byPeer.set(peerKey, connection.id);
    this.perSource.set(connection.sourceKey, (this.perSource.get(connection.sourceKey) ?? 0) + 1);
    const source: PeerAddress = { transport: this.protocol, host, port, connectionId: connection.id };
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data: RawData, isBinary: boolean) =>
      this.onMessage(connection, source, toBuffer(data), isBinary),
    );
    socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        // Over maxMessageBytes: ws has already answered with Close 1009 (Message Too Big).
        this.stats.framingErrors++;
        this.logger.info({ connection: connection.id }, `sip: ${this.protocol} message too large, closing`);
        this.safely(() =>
          this.delegate.onParseError?.({ code: 'too-large', message: error.message }, source),
        );
      } else {
        this.logger.debug({ err: error.message, connection: connection.id }, `sip: ${this.protocol} error`);
      }
    });
    socket.on('close', () => {
      if (this.connections.get(connection.id) !== connection) return;
      this.connections.delete(connection.id);
      if (this.byPeer.get(peerKey) === connection.id) this.byPeer.delete(peerKey);
      const left = (this.perSource.get(connection.sourceKey) ?? 1) - 1;
      if (left > 0) this.perSource.set(connection.sourceKey, left);
      else this.perSource.delete(connection.sourceKey);
      this.safely(() => this.delegate.onConnectionClosed?.(source));
    });
  }

  private onMessage(connection: Connection, source: PeerAddress, data: Buffer, isBinary: boolean): void {
    connection.alive = true;
    if (this.options.guard?.isLocked(connection.host) === true) {
      // Locked out while connected (a scanner, or the last failed attempt): hang up.
      this.stats.blocked++;
      connection.socket.terminate();
      return;
    }
    if (isCrlfOnly(data)) {
      // SIP.js keeps its socket alive with RFC 5626 §4.4.1 style "\r\n\r\n" pings: pong with one CRLF.
      if (data.length >= 4) connection.socket.send('\r\n', { binary: isBinary });
      return;
    }
    handleInbound(data, source, {
      delegate: this.delegate,
      stats: this.stats,
      logger: this.logger,
      localHost: this.options.host,
      forceRport: this.options.forceRport ?? true,
      guard: this.options.guard,
      reply: (message, target) => this.send(message, target),
    });
  }

  private startPinging(): void {
    const interval = this.options.pingIntervalMs ?? 30_000;
    if (interval <= 0) return;
    this.pinger = setInterval(() => {
      for (const connection of this.connections.values()) {
        if (!connection.alive) {
          this.logger.debug(
            { connection: connection.id },
            `sip: ${this.protocol} peer stopped answering pings`,
          );
          connection.socket.terminate();
          continue;
        }
        connection.alive = false;
        connection.socket.ping();
      }
    }, interval);
    this.pinger.unref();
  }

  async send(message: SipMessage, target: PeerAddress): Promise<void> {
    if (this.server === undefined) throw new Error(`${this.protocol} transport is not listening`);
    const connection = this.connectionFor(target);
    if (connection === undefined)
      throw new Error(`no open ${this.protocol} connection to ${target.host}:${target.port}`);
    const data = serialize(message);
    // Text frames when the message is UTF-8 (as SIP almost always is): what browser stacks expect.
    await new Promise<void>((resolve, reject) => {
      connection.socket.send(data, { binary: !isUtf8(data) }, (error) => (error ? reject(error) : resolve()));
    });
    this.stats.sent++;
  }

  /** The pinned connection if open, else an open connection from that address; never a new one. */
  private connectionFor(target: PeerAddress): Connection | undefined {
    const open = (c: Connection | undefined): Connection | undefined =>
      c !== undefined && c.socket.readyState === WebSocket.OPEN ? c : undefined;
    if (target.connectionId !== undefined) {
      const pinned = open(this.connections.get(target.connectionId));
      if (pinned !== undefined) return pinned;
    }
    const id = this.byPeer.get(`${target.host}:${target.port}`);
    return open(id === undefined ? undefined : this.connections.get(id));
  }

  /** Clean close: Close 1001 (Going Away) to every peer, cut those that do not answer in time. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (this.pinger !== undefined) clearInterval(this.pinger);
    this.pinger = undefined;
    const connections = [...this.connections.values()];
    this.connections.clear();
    this.byPeer.clear();
    this.perSource.clear();
    await Promise.all(connections.map((c) => this.closeConnection(c)));
    this.wss.close();
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private closeConnection(connection: Connection): Promise<void> {
    const socket = connection.socket;
    if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => socket.terminate(), this.options.closeTimeoutMs ?? 1000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.close(CLOSE_GOING_AWAY, 'server shutting down');
    });
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.stack : String(error) }, 'sip: handler threw');
    }
  }
}

/** The client's spelling of `sip` among the offered subprotocols (RFC 6455 tokens; matched case-insensitively). */
function sipProtocolOf(offered: readonly string[]): string | undefined {
  return offered.find((p) => p.toLowerCase() === SIP_SUBPROTOCOL);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function isCrlfOnly(data: Buffer): boolean {
  if (data.length === 0) return false;
  for (const byte of data) if (byte !== 0x0d && byte !== 0x0a) return false;
  return true;
}
