import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.ts';

describe('EventQueue', () => {
  it('pops by time, and in insertion order at equal times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue();
        times.forEach((t, i) => q.push(t, 0, i));
        const expected = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        const out = { time: 0, kind: 0, subject: 0 };
        const got: (readonly [number, number])[] = [];
        while (q.pop(out)) got.push([out.time, out.subject]);
        expect(got).toEqual(expected);
        expect(q.size).toBe(0);
      }),
    );
  });

  it('interleaves pushes and pops correctly', () => {
    const q = new EventQueue();
    const out = { time: 0, kind: 0, subject: 0 };
    q.push(5, 1, 1);
    q.push(3, 2, 2);
    expect(q.peekTime()).toBe(3);
    q.pop(out);
    expect(out).toEqual({ time: 3, kind: 2, subject: 2 });
    q.push(4, 3, 3);
    q.push(4, 4, 4);
    expect([q.pop(out) && out.subject, q.pop(out) && out.subject, q.pop(out) && out.subject]).toEqual([
      3, 4, 1,
    ]);
    expect(q.pop(out)).toBe(false);
    expect(q.peekTime()).toBe(Infinity);
  });
});
