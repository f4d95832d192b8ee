/** Agent sessions (ACD-01), membership edits (ACD-02) and work items with capacity (ACD-08). */
import { describe, expect, it } from 'vitest';
import { AcdEngine } from './acd-engine.ts';
import { engineWith } from './engine.test-support.ts';

describe('agent sessions (ACD-01)', () => {
  it('pauses an agent with reason no_answer after N unanswered offers in a row (default 2)', () => {
    const e = engineWith([{ id: 'a', readyAt: 0 }]);
    e.enqueue('c1', 'g', 0, 1);
    const [o1] = e.distribute(1);
    expect(e.offerMissed('a', 21)).toMatchObject({ from: 'reserved', to: 'ready' });
    e.requeue(o1!.call);
    e.distribute(22);
    expect(e.offerMissed('a', 42)).toMatchObject({ to: 'not_ready', reason: 'no_answer' });
    expect(e.agent('a')).toMatchObject({ state: 'not_ready', reason: 'no_answer' });
  });

  it('restarts the count when the agent answers, and honours a configured N', () => {
    const e = engineWith([{ id: 'a', readyAt: 0 }], { maxMissedOffers: 3 });
    const cycle = (t: number, answer: boolean) => {
      e.enqueue(`c${t}`, 'g', 0, t);
      e.distribute(t);
      if (answer) {
        e.offerAnswered('a', t + 1);
        e.transition('a', 'ready', null, t + 2);
        return null;
      }
      return e.offerMissed('a', t + 1)?.to;
    };
    expect([cycle(10, false), cycle(20, false), cycle(30, true), cycle(40, false), cycle(50, false)]).toEqual(
      ['ready', 'ready', null, 'ready', 'ready'],
    );
    expect(cycle(60, false)).toBe('not_ready');
  });

  it('adds up time per state and per not-ready reason, including the open interval', () => {
    const e = engineWith([{ id: 'a', readyAt: 1000 }]);
    e.transition('a', 'not_ready', 'meal', 3000);
    e.transition('a', 'not_ready', 'training', 4000);
    e.transition('a', 'ready', null, 10_000);
    e.transition('a', 'reserved', null, 11_000);
    e.transition('a', 'on_call', null, 12_000);
    e.transition('a', 'after_call_work', null, 42_000);
    const d = e.stateDurations('a', 50_000);
    expect(d?.byState).toEqual({
      logged_out: 1000,
      ready: 3000,
      not_ready: 7000,
      reserved: 1000,
      on_call: 30_000,
      after_call_work: 8000,
    });
    expect(d?.notReadyByReason).toEqual({ meal: 1000, training: 6000 });
  });

  it('reports the wrap-up deadline of the group that offered the call; the agent may extend it', () => {
    const e = engineWith([{ id: 'a', readyAt: 0 }]);
    e.upsertGroup({ name: 'g', wrapUpSeconds: 30 });
    e.enqueue('c1', 'g', 0, 1000);
    e.distribute(1000);
    e.offerAnswered('a', 2000);
    expect(e.wrapUpDeadline('a')).toBeNull();
    e.transition('a', 'after_call_work', null, 60_000);
    expect(e.wrapUpDeadline('a')).toBe(90_000);
    expect(e.extendWrapUp('a', 15)).toBe(105_000);
  });

  it('ends wrap-up on tick when asked to, after any extension', () => {
    const e = engineWith([{ id: 'a', readyAt: 0 }], { autoEndWrapUp: true });
    e.upsertGroup({ name: 'g', wrapUpSeconds: 10 });
    e.enqueue('c1', 'g', 0, 0);
    e.distribute(0);
    e.offerAnswered('a', 0);
    e.transition('a', 'after_call_work', null, 5000);
    e.extendWrapUp('a', 5);
    expect(e.tick(15_000).stateChanges).toEqual([]);
    expect(e.tick(20_000).stateChanges).toMatchObject([
      { agentId: 'a', from: 'after_call_work', to: 'ready' },
    ]);
  });
});

describe('groups and memberships (ACD-02)', () => {
  it('applies membership and level edits at once, and forgets removed agents', () => {
    const e = engineWith([
      { id: 'a', readyAt: 0 },
      { id: 'b', readyAt: 5 },
    ]);
    e.updateAgent('a', { groups: [{ name: 'g', level: 3 }] }, 6);
    e.enqueue('c1', 'g', 0, 10);
    expect(e.distribute(10).map((o) => o.agentId)).toEqual(['b']);
    expect(e.removeAgent('a')).toBe(true);
    e.enqueue('c2', 'g', 0, 11);
    expect(e.distribute(11)).toEqual([]);
    expect(e.agent('a')).toBeUndefined();
    expect(e.groupStaffing('g')).toMatchObject({ members: 1, staffed: 1, free: 0, waiting: 1 });
  });

  it('validates group configuration and falls back to defaults when removed', () => {
    const e = new AcdEngine();
    expect(() => e.upsertGroup({ name: 'g', strategy: 'fastest' })).toThrow(RangeError);
    expect(() => e.upsertGroup({ name: 'g', overflow: [{ when: 'wait_exceeds', to: 'b' }] })).toThrow(
      RangeError,
    );
    expect(e.upsertGroup({ name: 'g', strategy: 'round_robin' })).toMatchObject({
      strategy: 'round_robin',
      slSeconds: 20,
    });
    expect(e.groups().map((g) => g.name)).toEqual(['g']);
    expect(e.removeGroup('g')).toBe(true);
    expect(e.group('g')).toBeUndefined();
  });

  it('keeps serving waiting callers when a supervisor changes the strategy', () => {
    const e = engineWith([{ id: 'a' }, { id: 'b' }]);
    e.enqueue('c1', 'g', 0, 0);
    e.enqueue('c2', 'g', 0, 0);
    e.upsertGroup({ name: 'g', strategy: 'linear' });
    for (const id of ['b', 'a']) {
      e.setReachable(id, true);
      e.transition(id, 'ready', null, 1);
    }
    e.upsertGroup({ name: 'g', strategy: 'random' });
    expect(new Set(e.distribute(2).map((o) => o.agentId))).toEqual(new Set(['a', 'b']));
  });

  it('gives a free agent wanted by two groups to the caller with the longest wait × group weight', () => {
    const e = engineWith([
      {
        id: 'a',
        groups: [
          { name: 'light', level: 1 },
          { name: 'heavy', level: 1 },
        ],
      },
    ]);
    e.upsertGroup({ name: 'heavy', weight: 3 });
    e.enqueue('old-light', 'light', 0, 0);
    e.enqueue('newer-heavy', 'heavy', 0, 15_000);
    e.setReachable('a', true);
    e.transition('a', 'ready', null, 30_000);
    expect(e.distribute(30_000).map((o) => o.callId)).toEqual(['newer-heavy']);
  });

  it('changes a waiting caller’s priority keeping arrival order within the new priority', () => {
    const e = engineWith([]);
    for (const [c, p] of [
      ['a', 1],
      ['b', 0],
      ['c', 1],
      ['d', 0],
    ] as const)
      e.enqueue(c, 'g', p, 0);
    expect(e.changePriority('d', 1, 5)).toBe(true);
    expect(e.changePriority('b', 1, 5)).toBe(true);
    expect(e.waitingCalls('g').map((c) => c.callId)).toEqual(['a', 'b', 'c', 'd']);
    expect(e.changePriority('zzz', 1, 5)).toBe(false);
  });
});

describe('work items (ACD-08)', () => {
  const blended = (options: { voiceWithOtherWork?: boolean } = {}) => {
    const e = engineWith([{ id: 'a', readyAt: 0 }], options);
    return e;
  };

  it('gives an agent up to its chat capacity without touching the voice state', () => {
    const e = blended();
    for (const c of ['ch1', 'ch2', 'ch3', 'ch4']) e.enqueue(c, 'g', 0, 1, { channel: 'chat' });
    expect(e.distribute(2).map((o) => [o.callId, o.channel])).toEqual([
      ['ch1', 'chat'],
      ['ch2', 'chat'],
      ['ch3', 'chat'],
    ]);
    expect(e.agent('a')?.state).toBe('ready');
    expect(e.workload('a')).toMatchObject({ chat: 3 });
    expect(e.finishWork('ch2')).toBe(true);
    expect(e.distribute(3).map((o) => o.callId)).toEqual(['ch4']);
  });

  it('keeps voice exclusive: an agent on a call gets nothing else', () => {
    const e = blended();
    e.enqueue('v1', 'g', 0, 1);
    e.enqueue('ch1', 'g', 0, 2, { channel: 'chat' });
    expect(e.distribute(3).map((o) => o.callId)).toEqual(['v1']);
    e.offerAnswered('a', 4);
    expect(e.distribute(5)).toEqual([]);
  });

  it('offers a call to an agent holding chats only when the rule allows it', () => {
    for (const allow of [false, true]) {
      const e = blended({ voiceWithOtherWork: allow });
      e.enqueue('ch1', 'g', 0, 1, { channel: 'chat' });
      e.distribute(1);
      e.enqueue('v1', 'g', 0, 2);
      expect(e.distribute(2).map((o) => o.callId)).toEqual(allow ? ['v1'] : []);
    }
  });

  it('frees the slot when a work item is missed or withdrawn', () => {
    const e = blended();
    e.enqueue('m1', 'g', 0, 1, { channel: 'email' });
    e.distribute(1);
    expect(e.workload('a')?.email).toBe(1);
    expect(e.offerMissed('a', 2, 'm1')).toBeNull();
    expect(e.workload('a')?.email).toBe(0);
    e.enqueue('m2', 'g', 0, 3, { channel: 'email' });
    e.distribute(3);
    e.withdrawOffer('m2', 4);
    expect(e.workload('a')?.email).toBe(0);
  });
});
