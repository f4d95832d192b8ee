import { request } from './http';
import type { AgentState, RequestableAgentState, WorkItem, WorkItemPage } from './types';

export const agentStateQueryKey = ['agent-state'] as const;
export const myWorkItemsQueryKey = ['agent-work-items'] as const;

export function fetchAgentState(signal?: AbortSignal): Promise<AgentState> {
  return request<AgentState>('/api/agent/state', { signal });
}

export function putAgentState(state: RequestableAgentState, reason?: string): Promise<AgentState> {
  return request<AgentState>('/api/agent/state', {
    method: 'PUT',
    body: reason === undefined ? { state } : { state, reason },
  });
}

/** More time for after-call work; 409 when the agent is not in it. Ending it early is `putAgentState('ready')`. */
export function extendWrapUp(seconds: number): Promise<AgentState> {
  return request<AgentState>('/api/agent/wrap-up/extend', { method: 'POST', body: { seconds } });
}

/** Items offered to or held by the logged-in agent. */
export async function fetchMyWorkItems(signal?: AbortSignal): Promise<WorkItem[]> {
  const page = await request<WorkItemPage>('/api/agent/work-items', { signal });
  return Array.isArray(page?.items) ? page.items : [];
}

export type WorkItemAction = 'accept' | 'decline' | 'complete';

export function actOnWorkItem(id: string, action: WorkItemAction): Promise<WorkItem> {
  return request<WorkItem>(`/api/agent/work-items/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
}
