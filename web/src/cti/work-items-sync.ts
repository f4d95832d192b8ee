import type { QueryClient } from '@tanstack/react-query';
import { agentStateQueryKey, myWorkItemsQueryKey } from '../api/agent-api';
import type { AgentState, WorkItem } from '../api/types';

/** The statuses that belong on an agent's desk: offered to them, or accepted and not yet completed. */
export function isOnDesk(item: WorkItem): boolean {
  return item.status === 'offered' || item.status === 'accepted';
}

/**
 * Folds one item (from `work.offered` / `work.updated` or an accept/decline/complete response) into
 * the agent's list: kept while offered to or held by `ownAgentId`, dropped otherwise (declined,
 * lapsed, completed, cancelled, or offered to someone else). `ownAgentId` null: take the item's word.
 */
export function applyWorkItem(list: WorkItem[], item: WorkItem, ownAgentId: string | null): WorkItem[] {
  const mine = isOnDesk(item) && (ownAgentId === null || item.agentId === ownAgentId);
  const index = list.findIndex((existing) => existing.id === item.id);
  if (!mine) return index === -1 ? list : list.filter((existing) => existing.id !== item.id);
  if (index === -1) return [...list, item];
  const next = [...list];
  next[index] = item;
  return next;
}

/** Offered first (they are waiting for an answer), then accepted; oldest first within each. */
export function sortWorkItems(list: WorkItem[]): WorkItem[] {
  const rank = (item: WorkItem) => (item.status === 'offered' ? 0 : 1);
  const time = (item: WorkItem) => Date.parse(item.offeredAt ?? item.createdAt) || 0;
  return [...list].sort((a, b) => rank(a) - rank(b) || time(a) - time(b));
}

export function pushWorkItem(queryClient: QueryClient, item: WorkItem, ownAgentId: string | null): void {
  queryClient.setQueryData<WorkItem[]>(myWorkItemsQueryKey, (previous) =>
    applyWorkItem(previous ?? [], item, ownAgentId),
  );
}

/** The logged-in user's agent id when the desk has loaded it, for users whose socket hears every agent. */
export function ownAgentId(queryClient: QueryClient): string | null {
  return queryClient.getQueryData<AgentState>(agentStateQueryKey)?.agentId ?? null;
}
