/**
 * CTI events (PLT-03): what the agent desktop and wallboard hear over `GET /api/cti`. The event
 * map is the contract; the hub and the WebSocket carry exactly these shapes.
 */
import type { AgentState } from '../acd/index.ts';
import type { CustomerCard } from '../crm/index.ts';

export interface AgentStateView {
  agentId: string;
  extension: string;
  state: AgentState;
  reason: string | null;
  since: string;
  registered: boolean;
  /** While in after-call work: when it ends by itself (ACD-01; the agent may extend or end it). */
  wrapUpEndsAt: string | null;
}

export interface AgentRow extends AgentStateView {
  displayName: string;
  /** `onDuty`: the membership's schedule and the holiday calendar have the agent in the group now. */
  groups: { name: string; level: number; onDuty: boolean }[];
  /** Items the agent may hold per channel (voice, chat, email, sms, task). */
  capacity: Record<string, number>;
}

/** Real-time queue metrics (CC-15, ACD-07) for the wallboard; "today" is the Asia/Shanghai day. */
export interface GroupMetrics {
  name: string;
  displayName: string;
  waiting: number;
  oldestWaitSec: number | null;
  agents: Record<AgentState, number>;
  offeredToday: number;
  answeredToday: number;
  abandonedToday: number;
  shortAbandonedToday: number;
  /** Answered within slSeconds over answered + abandoned (short abandons excluded); null before any call. */
  serviceLevelToday: number | null;
  /** The other definition (ACD-07): answered within slSeconds over answered only. */
  serviceLevelOfAnsweredToday: number | null;
  slSeconds: number;
  asaSec: number | null;
  ewtSec: number | null;
}

export interface QueueMetrics {
  at: string;
  groups: GroupMetrics[];
  agents: AgentRow[];
}

export interface CtiEventMap {
  'agent.state': AgentStateView;
  'call.offered': {
    callId: string;
    /** The agent whose phone rings; supervisor views hear every agent's calls. */
    agentId: string;
    caller: string;
    dnis: string;
    queue: string | null;
    customer: CustomerCard | null;
    matches: CustomerCard[];
    /** Absent or "inbound" for queued calls; "outbound" when the agent placed the call. */
    direction?: 'inbound' | 'outbound' | 'internal';
    /** CC-07: the caller is a colleague (an extension or a company range); no customer lookup. */
    internal?: { name: string | null; extension: string | null; range: string | null } | null;
  };
  'call.answered': { callId: string; agentId: string; answeredAt: string };
  'call.ended': { callId: string; agentId: string; disposition: string; endedAt: string };
  'queue.metrics': QueueMetrics;
  /** CC-02…CC-05: who is on a connected call and how (held, muted, monitoring). */
  'call.parties': {
    callId: string;
    agentId: string;
    parties: {
      id: string;
      role: string;
      label: string;
      agentId: string | null;
      held: boolean;
      muted: boolean;
      mode: string | null;
      state: string;
    }[];
  };
  /** ACD-08: a chat, e-mail, SMS or task offered to the agent, or its status changed. */
  'work.offered': WorkItemView;
  'work.updated': WorkItemView;
}

export type WorkChannel = 'chat' | 'email' | 'sms' | 'task';
export type WorkStatus = 'queued' | 'offered' | 'accepted' | 'completed' | 'cancelled';

export interface WorkItemView {
  id: string;
  channel: WorkChannel;
  queue: string;
  priority: number;
  subject: string;
  fromAddress: string | null;
  customerId: string | null;
  status: WorkStatus;
  agentId: string | null;
  createdAt: string;
  offeredAt: string | null;
  acceptedAt: string | null;
  completedAt: string | null;
  /** While offered: when the offer lapses and the item goes to the next agent. */
  offerExpiresAt: string | null;
  declines: number;
}

export type CtiEventType = keyof CtiEventMap;

export type CtiEvent = { [K in CtiEventType]: { type: K; data: CtiEventMap[K]; at: string } }[CtiEventType];

/** Who an event is for: one agent's desktop, or every supervisor view. */
export interface CtiAudience {
  agentId: string | null;
}
