/** What each strategy promises beyond the shared contract (ACD-05). */
import { describe, expect, it } from 'vitest';
import type { AcdEngine } from '../acd-engine.ts';
import { engineWith, handleAndReturn } from '../engine.test-support.ts';

/** Offer one call at a time; the chosen agent handles it and is ready again a second later. */
function picks(e: AcdEngine, n: number, start = 100): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const t = start + k * 1000;
    e.enqueue(`c${k}`, 'g', 0, t);
    const [offer] = e.distribute(t);
    if (!offer) throw new Error('no offer');
    out.push(offer.agentId);
    handleAndReturn(e, offer.agentId, t + 500);
  }
  return out;
}

function three(
  strategy: string,
  extra: Record<string, { priority?: number; weight?: number }> = {},
): AcdEngine {
  const e = engineWith(['a', 'b', 'c'].map((id, i) => ({ id, readyAt: 10 - i, ...extra[id] })));
  e.upsertGroup({ name: 'g', strategy });
  return e;
}

describe('distribution strategies (ACD-05)', () => {
  it('linear always starts from the first member in the fixed order', () => {
    expect(picks(three('linear'), 4)).toEqual(['a', 'a', 'a', 'a']);
  });

  it('round robin cycles through the group and remembers where it was', () => {
    const e = three('round_robin');
    expect(picks(e, 4)).toEqual(['a', 'b', 'c', 'a']);
    e.transition('b', 'not_ready', 'meal', 10_000);
    expect(picks(e, 2, 20_000)).toEqual(['c', 'a']);
  });

  it('longest idle takes whoever has waited longest', () => {
    expect(picks(three('longest_idle'), 4)).toEqual(['c', 'b', 'a', 'c']);
  });

  it('fewest answered evens out the number of calls', () => {
    const e = three('fewest_answered');
    const counts = new Map<string, number>();
    for (const id of picks(e, 9)) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.values()]).toEqual([3, 3, 3]);
  });

  it('least talk time prefers the agent who has talked least', () => {
    const e = three('least_talk_time');
    for (const [id, ms] of [
      ['a', 50_000],
      ['b', 5_000],
      ['c', 90_000],
    ] as const) {
      e.transition(id, 'reserved', null, 20);
      e.transition(id, 'on_call', null, 20);
      e.transition(id, 'ready', null, 20 + ms);
    }
    e.enqueue('x', 'g', 0, 100_000);
    expect(e.distribute(100_000)[0]?.agentId).toBe('b');
  });

  it('agent priority offers the agent of the best rank, then the fixed order', () => {
    const e = three('agent_priority', { a: { priority: 2 }, b: { priority: 1 }, c: { priority: 1 } });
    expect(picks(e, 3)).toEqual(['b', 'b', 'b']);
    e.transition('b', 'not_ready', 'training', 9000);
    expect(picks(e, 1, 10_000)).toEqual(['c']);
  });

  it('random is reproducible from the seed and reaches every member', () => {
    const run = (seed: number) => {
      const e = engineWith(
        ['a', 'b', 'c'].map((id) => ({ id, readyAt: 1 })),
        { seed },
      );
      e.upsertGroup({ name: 'g', strategy: 'random' });
      return picks(e, 60);
    };
    expect(run(5)).toEqual(run(5));
    expect(new Set(run(5))).toEqual(new Set(['a', 'b', 'c']));
    expect(run(5)).not.toEqual(run(6));
  });

  it('weighted random offers in proportion to the agents’ weights', () => {
    const e = engineWith(
      [
        { id: 'light', readyAt: 1, weight: 1 },
        { id: 'heavy', readyAt: 1, weight: 3 },
      ],
      { seed: 11 },
    );
    e.upsertGroup({ name: 'g', strategy: 'weighted_random' });
    const heavy = picks(e, 4000).filter((id) => id === 'heavy').length / 4000;
    expect(heavy).toBeGreaterThan(0.72);
    expect(heavy).toBeLessThan(0.78);
  });

  it('ring all rings every free member; the first to answer wins and the rest are released', () => {
    const e = three('ring_all');
    e.enqueue('c1', 'g', 0, 100);
    const [offer] = e.distribute(100);
    expect(offer?.agentIds).toEqual(['a', 'b', 'c']);
    const changes = e.offerAnswered('b', 105);
    expect(changes.map((c) => [c.agentId, c.to])).toEqual([
      ['b', 'on_call'],
      ['a', 'ready'],
      ['c', 'ready'],
    ]);
    expect(e.agent('a')?.state).toBe('ready');
  });

  it('ring all: the call withdrawn releases every ringing agent', () => {
    const e = three('ring_all');
    e.enqueue('c1', 'g', 0, 100);
    e.distribute(100);
    expect(e.withdrawOffer('c1', 101).map((c) => c.agentId)).toEqual(['a', 'b', 'c']);
    expect(e.allAgents().every((a) => a.state === 'ready')).toBe(true);
  });

  it('ring progressively adds one more agent every step until someone answers', () => {
    const e = three('ring_progressively');
    e.upsertGroup({ name: 'g', strategy: 'ring_progressively', ringStepSeconds: 5 });
    e.enqueue('c1', 'g', 0, 1000);
    expect(e.distribute(1000).map((o) => [o.agentId, o.followUp ?? false])).toEqual([['a', false]]);
    expect(e.distribute(5999)).toEqual([]);
    expect(e.distribute(6000).map((o) => [o.callId, o.agentId, o.followUp])).toEqual([['c1', 'b', true]]);
    expect(e.distribute(11_000).map((o) => o.agentId)).toEqual(['c']);
    expect(e.offerAnswered('c', 12_000).map((c) => c.agentId)).toEqual(['c', 'a', 'b']);
    expect(e.distribute(20_000)).toEqual([]);
  });
});
