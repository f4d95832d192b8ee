/**
 * The routing engine's public face (ACD-01…ACD-08, CC-13): pure and deterministic — no I/O, no
 * timers, time passed in as ms epoch, randomness from a seeded RNG — so the simulator replays it
 * exactly and the switch drives it from events.
 *
 * Agents and skill groups with a level per membership (ACD-02) and schedules (ACD-03); one
 * FIFO-within-priority queue per group; strategies by name (strategies/registry.ts); overflow and
 * level escalation (overflow.ts); wait estimates and service level per group.
 *
 * Invariants: an agent is offered at most one call at a time across all groups (an offer moves
 * the agent to `reserved` before it is returned); never while not ready or unreachable; never
 * beyond channel capacity; a ready agent eligible for a waiting call gets it on `distribute`.
 */
import { AcdCore, type AcdEngineOptions } from './acd-core.ts';
import type {
  AgentSnapshot,
  Channel,
  EnqueueOptions,
  Offer,
  QueuedCall,
  StateChange,
  StateDurations,
  TickResult,
} from './acd-types.ts';
import { defaultCapacity } from './acd-types.ts';
import { durationsAt, newAgentEntry, type AgentEntry, type AgentInput } from './agent-record.ts';
import type { AgentState } from './agent-state.ts';
import {
  compileCallerRules,
  routeCaller,
  type CallerInput,
  type CallerRoute,
  type CallerRules,
  type CompiledCallerRules,
} from './caller-rules.ts';
import { defaultGroup, normalizeGroup, type GroupConfig, type GroupInput } from './group-config.ts';
import { answered, missed, releaseItem, withdraw } from './offer-outcome.ts';
import { advance, applyConditions } from './overflow.ts';
import { match } from './router.ts';
import type { ServiceLevelReport } from './service-level.ts';
import { estimateWaitSeconds } from './wait-estimate.ts';

export { InvalidTransitionError } from './agent-state.ts';
export type { AgentSnapshot, Offer, QueuedCall, StateChange } from './acd-types.ts';

export interface GroupStaffing {
  group: string;
  members: number;
  /** On schedule, logged in and reachable. */
  staffed: number;
  /** Staffed and not paused. */
  serving: number;
  /** Free for voice now. */
  free: number;
  waiting: number;
}

export class AcdEngine {
  private readonly core: AcdCore;
  private callerRules: CompiledCallerRules = compileCallerRules({});

  constructor(options: AcdEngineOptions = {}) {
    this.core = new AcdCore(options);
  }

  // ---- agents (ACD-01/02/03/08) ----

  /** Add an agent, or replace an existing agent's memberships keeping its state. */
  addAgent(agent: AgentInput, now: number): void {
    const existing = this.core.agents.get(agent.id);
    if (existing) {
      this.updateAgent(agent.id, agent, now);
      return;
    }
    const a = newAgentEntry(agent, now);
    this.core.agents.set(a.id, a);
    this.core.byExtension.set(a.extension, a);
    this.core.setMemberships(a, agent.groups, now);
  }

  /** Change memberships, extension, rank, weight, capacity or the voice-with-other-work rule. */
  updateAgent(id: string, patch: Partial<Omit<AgentInput, 'id'>>, now: number): boolean {
    const a = this.core.agents.get(id);
    if (!a) return false;
    if (patch.extension !== undefined && patch.extension !== a.extension) {
      if (this.core.byExtension.get(a.extension) === a) this.core.byExtension.delete(a.extension);
      a.extension = patch.extension;
      this.core.byExtension.set(a.extension, a);
    }
    // Ordering facts change only while the agent is out of every pool.
    for (const m of a.memberships.values()) this.core.group(m.group).unplace(m);
    if (patch.priority !== undefined) a.priority = patch.priority;
    if (patch.weight !== undefined) a.weight = patch.weight;
    // The capacity given replaces the old one; channels it leaves out go back to the defaults.
    if (patch.capacity !== undefined) a.capacity = { ...defaultCapacity, ...patch.capacity };
    if (patch.voiceWithOtherWork !== undefined) a.voiceWithOtherWork = patch.voiceWithOtherWork;
    if (patch.groups !== undefined) this.core.setMemberships(a, patch.groups, now);
    this.core.reindex(a);
    return true;
  }

  /** Forget an agent; a call it was reserved for stays with the caller (withdraw or requeue it). */
  removeAgent(id: string): boolean {
    const a = this.core.agents.get(id);
    if (!a) return false;
    this.core.dropAgent(a);
    return true;
  }

  agent(id: string): AgentSnapshot | undefined {
    return this.core.agents.get(id);
  }

  agentByExtension(extension: string): AgentSnapshot | undefined {
    return this.core.byExtension.get(extension);
  }

  allAgents(): AgentSnapshot[] {
    return [...this.core.agents.values()];
  }

  setReachable(agentId: string, reachable: boolean): void {
    const a = this.core.agents.get(agentId);
    if (!a || a.reachable === reachable) return;
    a.reachable = reachable;
    this.core.reindex(a);
  }

  /** Validated state change (ACD-01); throws InvalidTransitionError for a move the machine forbids. */
  transition(agentId: string, to: AgentState, reason: string | null, now: number): StateChange {
    return this.core.setState(this.need(agentId), to, reason, now);
  }

  /**
   * The agent answered. Voice: reserved → on_call, and agents ringing for the same call
   * (ring_all, ring_progressively) go back to ready — their changes follow the winner's in the
   * result. Other channels: the item is accepted. Either way the missed-offer count restarts.
   */
  offerAnswered(agentId: string, now: number, callId?: string): StateChange[] {
    return answered(this.core, this.need(agentId), now, callId);
  }

  /**
   * The agent did not answer (ring timeout, rejected). Voice: reserved → ready, or not_ready
   * with reason `no_answer` after `maxMissedOffers` in a row (ACD-01). Other channels: the slot
   * is freed. The call is the caller's to requeue.
   */
  offerMissed(agentId: string, now: number, callId?: string): StateChange | null {
    return missed(this.core, this.need(agentId), now, callId);
  }

  /** The call went away while agents were being offered it: release them (not counted as missed). */
  withdrawOffer(callId: string, now: number): StateChange[] {
    return withdraw(this.core, callId, now);
  }

  /** A chat, e-mail, SMS or task is done: its capacity slot is free again (ACD-08). */
  finishWork(callId: string): boolean {
    const holder = this.core.agents.get(this.core.itemHolders.get(callId) ?? '');
    return holder ? releaseItem(this.core, holder, callId) : false;
  }

  /**
   * An item the agent already holds (e.g. accepted before a restart) takes a capacity slot again,
   * beyond capacity if need be. False for an unknown agent, voice, or an item someone holds.
   */
  holdWork(agentId: string, callId: string, channel: Channel): boolean {
    const a = this.core.agents.get(agentId);
    if (!a || channel === 'voice' || this.core.itemHolders.has(callId)) return false;
    a.load[channel] += 1;
    a.items.set(callId, channel);
    this.core.itemHolders.set(callId, a.id);
    this.core.reindex(a);
    return true;
  }

  /** Items the agent may hold per channel (ACD-08). */
  capacity(agentId: string): Readonly<Record<Channel, number>> | undefined {
    return this.core.agents.get(agentId)?.capacity;
  }

  /** Open items per channel. */
  workload(agentId: string): Readonly<Record<Channel, number>> | undefined {
    return this.core.agents.get(agentId)?.load;
  }

  /** Cumulative time per state and per not-ready reason, up to `now` (ACD-01 reports). */
  stateDurations(agentId: string, now: number): StateDurations | undefined {
    const a = this.core.agents.get(agentId);
    return a ? durationsAt(a, now) : undefined;
  }

  /** When after-call work ends by the last group's wrap-up time (+ extensions); null if not in it. */
  wrapUpDeadline(agentId: string): number | null {
    const a = this.core.agents.get(agentId);
    return a?.state === 'after_call_work' ? this.core.wrapUpDeadline(a) : null;
  }

  extendWrapUp(agentId: string, seconds: number): number | null {
    const a = this.core.agents.get(agentId);
    if (a?.state !== 'after_call_work') return null;
    a.wrapUpExtraMs += seconds * 1000;
    return this.core.wrapUpDeadline(a);
  }

  /** Groups whose schedule has the agent on duty now (as of the last `tick`/`distribute`). */
  activeGroups(agentId: string): string[] {
    const a = this.core.agents.get(agentId);
    return a ? [...a.memberships.values()].filter((m) => m.onDuty).map((m) => m.group) : [];
  }

  // ---- groups (ACD-02/04/05) ----

  upsertGroup(input: GroupInput): GroupConfig {
    const config = normalizeGroup(input);
    const g = this.core.group(config.name, config);
    g.explicit = true;
    // Callers already waiting get the new escalation and wait-overflow timers too.
    for (const call of g.queue.all()) this.core.armTimers(call, config);
    return config;
  }

  /** Drop a group's configuration: it runs on defaults while members or calls still name it. */
  removeGroup(name: string): boolean {
    const g = this.core.groups.get(name);
    if (!g?.explicit) return false;
    g.configure(defaultGroup(name));
    g.explicit = false;
    if (g.members.size === 0 && g.queue.size === 0) this.core.groups.delete(name);
    return true;
  }

  group(name: string): GroupConfig | undefined {
    return this.core.groups.get(name)?.config;
  }

  groups(): GroupConfig[] {
    return [...this.core.groups.values()].map((g) => g.config).sort((a, b) => a.name.localeCompare(b.name));
  }

  groupStaffing(name: string): GroupStaffing {
    const g = this.core.group(name);
    return {
      group: name,
      members: g.members.size,
      staffed: g.staffed,
      serving: g.serving,
      free: g.freeCount('voice'),
      waiting: g.queue.size,
    };
  }

  /** Replace the company holiday calendar (local dates); schedules re-evaluate at `now`. */
  setHolidays(dates: readonly string[], now: number): void {
    this.core.holidays = new Set(dates);
    this.core.refreshSchedules(now, true);
  }

  // ---- caller rules (ACD-05, CC-13) ----

  setCallerRules(rules: CallerRules): void {
    this.callerRules = compileCallerRules(rules);
  }

  routeCaller(input: CallerInput): CallerRoute {
    return routeCaller(this.callerRules, input);
  }

  // ---- queues (ACD-04/06) ----

  /**
   * Queue a call or work item. FIFO within priority (higher first). With `preferredAgentId` the
   * call waits for that agent until `preferredUntil` (default `stickySeconds`), then any member.
   * Re-enqueueing a queued call id starts it over as a new arrival.
   */
  enqueue(
    callId: string,
    group: string,
    priority: number,
    now: number,
    options: EnqueueOptions = {},
  ): QueuedCall {
    const old = this.core.queued.get(callId);
    if (old) this.core.removeCall(old);
    const call: QueuedCall = {
      callId,
      group,
      priority,
      enqueuedAt: now,
      seq: this.core.seq++,
      channel: options.channel ?? 'voice',
      groupEnteredAt: now,
      path: [group],
    };
    if (options.preferredAgentId !== undefined) {
      call.preferredAgentId = options.preferredAgentId;
      call.preferredUntil = options.preferredUntil ?? now + this.core.stickyMs;
    }
    this.core.insertCall(call);
    return call;
  }

  /**
   * Put a call whose offer failed back where it was: it keeps its arrival order (ACD-06). Agents
   * still reserved for it (other ring-all agents) are released, at `now` when given.
   */
  requeue(call: QueuedCall, now?: number): void {
    if (this.core.queued.has(call.callId)) return;
    // Leftover ring-all agents must not stay reserved for a call that is waiting again.
    const released = withdraw(this.core, call.callId, now);
    for (const change of released) this.core.push('stateChanges', change);
    this.core.insertCall(call);
  }

  queued(callId: string): QueuedCall | undefined {
    return this.core.queued.get(callId);
  }

  remove(callId: string): QueuedCall | undefined {
    const call = this.core.queued.get(callId);
    if (call) this.core.removeCall(call);
    return call;
  }

  /** 1-based place in the call's group queue. */
  position(callId: string): number | null {
    const call = this.core.queued.get(callId);
    return call ? this.core.group(call.group).queue.indexOf(call) + 1 : null;
  }

  queueLength(group: string): number {
    return this.core.groups.get(group)?.queue.size ?? 0;
  }

  /** The group's `maxQueue` is reached: the caller should offer voicemail/callback instead. */
  queueFull(group: string): boolean {
    const max = this.core.groups.get(group)?.config.maxQueue ?? null;
    return max !== null && this.queueLength(group) >= max;
  }

  waitingCalls(group: string): readonly QueuedCall[] {
    return this.core.groups.get(group)?.queue.all() ?? [];
  }

  /** New priority while waiting; arrival order is kept within the new priority. */
  changePriority(callId: string, priority: number, _now?: number): boolean {
    const call = this.core.queued.get(callId);
    if (!call) return false;
    const q = this.core.group(call.group).queue;
    q.remove(call);
    call.priority = priority;
    q.insert(call);
    return true;
  }

  /** Apply due timers, then match waiting calls to free agents; overflow by condition, match again. */
  distribute(now: number): Offer[] {
    advance(this.core, now);
    const offers: Offer[] = [];
    match(this.core, now, offers);
    if (applyConditions(this.core, now) > 0) match(this.core, now, offers);
    return offers;
  }

  /** Apply due timers and condition overflow; return everything that happened since the last tick. */
  tick(now: number): TickResult {
    advance(this.core, now);
    applyConditions(this.core, now);
    return this.core.takeEvents();
  }

  // ---- estimates and statistics (ACD-06/07) ----

  /** Seconds until an agent is likely free for this caller; null when no agent serves the group. */
  estimateWait(callId: string, _now?: number): number | null {
    const call = this.core.queued.get(callId);
    if (!call) return null;
    const g = this.core.group(call.group);
    return estimateWaitSeconds({
      position: g.queue.indexOf(call) + 1,
      free: g.freeCount(call.channel ?? 'voice'),
      serving: g.serving,
      ahtSeconds: g.handleTimes.mean() ?? g.config.defaultHandleSeconds,
    });
  }

  recordHandled(group: string, talkSec: number, wrapSec: number): void {
    this.core.group(group).handleTimes.record(talkSec + wrapSec);
  }

  recordAnswered(group: string, waitSec: number): void {
    const g = this.core.group(group);
    g.stats.recordAnswered(waitSec, g.config.slSeconds);
  }

  recordAbandoned(group: string, waitSec: number): void {
    const g = this.core.group(group);
    g.stats.recordAbandoned(waitSec, g.config.shortAbandonSeconds);
  }

  serviceLevel(group: string, now?: number): ServiceLevelReport {
    const g = this.core.group(group);
    let oldest = Infinity;
    for (const c of g.queue.all()) oldest = Math.min(oldest, c.enqueuedAt);
    const longest = now !== undefined && oldest !== Infinity ? Math.max(0, now - oldest) / 1000 : null;
    return g.stats.report(group, g.config.slSeconds, g.queue.size, longest);
  }

  /** Start a new accounting period (e.g. at midnight) for one group or all. */
  resetStats(group?: string): void {
    for (const g of this.core.groups.values())
      if (group === undefined || g.config.name === group) g.stats.reset();
  }

  private need(agentId: string): AgentEntry {
    const a = this.core.agents.get(agentId);
    if (!a) throw new Error(`unknown agent ${agentId}`);
    return a;
  }
}
