/**
 * RTP load for the media benchmark: G.711 μ-law streams of 20 ms packets, paced on the wall clock
 * with their phases spread evenly across the 20 ms period, as independent phones would send them.
 * Every packet carries its own stream sequence number in the first payload bytes, so loss, delay
 * and jitter are measured end to end even through a relay that rewrites RTP headers.
 * Jitter is RFC 3550 §A.8 interarrival jitter computed against the nominal send time.
 */
import { createSocket, type Socket } from 'node:dgram';

const FRAME_MS = 20;
const PAYLOAD = 160;
const HEADER = 12;
/** Pacing resolution: streams are put into this many phase slots per 20 ms period. */
const SLOTS = 10;

interface Window {
  from: number;
  to: number;
}

/** One end of a call: sends a stream to `remote` and measures what arrives on its own socket. */
export class RtpEnd {
  remote: { host: string; port: number } | null = null;
  private seq = 0;
  private readonly ssrc = (Math.random() * 0xffffffff) >>> 0;
  /** Nominal send time (ms, performance clock) of seq 0 of the peer's stream, known to both ends. */
  origin = 0;
  private received = 0;
  private jitter = 0;
  private lastTransit: number | null = null;
  private delays: number[] = [];
  private window: Window | null = null;
  private connectedTo: string | null = null;
  private connecting = false;

  private constructor(readonly socket: Socket) {
    socket.on('message', (m) => this.onPacket(m));
  }

  static async open(): Promise<RtpEnd> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RtpEnd(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Sends the packet that is due now (sequence number = frames since `origin`). */
  sendDue(now: number): number {
    const remote = this.remote;
    if (!remote || !this.connectTo(remote)) return 0;
    // Node's timers may fire a fraction of a millisecond before their time: a frame is due when
    // its slot's tick comes, up to one tick early, rather than a whole period later.
    const due = Math.floor((now - this.origin + FRAME_MS / SLOTS) / FRAME_MS);
    let sent = 0;
    while (this.seq <= due) {
      const b = Buffer.allocUnsafe(HEADER + PAYLOAD);
      b[0] = 0x80;
      b[1] = 0;
      b.writeUInt16BE(this.seq & 0xffff, 2);
      b.writeUInt32BE((this.seq * PAYLOAD) >>> 0, 4);
      b.writeUInt32BE(this.ssrc, 8);
      // 24-bit stream sequence in four bytes of 6 bits each, kept away from μ-law's ±0 codes.
      b[12] = 0x10 + ((this.seq >>> 18) & 0x3f);
      b[13] = 0x10 + ((this.seq >>> 12) & 0x3f);
      b[14] = 0x10 + ((this.seq >>> 6) & 0x3f);
      b[15] = 0x10 + (this.seq & 0x3f);
      b.fill(0xd5, 16);
      this.socket.send(b);
      this.seq++;
      sent++;
    }
    return sent;
  }

  /**
   * Connects the socket to the remote (true once it is): sends skip Node's per-packet address
   * lookup and the kernel's route lookup, so the generator's own cost per packet drops by about a
   * third, and only the remote's packets arrive. Frames due while connecting go out on the next tick.
   */
  private connectTo(remote: { host: string; port: number }): boolean {
    const key = `${remote.host}:${remote.port}`;
    if (this.connectedTo === key) return true;
    if (this.connecting) return false;
    if (this.connectedTo !== null) {
      this.socket.disconnect();
      this.connectedTo = null;
    }
    this.connecting = true;
    this.socket.connect(remote.port, remote.host, () => {
      this.connecting = false;
      this.connectedTo = key;
    });
    return false;
  }

  /** Counts packets whose stream sequence falls in [from, to) from now on. */
  measure(window: Window): void {
    this.window = window;
    this.received = 0;
    this.jitter = 0;
    this.lastTransit = null;
    this.delays = [];
  }

  result(): { expected: number; received: number; jitterMs: number; delays: number[] } {
    const w = this.window;
    return {
      expected: w ? w.to - w.from : 0,
      received: this.received,
      jitterMs: this.jitter,
      delays: this.delays,
    };
  }

  private onPacket(m: Buffer): void {
    const w = this.window;
    // Only our own packets count: PCMU of the size we send. The switch also sends RTCP to the RTP
    // port + 1, which may be another end's socket (ports are ephemeral here).
    if (!w || m.length !== HEADER + PAYLOAD || (m[1]! & 0x7f) !== 0) return;
    const seq =
      (((m[12]! - 0x10) & 0x3f) << 18) |
      (((m[13]! - 0x10) & 0x3f) << 12) |
      (((m[14]! - 0x10) & 0x3f) << 6) |
      ((m[15]! - 0x10) & 0x3f);
    if (seq < w.from || seq >= w.to) return;
    this.received++;
    const transit = performance.now() - (this.origin + seq * FRAME_MS);
    if (this.lastTransit !== null) this.jitter += (Math.abs(transit - this.lastTransit) - this.jitter) / 16;
    this.lastTransit = transit;
    if (this.delays.length < 2000) this.delays.push(transit);
  }

  close(): void {
    this.socket.close();
  }
}

/** A pair of ends that send to each other through some relay (or directly). */
export interface CallPair {
  a: RtpEnd;
  b: RtpEnd;
}

/** Drives every end's stream from one timer; the phase of each pair is spread across the period. */
export class Pacer {
  private readonly slots: RtpEnd[][] = Array.from({ length: SLOTS }, () => []);
  private timer: NodeJS.Timeout | null = null;
  private slot = 0;
  private start = 0;
  private count = 0;
  /** How late the timer fired, ms, per tick (generator health). */
  readonly lateness: number[] = [];
  sent = 0;

  add(pair: CallPair): void {
    const slot = this.count++ % SLOTS;
    const origin = this.phaseOrigin(slot);
    pair.a.origin = origin;
    pair.b.origin = origin;
    this.slots[slot]!.push(pair.a, pair.b);
  }

  remove(pair: CallPair): void {
    for (const s of this.slots) {
      for (const end of [pair.a, pair.b]) {
        const i = s.indexOf(end);
        if (i >= 0) s.splice(i, 1);
      }
    }
  }

  /** Nominal time of frame 0 for a slot: a future period boundary plus the slot's phase. */
  private phaseOrigin(slot: number): number {
    const now = performance.now();
    const base = this.start + Math.ceil((now - this.start) / FRAME_MS + 1) * FRAME_MS;
    return base + (slot * FRAME_MS) / SLOTS;
  }

  run(): void {
    this.start = performance.now();
    const tickMs = FRAME_MS / SLOTS;
    const tick = (): void => {
      const due = this.start + this.slot * tickMs;
      const now = performance.now();
      this.lateness.push(now - due);
      if (this.lateness.length > 50_000) this.lateness.splice(0, 25_000);
      for (const end of this.slots[this.slot % SLOTS]!) {
        if (now + tickMs >= end.origin) this.sent += end.sendDue(now);
      }
      this.slot++;
      this.timer = setTimeout(tick, Math.max(0, this.start + this.slot * tickMs - performance.now()));
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Starts a measurement window of `ms` on every end, beginning one period from now. */
export function measureWindow(ends: readonly RtpEnd[], ms: number): void {
  const now = performance.now();
  for (const end of ends) {
    const from = Math.ceil((now - end.origin) / FRAME_MS) + 1;
    end.measure({ from, to: from + Math.floor(ms / FRAME_MS) });
  }
}
