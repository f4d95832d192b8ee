import { request } from './http';
import type { AgentRow, AgentState } from './types';

// Call control on a connected call (hold, mute, transfer, conference) and supervisor interventions
// (listen, whisper, barge, force release, force state).

export type PartyRole = 'customer' | 'agent' | 'consult' | 'conference' | 'supervisor';
export type SupervisorMode = 'listen' | 'whisper' | 'barge';
export type TransferMode = 'blind' | 'attended';

export interface Party {
  id: string;
  role: PartyRole;
  /** Name or number shown on desks. */
  label: string;
  agentId: string | null;
  held: boolean;
  muted: boolean;
  mode: SupervisorMode | null;
  state: 'ringing' | 'connected';
}

/** A ready colleague, or an outside number with optional digits sent once it answers (an extension). */
export type DialTarget = { agentId: string } | { number: string; dtmf?: string };

/** Where a transfer goes: someone to dial, a skill group's queue (by name) or an IVR flow (by id); the last two blind only. */
export type CallTarget = DialTarget | { group: string } | { flow: string };

export interface LiveCall {
  callId: string;
  caller: string;
  customerName: string | null;
  group: string | null;
  agentId: string | null;
  agentExtension: string | null;
  parties: Party[];
}

export interface DialResult {
  callId: string;
  number: string;
  callerId: string;
}

export type ForcibleAgentState = 'ready' | 'not_ready' | 'logged_out';

export const callPartiesQueryKey = (callId: string) => ['call-parties', callId] as const;
export const liveCallsQueryKey = ['supervisor-calls'] as const;
export const transferTargetsQueryKey = ['transfer-targets'] as const;

function callPath(callId: string): string {
  return `/api/agent/calls/${encodeURIComponent(callId)}`;
}

export function fetchParties(callId: string, signal?: AbortSignal): Promise<Party[]> {
  return request<Party[]>(`${callPath(callId)}/parties`, { signal });
}

export function setHold(callId: string, on: boolean): Promise<Party[]> {
  return request<Party[]>(`${callPath(callId)}/hold`, { method: 'POST', body: { on } });
}

export function setMute(callId: string, on: boolean): Promise<Party[]> {
  return request<Party[]>(`${callPath(callId)}/mute`, { method: 'POST', body: { on } });
}

/** Blind: I leave at once. Attended: a consultation starts (its party id is returned); not to a group. */
export function transferCall(
  callId: string,
  mode: TransferMode,
  target: CallTarget,
): Promise<{ partyId?: string }> {
  return request<{ partyId?: string }>(`${callPath(callId)}/transfer`, {
    method: 'POST',
    body: { mode, target },
  });
}

export function completeTransfer(callId: string): Promise<Party[]> {
  return request<Party[]>(`${callPath(callId)}/transfer/complete`, { method: 'POST' });
}

export function cancelTransfer(callId: string): Promise<Party[]> {
  return request<Party[]>(`${callPath(callId)}/transfer/cancel`, { method: 'POST' });
}

export function addConferenceParty(callId: string, target: DialTarget): Promise<{ partyId: string }> {
  return request<{ partyId: string }>(`${callPath(callId)}/conference`, {
    method: 'POST',
    body: { target },
  });
}

export function dropParty(callId: string, partyId: string): Promise<Party[]> {
  return request<Party[]>(`${callPath(callId)}/parties/${encodeURIComponent(partyId)}`, {
    method: 'DELETE',
  });
}

/** Click-to-dial: the agent's phone rings first, then the number is dialled through the trunk. */
export function dialOut(number: string, callerId?: string): Promise<DialResult> {
  return request<DialResult>('/api/agent/calls', {
    method: 'POST',
    body: callerId ? { number, callerId } : { number },
  });
}

/** Outbound calls only (inbound calls end when the customer or the agent's phone hangs up). */
export async function hangupOutbound(callId: string): Promise<void> {
  await request<unknown>(`${callPath(callId)}/hangup`, { method: 'POST' });
}

export async function recordOnDemand(callId: string): Promise<void> {
  await request<unknown>(`${callPath(callId)}/recording`, { method: 'POST' });
}

/**
 * Colleagues a call can go to (only agents who are ready are valid targets), with their skill
 * groups: the one list of groups an agent may read, so the groups to transfer to come from it too.
 */
/** A skill group a caller can be transferred to, with how many of its agents could take the call now. */
export interface TransferGroup {
  name: string;
  displayName: string;
  members: number;
  ready: number;
}

export const transferGroupsQueryKey = ['transfer-groups'] as const;

export function fetchTransferGroups(signal?: AbortSignal): Promise<TransferGroup[]> {
  return request<TransferGroup[]>('/api/agent/transfer-groups', { signal });
}

/** An IVR flow a caller can be transferred to (its published version runs). */
export interface TransferFlow {
  id: string;
  name: string;
}

export const transferFlowsQueryKey = ['transfer-flows'] as const;

export function fetchTransferFlows(signal?: AbortSignal): Promise<TransferFlow[]> {
  return request<TransferFlow[]>('/api/agent/transfer-flows', { signal });
}

export function fetchTransferTargets(signal?: AbortSignal): Promise<AgentRow[]> {
  return request<AgentRow[]>('/api/agent/colleagues', { signal });
}

// ---- supervisors ----

export function fetchLiveCalls(signal?: AbortSignal): Promise<LiveCall[]> {
  return request<LiveCall[]>('/api/supervisor/calls', { signal });
}

/** Rings `extension`; calling again on the same call changes the mode. */
export function monitorCall(
  callId: string,
  mode: SupervisorMode,
  extension?: string,
): Promise<{ partyId: string }> {
  return request<{ partyId: string }>(`/api/supervisor/calls/${encodeURIComponent(callId)}/monitor`, {
    method: 'POST',
    body: extension ? { mode, extension } : { mode },
  });
}

export async function releaseCall(callId: string): Promise<void> {
  await request<unknown>(`/api/supervisor/calls/${encodeURIComponent(callId)}/release`, { method: 'POST' });
}

export function forceAgentState(
  agentId: string,
  state: ForcibleAgentState,
  reason?: string,
): Promise<AgentState> {
  return request<AgentState>(`/api/supervisor/agents/${encodeURIComponent(agentId)}/state`, {
    method: 'PUT',
    body: reason ? { state, reason } : { state },
  });
}
