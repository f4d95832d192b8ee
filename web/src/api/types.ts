// Wire types shared with the server (see the API contract in the web brief). String-literal unions, no enums.

export type Role = 'admin' | 'supervisor' | 'agent' | 'sales_manager' | 'sales';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  extension: string | null;
}

/**
 * Agent state as the ACD sees it. Allowed transitions are owned by the server; the desk only
 * asks for `ready` / `not_ready` and shows whatever comes back.
 */
export type AgentStateName =
  'logged_out' | 'ready' | 'not_ready' | 'reserved' | 'on_call' | 'after_call_work';

export interface AgentState {
  agentId: string;
  extension: string | null;
  state: AgentStateName;
  reason: string | null;
  since: string;
  registered: boolean;
  /** While in after-call work: when it ends by itself (the agent may extend it or end it early). */
  wrapUpEndsAt: string | null;
}

export type RequestableAgentState = 'ready' | 'not_ready';

export interface Phone {
  e164: string;
  display: string;
}

export interface Contact {
  id: string;
  name: string;
  title: string | null;
  phones: Phone[];
}

export type CustomerKind = 'company' | 'person';

export interface CustomerCard {
  id: string;
  name: string;
  kind: CustomerKind;
  tier: string | null;
  contacts: Contact[];
  matchedContactId: string | null;
}

export interface Customer {
  id: string;
  name: string;
  kind: CustomerKind;
  tier: string | null;
  /** Issue #6: region and the owning salesperson (data scopes go by owner). */
  region?: string | null;
  ownerId?: string | null;
  ownerName?: string | null;
  contacts: Contact[];
  createdAt: string;
}

export interface NewCustomer {
  name: string;
  kind?: CustomerKind;
  tier?: string;
  contacts: { name: string; title?: string; phones: string[] }[];
  /** Create even though the server found possible duplicates (it answers 409 otherwise). */
  allowDuplicate?: boolean;
}

export type Disposition = 'answered' | 'abandoned' | 'blocked' | 'ivr' | 'failed' | 'in_progress';

export interface Cdr {
  id: string;
  callId: string;
  caller: string;
  dnis: string;
  queue: string | null;
  agent: string | null;
  offeredAt: string;
  ivrAt: string | null;
  queuedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  disposition: Disposition;
  durationSec: number | null;
  recordingUrl: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldError[] };
}

/** One page of a list endpoint; `total` is known only when the server sends X-Total-Count. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
  total: number | null;
}

// Automatic call distribution: skill groups (业务组), agents and live queue metrics.

export type Strategy =
  | 'linear'
  | 'round_robin'
  | 'fewest_answered'
  | 'longest_idle'
  | 'least_talk_time'
  | 'agent_priority'
  | 'random'
  | 'weighted_random'
  | 'ring_all'
  | 'ring_progressively';

export type OverflowCondition = 'all_busy' | 'wait_exceeds' | 'queue_exceeds';

export interface OverflowRule {
  when: OverflowCondition;
  /** Seconds for wait_exceeds, callers for queue_exceeds; null for all_busy. */
  threshold: number | null;
  /** Name of the group the caller overflows to. */
  to: string;
}

/** After `afterSeconds` of waiting, agents up to `maxLevel` become eligible; the caller keeps their place. */
export interface EscalationStep {
  afterSeconds: number;
  maxLevel: number;
}

/** Membership applies on these weekdays (1 = Monday … 7 = Sunday) between from and to ('HH:MM'). */
export interface ScheduleWindow {
  days: number[];
  from: string;
  to: string;
}

export interface SkillGroupMember {
  agentId: string;
  extension: string;
  displayName: string;
  /** 1…9; level 1 is offered calls before level 2. */
  level: number;
  /** null: a member at all times. */
  schedule: ScheduleWindow[] | null;
}

export interface SkillGroupConfig {
  /** Identifier: lower-case word, immutable once created. */
  name: string;
  displayName: string;
  strategy: Strategy;
  /** 1…100: which group wins an agent that several groups want. */
  weight: number;
  wrapUpSeconds: number;
  ringTimeoutSeconds: number;
  slSeconds: number;
  shortAbandonSeconds: number;
  maxQueue: number | null;
  overflow: OverflowRule[];
  escalation: EscalationStep[];
}

export interface SkillGroup extends SkillGroupConfig {
  members: SkillGroupMember[];
}

/** What POST and PUT take: members by agent id only. */
export interface SkillGroupInput extends SkillGroupConfig {
  members: { agentId: string; level: number; schedule: ScheduleWindow[] | null }[];
}

export interface AgentRow {
  agentId: string;
  extension: string;
  displayName: string;
  state: AgentStateName;
  reason: string | null;
  since: string;
  registered: boolean;
  groups: { name: string; level: number }[];
}

export type AgentStateCounts = Record<AgentStateName, number>;

export interface GroupMetrics {
  name: string;
  displayName: string;
  waiting: number;
  oldestWaitSec: number | null;
  agents: AgentStateCounts;
  offeredToday: number;
  answeredToday: number;
  abandonedToday: number;
  shortAbandonedToday: number;
  /** 0…1: answered within slSeconds over answered + abandoned (short abandons excluded); null before any call. */
  serviceLevelToday: number | null;
  slSeconds: number;
  asaSec: number | null;
  ewtSec: number | null;
}

export interface QueueMetrics {
  at: string;
  groups: GroupMetrics[];
  agents: AgentRow[];
}

// Caller-number routing (主叫号码路由): VIP lists, customer tiers, number prefixes and the sticky agent.

/** A skill group name, or null for "keep the number's usual group". */
export type GroupRef = string | null;

export interface VipList {
  name: string;
  /** Stored as E.164; typed in any common form. */
  numbers: string[];
  /** 0…100: added to the caller's queue priority. */
  priority: number;
  group: GroupRef;
}

export type CustomerTier = 'key' | 'ordinary' | 'small';

export interface TierRule {
  tier: CustomerTier;
  priority: number;
  group: GroupRef;
}

export interface PrefixRule {
  /** "010", "0755", "139" on input; stored as "+8610", "+86755", "+86139". */
  prefix: string;
  label: string;
  priority: number | null;
  group: GroupRef;
}

export interface StickySettings {
  enabled: boolean;
  windowHours: number;
  fallbackSeconds: number;
}

export interface CallerRules {
  vipLists: VipList[];
  tiers: TierRule[];
  prefixes: PrefixRule[];
  sticky: StickySettings;
}

export interface CallerRulesView extends CallerRules {
  updatedAt: string | null;
  /** Id of the user who saved last. */
  updatedBy: string | null;
  updatedByName: string | null;
}

export interface Holiday {
  /** YYYY-MM-DD */
  date: string;
  name: string;
}

// Agent state report: seconds per state over a period.

export interface AgentStateReportRow {
  agentId: string;
  extension: string;
  displayName: string;
  /** Seconds per state (logged_out excluded). */
  states: Partial<Record<AgentStateName, number>>;
  /** Seconds of not_ready per reason code. */
  notReadyReasons: Record<string, number>;
  loggedInSec: number;
  /** 0…1: ringing, talking and wrap-up over available time; null without available time. */
  occupancy: number | null;
}

export interface AgentStateReport {
  from: string;
  to: string;
  agents: AgentStateReportRow[];
}

export type Channel = 'voice' | 'chat' | 'email' | 'sms' | 'task';

/** Open items an agent may hold per channel; omitted channels keep the defaults. */
export type ChannelCapacity = Partial<Record<Channel, number>>;

// Work items besides voice: chats, e-mails, SMS and tasks offered to agents.

export type WorkChannel = Exclude<Channel, 'voice'>;
export type WorkStatus = 'queued' | 'offered' | 'accepted' | 'completed' | 'cancelled';

export interface WorkItem {
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

export interface WorkItemPage {
  items: WorkItem[];
  total: number;
}
