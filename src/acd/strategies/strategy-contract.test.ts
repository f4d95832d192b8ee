/**
 * The contract every strategy in the registry keeps (ACD-05), in the manner of Hono's shared
 * router suite: a pool behaves like a set, choices are members of it and reproducible from a
 * seed, and inside the engine a strategy only ever picks free agents of the best eligible level.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../acd-types.ts';
import { emptySlots } from '../agent-record.ts';
import { engineWith } from '../engine.test-support.ts';
import { seededRng } from '../rng.ts';
import { strategies } from './registry.ts';
import { strategyNames, type PoolMember } from './strategy.ts';

interface TestMember extends PoolMember {
  i: number;
}

function members(n: number, seed: number): TestMember[] {
  const rng = seededRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    i,
    position: i,
    lastOffered: Math.floor(rng() * 5),
    slots: emptySlots(),
    agent: {
      id: `m${i}`,
      since: Math.floor(rng() * 100),
      answeredCalls: Math.floor(rng() * 4),
      talkMs: Math.floor(rng() * 1000),
      priority: Math.floor(rng() * 3),
      weight: 1 + Math.floor(rng() * 3),
      load: { voice: 0, chat: Math.floor(rng() * 3), email: 0, sms: 0, task: 0 },
    },
  }));
}

it('registers every strategy name exactly once', () => {
  expect([...strategies.keys()].sort()).toEqual([...strategyNames].sort());
});

describe.each([...strategies.values()].map((s) => [s.name, s] as const))('strategy %s', (name, strategy) => {
  for (const channel of ['voice', 'chat'] as Channel[]) {
    it(`${channel} pool behaves as a set and chooses one of its members (property)`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ add: fc.boolean(), i: fc.integer({ min: 0, max: 9 }) }), { maxLength: 80 }),
          fc.integer(),
          (ops, seed) => {
            const ms = members(10, seed);
            const pool = strategy.createPool<TestMember>(channel);
            const model = new Set<number>();
            const rng = seededRng(seed);
            for (const op of ops) {
              const m = ms[op.i] as TestMember;
              if (op.add) {
                pool.add(m);
                model.add(op.i);
              } else {
                expect(pool.delete(m)).toBe(model.delete(op.i));
              }
              expect(pool.size).toBe(model.size);
              for (const x of ms) expect(pool.has(x)).toBe(model.has(x.i));
              expect(new Set(pool.members().map((x) => x.i))).toEqual(model);
              const chosen = pool.choose(rng);
              if (model.size === 0) expect(chosen).toBeUndefined();
              else expect(model.has((chosen as TestMember).i)).toBe(true);
            }
          },
        ),
      );
    });
  }

  it('makes the same choices from the same seed', () => {
    const pick = () => {
      const pool = strategy.createPool<TestMember>('voice');
      for (const m of members(8, 42)) pool.add(m);
      const rng = seededRng(9);
      return Array.from({ length: 20 }, () => pool.choose(rng)?.i);
    };
    expect(pick()).toEqual(pick());
  });

  it('offers only ready, reachable members of the best level, and reserves them', () => {
    const e = engineWith([
      { id: 'busy', readyAt: 0 },
      { id: 'l1a', readyAt: 1 },
      { id: 'l1b', readyAt: 2 },
      { id: 'paused', readyAt: 3 },
      { id: 'away', readyAt: 4 },
      { id: 'l2', groups: [{ name: 'g', level: 2 }], readyAt: 0 },
      { id: 'out' },
    ]);
    e.upsertGroup({ name: 'g', strategy: name });
    e.transition('busy', 'reserved', null, 5);
    e.transition('paused', 'not_ready', 'meal', 5);
    e.setReachable('away', false);
    e.enqueue('c1', 'g', 0, 6);
    const [offer, ...rest] = e.distribute(7);
    expect(rest).toEqual([]);
    const ids = offer?.agentIds ?? [];
    expect(ids.length).toBeGreaterThan(0);
    expect(offer?.agentId).toBe(ids[0]);
    for (const id of ids) {
      expect(['l1a', 'l1b']).toContain(id);
      expect(e.agent(id)?.state).toBe('reserved');
    }
    if (strategy.fanOut === 'all') expect(ids).toEqual(['l1a', 'l1b']);
    else expect(ids).toHaveLength(1);
  });

  it('reaches level 2 only when level 1 has nobody free', () => {
    const e = engineWith([
      { id: 'l1', readyAt: 0 },
      { id: 'l2', groups: [{ name: 'g', level: 2 }], readyAt: 0 },
    ]);
    e.upsertGroup({ name: 'g', strategy: name });
    e.enqueue('c1', 'g', 0, 1);
    expect(e.distribute(1)[0]?.agentIds).toEqual(['l1']);
    e.enqueue('c2', 'g', 0, 2);
    expect(e.distribute(2)[0]?.agentIds).toEqual(['l2']);
    e.enqueue('c3', 'g', 0, 3);
    expect(e.distribute(3)).toEqual([]);
  });
});
