import { describe, expect, it } from 'vitest';
import { digitToEvent } from './dtmf.ts';
import { DtmfSequence, parseDtmfDigits, type DtmfPacket } from './dtmf-sender.ts';

/** Runs the sequence on a 10 ms clock (like the worker's) and notes when each packet went out. */
function run(sequence: DtmfSequence, fromMs = 0, stepMs = 10): { atMs: number; packet: DtmfPacket }[] {
  const out: { atMs: number; packet: DtmfPacket }[] = [];
  for (let now = fromMs; !sequence.done && now < fromMs + 60_000; now += stepMs) {
    for (let p = sequence.next(now); p; p = sequence.next(now)) out.push({ atMs: now, packet: p });
  }
  return out;
}

describe('parseDtmfDigits', () => {
  it('takes 0-9 * # A-D and nothing else', () => {
    expect(parseDtmfDigits('0123456789*#ABCD')).toHaveLength(16);
    expect(parseDtmfDigits('')).toEqual([]);
    for (const bad of ['a', '1x', ' ', '1,2', 'E', '+', '١']) expect(parseDtmfDigits(bad)).toBeNull();
  });
});

describe('DtmfSequence (RFC 4733 §2.5 send timing)', () => {
  it('sends updates every 20 ms, then the end packet three times, 20 ms apart', () => {
    const sent = run(new DtmfSequence(['5'], 100, 100, 1000), 1000);
    expect(sent.map((s) => s.atMs)).toEqual([1000, 1020, 1040, 1060, 1080, 1100, 1120]);
    expect(sent.map((s) => s.packet)).toEqual([
      { event: 5, first: true, end: false, duration: 160 },
      { event: 5, first: false, end: false, duration: 320 },
      { event: 5, first: false, end: false, duration: 480 },
      { event: 5, first: false, end: false, duration: 640 },
      { event: 5, first: false, end: true, duration: 800 },
      { event: 5, first: false, end: true, duration: 800 },
      { event: 5, first: false, end: true, duration: 800 },
    ]);
  });

  it('starts each digit durationMs + gapMs after the previous one', () => {
    const sequence = new DtmfSequence(['1', '#', 'D'], 60, 140, 0);
    const sent = run(sequence);
    const starts = sent.filter((s) => s.packet.first);
    expect(starts.map((s) => [s.atMs, s.packet.event])).toEqual([
      [0, 1],
      [200, digitToEvent('#')],
      [400, digitToEvent('D')],
    ]);
    // 60 ms: 2 updates, the end packet ×3, duration 480 (not a multiple of 160 is fine too).
    expect(sent.filter((s) => s.packet.event === 1).map((s) => s.packet.duration)).toEqual([
      160, 320, 480, 480, 480,
    ]);
    expect(sequence.freeAtMs).toBe(600);
  });

  it('never lets events overlap, even with no gap', () => {
    const sent = run(new DtmfSequence(['1', '2'], 40, 0, 0));
    // 1 update + 3 end packets, the last at 60 ms; the next digit one interval later.
    expect(sent.map((s) => [s.atMs, s.packet.event, s.packet.end])).toEqual([
      [0, 1, false],
      [20, 1, true],
      [40, 1, true],
      [60, 1, true],
      [80, 2, false],
      [100, 2, true],
      [120, 2, true],
      [140, 2, true],
    ]);
  });

  it('is "in an event" from the first packet to the last end packet only', () => {
    const sequence = new DtmfSequence(['1', '2'], 100, 100, 0);
    const states: [number, boolean][] = [];
    for (let now = 0; now <= 400; now += 20) {
      while (sequence.next(now));
      states.push([now, sequence.inEvent]);
    }
    const inEvent = states.filter(([, e]) => e).map(([t]) => t);
    expect(inEvent).toEqual([0, 20, 40, 60, 80, 100, 200, 220, 240, 260, 280, 300]);
    expect(sequence.done).toBe(true);
  });

  it('after a stall sends only the newest update, and still all three end packets', () => {
    const sequence = new DtmfSequence(['9'], 200, 0, 0);
    expect(sequence.next(0)).toMatchObject({ first: true, duration: 160 });
    expect(sequence.next(0)).toBeNull();
    // The worker was busy for 110 ms: 5 updates were due, one carries the news.
    expect(sequence.next(110)).toMatchObject({ first: false, end: false, duration: 960 });
    expect(sequence.next(110)).toBeNull();
    // Busy again, past the end: straight to the end packet, and that three times.
    const late = [sequence.next(500), sequence.next(500), sequence.next(500), sequence.next(500)];
    expect(late.map((p) => p && [p.end, p.duration])).toEqual([
      [true, 1600],
      [true, 1600],
      [true, 1600],
      null,
    ]);
    expect(sequence.done).toBe(true);
  });
});
