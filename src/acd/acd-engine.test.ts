import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AcdEngine, InvalidTransitionError } from './acd-engine.ts';

function engineWith(agents: { id: string; level?: number }[]): AcdEngine {
  const e = new AcdEngine();
  for (const a of agents)
    e.addAgent({ id: a.id, extension: a.id, groups: [{ name: 'general', level: a.level ?? 1 }] }, 0);
  return e;
}

describe('AcdEngine', () => {
  it('offers a call only to a ready and reachable agent', () => {
    const e = engineWith([{ id: 'a' }]);
    e.enqueue('c1', 'general', 0, 1);
    expect(e.distribute(2)).toEqual([]);
    e.transition('a', 'ready', null, 3);
    expect(e.distribute(4)).toEqual([]);
    e.setReachable('a', true);
    expect(e.distribute(5)).toMatchObject([{ callId: 'c1', agentId: 'a', group: 'general' }]);
    expect(e.agent('a')?.state).toBe('reserved');
  });

  it('picks the longest-idle agent within the best level', () => {
    const e = engineWith([{ id: 'a' }, { id: 'b' }, { id: 'c', level: 2 }]);
    for (const [id, t] of [
      ['c', 1],
      ['b', 5],
      ['a', 9],
    ] as const) {
      e.setReachable(id, true);
      e.transition(id, 'ready', null, t);
    }
    e.enqueue('c1', 'general', 0, 10);
    e.enqueue('c2', 'general', 0, 11);
    e.enqueue('c3', 'general', 0, 12);
    expect(e.distribute(13).map((o) => o.agentId)).toEqual(['b', 'a', 'c']);
  });

  it('keeps FIFO within a priority and serves higher priority first', () => {
    const e = engineWith([]);
    e.enqueue('low1', 'general', 0, 1);
    e.enqueue('high', 'general', 5, 2);
    e.enqueue('low2', 'general', 0, 3);
    expect([e.position('high'), e.position('low1'), e.position('low2')]).toEqual([1, 2, 3]);
  });

  it('puts a call whose offer failed back in its place', () => {
    const e = engineWith([{ id: 'a' }]);
    e.setReachable('a', true);
    e.transition('a', 'ready', null, 0);
    e.enqueue('first', 'general', 0, 1);
    const [offer] = e.distribute(2);
    e.enqueue('second', 'general', 0, 3);
    e.requeue(offer!.call);
    expect([e.position('first'), e.position('second')]).toEqual([1, 2]);
  });

  it('rejects transitions that ACD-01 does not allow', () => {
    const e = engineWith([{ id: 'a' }]);
    expect(() => e.transition('a', 'on_call', null, 1)).toThrow(InvalidTransitionError);
  });

  it('never offers two calls to one agent and never offers to a busy agent (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('call' as const), prio: fc.integer({ min: 0, max: 3 }) }),
            fc.record({ op: fc.constant('ready' as const), agent: fc.integer({ min: 0, max: 4 }) }),
            fc.record({ op: fc.constant('answer' as const), agent: fc.integer({ min: 0, max: 4 }) }),
            fc.record({ op: fc.constant('distribute' as const) }),
          ),
          { maxLength: 60 },
        ),
        (ops) => {
          const e = engineWith([0, 1, 2, 3, 4].map((i) => ({ id: `a${i}` })));
          for (let i = 0; i < 5; i++) e.setReachable(`a${i}`, true);
          const busy = new Set<string>();
          let n = 0;
          let t = 0;
          for (const o of ops) {
            t++;
            if (o.op === 'call') e.enqueue(`c${n++}`, 'general', o.prio, t);
            else if (o.op === 'ready') {
              const id = `a${o.agent}`;
              const s = e.agent(id)?.state;
              if (s === 'logged_out' || s === 'not_ready' || s === 'after_call_work') {
                e.transition(id, 'ready', null, t);
                busy.delete(id);
              }
            } else if (o.op === 'answer') {
              const id = `a${o.agent}`;
              if (e.agent(id)?.state === 'reserved') {
                e.transition(id, 'on_call', null, t);
                e.transition(id, 'after_call_work', null, t);
              }
            } else {
              for (const offer of e.distribute(t)) {
                expect(busy.has(offer.agentId)).toBe(false);
                busy.add(offer.agentId);
              }
            }
          }
        },
      ),
    );
  });

  it('counts items restored after a restart against the agent’s capacity', () => {
    const e = engineWith([{ id: 'a' }]);
    e.updateAgent('a', { capacity: { chat: 2 } }, 0);
    e.setReachable('a', true);
    e.transition('a', 'ready', null, 1);
    expect(e.holdWork('a', 'old-chat', 'chat')).toBe(true);
    expect(e.holdWork('a', 'old-chat', 'chat')).toBe(false);
    expect(e.holdWork('a', 'voice-call', 'voice')).toBe(false);
    e.enqueue('chat-1', 'general', 0, 2, { channel: 'chat' });
    e.enqueue('chat-2', 'general', 0, 3, { channel: 'chat' });
    expect(e.distribute(4).map((o) => o.callId)).toEqual(['chat-1']);
    expect(e.finishWork('old-chat')).toBe(true);
    expect(e.distribute(5).map((o) => o.callId)).toEqual(['chat-2']);
    expect(e.workload('a')?.chat).toBe(2);
  });
});
