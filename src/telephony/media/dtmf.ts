/**
 * RFC 4733 telephone-events (DTMF over RTP).
 *
 * Payload (§2.3):
 *  0                   1                   2                   3
 * |     event     |E|R| volume    |          duration             |
 *
 * A sender repeats packets for one event while the key is held (same RTP timestamp, growing
 * duration) and sends the final "E" packet three times (§2.5.1.4). The detector below turns that
 * stream into exactly one digit per key press.
 */

export type DtmfDigit =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** RFC 4733 §3.2 table 7: events 0-15. Event 16 (flash) is not a digit. */
const DIGITS: readonly DtmfDigit[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
];

export const TELEPHONE_EVENT_PAYLOAD_LENGTH = 4;

export interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  /** Power level in -dBm0, 0..63. */
  readonly volume: number;
  /** Duration so far, in timestamp units (8 kHz). */
  readonly duration: number;
}

export function eventToDigit(event: number): DtmfDigit | null {
  return DIGITS[event] ?? null;
}

export function digitToEvent(digit: DtmfDigit): number {
  return DIGITS.indexOf(digit);
}

export function isDtmfDigit(value: string): value is DtmfDigit {
  return DIGITS.some((d) => d === value);
}

/** Parses a telephone-event payload; null when it is too short (§2.3). */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < TELEPHONE_EVENT_PAYLOAD_LENGTH) return null;
  const flags = payload[1] ?? 0;
  return {
    event: payload[0] ?? 0,
    end: (flags & 0x80) !== 0,
    volume: flags & 0x3f,
    duration: ((payload[2] ?? 0) << 8) | (payload[3] ?? 0),
  };
}

export function serializeTelephoneEvent(event: TelephoneEvent): Uint8Array {
  const out = new Uint8Array(TELEPHONE_EVENT_PAYLOAD_LENGTH);
  out[0] = event.event & 0xff;
  out[1] = (event.end ? 0x80 : 0) | (event.volume & 0x3f);
  out[2] = (event.duration >> 8) & 0xff;
  out[3] = event.duration & 0xff;
  return out;
}

/** How many past events we remember, so late retransmissions of one do not count again. */
const HISTORY = 8;

interface SeenEvent {
  ssrc: number;
  timestamp: number;
  event: number;
  duration: number;
  ended: boolean;
}

/**
 * One detector per received stream. An event is identified by (SSRC, RTP timestamp, event
 * code): every packet of one key press shares the timestamp (§2.5.1.2), so the first packet
 * seen — start, update or end, whichever survives the network — reports the digit and the rest
 * are ignored. A long event split into segments (§2.5.1.3, duration overflow) continues the
 * previous one at timestamp + duration and is not reported again.
 */
export class DtmfDetector {
  private readonly seen: SeenEvent[] = [];
  private next = 0;

  /** Feeds one telephone-event packet; returns the digit when it starts a new key press. */
  push(ssrc: number, timestamp: number, payload: Uint8Array): DtmfDigit | null {
    const parsed = parseTelephoneEvent(payload);
    if (!parsed) return null;
    const known = this.seen.find(
      (s) => s.ssrc === ssrc && s.timestamp === timestamp && s.event === parsed.event,
    );
    if (known) {
      known.duration = Math.max(known.duration, parsed.duration);
      known.ended ||= parsed.end;
      return null;
    }
    const continuation = this.seen.some(
      (s) =>
        s.ssrc === ssrc &&
        s.event === parsed.event &&
        !s.ended &&
        s.duration >= 0xff00 &&
        (timestamp - s.timestamp) >>> 0 === s.duration,
    );
    this.remember({ ssrc, timestamp, event: parsed.event, duration: parsed.duration, ended: parsed.end });
    if (continuation) return null;
    return eventToDigit(parsed.event);
  }

  private remember(entry: SeenEvent): void {
    if (this.seen.length < HISTORY) this.seen.push(entry);
    else this.seen[this.next] = entry;
    this.next = (this.next + 1) % HISTORY;
  }
}
