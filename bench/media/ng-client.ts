/**
 * A minimal client of rtpengine's "ng" control protocol (bencoded dictionaries over UDP, each
 * message prefixed by a cookie), enough to set up and delete relayed calls for the benchmark's
 * comparison run: `offer`, `answer`, `delete`.
 */
import { createSocket, type Socket } from 'node:dgram';

export type Bencoded = string | number | Bencoded[] | { [key: string]: Bencoded };

export function bencode(value: Bencoded): Buffer {
  if (typeof value === 'number') return Buffer.from(`i${Math.trunc(value)}e`);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value);
    return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(value).sort();
  return Buffer.concat([
    Buffer.from('d'),
    ...keys.flatMap((k) => [bencode(k), bencode(value[k]!)]),
    Buffer.from('e'),
  ]);
}

export function bdecode(data: Buffer): Bencoded {
  let i = 0;
  const next = (): Bencoded => {
    const c = String.fromCharCode(data[i]!);
    if (c === 'i') {
      const end = data.indexOf(0x65, i);
      const n = Number(data.toString('latin1', i + 1, end));
      i = end + 1;
      return n;
    }
    if (c === 'l') {
      i++;
      const list: Bencoded[] = [];
      while (data[i] !== 0x65) list.push(next());
      i++;
      return list;
    }
    if (c === 'd') {
      i++;
      const dict: Record<string, Bencoded> = {};
      while (data[i] !== 0x65) {
        const key = next();
        dict[String(key)] = next();
      }
      i++;
      return dict;
    }
    const colon = data.indexOf(0x3a, i);
    if (colon < 0) throw new Error('bencode: malformed string');
    const length = Number(data.toString('latin1', i, colon));
    const s = data.toString('utf8', colon + 1, colon + 1 + length);
    i = colon + 1 + length;
    return s;
  };
  return next();
}

export class NgClient {
  private readonly pending = new Map<string, (reply: Record<string, Bencoded>) => void>();
  private cookie = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly port: number,
  ) {
    socket.on('message', (m) => {
      const space = m.indexOf(0x20);
      const cookie = m.toString('latin1', 0, space);
      const resolve = this.pending.get(cookie);
      // Anything but a reply to a pending command (e.g. RTCP sent to this port as someone's RTP
      // port + 1) is not for us.
      if (!resolve) return;
      let reply: Bencoded;
      try {
        reply = bdecode(m.subarray(space + 1));
      } catch (error) {
        process.stderr.write(
          `rtpengine reply not understood (${String(error)}): ${m.toString('latin1', 0, 300)}\n`,
        );
        reply = { result: 'error', 'error-reason': 'reply not understood' };
      }
      if (typeof reply === 'object' && !Array.isArray(reply)) {
        this.pending.delete(cookie);
        resolve(reply);
      }
    });
  }

  static async connect(port: number): Promise<NgClient> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new NgClient(socket, port);
  }

  /** Sends one command; retries twice on silence; rejects on `result: error`. */
  async command(command: Record<string, Bencoded>): Promise<Record<string, Bencoded>> {
    const cookie = `sy${++this.cookie}`;
    const message = Buffer.concat([Buffer.from(`${cookie} `), bencode(command)]);
    for (let attempt = 0; attempt < 3; attempt++) {
      const reply = await new Promise<Record<string, Bencoded> | null>((resolve) => {
        const timer = setTimeout(() => {
          this.pending.delete(cookie);
          resolve(null);
        }, 2000);
        this.pending.set(cookie, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
        this.socket.send(message, this.port, '127.0.0.1');
      });
      if (!reply) continue;
      if (reply.result !== 'ok' && reply.result !== 'pong') {
        throw new Error(
          `rtpengine ${String(command.command)}: ${String(reply['error-reason'] ?? reply.result)}`,
        );
      }
      return reply;
    }
    throw new Error(`rtpengine ${String(command.command)}: no reply`);
  }

  close(): void {
    this.socket.close();
  }
}
