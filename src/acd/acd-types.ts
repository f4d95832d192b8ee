/**
 * The engine's public data: what callers pass in and get back. Behaviour lives elsewhere.
 */
import type { AgentState } from './agent-state.ts';

/** Work-item channels (ACD-08). Voice drives the agent state machine; the others use capacity. */
export const channels = ['voice', 'chat', 'email', 'sms', 'task'] as const;
export type Channel = (typeof channels)[number];
export type ChannelCapacity = Record<Channel, number>;

/** One call at a time, a few chats, more e-mails: the usual blended-desk defaults. */
export const defaultCapacity: Readonly<ChannelCapacity> = { voice: 1, chat: 3, email: 5, sms: 5, task: 2 };

export interface AgentSnapshot {
  id: string;
  extension: string;
  state: AgentState;
  reason: string | null;
  since: number;
  /** The agent's phone has a live SIP registration; unreachable agents are never offered calls. */
  reachable: boolean;
  /** Group name → level (1 is offered first), whether or not a schedule makes it active now. */
  groups: Map<string, number>;
  answeredCalls: number;
}

export interface QueuedCall {
  callId: string;
  group: string;
  priority: number;
  enqueuedAt: number;
  seq: number;
  /** Absent means voice. */
  channel?: Channel;
  /** Sticky agent (CC-13): offered only to this agent until `preferredUntil`, then to the group. */
  preferredAgentId?: string;
  preferredUntil?: number;
  /** When the call entered its current group; overflow and escalation timers count from here. */
  groupEnteredAt?: number;
  /** Groups the call has been in, oldest first (overflow chain, for the CDR). */
  path?: string[];
  /** Non-voice: agents who declined or let the item lapse; another free agent is preferred. */
  declinedBy?: string[];
}

/**
 * A call matched to agents; every agent named is already `reserved` (voice) or holds a capacity
 * slot (other channels).
 *
 * - Most strategies: one agent, `agentIds` = [agentId].
 * - ring_all: one Offer naming every agent rung at once in `agentIds` (agentId is the first).
 * - ring_progressively: the first Offer names one agent; later `distribute()` calls return
 *   follow-up Offers for the same callId with `followUp: true`, each naming one more agent.
 * The first agent to answer wins (`offerAnswered`); the engine releases the others to `ready`.
 */
export interface Offer {
  callId: string;
  agentId: string;
  group: string;
  call: QueuedCall;
  agentIds?: string[];
  channel?: Channel;
  followUp?: boolean;
}

export interface StateChange {
  agentId: string;
  from: AgentState;
  to: AgentState;
  reason: string | null;
  at: number;
}

export interface EnqueueOptions {
  channel?: Channel;
  preferredAgentId?: string;
  /** ms epoch; default: enqueue time + the engine's `stickySeconds`. */
  preferredUntil?: number;
}

export type OverflowCondition = 'all_busy' | 'unstaffed' | 'wait_exceeds' | 'queue_exceeds';

export interface OverflowEvent {
  callId: string;
  from: string;
  to: string;
  condition: OverflowCondition;
  at: number;
}

export interface EscalationEvent {
  callId: string;
  group: string;
  /** Highest level now eligible; null means every level. */
  maxLevel: number | null;
  at: number;
}

export interface MembershipEvent {
  agentId: string;
  group: string;
  active: boolean;
  at: number;
}

/** What happened since the last `tick()` (including inside `distribute()`), for CDR/CTI events. */
export interface TickResult {
  overflowed: OverflowEvent[];
  escalated: EscalationEvent[];
  membership: MembershipEvent[];
  /** State changes the engine made itself (wrap-up ended on tick, released ring-all siblings…). */
  stateChanges: StateChange[];
}

export interface StateDurations {
  /** Milliseconds spent in each state, including the open interval up to `now`. */
  byState: Record<AgentState, number>;
  /** Milliseconds of not_ready per reason code. */
  notReadyByReason: Record<string, number>;
}
