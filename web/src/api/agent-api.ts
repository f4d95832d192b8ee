import { request } from './http';
import type { AgentState, RequestableAgentState } from './types';

export const agentStateQueryKey = ['agent-state'] as const;

export function fetchAgentState(signal?: AbortSignal): Promise<AgentState> {
  return request<AgentState>('/api/agent/state', { signal });
}

export function putAgentState(state: RequestableAgentState, reason?: string): Promise<AgentState> {
  return request<AgentState>('/api/agent/state', {
    method: 'PUT',
    body: reason === undefined ? { state } : { state, reason },
  });
}
