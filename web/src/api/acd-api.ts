import { request } from './http';
import type {
  AgentRow,
  AgentStateReport,
  ChannelCapacity,
  QueueMetrics,
  SkillGroup,
  SkillGroupInput,
} from './types';

export const skillGroupsQueryKey = ['acd-groups'] as const;
export const agentsQueryKey = ['agents'] as const;
export const queueMetricsQueryKey = ['acd-metrics'] as const;

export function fetchSkillGroups(signal?: AbortSignal): Promise<SkillGroup[]> {
  return request<SkillGroup[]>('/api/acd/groups', { signal });
}

export function createSkillGroup(input: SkillGroupInput): Promise<SkillGroup> {
  return request<SkillGroup>('/api/acd/groups', { method: 'POST', body: input });
}

/** Full replace of the group's configuration and members; the name itself cannot change. */
export function updateSkillGroup(input: SkillGroupInput): Promise<SkillGroup> {
  return request<SkillGroup>(`/api/acd/groups/${encodeURIComponent(input.name)}`, {
    method: 'PUT',
    body: input,
  });
}

export async function deleteSkillGroup(name: string): Promise<void> {
  await request<unknown>(`/api/acd/groups/${encodeURIComponent(name)}`, { method: 'DELETE' });
}

export function fetchAgents(signal?: AbortSignal): Promise<AgentRow[]> {
  return request<AgentRow[]>('/api/agents', { signal });
}

export function fetchQueueMetrics(signal?: AbortSignal): Promise<QueueMetrics> {
  return request<QueueMetrics>('/api/acd/metrics', { signal });
}

export const agentStateReportQueryKey = ['acd-agent-state-report'] as const;

/** Seconds per agent state over [from, to) (ISO timestamps). */
export function fetchAgentStateReport(
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<AgentStateReport> {
  return request<AgentStateReport>('/api/acd/agent-states', { query: { from, to }, signal });
}

export function setAgentCapacity(agentId: string, capacity: ChannelCapacity): Promise<ChannelCapacity> {
  return request<ChannelCapacity>(`/api/agents/${encodeURIComponent(agentId)}/capacity`, {
    method: 'PUT',
    body: capacity,
  });
}
