/** Overflow and level escalation (ACD-04). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OverflowEvent } from './acd-types.ts';
import { engineWith } from './engine.test-support.ts';

const s = 1000;

describe('overflow (ACD-04)', () => {
  it('moves a call that waited T seconds and reports it on tick', () => {
    const e = engineWith([
      { id: 'busy', groups: [{ name: 'sales', level: 1 }], readyAt: 0 },
      { id: 'helper', groups: [{ name: 'backup', level: 1 }], readyAt: 0 },
    ]);
    e.upsertGroup({ name: 'sales', overflow: [{ when: 'wait_exceeds', threshold: 30, to: 'backup' }] });
    e.transition('busy', 'not_ready', 'meeting', 0);
    e.enqueue('c1', 'sales', 0, 0);
    expect(e.distribute(29 * s)).toEqual([]);
    expect(e.distribute(30 * s)).toMatchObject([{ callId: 'c1', agentId: 'helper', group: 'backup' }]);
    expect(e.tick(31 * s).overflowed).toEqual([
      { callId: 'c1', from: 'sales', to: 'backup', condition: 'wait_exceeds', at: 30 * s },
    ]);
  });

  it('applies a wait rule added while callers wait, from when they entered the group', () => {
    const e = engineWith([{ id: 'h', groups: [{ name: 'backup', level: 1 }], readyAt: 0 }]);
    e.enqueue('c1', 'sales', 0, 0);
    e.upsertGroup({ name: 'sales', overflow: [{ when: 'wait_exceeds', threshold: 60, to: 'backup' }] });
    expect(e.distribute(59 * s)).toEqual([]);
    e.upsertGroup({ name: 'sales', overflow: [{ when: 'wait_exceeds', threshold: 90, to: 'backup' }] });
    expect(e.distribute(60 * s)).toEqual([]);
    expect(e.distribute(90 * s).map((o) => o.agentId)).toEqual(['h']);
  });

  it('takes the first target of a chain with a free agent, never one already visited', () => {
    const e = engineWith([
      { id: 's', groups: [{ name: 'sales', level: 1 }], readyAt: 0 },
      { id: 'b1', groups: [{ name: 'b1', level: 1 }], readyAt: 0 },
      { id: 'b2', groups: [{ name: 'b2', level: 1 }], readyAt: 0 },
    ]);
    e.transition('s', 'not_ready', 'meal', 0);
    e.transition('b2', 'reserved', null, 0);
    e.upsertGroup({ name: 'sales', overflow: [{ when: 'all_busy', to: ['b2', 'b1'] }] });
    e.upsertGroup({ name: 'b2', overflow: [{ when: 'wait_exceeds', threshold: 1, to: 'sales' }] });
    e.enqueue('c1', 'sales', 0, 0);
    e.tick(1 * s);
    // b2 is listed first but busy; b1 has a free agent.
    expect(e.queued('c1')?.path).toEqual(['sales', 'b1']);
    e.enqueue('c2', 'b2', 0, 2 * s);
    e.tick(10 * s);
    // b2 → sales (wait) → all busy there, b2 already visited → b1.
    expect(e.queued('c2')?.path).toEqual(['b2', 'sales', 'b1']);
  });

  it('overflows when every member is busy, after an optional grace', () => {
    const e = engineWith([
      { id: 'a', groups: [{ name: 'sales', level: 1 }], readyAt: 0 },
      { id: 'h', groups: [{ name: 'backup', level: 1 }], readyAt: 0 },
    ]);
    e.upsertGroup({ name: 'sales', overflow: [{ when: 'all_busy', threshold: 10, to: 'backup' }] });
    e.enqueue('c1', 'sales', 0, 0);
    e.enqueue('c2', 'sales', 0, 0);
    expect(e.distribute(1 * s).map((o) => [o.callId, o.agentId])).toEqual([['c1', 'a']]);
    expect(e.distribute(9 * s)).toEqual([]);
    expect(e.distribute(10 * s).map((o) => [o.callId, o.agentId, o.group])).toEqual([['c2', 'h', 'backup']]);
  });

  it('overflows from a group nobody is logged in to, and leaves a call where no target is staffed', () => {
    const e = engineWith([{ id: 'h', groups: [{ name: 'backup', level: 1 }] }]);
    e.upsertGroup({ name: 'night', overflow: [{ when: 'unstaffed', to: 'backup' }] });
    e.enqueue('c1', 'night', 0, 0);
    expect(e.tick(1 * s).overflowed).toEqual([]);
    e.setReachable('h', true);
    e.transition('h', 'not_ready', 'meeting', 2 * s);
    expect(e.tick(3 * s).overflowed.map((o) => o.to)).toEqual(['backup']);
  });

  it('moves only the newest callers beyond the queue limit', () => {
    const e = engineWith([{ id: 'h', groups: [{ name: 'backup', level: 1 }], readyAt: 0 }]);
    e.transition('h', 'not_ready', 'meal', 0);
    e.upsertGroup({
      name: 'sales',
      overflow: [{ when: 'queue_exceeds', threshold: 2, to: 'backup' }],
      maxQueue: 3,
    });
    for (const c of ['c1', 'c2', 'c3']) e.enqueue(c, 'sales', 0, 0);
    expect(e.queueFull('sales')).toBe(true);
    e.enqueue('vip', 'sales', 9, 0);
    e.tick(1 * s);
    expect(e.waitingCalls('sales').map((c) => c.callId)).toEqual(['vip', 'c1']);
    expect(e.waitingCalls('backup').map((c) => c.callId)).toEqual(['c2', 'c3']);
  });

  it('escalates to wider levels over time while the caller keeps their place', () => {
    const e = engineWith([
      { id: 'l2', groups: [{ name: 'g', level: 2 }], readyAt: 0 },
      { id: 'l3', groups: [{ name: 'g', level: 3 }], readyAt: 0 },
    ]);
    e.upsertGroup({
      name: 'g',
      escalation: [
        { afterSeconds: 30, maxLevel: 2 },
        { afterSeconds: 60, maxLevel: null },
      ],
    });
    e.enqueue('c1', 'g', 0, 0);
    e.enqueue('c2', 'g', 0, 5 * s);
    expect(e.distribute(29 * s)).toEqual([]);
    expect([e.position('c1'), e.position('c2')]).toEqual([1, 2]);
    expect(e.distribute(30 * s).map((o) => [o.callId, o.agentId])).toEqual([['c1', 'l2']]);
    expect(e.position('c2')).toBe(1);
    expect(e.queued('c2')?.group).toBe('g');
    expect(e.distribute(64 * s)).toEqual([]);
    expect(e.distribute(65 * s).map((o) => [o.callId, o.agentId])).toEqual([['c2', 'l3']]);
    expect(e.tick(66 * s).escalated.map((x) => [x.callId, x.maxLevel])).toEqual([
      ['c1', 2],
      ['c2', 2],
      ['c2', null],
    ]);
  });

  it('respects every overflow condition under random traffic (property)', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('call' as const), g: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ k: fc.constantFrom('ready', 'pause', 'free'), a: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ k: fc.constant('distribute' as const) }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 10, maxLength: 100 }),
        fc.integer({ min: 0, max: 3 }),
        (ops, rule) => {
          const names = ['g0', 'g1', 'g2'];
          const e = engineWith(
            ['a0', 'a1', 'a2', 'a3'].map((id, i) => ({
              id,
              groups: [{ name: names[i % 3] as string, level: 1 }],
              readyAt: 0,
            })),
          );
          const when =
            (['all_busy', 'unstaffed', 'wait_exceeds', 'queue_exceeds'] as const)[rule] ?? 'all_busy';
          const threshold = when === 'queue_exceeds' ? 2 : when === 'wait_exceeds' ? 20 : null;
          e.upsertGroup({ name: 'g0', overflow: [{ when, threshold, to: ['g1', 'g2'] }] });
          e.upsertGroup({ name: 'g1', overflow: [{ when, threshold, to: ['g2', 'g0'] }] });
          const entered = new Map<string, number>();
          let t = 0;
          let n = 0;
          const check = (events: OverflowEvent[]) => {
            for (const ev of events) {
              expect(ev.condition).toBe(when);
              if (when === 'wait_exceeds')
                expect(ev.at - (entered.get(ev.callId) ?? 0)).toBeGreaterThanOrEqual(20 * s);
              if (when === 'all_busy') expect(e.groupStaffing(ev.from).free).toBe(0);
              if (when === 'unstaffed') expect(e.groupStaffing(ev.from).staffed).toBe(0);
              if (when === 'queue_exceeds') expect(e.queueLength(ev.from)).toBeGreaterThanOrEqual(2);
              entered.set(ev.callId, ev.at);
            }
          };
          for (const o of ops) {
            t += 3 * s;
            if (o.k === 'call') {
              entered.set(`c${n}`, t);
              e.enqueue(`c${n++}`, names[o.g] as string, 0, t);
            } else if (o.k === 'distribute') {
              e.distribute(t);
              check(e.tick(t).overflowed);
              for (const g of names)
                for (const c of e.waitingCalls(g)) expect(new Set(c.path).size).toBe(c.path?.length);
            } else {
              const id = `a${o.a}`;
              const st = e.agent(id)?.state;
              if (o.k === 'pause' && st === 'ready') e.transition(id, 'not_ready', 'meal', t);
              if (o.k === 'ready' && st === 'not_ready') e.transition(id, 'ready', null, t);
              if (o.k === 'free' && st === 'reserved') e.transition(id, 'ready', null, t);
            }
          }
        },
      ),
    );
  });
});
