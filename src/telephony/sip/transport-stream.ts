import type { Server, Socket } from 'node:net';
import { silentLogger, type SipLogger } from './logger.ts';
import { serialize, type SipMessage } from './message.ts';
import { sourceKey } from './security.ts';
import { StreamFramer } from './stream-framer.ts';
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

export interface StreamTransportOptions extends TransportOptions {
  /** Close connections silent for this long; phones re-register or send CRLF keep-alives. */
  idleTimeoutMs?: number;
  maxConnections?: number;
  /** Connections from one source (IPv6: one /64) at a time; default unlimited. */
  maxConnectionsPerIp?: number;
  connectTimeoutMs?: number;
  maxHeaderBytes?: number;
  /** Largest body accepted (Content-Length); a bigger one closes the connection. Default 1 MiB. */
  maxBodyBytes?: number;
}

interface Connection {
  id: string;
  socket: Socket;
  framer: StreamFramer;
  host: string;
  port: number;
  /** sourceKey of the host, for the per-source connection count. */
  sourceKey: string;
}

/** Node reports IPv4 peers of a dual-stack socket as IPv4-mapped IPv6; SIP wants the plain form. */
export function plainAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * A SIP transport over a byte stream (RFC 3261 §18.3, §18.2.2): TCP, or TLS (§26.3.1) on top
 * of it. Messages are framed by Content-Length (stream-framer.ts). Connections are tracked by
 * id and by peer address, so responses and later requests to a phone that connected to us go
 * back over the same connection: behind NAT there is no other way to reach it.
 *
 * Subclasses only say how to listen and how to open a connection.
 */
export abstract class StreamTransport implements Transport {
  abstract readonly protocol: 'tcp' | 'tls';
  readonly reliable = true;
  readonly stats: TransportStats = emptyStats();
  protected server: Server | undefined;
  protected readonly logger: SipLogger;
  private readonly connections = new Map<string, Connection>();
  private readonly byPeer = new Map<string, string>();
  private readonly perSource = new Map<string, number>();
  private readonly pendingConnects = new Map<string, Promise<Connection>>();
  /** Inbound sockets seen before their handshake (TLS), so `close()` also cuts half-open ones. */
  private readonly handshaking = new Set<Socket>();
  private nextId = 1;

  protected constructor(
    protected readonly options: StreamTransportOptions,
    protected readonly delegate: TransportDelegate,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  /** A server whose connection callback (for TLS: after the handshake) calls `accept`. */
  protected abstract createServer(): Server;
  /** Opens a connection; resolves once it can carry data (for TLS: after the handshake). */
  protected abstract connect(target: PeerAddress, timeoutMs: number): Promise<Socket>;

  get connectionCount(): number {
    return this.connections.size;
  }

  listen(): Promise<LocalAddress> {
    const server = this.createServer();
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
        resolve(this.address() as LocalAddress);
      });
    });
  }

  address(): LocalAddress | undefined {
    const address = this.server?.address();
    if (address === null || address === undefined || typeof address === 'string') return undefined;
    return { host: address.address, port: address.port };
  }

  /**
   * Whether a new inbound connection from `host` may be taken: under the connection limits and
   * not from a locked-out source. Counts the refusal; the caller destroys the socket.
   */
  protected admitConnection(host: string): boolean {
    if (this.connections.size >= (this.options.maxConnections ?? 1024)) {
      this.stats.connectionsRefused++;
      return false;
    }
    const perIp = this.options.maxConnectionsPerIp;
    if (perIp !== undefined && (this.perSource.get(sourceKey(host)) ?? 0) >= perIp) {
      this.stats.connectionsRefused++;
      return false;
    }
    // A locked-out source gets no connection at all (see security.ts).
    if (this.options.guard?.isLocked(host) === true) {
      this.stats.connectionsRefused++;
      this.stats.blocked++;
      return false;
    }
    return true;
  }

  /** Keep `socket` (handshake about to start) until it closes, so `close()` can cut it. */
  protected trackHandshake(socket: Socket): void {
    this.handshaking.add(socket);
    socket.once('close', () => this.handshaking.delete(socket));
  }

  protected accept(socket: Socket): void {
    if (this.server === undefined || !this.admitConnection(plainAddress(socket.remoteAddress))) {
      socket.destroy();
      return;
    }
    this.register(socket);
  }

  private register(socket: Socket): Connection {
    const host = plainAddress(socket.remoteAddress);
    const connection: Connection = {
      id: `${this.protocol}-${this.nextId++}`,
      socket,
      framer: new StreamFramer({
        maxHeaderBytes: this.options.maxHeaderBytes ?? 64 * 1024,
        ...(this.options.maxBodyBytes === undefined ? {} : { maxBodyBytes: this.options.maxBodyBytes }),
      }),
      host,
      port: socket.remotePort ?? 0,
      sourceKey: sourceKey(host),
    };
    const peerKey = `${connection.host}:${connection.port}`;
    this.connections.set(connection.id, connection);
    this.byPeer.set(peerKey, connection.id);
    this.perSource.set(connection.sourceKey, (this.perSource.get(connection.sourceKey) ?? 0) + 1);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs ?? 600_000);
    socket.on('timeout', () => socket.destroy());
    socket.on('error', (error) =>
      this.logger.debug({ err: error.message, connection: connection.id }, `sip: ${this.protocol} error`),
    );
    socket.on('close', () => {
      if (this.connections.get(connection.id) !== connection) return;
      this.connections.delete(connection.id);
      if (this.byPeer.get(peerKey) === connection.id) this.byPeer.delete(peerKey);
      const left = (this.perSource.get(connection.sourceKey) ?? 1) - 1;
      if (left > 0) this.perSource.set(connection.sourceKey, left);
      else this.perSource.delete(connection.sourceKey);
      if (connection.framer.pendingBytes > 0) this.stats.dropped++;
      try {
        this.delegate.onConnectionClosed?.(this.sourceOf(connection));
      } catch (error) {
        this.logger.error({ err: String(error) }, 'sip: onConnectionClosed threw');
      }
    });
    socket.on('data', (chunk: Buffer) => this.onData(connection, chunk));
    return connection;
  }

  private sourceOf(connection: Connection): PeerAddress {
    return {
      transport: this.protocol,
      host: connection.host,
      port: connection.port,
      connectionId: connection.id,
    };
  }

  private onData(connection: Connection, chunk: Buffer): void {
    if (this.options.guard?.isLocked(connection.host) === true) {
      // Locked out while connected (a scanner, or the last failed attempt): hang up.
      this.stats.blocked++;
      connection.socket.destroy();
      return;
    }
    const source = this.sourceOf(connection);
    for (const event of connection.framer.push(chunk)) {
      if (event.kind === 'message') {
        handleInbound(event.data, source, {
          delegate: this.delegate,
          stats: this.stats,
          logger: this.logger,
          localHost: this.options.host,
          forceRport: this.options.forceRport ?? true,
          guard: this.options.guard,
          reply: (message, target) => this.send(message, target),
        });
      } else if (event.kind === 'keepalive') {
        // RFC 5626 §4.4.1: answer a double-CRLF ping with a single CRLF pong.
        if (event.ping) connection.socket.write('\r\n');
      } else {
        this.stats.framingErrors++;
        this.logger.info(
          { reason: event.reason, connection: connection.id },
          `sip: closing ${this.protocol} connection`,
        );
        try {
          this.delegate.onParseError?.({ code: 'too-large', message: event.reason }, source);
        } finally {
          connection.socket.destroy();
        }
      }
    }
  }

  async send(message: SipMessage, target: PeerAddress): Promise<void> {
    if (this.server === undefined) throw new Error(`${this.protocol} transport is not listening`);
    const connection = await this.connectionFor(target);
    const data = serialize(message);
    await new Promise<void>((resolve, reject) => {
      connection.socket.write(data, (error) => (error ? reject(error) : resolve()));
    });
    this.stats.sent++;
  }

  /** The pinned connection if alive, else any connection to that address, else a new one. */
  private connectionFor(target: PeerAddress): Promise<Connection> {
    const pinned = target.connectionId === undefined ? undefined : this.connections.get(target.connectionId);
    if (pinned !== undefined && !pinned.socket.destroyed) return Promise.resolve(pinned);
    const peerKey = `${target.host}:${target.port}`;
    const existingId = this.byPeer.get(peerKey);
    const existing = existingId === undefined ? undefined : this.connections.get(existingId);
    if (existing !== undefined && !existing.socket.destroyed) return Promise.resolve(existing);
    const pending = this.pendingConnects.get(peerKey);
    if (pending !== undefined) return pending;
    const promise = this.open(target).finally(() => this.pendingConnects.delete(peerKey));
    this.pendingConnects.set(peerKey, promise);
    return promise;
  }

  private async open(target: PeerAddress): Promise<Connection> {
    if (this.connections.size >= (this.options.maxConnections ?? 1024)) {
      throw new Error(`too many ${this.protocol} connections`);
    }
    const socket = await this.connect(target, this.options.connectTimeoutMs ?? 5000);
    if (this.server === undefined) {
      socket.destroy();
      throw new Error(`${this.protocol} transport closed`);
    }
    return this.register(socket);
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const connections = [...this.connections.values()];
    this.connections.clear();
    this.byPeer.clear();
    this.perSource.clear();
    for (const connection of connections) connection.socket.destroy();
    for (const socket of this.handshaking) socket.destroy();
    this.handshaking.clear();
    if (server === undefined) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
