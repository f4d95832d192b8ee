/**
 * A test-owned RTP party for "who hears whom" acceptance tests. SIPp does the signalling and puts
 * this party's UDP port into its SDP; the party sends a steady PCMU sine tone of its own
 * frequency in paced 20 ms packets, and measures, packet by packet, how much of the audio it
 * RECEIVES is each test tone (Goertzel), plus the RFC 4733 digits it receives.
 *
 * Symmetric RTP: the switch sends from the port it put into its own SDP (rtp-endpoint.ts), so the
 * party sends back to the source of the packets it receives, starting with the first one.
 *
 * Tone frequencies should be multiples of 50 Hz: a 160-sample packet then holds whole cycles, every
 * packet carries the same bytes, and each tone sits exactly on a Goertzel bin of a packet, so
 * tones do not leak into each other's measurement whatever their phase.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import {
  DtmfDetector,
  digitToEvent,
  isDtmfDigit,
  serializeTelephoneEvent,
} from '../../src/telephony/media/dtmf.ts';
import { decodeG711, encodeG711, type G711Law } from '../../src/telephony/media/g711.ts';
import { parseRtpPacket, serializeRtpPacket } from '../../src/telephony/media/rtp-packet.ts';

export const SAMPLE_RATE = 8000;
export const PACKET_SAMPLES = 160;
const PACKET_MS = 20;
const PCMU = 0;
const PCMA = 8;
/** The caller's telephone-event payload type in tone-caller.xml. */
const EVENT_PT = 101;

/**
 * Energy of `frequency` in `samples[offset, offset + length)` by the Goertzel algorithm, scaled
 * as 2·|X(f)|²/N: for a sinusoid on a bin this equals its total energy Σx², so dividing by the
 * block's total energy gives the tone's share of it (1 for a pure tone, ½ each for two tones).
 */
export function goertzelEnergy(
  samples: ArrayLike<number>,
  frequency: number,
  offset = 0,
  length = samples.length - offset,
): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / SAMPLE_RATE);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < length; i++) {
    const s0 = (samples[offset + i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (2 * (s1 * s1 + s2 * s2 - coeff * s1 * s2)) / Math.max(1, length);
}

export function blockEnergy(
  samples: ArrayLike<number>,
  offset = 0,
  length = samples.length - offset,
): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += (samples[offset + i] ?? 0) ** 2;
  return sum;
}

/** What a party heard over a run of received audio packets. */
export interface Hearing {
  packets: number;
  /** Mean power per sample of everything received. */
  power: number;
  /** Per frequency: its share of the received energy (0…1) and its RMS level in dBFS. */
  tones: Map<number, { share: number; dbfs: number }>;
}

/** A sine tone of `frequency` at `amplitude` as one PCMU packet payload (whole cycles per packet). */
export function tonePayload(frequency: number, amplitude: number, law: G711Law = 'PCMU'): Uint8Array {
  const pcm = new Int16Array(PACKET_SAMPLES);
  for (let i = 0; i < PACKET_SAMPLES; i++)
    pcm[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / SAMPLE_RATE));
  const out = new Uint8Array(PACKET_SAMPLES);
  encodeG711(law, pcm, 0, PACKET_SAMPLES, out, 0);
  return out;
}

/** A received telephone-event packet (for asserting the payload type and timing). */
export interface ReceivedEvent {
  payloadType: number;
  digit: string | null;
  atMs: number;
}

export class ToneParty {
  /** Source of the switch's RTP: where this party sends (null until the first packet). */
  remote: RemoteInfo | null = null;
  /** RFC 4733 digits received, one per key press, in order. */
  digits = '';
  readonly events: ReceivedEvent[] = [];
  /** Payload types of the audio packets received. */
  readonly audioPayloadTypes = new Set<number>();
  /** Per received audio packet: total energy, then the energy of each `listenFor` frequency. */
  private readonly received: number[][] = [];
  private readonly detector = new DtmfDetector();
  private readonly payload: Uint8Array;
  private readonly ssrc = (Math.random() * 0xffffffff) >>> 0;
  private seq = Math.floor(Math.random() * 0xffff);
  private timestamp = (Math.random() * 0xffffffff) >>> 0;
  private slots = 0;
  private startMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly pcm = new Int16Array(PACKET_SAMPLES);
  /** Queued RFC 4733 packets (event code, end flag, duration), sent in place of audio packets. */
  private readonly dtmfQueue: { event: number; end: boolean; duration: number; first: boolean }[] = [];
  private eventTimestamp = 0;

  private constructor(
    readonly name: string,
    readonly frequency: number,
    private readonly listenFor: readonly number[],
    private readonly socket: ReturnType<typeof createSocket>,
    readonly port: number,
    amplitude: number,
  ) {
    this.payload = tonePayload(frequency, amplitude);
    socket.on('message', (msg, rinfo) => this.onPacket(msg, rinfo));
  }

  /**
   * Binds a socket on loopback — at the first free one of `firstPort`, `firstPort` + 2, …, or
   * where the system picks when it is not given — and starts sending once the switch does.
   */
  static async open(options: {
    name: string;
    frequency: number;
    /** Frequencies to measure in what this party receives (every party's tone). */
    listenFor: readonly number[];
    amplitude?: number;
    firstPort?: number;
  }): Promise<ToneParty> {
    const candidates = options.firstPort
      ? Array.from({ length: 50 }, (_, i) => options.firstPort! + 2 * i)
      : [0];
    for (const port of candidates) {
      const socket = createSocket('udp4');
      const bound = await new Promise<boolean>((resolve) => {
        socket.once('error', () => resolve(false));
        socket.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(true));
      });
      if (!bound) {
        socket.close();
        continue;
      }
      socket.removeAllListeners('error');
      return new ToneParty(
        options.name,
        options.frequency,
        options.listenFor,
        socket,
        socket.address().port,
        options.amplitude ?? 8000,
      );
    }
    throw new Error(`no free UDP port for ${options.name} from ${options.firstPort}`);
  }

  /** Audio packets received so far: an index for `hearing()`. */
  get audioPackets(): number {
    return this.received.length;
  }

  /** Tone shares over the received audio packets [from, to). */
  hearing(from: number, to = this.received.length): Hearing {
    const rows = this.received.slice(from, to);
    const total = rows.reduce((s, r) => s + (r[0] ?? 0), 0);
    const samples = Math.max(1, rows.length * PACKET_SAMPLES);
    const tones = new Map<number, { share: number; dbfs: number }>();
    this.listenFor.forEach((f, i) => {
      const energy = rows.reduce((s, r) => s + (r[i + 1] ?? 0), 0);
      tones.set(f, {
        share: total > 0 ? energy / total : 0,
        dbfs: 10 * Math.log10(Math.max(1e-12, energy / samples / 32768 ** 2)),
      });
    });
    return { packets: rows.length, power: total / samples, tones };
  }

  /** Queues digits as RFC 4733 events (100 ms each, 3 end packets, 60 ms apart) on this stream. */
  sendDigits(digits: string): void {
    for (const d of digits) {
      if (!isDtmfDigit(d)) throw new Error(`not a DTMF digit: ${d}`);
      const event = digitToEvent(d);
      for (let k = 1; k <= 5; k++)
        this.dtmfQueue.push({ event, end: k === 5, duration: k * PACKET_SAMPLES, first: k === 1 });
      for (let k = 0; k < 2; k++)
        this.dtmfQueue.push({ event, end: true, duration: 5 * PACKET_SAMPLES, first: false });
      // Three audio packets between digits.
      for (let k = 0; k < 3; k++) this.dtmfQueue.push({ event: -1, end: false, duration: 0, first: false });
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private onPacket(msg: Buffer, rinfo: RemoteInfo): void {
    const packet = parseRtpPacket(msg);
    if (!packet) return;
    if (this.remote?.address !== rinfo.address || this.remote.port !== rinfo.port) this.remote = rinfo;
    if (!this.timer) this.startSending();
    if (packet.payloadType === PCMU || packet.payloadType === PCMA) {
      this.audioPayloadTypes.add(packet.payloadType);
      const n = Math.min(packet.payload.length, PACKET_SAMPLES);
      decodeG711(packet.payloadType === PCMU ? 'PCMU' : 'PCMA', packet.payload, 0, n, this.pcm, 0);
      this.received.push([
        blockEnergy(this.pcm, 0, n),
        ...this.listenFor.map((f) => goertzelEnergy(this.pcm, f, 0, n)),
      ]);
      return;
    }
    const digit = this.detector.push(packet.ssrc, packet.timestamp, packet.payload);
    this.events.push({ payloadType: packet.payloadType, digit, atMs: performance.now() });
    if (digit) this.digits += digit;
  }

  /** Paced by the clock, not by timer ticks: every due 20 ms slot is sent; a long stall is skipped. */
  private startSending(): void {
    this.startMs = performance.now();
    const tick = (): void => {
      const due = Math.floor((performance.now() - this.startMs) / PACKET_MS) + 1;
      if (due - this.slots > 10) {
        this.timestamp = (this.timestamp + (due - 1 - this.slots) * PACKET_SAMPLES) >>> 0;
        this.slots = due - 1;
      }
      while (this.slots < due) {
        this.sendSlot();
        this.slots++;
      }
    };
    this.timer = setInterval(tick, 5);
    tick();
  }

  private sendSlot(): void {
    if (!this.remote) return;
    const dtmf = this.dtmfQueue.shift();
    let packet: Uint8Array;
    if (dtmf && dtmf.event >= 0) {
      if (dtmf.first) this.eventTimestamp = this.timestamp;
      const payload = serializeTelephoneEvent({
        event: dtmf.event,
        end: dtmf.end,
        volume: 10,
        duration: dtmf.duration,
      });
      packet = serializeRtpPacket(
        {
          marker: dtmf.first,
          payloadType: EVENT_PT,
          sequenceNumber: this.seq,
          timestamp: this.eventTimestamp,
          ssrc: this.ssrc,
        },
        payload,
      );
    } else {
      packet = serializeRtpPacket(
        {
          marker: this.slots === 0,
          payloadType: PCMU,
          sequenceNumber: this.seq,
          timestamp: this.timestamp,
          ssrc: this.ssrc,
        },
        this.payload,
      );
    }
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + PACKET_SAMPLES) >>> 0;
    this.socket.send(packet, this.remote.port, this.remote.address);
  }
}
