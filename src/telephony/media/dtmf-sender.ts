/**
 * The send side of RFC 4733 telephone-events: when each packet of a digit string is due and what
 * it carries. Pure timing, no sockets; the endpoint (rtp-endpoint.ts) maps each packet into its
 * outgoing stream and sends it.
 *
 * For every digit, with D = duration in timestamp units (8 per ms) and N = ceil(D / 160):
 *  - packets every 20 ms (the audio packet interval), all with the RTP timestamp of the event's
 *    start (§2.5.1.2) and the marker bit on the first one (§2.5.1.1);
 *  - N − 1 updates with a growing duration (160, 320, …);
 *  - then the final packet with the E bit and duration D, sent three times, 20 ms apart
 *    (§2.5.1.4), each retransmission a new RTP packet (next sequence number).
 * The next digit starts `durationMs + gapMs` after this one, but never before one packet
 * interval after its last end packet, so events never overlap. Events stay below 65535
 * timestamp units, so no event is ever split into segments (§2.5.1.3).
 *
 * If the worker stalls, superseded updates are skipped (only the newest due update is sent);
 * the three end packets are always sent.
 */
import { digitToEvent, isDtmfDigit, type DtmfDigit } from './dtmf.ts';

export const DTMF_PACKET_MS = 20;
const SAMPLES_PER_MS = 8;
const PACKET_SAMPLES = DTMF_PACKET_MS * SAMPLES_PER_MS;
/** RFC 4733 §2.5.1.4: the final packet of an event is sent three times. */
export const END_REPEATS = 3;
export const DEFAULT_DTMF_DURATION_MS = 100;
export const DEFAULT_DTMF_GAP_MS = 100;
/** ITU-T Q.24 receivers need about 40 ms of tone; 8 s keeps D under 65535 (no segments). */
export const MIN_DTMF_DURATION_MS = 40;
export const MAX_DTMF_DURATION_MS = 8000;
export const MAX_DTMF_GAP_MS = 10_000;
/** Volume field: power level −10 dBm0, what phones typically send. */
export const DTMF_VOLUME = 10;

/** The digits of `value` in order, or null when any character is not 0-9 * # A-D. */
export function parseDtmfDigits(value: string): DtmfDigit[] | null {
  const digits: DtmfDigit[] = [];
  for (const c of value) {
    if (!isDtmfDigit(c)) return null;
    digits.push(c);
  }
  return digits;
}

export interface DtmfPacket {
  /** RFC 4733 event code (0-15). */
  readonly event: number;
  /** First packet sent for this event: new timestamp, marker bit. */
  readonly first: boolean;
  readonly end: boolean;
  /** Timestamp units (8 kHz) since the event's start. */
  readonly duration: number;
}

/** The packet schedule of one digit string, starting at `startMs`. */
export class DtmfSequence {
  private readonly events: readonly number[];
  private readonly durationSamples: number;
  /** Packet slots up to and including the first end packet. */
  private readonly slots: number;
  private readonly spacingMs: number;
  private digitIndex = 0;
  /** Index of the next packet of the current digit. */
  private packetIndex = 0;
  private digitStartMs: number;
  private sentInDigit = false;

  constructor(digits: readonly DtmfDigit[], durationMs: number, gapMs: number, startMs: number) {
    this.events = digits.map(digitToEvent);
    this.durationSamples = Math.round(durationMs * SAMPLES_PER_MS);
    this.slots = Math.max(1, Math.ceil(this.durationSamples / PACKET_SAMPLES));
    // The last end packet goes out at (packetsPerDigit − 1) × 20 ms; the next digit after it.
    this.spacingMs = Math.max(durationMs + gapMs, this.packetsPerDigit * DTMF_PACKET_MS);
    this.digitStartMs = startMs;
  }

  get done(): boolean {
    return this.digitIndex >= this.events.length;
  }

  /** A digit's event is on the wire (first packet sent, last end packet not yet): no audio. */
  get inEvent(): boolean {
    return this.sentInDigit;
  }

  /** When the next digit string may start: the slot after this one's last digit. */
  get freeAtMs(): number {
    return this.digitStartMs;
  }

  /** Packets per digit: the updates plus the end packet three times. */
  get packetsPerDigit(): number {
    return this.slots - 1 + END_REPEATS;
  }

  /** The next packet if it is due by `nowMs`, else null; call until null. */
  next(nowMs: number): DtmfPacket | null {
    const event = this.events[this.digitIndex];
    if (event === undefined || nowMs < this.dueMs(this.packetIndex)) return null;
    // A stalled timer: an update whose successor is already due says nothing new.
    while (this.packetIndex < this.slots - 1 && nowMs >= this.dueMs(this.packetIndex + 1)) this.packetIndex++;
    const end = this.packetIndex >= this.slots - 1;
    const packet: DtmfPacket = {
      event,
      first: !this.sentInDigit,
      end,
      duration: end ? this.durationSamples : (this.packetIndex + 1) * PACKET_SAMPLES,
    };
    this.sentInDigit = true;
    this.packetIndex++;
    if (this.packetIndex >= this.packetsPerDigit) {
      this.digitIndex++;
      this.packetIndex = 0;
      this.sentInDigit = false;
      this.digitStartMs += this.spacingMs;
    }
    return packet;
  }

  private dueMs(packetIndex: number): number {
    return this.digitStartMs + packetIndex * DTMF_PACKET_MS;
  }
}
