/**
 * The states of an inbound call session (CC-01, ACD-06) and the moves between them:
 *   offered → ivr → queued → offering → bridged → ended
 *   (ended is reachable from every state; offering → queued when an agent does not answer;
 *   bridged → queued when the agent transfers the caller to a skill group, bridged → ivr when
 *   to an IVR flow, CC-02)
 * Queued callback: queued → callback_waiting (caller hung up, keeps the place) → callback_agent
 *   (agent's phone rings) → callback_customer (agent on the line, customer dialled by the trunk)
 *   → bridged; a failed attempt returns to callback_waiting for a later retry.
 */
import type { Disposition } from './cdr.repository.ts';

export type SessionState =
  | 'offered'
  | 'ivr'
  | 'queued'
  | 'offering'
  | 'callback_waiting'
  | 'callback_agent'
  | 'callback_customer'
  | 'bridged'
  | 'ended';

const allowed: Record<SessionState, readonly SessionState[]> = {
  offered: ['ivr', 'ended'],
  ivr: ['queued', 'ended'],
  queued: ['offering', 'callback_waiting', 'ended'],
  offering: ['bridged', 'queued', 'ended'],
  callback_waiting: ['callback_agent', 'ended'],
  callback_agent: ['callback_customer', 'callback_waiting', 'ended'],
  callback_customer: ['bridged', 'callback_waiting', 'ended'],
  bridged: ['queued', 'ivr', 'ended'],
  ended: [],
};

/** The state after `from` → `to`; throws when the move is not allowed (a bug). */
export function nextState(from: SessionState, to: SessionState): SessionState {
  if (!allowed[from].includes(to)) throw new Error(`call session ${from} → ${to} is not allowed`);
  return to;
}

/** Waiting for an agent, on the line or as a callback request. */
export function isWaiting(state: SessionState): boolean {
  return state === 'queued' || state === 'offering' || isCallbackWait(state);
}

/** A callback request waiting for, or ringing, an agent. */
export function isCallbackWait(state: SessionState): boolean {
  return state === 'callback_waiting' || state === 'callback_agent';
}

/** Anywhere in the queued-callback flow (the caller's own leg is gone by design). */
export function isCallback(state: SessionState): boolean {
  return isCallbackWait(state) || state === 'callback_customer';
}

/**
 * The CDR's disposition of a call that ended in `was` (unless refused or ended for a reason of its
 * own); `answered`: an agent answered it earlier, so a caller who leaves the group or the flow an
 * agent transferred them to was still served.
 */
export function endedIn(was: SessionState, answered: boolean): Disposition {
  if (was === 'bridged') return 'answered';
  if (isCallback(was)) return 'callback_failed';
  if (was === 'queued' || was === 'offering' || was === 'ivr')
    return answered ? 'answered' : was === 'ivr' ? 'ivr' : 'abandoned';
  return 'failed';
}
