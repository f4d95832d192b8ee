import type { QueryClient } from '@tanstack/react-query';
import { queueMetricsQueryKey } from '../api/acd-api';
import type { AgentState, QueueMetrics } from '../api/types';

/** A `queue.metrics` snapshot from the CTI socket replaces whatever the wallboard shows. */
export function pushQueueMetrics(queryClient: QueryClient, metrics: QueueMetrics): void {
  queryClient.setQueryData<QueueMetrics>(queueMetricsQueryKey, metrics);
}

/**
 * `agent.state` arrives the moment an agent changes state, between two metrics snapshots: patch the
 * agent's row at once (the per-group counts follow with the next snapshot). Both come in order on the
 * same socket, so the later message always wins.
 */
export function patchAgentInMetrics(previous: QueueMetrics, next: AgentState): QueueMetrics {
  let changed = false;
  const agents = previous.agents.map((row) => {
    if (row.agentId !== next.agentId) return row;
    changed = true;
    return { ...row, state: next.state, reason: next.reason, since: next.since, registered: next.registered };
  });
  return changed ? { ...previous, agents } : previous;
}

export function pushAgentStateToMetrics(queryClient: QueryClient, next: AgentState): void {
  queryClient.setQueryData<QueueMetrics>(queueMetricsQueryKey, (previous) =>
    previous ? patchAgentInMetrics(previous, next) : previous,
  );
}
