import { connect, createServer, type Server, type Socket } from 'node:net';
import { StreamTransport, type StreamTransportOptions } from './transport-stream.ts';
import type { PeerAddress, TransportDelegate } from './transport.ts';

export type TcpTransportOptions = StreamTransportOptions;

/** TCP transport (RFC 3261 §18.3, §18.2.2); connection handling lives in StreamTransport. */
export class TcpTransport extends StreamTransport {
  readonly protocol = 'tcp' as const;

  constructor(options: TcpTransportOptions, delegate: TransportDelegate) {
    super(options, delegate);
  }

  protected createServer(): Server {
    return createServer((socket) => this.accept(socket));
  }

  protected connect(target: PeerAddress, timeoutMs: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.host, port: target.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('tcp connect timeout'));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(socket);
      });
    });
  }
}
