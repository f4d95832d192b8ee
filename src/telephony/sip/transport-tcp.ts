import { connect, createServer, type Server, type Socket } from 'node:net';
import { silentLogger, type SipLogger } from './logger.ts';
import { serialize, type SipMessage } from './message.ts';
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

export interface TcpTransportOptions extends TransportOptions {
  /** Close connections silent for this long; phones re-register or send CRLF keep-alives. */
  idleTimeoutMs?: number;
  maxConnections?: number;
  connectTimeoutMs?: number;
  maxHeaderBytes?: number;
}

interface Connection {
  id: string;
  socket: Socket;
  framer: StreamFramer;
  host: string;
  port: number;
}

/** Node reports IPv4 peers of a dual-stack socket as IPv4-mapped IPv6; SIP wants the plain form. */
function plainAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * TCP transport (RFC 3261 §18.3, §18.2.2). Connections are tracked by id and by peer
 * address, so responses and later requests to a phone that connected to us go back over the
 * same connection: behind NAT there is no other way to reach it.
 */
export class TcpTransport implements Transport {
  readonly protocol = 'tcp' as const;
  readonly reliable = true;
  readonly stats: TransportStats = emptyStats();
  private server: Server | undefined;
  private readonly connections = new Map<string, Connection>();
  private readonly byPeer = new Map<string, string>();
  private readonly pendingConnects = new Map<string, Promise<Connection>>();
  private nextId = 1;
  private readonly logger: SipLogger;

  constructor(
    private readonly options: TcpTransportOptions,
    private readonly delegate: TransportDelegate,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  listen(): Promise<LocalAddress> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        this.server = undefined;
        reject(error);
      };
      server.once('error', onError);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', onError);
        server.on('error', (error) => this.logger.warn({ err: error.message }, 'sip: tcp server error'));
        resolve(this.address() as LocalAddress);
      });
    });
  }

  address(): LocalAddress | undefined {
    const address = this.server?.address();
    if (address === null || address === undefined || typeof address === 'string') return undefined;
    return { host: address.address, port: address.port };
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= (this.options.maxConnections ?? 1024)) {
      this.stats.connectionsRefused++;
      socket.destroy();
      return;
    }
    // A locked-out source gets no connection at all (see security.ts).
    if (this.options.guard?.isLocked(plainAddress(socket.remoteAddress)) === true) {
      this.stats.connectionsRefused++;
      this.stats.blocked++;
      socket.destroy();
      return;
    }
    this.register(socket);
  }

  private register(socket: Socket): Connection {
    const connection: Connection = {
      id: `tcp-${this.nextId++}`,
      socket,
      framer: new StreamFramer({ maxHeaderBytes: this.options.maxHeaderBytes ?? 64 * 1024 }),
      host: plainAddress(socket.remoteAddress),
      port: socket.remotePort ?? 0,
    };
    const peerKey = `${connection.host}:${connection.port}`;
    this.connections.set(connection.id, connection);
    this.byPeer.set(peerKey, connection.id);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs ?? 600_000);
    socket.on('timeout', () => socket.destroy());
    socket.on('error', (error) =>
      this.logger.debug({ err: error.message, connection: connection.id }, 'sip: tcp error'),
    );
    socket.on('close', () => {
      this.connections.delete(connection.id);
      if (this.byPeer.get(peerKey) === connection.id) this.byPeer.delete(peerKey);
      if (connection.framer.pendingBytes > 0) this.stats.dropped++;
    });
    socket.on('data', (chunk: Buffer) => this.onData(connection, chunk));
    return connection;
  }

  private onData(connection: Connection, chunk: Buffer): void {
    if (this.options.guard?.isLocked(connection.host) === true) {
      // Locked out while connected (a scanner, or the last failed attempt): hang up.
      this.stats.blocked++;
      connection.socket.destroy();
      return;
    }
    const source: PeerAddress = {
      transport: 'tcp',
      host: connection.host,
      port: connection.port,
      connectionId: connection.id,
    };
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
        this.logger.info({ reason: event.reason, connection: connection.id }, 'sip: closing tcp connection');
        try {
          this.delegate.onParseError?.({ code: 'too-large', message: event.reason }, source);
        } finally {
          connection.socket.destroy();
        }
      }
    }
  }

  async send(message: SipMessage, target: PeerAddress): Promise<void> {
    if (this.server === undefined) throw new Error('tcp transport is not listening');
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

  private open(target: PeerAddress): Promise<Connection> {
    if (this.connections.size >= (this.options.maxConnections ?? 1024)) {
      return Promise.reject(new Error('too many tcp connections'));
    }
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.host, port: target.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('tcp connect timeout'));
      }, this.options.connectTimeoutMs ?? 5000);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(this.register(socket));
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const connection of this.connections.values()) connection.socket.destroy();
    this.connections.clear();
    this.byPeer.clear();
    if (server === undefined) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
