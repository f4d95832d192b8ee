import type { QueryClient } from '@tanstack/react-query';
import { agentStateQueryKey } from '../api/agent-api';
import type { AgentState } from '../api/types';
import { parseAgentState } from './cti-messages';

/**
 * The state arrives by several roads that can overtake each other: the CTI push (an ordered stream,
 * so always taken as is) and HTTP responses (PUT, GET), which may land after a newer push; e.g. a call
 * reserves the agent before the PUT "ready" response arrives. An HTTP answer is kept only if its
 * state began no earlier than the one shown. Within the same after-call work, extensions only ever
 * push the end later, so the later end wins.
 */
export function preferNewer(previous: AgentState | undefined, next: AgentState): AgentState {
  if (!previous) return next;
  const before = Date.parse(previous.since);
  const after = Date.parse(next.since);
  if (Number.isNaN(before) || Number.isNaN(after)) return next;
  if (after === before && previous.state === next.state && previous.wrapUpEndsAt && next.wrapUpEndsAt) {
    return Date.parse(next.wrapUpEndsAt) >= Date.parse(previous.wrapUpEndsAt) ? next : previous;
  }
  return after >= before ? next : previous;
}

/** From the CTI socket: authoritative and in order. */
export function pushAgentState(queryClient: QueryClient, next: AgentState): void {
  queryClient.setQueryData<AgentState>(agentStateQueryKey, next);
}

/** From an HTTP response: possibly overtaken by a push already. */
export function applyAgentStateResponse(queryClient: QueryClient, next: AgentState): void {
  queryClient.setQueryData<AgentState>(agentStateQueryKey, (previous) => preferNewer(previous, next));
}

/** For the GET query's `structuralSharing`: same rule as a PUT response. */
export function keepNewerAgentState(previous: unknown, next: unknown): unknown {
  const nextState = parseAgentState(next);
  if (!nextState) return next;
  return preferNewer(parseAgentState(previous) ?? undefined, nextState);
}
