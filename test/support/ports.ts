import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

async function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port free on both UDP and TCP (SIP listens on both), from a per-process band to avoid clashes. */
export async function freeSipPort(offset = 0): Promise<number> {
  const base = 30000 + (process.pid % 200) * 40 + offset;
  for (let i = 0; i < 400; i++) {
    const port = base + ((i * 7) % 8000);
    if ((await udpFree(port)) && (await tcpFree(port))) return port;
  }
  throw new Error('no free SIP port found');
}

/** A block of `count` consecutive UDP ports, even-aligned, for RTP. */
export async function freeUdpRange(count: number): Promise<[number, number]> {
  const base = 40000 + (process.pid % 300) * 64;
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = base + attempt * count * 2;
    let ok = true;
    for (let p = start; p < start + count && ok; p++) ok = await udpFree(p);
    if (ok) return [start, start + count - 1];
  }
  throw new Error('no free RTP range found');
}
