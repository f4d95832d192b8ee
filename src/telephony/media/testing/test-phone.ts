/**
 * A minimal RTP "phone" for integration tests: one UDP socket on 127.0.0.1, an SDP offer
 * builder, paced tone and DTMF senders, and a bounded log of received packets.
 */
import { createSocket, type Socket } from 'node:dgram';
import { serializeTelephoneEvent, digitToEvent, type DtmfDigit } from '../dtmf.ts';
import { decodeG711, encodeG711, type G711Law } from '../g711.ts';
import { parseRtpPacket, serializeRtpPacket } from '../rtp-packet.ts';

export interface ReceivedPacket {
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
  readonly from: string;
  readonly atMs: number;
}

const MAX_RECEIVED = 5000;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `predicate` every 10 ms until it holds or `timeoutMs` passes. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('waitFor timed out');
    await sleep(10);
  }
}

/** `count` samples of a sine tone at 8 kHz, phase continuing from `startSample`. */
export function tone(frequency: number, count: number, amplitude = 8000, startSample = 0): Int16Array {
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * (startSample + i)) / 8000));
  }
  return out;
}

/** Goertzel power of one frequency: a cheap "how much of this tone is in here". */
export function tonePower(samples: Int16Array, frequency: number, sampleRate = 8000): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / Math.max(1, samples.length);
}

export interface OfferSpec {
  /** Formats in order, e.g. [0, 8, 101]. */
  readonly payloadTypes: readonly number[];
  readonly telephoneEventPt?: number;
  readonly direction?: string;
  /** Port written in the SDP (defaults to the real socket port). */
  readonly sdpPort?: number;
}

export class TestPhone {
  readonly received: ReceivedPacket[] = [];
  /** Writable so a test can play the same stream from a new address (a NAT rebinding). */
  ssrc = Math.floor(Math.random() * 0xffffffff) >>> 0;
  private seq = 1000;
  private timestamp = 5000;

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (msg, rinfo) => {
      const p = parseRtpPacket(msg);
      if (!p || this.received.length >= MAX_RECEIVED) return;
      this.received.push({
        payloadType: p.payloadType,
        sequenceNumber: p.sequenceNumber,
        timestamp: p.timestamp,
        ssrc: p.ssrc,
        marker: p.marker,
        payload: Uint8Array.from(p.payload),
        from: `${rinfo.address}:${rinfo.port}`,
        atMs: Date.now(),
      });
    });
  }

  static async open(): Promise<TestPhone> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    return new TestPhone(socket, socket.address().port);
  }

  offer(spec: OfferSpec): string {
    const names: Record<number, string> = { 0: 'PCMU/8000', 8: 'PCMA/8000', 18: 'G729/8000', 9: 'G722/8000' };
    const lines = [
      'v=0',
      `o=phone 1 1 IN IP4 127.0.0.1`,
      's=test',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${spec.sdpPort ?? this.port} RTP/AVP ${spec.payloadTypes.join(' ')}`,
    ];
    for (const pt of spec.payloadTypes) {
      if (pt === spec.telephoneEventPt) {
        lines.push(`a=rtpmap:${pt} telephone-event/8000`, `a=fmtp:${pt} 0-16`);
      } else if (names[pt]) {
        lines.push(`a=rtpmap:${pt} ${names[pt]}`);
      }
    }
    lines.push('a=ptime:20', `a=${spec.direction ?? 'sendrecv'}`);
    return lines.join('\r\n') + '\r\n';
  }

  /** Audio received from packet `from` on (PCMU and PCMA by payload type), decoded in order. */
  receivedAudio(from = 0): Int16Array {
    const packets = this.received.slice(from).filter((p) => p.payloadType === 0 || p.payloadType === 8);
    const out = new Int16Array(packets.reduce((n, p) => n + p.payload.length, 0));
    let at = 0;
    for (const p of packets) {
      decodeG711(p.payloadType === 0 ? 'PCMU' : 'PCMA', p.payload, 0, p.payload.length, out, at);
      at += p.payload.length;
    }
    return out;
  }

  sendRaw(data: Uint8Array, port: number): void {
    this.socket.send(data, port, '127.0.0.1');
  }

  /** Sends one RTP packet with our SSRC and the next sequence number. */
  sendPacket(
    port: number,
    payloadType: number,
    timestamp: number,
    payload: Uint8Array,
    marker = false,
  ): void {
    const packet = serializeRtpPacket(
      { marker, payloadType, sequenceNumber: this.seq, timestamp, ssrc: this.ssrc },
      payload,
    );
    this.seq = (this.seq + 1) & 0xffff;
    this.sendRaw(packet, port);
  }

  /** Sends `frames` 20 ms frames of `samples` (looping), paced in real time. */
  async sendAudio(
    port: number,
    law: G711Law,
    payloadType: number,
    samples: Int16Array,
    frames: number,
  ): Promise<void> {
    const payload = new Uint8Array(160);
    const start = Date.now();
    for (let i = 0; i < frames; i++) {
      const offset = (i * 160) % Math.max(160, samples.length - 159);
      encodeG711(law, samples, offset, 160, payload, 0);
      this.sendPacket(port, payloadType, this.timestamp, payload, i === 0);
      this.timestamp = (this.timestamp + 160) >>> 0;
      const wait = start + (i + 1) * 20 - Date.now();
      if (wait > 0) await sleep(wait);
    }
  }

  /** One RFC 4733 key press: 3 updates and the end packet sent three times (§2.5.1.4). */
  async sendDigit(port: number, payloadType: number, digit: DtmfDigit): Promise<void> {
    const timestamp = this.timestamp;
    const event = digitToEvent(digit);
    for (let i = 1; i <= 3; i++) {
      const payload = serializeTelephoneEvent({ event, end: false, volume: 10, duration: i * 160 });
      this.sendPacket(port, payloadType, timestamp, payload, i === 1);
      await sleep(20);
    }
    for (let i = 0; i < 3; i++) {
      this.sendPacket(
        port,
        payloadType,
        timestamp,
        serializeTelephoneEvent({ event, end: true, volume: 10, duration: 640 }),
      );
    }
    this.timestamp = (this.timestamp + 800) >>> 0;
    await sleep(40);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
