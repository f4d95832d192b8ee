import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { silentLogger, type SipLogger } from './logger.ts';
import { serialize, type SipMessage } from './message.ts';
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

/** Largest UDP payload over IPv4; anything bigger cannot be sent as one datagram. */
const MAX_DATAGRAM = 65_507;

/** UDP transport (RFC 3261 §18.1.1, §18.2.1): one datagram is one message. */
export class UdpTransport implements Transport {
  readonly protocol = 'udp' as const;
  readonly reliable = false;
  readonly stats: TransportStats = emptyStats();
  private socket: Socket | undefined;
  private readonly logger: SipLogger;

  constructor(
    private readonly options: TransportOptions,
    private readonly delegate: TransportDelegate,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  listen(): Promise<LocalAddress> {
    const socket = createSocket({ type: isIP(this.options.host) === 6 ? 'udp6' : 'udp4' });
    this.socket = socket;
    socket.on('message', (data, rinfo) => {
      const source: PeerAddress = { transport: 'udp', host: rinfo.address, port: rinfo.port };
      handleInbound(data, source, {
        delegate: this.delegate,
        stats: this.stats,
        logger: this.logger,
        localHost: this.options.host,
        forceRport: this.options.forceRport ?? true,
        guard: this.options.guard,
        reply: (message, target) => this.send(message, target),
      });
    });
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        socket.close();
        this.socket = undefined;
        reject(error);
      };
      socket.once('error', onError);
      socket.bind(this.options.port, this.options.host, () => {
        socket.off('error', onError);
        // After binding, socket errors (e.g. ICMP unreachable on some platforms) are logged, never fatal.
        socket.on('error', (error) => this.logger.warn({ err: error.message }, 'sip: udp socket error'));
        resolve(this.address() as LocalAddress);
      });
    });
  }

  address(): LocalAddress | undefined {
    if (this.socket === undefined) return undefined;
    try {
      const { address, port } = this.socket.address();
      return { host: address, port };
    } catch {
      return undefined;
    }
  }

  send(message: SipMessage, target: PeerAddress): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return Promise.reject(new Error('udp transport is not listening'));
    const data = serialize(message);
    if (data.length > MAX_DATAGRAM) return Promise.reject(new Error('message too large for UDP'));
    return new Promise((resolve, reject) => {
      socket.send(data, target.port, target.host, (error) => {
        if (error) {
          reject(error);
          return;
        }
        this.stats.sent++;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }
}
