import type { CustomerCard } from '../api/types';
import type { CallAnswered, CallEnded, CallOffered } from './cti-messages';

/**
 * A call as the desk sees it.
 *   ringing  → answered | ended   (call.answered | call.ended: abandoned while ringing)
 *   answered → ended              (call.ended)
 * The screen pop shows the latest call until the next call.offered replaces it.
 */
export type CallStatus = 'ringing' | 'answered' | 'ended';

export interface DeskCall {
  callId: string;
  caller: string;
  dnis: string;
  queue: string;
  customer: CustomerCard | null;
  matches: CustomerCard[];
  direction: CallOffered['direction'];
  internal: CallOffered['internal'];
  /** The agent's pick when several customers match, or a customer created during the call. */
  selectedCustomerId: string | null;
  status: CallStatus;
  offeredAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  disposition: string | null;
}

export interface DeskCalls {
  current: DeskCall | null;
  /** Newest first, this browser session only. */
  log: DeskCall[];
}

export type DeskCallsAction =
  | { type: 'offered'; data: CallOffered; at: string }
  | { type: 'answered'; data: CallAnswered }
  | { type: 'ended'; data: CallEnded }
  | { type: 'selectCustomer'; callId: string; customerId: string }
  | { type: 'attachCustomer'; callId: string; customer: CustomerCard };

export const maxLoggedCalls = 50;

export const emptyDeskCalls: DeskCalls = { current: null, log: [] };

function updateCall(state: DeskCalls, callId: string, update: (call: DeskCall) => DeskCall): DeskCalls {
  const current = state.current?.callId === callId ? update(state.current) : state.current;
  const log = state.log.map((call) => (call.callId === callId ? update(call) : call));
  return { current, log };
}

export function deskCallsReducer(state: DeskCalls, action: DeskCallsAction): DeskCalls {
  switch (action.type) {
    case 'offered': {
      const { data } = action;
      const call: DeskCall = {
        callId: data.callId,
        caller: data.caller,
        dnis: data.dnis,
        queue: data.queue,
        customer: data.customer,
        matches: data.matches,
        direction: data.direction,
        internal: data.internal,
        selectedCustomerId: null,
        status: 'ringing',
        offeredAt: action.at,
        answeredAt: null,
        endedAt: null,
        disposition: null,
      };
      const log = [call, ...state.log.filter((logged) => logged.callId !== call.callId)].slice(
        0,
        maxLoggedCalls,
      );
      return { current: call, log };
    }
    case 'answered':
      return updateCall(state, action.data.callId, (call) =>
        call.status === 'ringing'
          ? { ...call, status: 'answered', answeredAt: action.data.answeredAt }
          : call,
      );
    case 'ended':
      return updateCall(state, action.data.callId, (call) => ({
        ...call,
        status: 'ended',
        endedAt: action.data.endedAt,
        disposition: action.data.disposition,
      }));
    case 'selectCustomer':
      return updateCall(state, action.callId, (call) => ({ ...call, selectedCustomerId: action.customerId }));
    case 'attachCustomer':
      return updateCall(state, action.callId, (call) => ({
        ...call,
        customer: action.customer,
        matches: call.matches.some((match) => match.id === action.customer.id)
          ? call.matches
          : [...call.matches, action.customer],
        selectedCustomerId: action.customer.id,
      }));
  }
}

/** Every distinct customer the call could belong to: the server's pick first, then the other matches. */
export function candidateCustomers(call: DeskCall): CustomerCard[] {
  const all = call.customer ? [call.customer, ...call.matches] : call.matches;
  const seen = new Set<string>();
  return all.filter((card) => (seen.has(card.id) ? false : (seen.add(card.id), true)));
}

/** The customer to show: the agent's pick, else the server's match, else the only match; null when unknown or undecided. */
export function resolveCustomer(call: DeskCall): CustomerCard | null {
  const candidates = candidateCustomers(call);
  if (call.selectedCustomerId) {
    const picked = candidates.find((card) => card.id === call.selectedCustomerId);
    if (picked) return picked;
  }
  if (call.customer) return call.customer;
  return candidates.length === 1 ? (candidates[0] ?? null) : null;
}
