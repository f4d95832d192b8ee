/** Estimated wait (ACD-06) and abandonment / service-level accounting (ACD-07). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineWith } from './engine.test-support.ts';
import { estimateWaitSeconds, HandleTimeWindow } from './wait-estimate.ts';

describe('estimated wait time (ACD-06)', () => {
  it('is non-decreasing in the caller’s position (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 900 }),
        (position, free, serving, aht) => {
          const here = estimateWaitSeconds({ position, free, serving, ahtSeconds: aht }) ?? 0;
          const behind = estimateWaitSeconds({ position: position + 1, free, serving, ahtSeconds: aht }) ?? 0;
          expect(behind).toBeGreaterThanOrEqual(here);
        },
      ),
    );
  });

  it('is zero when a free agent can take the caller and unknown when nobody serves', () => {
    expect(estimateWaitSeconds({ position: 2, free: 2, serving: 2, ahtSeconds: 100 })).toBe(0);
    expect(estimateWaitSeconds({ position: 1, free: 0, serving: 0, ahtSeconds: 100 })).toBeNull();
  });

  it('keeps a sliding window of the last K handle times', () => {
    const w = new HandleTimeWindow(3);
    for (const v of [100, 100, 100, 400, 400, 400]) w.record(v);
    expect(w.mean()).toBe(400);
    expect(w.count).toBe(3);
  });

  it('uses the group’s recent handle times and serving agents, growing with position', () => {
    const e = engineWith([
      { id: 'a', readyAt: 0 },
      { id: 'b', readyAt: 0 },
    ]);
    e.upsertGroup({ name: 'g', defaultHandleSeconds: 200 });
    e.transition('a', 'reserved', null, 1);
    e.transition('b', 'reserved', null, 1);
    for (const c of ['c1', 'c2', 'c3']) e.enqueue(c, 'g', 0, 2);
    expect(e.estimateWait('c1', 3)).toBe(100);
    e.recordHandled('g', 50, 10);
    e.recordHandled('g', 90, 10);
    expect(['c1', 'c2', 'c3'].map((c) => e.estimateWait(c, 3))).toEqual([40, 80, 120]);
    expect(e.estimateWait('unknown', 3)).toBeNull();
  });
});

describe('service level (ACD-07)', () => {
  it('states both definitions, counts short abandons apart, and reports ASA and the longest wait', () => {
    const e = engineWith([]);
    e.upsertGroup({ name: 'g', slSeconds: 20, shortAbandonSeconds: 5 });
    for (const w of [5, 10, 20, 30]) e.recordAnswered('g', w);
    for (const w of [2, 40]) e.recordAbandoned('g', w);
    e.enqueue('old', 'g', 0, 1000);
    e.enqueue('new', 'g', 0, 5000);
    expect(e.serviceLevel('g', 11_000)).toEqual({
      group: 'g',
      slSeconds: 20,
      answered: 4,
      answeredWithinSl: 3,
      abandoned: 2,
      shortAbandoned: 1,
      serviceLevel: 0.75,
      serviceLevelOffered: 0.6,
      asaSeconds: 16.25,
      averageAbandonSeconds: 21,
      waiting: 2,
      longestWaitSeconds: 10,
    });
  });

  it('starts a new period on reset', () => {
    const e = engineWith([]);
    e.recordAnswered('g', 1);
    e.resetStats('g');
    expect(e.serviceLevel('g')).toMatchObject({ answered: 0, serviceLevel: null, serviceLevelOffered: null });
  });
});
