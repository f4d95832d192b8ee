/**
 * Property tests of the routing invariants (issue #3 acceptance, DESIGN §5): across several
 * groups, strategies, levels and two channels, random agent behaviour never leads to an offer to
 * a busy or paused agent (or, for voice, an unreachable one), to two calls at once, or beyond chat capacity; calls of
 * one group, channel and priority are served first-in first-out; and no ready eligible agent is
 * left idle while a call it could take waits.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { AcdEngine } from './acd-engine.ts';
import type { Channel, QueuedCall } from './acd-types.ts';
import { strategyNames } from './strategies/strategy.ts';

const groups = ['g0', 'g1', 'g2'];
const agentIds = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
const chatCapacity = 3;

const op = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('call' as const),
      group: fc.integer({ min: 0, max: 2 }),
      prio: fc.integer({ min: 0, max: 2 }),
      chat: fc.boolean(),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constantFrom(
        'ready',
        'ready',
        'pause',
        'logout',
        'answer',
        'answer',
        'miss',
        'hangup',
        'unreach',
        'reach',
      ),
      agent: fc.integer({ min: 0, max: 5 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constantFrom('distribute' as const, 'tick' as const, 'finish' as const) }),
  },
);

const setup = fc.record({
  strategies: fc.array(fc.constantFrom(...strategyNames), { minLength: 3, maxLength: 3 }),
  memberships: fc.array(
    fc.array(fc.record({ group: fc.integer({ min: 0, max: 2 }), level: fc.integer({ min: 1, max: 2 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    { minLength: 6, maxLength: 6 },
  ),
});

it('never offers to a busy, paused or unreachable agent, never double-offers, keeps FIFO, starves nobody', () => {
  fc.assert(
    fc.property(setup, fc.array(op, { minLength: 20, maxLength: 150 }), fc.integer(), (s, ops, seed) => {
      const e = new AcdEngine({ seed });
      groups.forEach((name, i) => e.upsertGroup({ name, strategy: s.strategies[i] }));
      agentIds.forEach((id, i) => {
        const ms = new Map((s.memberships[i] ?? []).map((m) => [groups[m.group] as string, m.level]));
        e.addAgent({ id, extension: id, groups: [...ms].map(([name, level]) => ({ name, level })) }, 0);
        e.setReachable(id, true);
        e.transition(id, 'ready', null, 0);
      });
      const ringing = new Map<string, { call: QueuedCall; agents: Set<string> }>();
      const chats: { callId: string; agentId: string }[] = [];
      let n = 0;
      let t = 0;
      for (const o of ops) {
        t += 1000;
        if (o.op === 'call') {
          e.enqueue(`c${n++}`, groups[o.group] as string, o.prio, t, { channel: o.chat ? 'chat' : 'voice' });
        } else if (o.op === 'distribute') {
          checkedDistribute(e, t, ringing, chats);
        } else if (o.op === 'tick') {
          e.tick(t);
        } else if (o.op === 'finish') {
          const item = chats.shift();
          if (item) e.finishWork(item.callId);
        } else if ('agent' in o) {
          agentOp(e, o.op, agentIds[o.agent] as string, t, ringing);
        }
        for (const id of agentIds) expect(e.workload(id)?.chat ?? 0).toBeLessThanOrEqual(chatCapacity);
      }
    }),
    { numRuns: 300 },
  );
});

function agentOp(
  e: AcdEngine,
  op: string,
  id: string,
  t: number,
  ringing: Map<string, { call: QueuedCall; agents: Set<string> }>,
): void {
  const state = e.agent(id)?.state;
  const ringFor = [...ringing].find(([, r]) => r.agents.has(id));
  if (op === 'ready' && (state === 'logged_out' || state === 'not_ready' || state === 'after_call_work'))
    e.transition(id, 'ready', null, t);
  else if (op === 'pause' && state !== 'reserved' && state !== 'on_call')
    e.transition(id, 'not_ready', 'meal', t);
  else if (op === 'logout' && state !== 'reserved' && state !== 'on_call' && state !== 'logged_out')
    e.transition(id, 'logged_out', null, t);
  else if (op === 'hangup' && state === 'on_call') e.transition(id, 'after_call_work', null, t);
  else if (op === 'unreach' || op === 'reach') e.setReachable(id, op === 'reach');
  else if (op === 'answer' && state === 'reserved' && ringFor) {
    const released = e.offerAnswered(id, t).slice(1);
    expect(new Set(released.map((c) => c.agentId))).toEqual(
      new Set([...ringFor[1].agents].filter((a) => a !== id)),
    );
    ringing.delete(ringFor[0]);
  } else if (op === 'miss' && state === 'reserved' && ringFor) {
    e.offerMissed(id, t);
    ringFor[1].agents.delete(id);
    if (ringFor[1].agents.size === 0) {
      ringing.delete(ringFor[0]);
      e.requeue(ringFor[1].call, t);
    }
  }
}

function checkedDistribute(
  e: AcdEngine,
  t: number,
  ringing: Map<string, { call: QueuedCall; agents: Set<string> }>,
  chats: { callId: string; agentId: string }[],
): void {
  const before = new Map(e.allAgents().map((a) => [a.id, { ...a, load: { ...e.workload(a.id) } }]));
  const offers = e.distribute(t);
  const voiced = new Set<string>();
  const chatsNow = new Map<string, number>();
  for (const offer of offers) {
    const channel: Channel = offer.channel ?? 'voice';
    for (const id of offer.agentIds ?? [offer.agentId]) {
      const b = before.get(id);
      expect(b?.state).toBe('ready');
      if (channel === 'voice') {
        expect(b?.reachable).toBe(true);
        expect(voiced.has(id)).toBe(false);
        expect(b?.load.chat).toBe(0);
        voiced.add(id);
        expect(e.agent(id)?.state).toBe('reserved');
      } else {
        chatsNow.set(id, (chatsNow.get(id) ?? 0) + 1);
        expect((b?.load.chat ?? 0) + (chatsNow.get(id) ?? 0)).toBeLessThanOrEqual(chatCapacity);
        chats.push({ callId: offer.callId, agentId: id });
      }
    }
    if (channel === 'voice') {
      const r = ringing.get(offer.callId);
      if (offer.followUp) {
        expect(r).toBeDefined();
        r?.agents.add(offer.agentId);
      } else {
        expect(r).toBeUndefined();
        ringing.set(offer.callId, { call: offer.call, agents: new Set(offer.agentIds) });
      }
    }
  }
  for (const g of groups) {
    const waiting = e.waitingCalls(g);
    // FIFO within (group, channel, priority): nothing served this round arrived after a waiting call.
    for (const offer of offers.filter((o) => o.group === g && !o.followUp)) {
      for (const w of waiting) {
        if (w.priority === offer.call.priority && (w.channel ?? 'voice') === (offer.channel ?? 'voice'))
          expect(offer.call.seq).toBeLessThan(w.seq);
      }
    }
    // No starvation: a waiting call has no free member of its group left.
    for (const w of waiting) {
      for (const a of e.allAgents()) {
        const voice = (w.channel ?? 'voice') === 'voice';
        if (!a.groups.has(g) || a.state !== 'ready' || (voice && !a.reachable)) continue;
        const load = e.workload(a.id);
        const free = voice ? load?.chat === 0 : (load?.chat ?? 0) < chatCapacity;
        expect(free, `${a.id} is free for ${w.callId} in ${g}`).toBe(false);
      }
    }
  }
}
