import { isIP, type Server, type Socket } from 'node:net';
import { connect, createServer, type ConnectionOptions } from 'node:tls';
import { StreamTransport, plainAddress, type StreamTransportOptions } from './transport-stream.ts';
import type { PeerAddress, TransportDelegate } from './transport.ts';

/** PEM certificate chain and private key of a TLS or WSS listener. */
export interface TlsCredentials {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface TlsTransportOptions extends StreamTransportOptions, TlsCredentials {
  /** Trust anchors for connections we open (default: Node's bundled CA list). */
  ca?: string | Buffer | (string | Buffer)[];
  /** Verify the server certificate on connections we open (default true, RFC 3261 §26.3.1). */
  rejectUnauthorized?: boolean;
  /** Time a peer has to complete the TLS handshake after connecting (default 10 s). */
  handshakeTimeoutMs?: number;
}

/**
 * SIP over TLS (RFC 3261 §26.2.1, §26.3.1, §18): the TCP transport with a TLS layer, on its own
 * port (5061 by convention). Messages are framed like TCP; Via says `TLS`. Limits and the
 * per-source guard are checked once when the TCP connection arrives (so a locked-out source
 * costs no handshake) and again once the handshake is done.
 */
export class TlsTransport extends StreamTransport {
  readonly protocol = 'tls' as const;

  constructor(
    private readonly tlsOptions: TlsTransportOptions,
    delegate: TransportDelegate,
  ) {
    super(tlsOptions, delegate);
  }

  protected createServer(): Server {
    const server = createServer(
      {
        cert: this.tlsOptions.cert,
        key: this.tlsOptions.key,
        minVersion: 'TLSv1.2',
        handshakeTimeout: this.tlsOptions.handshakeTimeoutMs ?? 10_000,
      },
      (socket) => this.accept(socket),
    );
    // Before the handshake: refuse over-limit and locked-out sources without spending a handshake.
    server.prependListener('connection', (socket: Socket) => {
      if (!this.admitConnection(plainAddress(socket.remoteAddress))) socket.destroy();
      else this.trackHandshake(socket);
    });
    server.on('tlsClientError', (error) =>
      this.logger.debug({ err: error.message }, 'sip: tls handshake failed'),
    );
    return server;
  }

  protected connect(target: PeerAddress, timeoutMs: number): Promise<Socket> {
    const options: ConnectionOptions = {
      host: target.host,
      port: target.port,
      minVersion: 'TLSv1.2',
      rejectUnauthorized: this.tlsOptions.rejectUnauthorized ?? true,
      // SNI carries host names only (RFC 6066 §3).
      ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
      ...(this.tlsOptions.ca === undefined ? {} : { ca: this.tlsOptions.ca }),
    };
    return new Promise((resolve, reject) => {
      const socket = connect(options);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('tls connect timeout'));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(socket);
      });
    });
  }
}
