/**
 * How an offer ends (ACD-01, ACD-08): answered, missed (ring timeout or rejected), withdrawn
 * (the caller hung up while agents rang) or, for non-voice items, finished. Answering releases
 * the other agents ringing for the same call; missing counts towards the automatic pause.
 */
import type { AcdCore } from './acd-core.ts';
import type { StateChange } from './acd-types.ts';
import type { AgentEntry } from './agent-record.ts';

/** Voice: reserved → on_call, siblings back to ready after the winner's change. Items: accepted. */
export function answered(core: AcdCore, a: AgentEntry, now: number, callId?: string): StateChange[] {
  a.missedInRow = 0;
  if (callId !== undefined && a.items.has(callId)) return [];
  if (a.state !== 'reserved') return [];
  const out: StateChange[] = [];
  out.unshift(core.setState(a, 'on_call', null, now, out));
  return out;
}

/**
 * Voice: reserved → ready, or not_ready `no_answer` after `maxMissedOffers` in a row. Items: the
 * slot is freed (and the same pause rule applies). The call is the caller's to requeue.
 */
export function missed(core: AcdCore, a: AgentEntry, now: number, callId?: string): StateChange | null {
  if (callId !== undefined && a.items.has(callId)) {
    releaseItem(core, a, callId);
    a.missedInRow++;
    if (a.missedInRow >= core.maxMissed && a.state === 'ready')
      return core.setState(a, 'not_ready', 'no_answer', now);
    return null;
  }
  if (a.state !== 'reserved') return null;
  a.missedInRow++;
  const pause = a.missedInRow >= core.maxMissed;
  return core.setState(a, pause ? 'not_ready' : 'ready', pause ? 'no_answer' : null, now);
}

/**
 * Release every agent still reserved for `callId` (not counted as missed) and forget the offer.
 * Without `now` (legacy `requeue(call)`), each agent's release is dated at its own last change.
 */
export function withdraw(core: AcdCore, callId: string, now: number | undefined): StateChange[] {
  const holder = core.agents.get(core.itemHolders.get(callId) ?? '');
  if (holder) releaseItem(core, holder, callId);
  const p = core.pending.get(callId);
  if (!p) return [];
  core.pending.delete(callId);
  const out: StateChange[] = [];
  for (const id of p.agentIds) {
    const a = core.agents.get(id);
    if (a?.state === 'reserved' && a.reservedFor === callId)
      out.push(core.setState(a, 'ready', null, now ?? a.since));
  }
  return out;
}

/** A non-voice item is done or declined: its capacity slot is free again. */
export function releaseItem(core: AcdCore, a: AgentEntry, callId: string): boolean {
  const channel = a.items.get(callId);
  if (channel === undefined) return false;
  a.items.delete(callId);
  a.load[channel] = Math.max(0, a.load[channel] - 1);
  core.itemHolders.delete(callId);
  core.reindex(a);
  return true;
}
