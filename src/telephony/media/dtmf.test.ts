import { describe, expect, it } from 'vitest';
import {
  DtmfDetector,
  digitToEvent,
  eventToDigit,
  parseTelephoneEvent,
  serializeTelephoneEvent,
  type DtmfDigit,
} from './dtmf.ts';

function packets(event: number, updates: number, endRepeats: number) {
  const out: { end: boolean; duration: number; payload: Uint8Array }[] = [];
  for (let i = 1; i <= updates; i++) {
    out.push({
      end: false,
      duration: i * 160,
      payload: serializeTelephoneEvent({ event, end: false, volume: 10, duration: i * 160 }),
    });
  }
  for (let i = 0; i < endRepeats; i++) {
    const duration = (updates + 1) * 160;
    out.push({
      end: true,
      duration,
      payload: serializeTelephoneEvent({ event, end: true, volume: 10, duration }),
    });
  }
  return out;
}

describe('RFC 4733 telephone-event payload (§2.3)', () => {
  it('round-trips event, E bit, volume and duration', () => {
    const event = { event: 11, end: true, volume: 63, duration: 0xfedc };
    expect(parseTelephoneEvent(serializeTelephoneEvent(event))).toEqual(event);
  });

  it('returns null for short payloads', () => {
    expect(parseTelephoneEvent(Uint8Array.from([1, 2, 3]))).toBeNull();
  });

  it('maps events 0-15 to digits (§3.2) and nothing else', () => {
    expect(['0', '9', '*', '#', 'A', 'D'].map((d) => digitToEvent(d as DtmfDigit))).toEqual([
      0, 9, 10, 11, 12, 15,
    ]);
    expect(eventToDigit(16)).toBeNull();
  });
});

describe('DtmfDetector', () => {
  it('reports one digit per event despite updates and three end retransmissions (§2.5.1.4)', () => {
    const detector = new DtmfDetector();
    const digits: string[] = [];
    let timestamp = 1000;
    for (const digit of ['1', '2', '2', '#'] as const) {
      for (const p of packets(digitToEvent(digit), 4, 3)) {
        const d = detector.push(7, timestamp, p.payload);
        if (d) digits.push(d);
      }
      timestamp += 1600;
    }
    expect(digits).toEqual(['1', '2', '2', '#']);
  });

  it('reports a digit whose start packets were all lost (only end packets arrive)', () => {
    const detector = new DtmfDetector();
    const ends = packets(5, 0, 3);
    expect(ends.map((p) => detector.push(1, 500, p.payload))).toEqual(['5', null, null]);
  });

  it('ignores a late end retransmission of an earlier event', () => {
    const detector = new DtmfDetector();
    const first = packets(1, 1, 3);
    expect(detector.push(1, 100, first[0]?.payload ?? new Uint8Array())).toBe('1');
    expect(detector.push(1, 900, packets(2, 1, 0)[0]?.payload ?? new Uint8Array())).toBe('2');
    expect(detector.push(1, 100, first[1]?.payload ?? new Uint8Array())).toBeNull();
  });

  it('treats a new SSRC as a new source', () => {
    const detector = new DtmfDetector();
    const p = packets(3, 1, 0)[0]?.payload ?? new Uint8Array();
    expect(detector.push(1, 100, p)).toBe('3');
    expect(detector.push(2, 100, p)).toBe('3');
  });

  it('does not report a long event twice when it continues in a new segment (§2.5.1.3)', () => {
    const detector = new DtmfDetector();
    const long = serializeTelephoneEvent({ event: 4, end: false, volume: 10, duration: 0xffff });
    expect(detector.push(1, 10_000, long)).toBe('4');
    const next = serializeTelephoneEvent({ event: 4, end: true, volume: 10, duration: 800 });
    expect(detector.push(1, 10_000 + 0xffff, next)).toBeNull();
  });

  it('ignores flash (event 16) and junk', () => {
    const detector = new DtmfDetector();
    expect(
      detector.push(1, 1, serializeTelephoneEvent({ event: 16, end: false, volume: 0, duration: 0 })),
    ).toBeNull();
    expect(detector.push(1, 2, new Uint8Array(2))).toBeNull();
  });
});
