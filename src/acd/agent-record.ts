/**
 * What the engine knows about one agent beyond the public snapshot: memberships with levels and
 * schedules (ACD-02/03), channel capacity and open items (ACD-08), consecutive missed offers, and
 * cumulative time per state for reports (ACD-01).
 */
import type { AgentSnapshot, Channel, ChannelCapacity, StateDurations } from './acd-types.ts';
import { channels, defaultCapacity } from './acd-types.ts';
import { agentStates, type AgentState } from './agent-state.ts';
import type { CompiledSchedule, Schedule } from './schedule.ts';
import type { PoolMember } from './strategies/strategy.ts';

export interface MembershipInput {
  name: string;
  /** 1 is offered before 2 (ACD-02). */
  level: number;
  /** Fixed order in the group (linear, ring order); defaults to the order memberships were added. */
  position?: number;
  schedule?: Schedule | null;
}

export interface AgentInput {
  id: string;
  extension: string;
  groups: MembershipInput[];
  /** Agent-wide rank for agent_priority (lower first); default 0. */
  priority?: number;
  /** Weight for weighted_random; default 1. */
  weight?: number;
  capacity?: Partial<ChannelCapacity>;
  /** May this agent take a call while holding chats/e-mails? Default: the engine's option. */
  voiceWithOtherWork?: boolean;
}

/** The group side a membership is filed with (group-runtime.ts). */
export interface MembershipHome {
  place(m: Membership): void;
  unplace(m: Membership): void;
}

export interface Membership extends PoolMember {
  readonly agent: AgentEntry;
  readonly group: string;
  readonly home: MembershipHome;
  level: number;
  position: number;
  lastOffered: number;
  schedule: CompiledSchedule | null;
  /** Inside a schedule window now (always true without a schedule). */
  onDuty: boolean;
  /** Counted in the group's staffed total: on duty, logged in, reachable. */
  staffed: boolean;
  /** Staffed and not paused (not_ready): counted among the group's servers. */
  serving: boolean;
  readonly slots: Record<Channel, number>;
}

/** Structurally also the `AgentFacts` strategies order by. */
export interface AgentEntry extends AgentSnapshot {
  priority: number;
  weight: number;
  capacity: ChannelCapacity;
  voiceWithOtherWork: boolean | null;
  load: Record<Channel, number>;
  /** Non-voice items held, by call id (released by `finishWork` or a missed offer). */
  items: Map<string, Channel>;
  talkMs: number;
  missedInRow: number;
  durations: Record<AgentState, number>;
  notReadyMs: Map<string, number>;
  memberships: Map<string, Membership>;
  /** The call this agent is reserved for (voice), so the offer can be resolved. */
  reservedFor: string | null;
  /** Group of the last voice offer: its wrap-up time applies (ACD-01). */
  lastGroup: string | null;
  wrapUpExtraMs: number;
}

export function emptySlots(): Record<Channel, number> {
  return { voice: -1, chat: -1, email: -1, sms: -1, task: -1 };
}

export function newAgentEntry(input: AgentInput, now: number): AgentEntry {
  return {
    id: input.id,
    extension: input.extension,
    state: 'logged_out',
    reason: null,
    since: now,
    reachable: false,
    groups: new Map(),
    answeredCalls: 0,
    priority: input.priority ?? 0,
    weight: input.weight ?? 1,
    capacity: { ...defaultCapacity, ...input.capacity },
    voiceWithOtherWork: input.voiceWithOtherWork ?? null,
    load: { voice: 0, chat: 0, email: 0, sms: 0, task: 0 },
    items: new Map(),
    talkMs: 0,
    missedInRow: 0,
    durations: Object.fromEntries(agentStates.map((s) => [s, 0])) as Record<AgentState, number>,
    notReadyMs: new Map(),
    memberships: new Map(),
    reservedFor: null,
    lastGroup: null,
    wrapUpExtraMs: 0,
  };
}

function otherWork(a: AgentEntry): number {
  let n = 0;
  for (const c of channels) if (c !== 'voice') n += a.load[c];
  return n;
}

/**
 * May `a` be offered an item of `channel` now? Ready always; voice also needs a reachable phone
 * and no other open work unless the rule allows it (voice is exclusive the other way round by the
 * state machine: an agent on a call is not `ready`); other channels, worked in the browser, need
 * a free slot.
 */
export function availableFor(a: AgentEntry, channel: Channel, voiceWithOtherWork: boolean): boolean {
  if (a.state !== 'ready') return false;
  if (channel === 'voice')
    return (
      a.reachable &&
      a.capacity.voice > 0 &&
      ((a.voiceWithOtherWork ?? voiceWithOtherWork) || otherWork(a) === 0)
    );
  return a.load[channel] < a.capacity[channel];
}

export function isStaffed(m: Membership): boolean {
  return m.onDuty && m.agent.state !== 'logged_out' && m.agent.reachable;
}

/** Close the interval of the current state: durations, not-ready reasons, talk time. */
export function closeInterval(a: AgentEntry, now: number): void {
  const ms = Math.max(0, now - a.since);
  a.durations[a.state] += ms;
  if (a.state === 'not_ready') {
    const reason = a.reason ?? 'other';
    a.notReadyMs.set(reason, (a.notReadyMs.get(reason) ?? 0) + ms);
  }
  if (a.state === 'on_call') a.talkMs += ms;
}

export function durationsAt(a: AgentEntry, now: number): StateDurations {
  const byState = { ...a.durations };
  const notReadyByReason = Object.fromEntries(a.notReadyMs);
  const open = Math.max(0, now - a.since);
  byState[a.state] += open;
  if (a.state === 'not_ready') {
    const reason = a.reason ?? 'other';
    notReadyByReason[reason] = (notReadyByReason[reason] ?? 0) + open;
  }
  return { byState, notReadyByReason };
}
