/**
 * Matching waiting calls to free agents (ACD-02/05/08, CC-13). Order of work in one round:
 * ring-progressively follow-ups, sticky-agent calls, then every group that has both waiting calls
 * and free members, merged so the call with the highest priority, then the longest wait × group
 * weight, is served first. A group's walk stops as soon as it has no free member, so the cost of
 * a decision depends on the calls served and the pools touched, not on the number of agents.
 *
 * Invariants: a voice offer moves the agent to `reserved` before the next decision (so no agent
 * is offered two calls, across all groups); a non-voice offer takes a capacity slot first.
 */
import type { AcdCore } from './acd-core.ts';
import type { Offer, QueuedCall } from './acd-types.ts';
import { availableFor, type AgentEntry, type Membership } from './agent-record.ts';
import type { GroupRuntime } from './group-runtime.ts';
import { IndexedHeap } from './indexed-heap.ts';

interface Cursor {
  g: GroupRuntime;
  index: number;
  slot: number;
}

export function match(core: AcdCore, now: number, offers: Offer[]): void {
  progressiveSteps(core, now, offers);
  stickyCalls(core, now, offers);
  groupQueues(core, now, offers);
}

function groupQueues(core: AcdCore, now: number, offers: Offer[]): void {
  const cursors: Cursor[] = [];
  for (const g of core.waiting) if (g.anyFree()) cursors.push({ g, index: 0, slot: -1 });
  if (cursors.length === 0) return;
  const served = new Map<GroupRuntime, Set<QueuedCall>>();
  const step = (c: Cursor): boolean => {
    const call = c.g.queue.at(c.index) as QueuedCall;
    if (!core.sticky.has(call.callId) && serve(core, c.g, call, now, offers)) {
      let set = served.get(c.g);
      if (!set) served.set(c.g, (set = new Set()));
      set.add(call);
    }
    c.index++;
    return c.index < c.g.queue.size && c.g.anyFree();
  };
  if (cursors.length === 1) {
    // One group can serve: its own queue order is the whole answer.
    const only = cursors[0] as Cursor;
    while (step(only));
  } else {
    const heap = new IndexedHeap<Cursor>((x, y) => before(x, y, now), {
      get: (c) => c.slot,
      set: (c, i) => void (c.slot = i),
    });
    for (const c of cursors) heap.push(c);
    for (let c = heap.peek(); c; c = heap.peek()) {
      heap.delete(c);
      if (step(c)) heap.push(c);
    }
  }
  for (const [g, calls] of served) {
    g.queue.removeAll(calls);
    for (const call of calls) core.queued.delete(call.callId);
    if (g.queue.size === 0) core.waiting.delete(g);
  }
}

/** Across groups: higher priority, then longer wait × group weight, then earlier arrival. */
function before(x: Cursor, y: Cursor, now: number): number {
  const a = x.g.queue.at(x.index) as QueuedCall;
  const b = y.g.queue.at(y.index) as QueuedCall;
  const wa = (now - a.enqueuedAt) * x.g.config.weight;
  const wb = (now - b.enqueuedAt) * y.g.config.weight;
  return b.priority - a.priority || wb - wa || a.seq - b.seq;
}

/** Offer `call` within group `g` if a member at an eligible level is free. Leaves the queue alone. */
function serve(core: AcdCore, g: GroupRuntime, call: QueuedCall, now: number, offers: Offer[]): boolean {
  const channel = call.channel ?? 'voice';
  const pool = g.poolsFor(channel).best(core.maxLevel(call, now));
  if (!pool) return false;
  if (channel !== 'voice') {
    // Ring-style fan-out makes no sense for an item an agent accepts on a screen: one agent.
    let m = pool.choose(core.rng) as Membership;
    if (call.declinedBy?.includes(m.agent.id)) {
      // Rare path (an item someone declined): scan the pool once for an agent who has not.
      for (const other of pool.members()) {
        if (!call.declinedBy.includes(other.agent.id)) {
          m = other;
          break;
        }
      }
    }
    offers.push(offerItem(core, g, m, call));
    return true;
  }
  const chosen: Membership[] =
    g.strategy.fanOut === 'all'
      ? [...pool.members()].sort((a, b) => a.position - b.position)
      : [pool.choose(core.rng) as Membership];
  const pending = {
    call,
    group: g.name,
    agentIds: new Set<string>(),
    progressive: g.strategy.fanOut === 'progressive',
  };
  core.pending.set(call.callId, pending);
  for (const m of chosen) reserve(core, g, m, call, now);
  for (const m of chosen) pending.agentIds.add(m.agent.id);
  const agentIds = chosen.map((m) => m.agent.id);
  offers.push({
    callId: call.callId,
    agentId: agentIds[0] as string,
    group: g.name,
    call,
    agentIds,
    channel,
  });
  if (pending.progressive) {
    core.timers.add({ kind: 'progressive', due: now + g.config.ringStepSeconds * 1000, callId: call.callId });
  }
  return true;
}

function reserve(
  core: AcdCore,
  g: GroupRuntime,
  m: Membership | null,
  call: QueuedCall,
  now: number,
  a?: AgentEntry,
): void {
  const agent = m?.agent ?? (a as AgentEntry);
  if (m) m.lastOffered = ++g.offerSeq;
  agent.lastGroup = g.name;
  core.setState(agent, 'reserved', null, now);
  agent.reservedFor = call.callId;
}

function offerItem(
  core: AcdCore,
  g: GroupRuntime,
  m: Membership | null,
  call: QueuedCall,
  a?: AgentEntry,
): Offer {
  const agent = m?.agent ?? (a as AgentEntry);
  const channel = call.channel ?? 'voice';
  if (m) m.lastOffered = ++g.offerSeq;
  agent.load[channel] += 1;
  agent.items.set(call.callId, channel);
  core.itemHolders.set(call.callId, agent.id);
  core.reindex(agent);
  return { callId: call.callId, agentId: agent.id, group: g.name, call, agentIds: [agent.id], channel };
}

/** Sticky agent (CC-13): offered only to the preferred agent until the preference runs out. */
function stickyCalls(core: AcdCore, now: number, offers: Offer[]): void {
  for (const call of [...core.sticky.values()]) {
    const a = core.agents.get(call.preferredAgentId ?? '');
    // A logged-out or unknown agent will not free up soon: fall back to the group at once.
    if (!a || a.state === 'logged_out' || now >= (call.preferredUntil ?? Infinity)) {
      core.sticky.delete(call.callId);
      continue;
    }
    const channel = call.channel ?? 'voice';
    if (!availableFor(a, channel, core.voiceWithOtherWork)) continue;
    const g = core.group(call.group);
    core.removeCall(call);
    if (channel !== 'voice') {
      offers.push(offerItem(core, g, g.members.get(a.id) ?? null, call, a));
      continue;
    }
    core.pending.set(call.callId, { call, group: g.name, agentIds: new Set([a.id]), progressive: false });
    reserve(core, g, g.members.get(a.id) ?? null, call, now, a);
    offers.push({ callId: call.callId, agentId: a.id, group: g.name, call, agentIds: [a.id], channel });
  }
}

/** ring_progressively: every step, one more free member rings for a call nobody has answered. */
function progressiveSteps(core: AcdCore, now: number, offers: Offer[]): void {
  const due = core.progressiveDue.splice(0);
  for (const callId of due) {
    const p = core.pending.get(callId);
    if (!p?.progressive) continue;
    const g = core.group(p.group);
    core.timers.add({ kind: 'progressive', due: now + g.config.ringStepSeconds * 1000, callId });
    const pool = g.poolsFor('voice').best(core.maxLevel(p.call, now));
    const m = pool?.choose(core.rng);
    if (!m) continue;
    reserve(core, g, m, p.call, now);
    p.agentIds.add(m.agent.id);
    offers.push({
      callId,
      agentId: m.agent.id,
      group: g.name,
      call: p.call,
      agentIds: [m.agent.id],
      channel: 'voice',
      followUp: true,
    });
  }
}
