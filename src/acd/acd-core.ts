/**
 * The engine's shared state and the few operations everything else is built from: changing an
 * agent's state (validated, accounted, re-indexed), filing calls into group queues, group
 * membership with schedules, and the outbox of what happened for `tick()`. Routing
 * (router.ts) and overflow (overflow.ts) work on this; acd-engine.ts is the public face.
 *
 * Invariant kept here: an agent is in a group's free pool for a channel exactly when
 * `availableFor` says so and its membership is on duty; every change goes through `reindex`.
 */
import type { Channel, QueuedCall, StateChange, TickResult } from './acd-types.ts';
import {
  availableFor,
  closeInterval,
  emptySlots,
  type AgentEntry,
  type Membership,
  type MembershipInput,
} from './agent-record.ts';
import { transition, type AgentState } from './agent-state.ts';
import { defaultGroup, maxLevelAfter, type GroupConfig } from './group-config.ts';
import { GroupRuntime } from './group-runtime.ts';
import { seededRng, type Rng } from './rng.ts';
import { compileSchedule, defaultTimeZone, isOnDuty, localTime, minutesToNextBoundary } from './schedule.ts';
import { TimerQueue } from './timer-queue.ts';

export interface AcdEngineOptions {
  /** Seed of the RNG used by random strategies (default 1). Ignored when `rng` is given. */
  seed?: number;
  rng?: Rng;
  /** Consecutive unanswered offers before the agent is paused with reason `no_answer` (default 2). */
  maxMissedOffers?: number;
  /** May an agent holding chats/e-mails be offered a call? (default false; per agent overridable) */
  voiceWithOtherWork?: boolean;
  /** Time zone of schedules that name none (default Asia/Shanghai). */
  timeZone?: string;
  /** Company holiday calendar, local dates "YYYY-MM-DD": scheduled memberships are off. */
  holidays?: readonly string[];
  /** Sticky-agent wait when `preferredUntil` is not given, seconds (default 20). */
  stickySeconds?: number;
  /** Handle times kept per group for the wait estimate (default 50). */
  handleTimeWindow?: number;
  /** End after-call work at its deadline on `tick()`/`distribute()` (default false: the caller does). */
  autoEndWrapUp?: boolean;
  /** Cap of each outbox list between two `tick()` calls (default 10,000; oldest dropped). */
  eventLimit?: number;
}

export interface PendingOffer {
  call: QueuedCall;
  group: string;
  agentIds: Set<string>;
  progressive: boolean;
}

export function emptyTick(): TickResult {
  return { overflowed: [], escalated: [], membership: [], stateChanges: [] };
}

export class AcdCore {
  readonly rng: Rng;
  readonly maxMissed: number;
  readonly voiceWithOtherWork: boolean;
  readonly timeZone: string;
  readonly stickyMs: number;
  readonly autoEndWrapUp: boolean;
  private readonly handleWindow: number;
  private readonly eventLimit: number;

  readonly agents = new Map<string, AgentEntry>();
  readonly byExtension = new Map<string, AgentEntry>();
  readonly groups = new Map<string, GroupRuntime>();
  /** Every queued call by id, and the groups whose queue is not empty. */
  readonly queued = new Map<string, QueuedCall>();
  readonly waiting = new Set<GroupRuntime>();
  /** Queued calls still reserved for their preferred agent (CC-13). */
  readonly sticky = new Map<string, QueuedCall>();
  readonly pending = new Map<string, PendingOffer>();
  /** Non-voice items held by agents: call id → agent id. */
  readonly itemHolders = new Map<string, string>();
  readonly timers = new TimerQueue();
  readonly progressiveDue: string[] = [];
  /** Highest escalation step already reported per call, keyed by group entry. */
  readonly escalationSeen = new WeakMap<QueuedCall, { key: string; steps: number }>();
  events: TickResult = emptyTick();
  holidays: ReadonlySet<string>;
  seq = 0;
  private positionSeq = 0;
  private readonly scheduled = new Set<Membership>();
  private nextScheduleCheck = Infinity;
  private lastScheduleCheck = -Infinity;

  constructor(o: AcdEngineOptions = {}) {
    this.rng = o.rng ?? seededRng(o.seed ?? 1);
    this.maxMissed = Math.max(1, o.maxMissedOffers ?? 2);
    this.voiceWithOtherWork = o.voiceWithOtherWork ?? false;
    this.timeZone = o.timeZone ?? defaultTimeZone;
    this.holidays = new Set(o.holidays ?? []);
    this.stickyMs = (o.stickySeconds ?? 20) * 1000;
    this.handleWindow = o.handleTimeWindow ?? 50;
    this.autoEndWrapUp = o.autoEndWrapUp ?? false;
    this.eventLimit = o.eventLimit ?? 10_000;
  }

  push<K extends keyof TickResult>(list: K, event: TickResult[K][number]): void {
    const l = this.events[list] as TickResult[K][number][];
    l.push(event);
    if (l.length > this.eventLimit) l.shift();
  }

  takeEvents(): TickResult {
    const e = this.events;
    this.events = emptyTick();
    return e;
  }

  // ---- groups ----

  /** The group's runtime; a group nobody configured is created on first use with defaults. */
  group(name: string, config?: GroupConfig): GroupRuntime {
    let g = this.groups.get(name);
    if (!g) {
      g = new GroupRuntime(config ?? defaultGroup(name), (m, ch) => this.isFree(m, ch), this.handleWindow);
      this.groups.set(name, g);
    } else if (config) g.configure(config);
    return g;
  }

  isFree(m: Membership, channel: Channel): boolean {
    return m.onDuty && availableFor(m.agent, channel, this.voiceWithOtherWork);
  }

  // ---- agents ----

  reindex(a: AgentEntry): void {
    for (const m of a.memberships.values()) m.home.place(m);
  }

  /**
   * The one way an agent's state changes (ACD-01): validate, account the interval that ends,
   * resolve the offer the agent was reserved for, re-index. Siblings released because another
   * agent answered go to `out` when given, else to the outbox.
   */
  setState(
    a: AgentEntry,
    to: AgentState,
    reason: string | null,
    now: number,
    out?: StateChange[],
  ): StateChange {
    const from = a.state;
    transition(from, to);
    closeInterval(a, now);
    a.state = to;
    a.reason = to === 'not_ready' ? reason : null;
    a.since = now;
    if (to === 'on_call') {
      a.answeredCalls += 1;
      a.missedInRow = 0;
    }
    if (to === 'ready' && (from === 'not_ready' || from === 'logged_out')) a.missedInRow = 0;
    if (to === 'after_call_work') {
      a.wrapUpExtraMs = 0;
      if (this.autoEndWrapUp)
        this.timers.add({ kind: 'wrap_up', due: this.wrapUpDeadline(a), agentId: a.id, since: now });
    }
    if (from === 'reserved') this.leaveReservation(a, to, now, out);
    this.reindex(a);
    return { agentId: a.id, from, to, reason: a.reason, at: now };
  }

  wrapUpDeadline(a: AgentEntry): number {
    const seconds = (a.lastGroup ? this.groups.get(a.lastGroup)?.config.wrapUpSeconds : undefined) ?? 15;
    return a.since + seconds * 1000 + a.wrapUpExtraMs;
  }

  private leaveReservation(a: AgentEntry, to: AgentState, now: number, out?: StateChange[]): void {
    const callId = a.reservedFor;
    a.reservedFor = null;
    const p = callId === null ? undefined : this.pending.get(callId);
    if (!p || callId === null) return;
    p.agentIds.delete(a.id);
    if (to === 'on_call' || p.agentIds.size === 0) this.pending.delete(callId);
    if (to !== 'on_call') return;
    // First to answer wins: the others ringing for this call go back to ready, not counted as missed.
    for (const id of p.agentIds) {
      const s = this.agents.get(id);
      if (s?.state !== 'reserved' || s.reservedFor !== callId) continue;
      const change = this.setState(s, 'ready', null, now);
      if (out) out.push(change);
      else this.push('stateChanges', change);
    }
  }

  /** Replace an agent's memberships; levels, positions and schedules may change in place. */
  setMemberships(a: AgentEntry, inputs: readonly MembershipInput[], now: number): void {
    const wanted = new Map(inputs.map((i) => [i.name, i]));
    for (const [name, m] of a.memberships) {
      if (wanted.has(name)) continue;
      const g = this.group(name);
      g.unplace(m);
      g.members.delete(a.id);
      this.scheduled.delete(m);
      a.memberships.delete(name);
    }
    for (const input of wanted.values()) {
      const g = this.group(input.name);
      let m = a.memberships.get(input.name);
      if (m) g.unplace(m);
      else {
        m = {
          agent: a,
          group: input.name,
          home: g,
          level: input.level,
          position: input.position ?? this.positionSeq++,
          lastOffered: 0,
          schedule: null,
          onDuty: true,
          staffed: false,
          serving: false,
          slots: emptySlots(),
        };
        a.memberships.set(input.name, m);
        g.members.set(a.id, m);
      }
      m.level = input.level;
      if (input.position !== undefined) m.position = input.position;
      m.schedule = input.schedule ? compileSchedule(input.schedule, this.timeZone) : null;
      if (m.schedule) {
        this.scheduled.add(m);
        this.evaluateSchedule(m, now);
      } else {
        this.scheduled.delete(m);
        m.onDuty = true;
      }
      g.place(m);
    }
    a.groups = new Map(inputs.map((i) => [i.name, i.level]));
  }

  dropAgent(a: AgentEntry): void {
    for (const m of a.memberships.values()) {
      const g = this.group(m.group);
      g.unplace(m);
      g.members.delete(a.id);
      this.scheduled.delete(m);
    }
    for (const callId of a.items.keys()) this.itemHolders.delete(callId);
    if (a.reservedFor !== null) {
      const p = this.pending.get(a.reservedFor);
      p?.agentIds.delete(a.id);
      if (p?.agentIds.size === 0) this.pending.delete(a.reservedFor);
    }
    this.agents.delete(a.id);
    if (this.byExtension.get(a.extension) === a) this.byExtension.delete(a.extension);
  }

  // ---- schedules (ACD-03) ----

  private evaluateSchedule(m: Membership, now: number): number {
    const s = m.schedule;
    if (!s) return Infinity;
    const local = localTime(now, s.timeZone);
    m.onDuty = isOnDuty(s, local, this.holidays);
    // Re-check at the next window edge, at least hourly (a DST shift moves edges by up to an hour).
    const next = Math.floor(now / 60_000) * 60_000 + Math.min(60, minutesToNextBoundary(s, local)) * 60_000;
    this.nextScheduleCheck = Math.min(this.nextScheduleCheck, next);
    return next;
  }

  /** Switch memberships on and off as their windows open and close; cheap until an edge is due. */
  refreshSchedules(now: number, force = false): void {
    if (!force && now < this.nextScheduleCheck && now >= this.lastScheduleCheck) return;
    this.lastScheduleCheck = now;
    this.nextScheduleCheck = Infinity;
    for (const m of this.scheduled) {
      const was = m.onDuty;
      this.evaluateSchedule(m, now);
      if (m.onDuty === was) continue;
      this.group(m.group).place(m);
      this.push('membership', { agentId: m.agent.id, group: m.group, active: m.onDuty, at: now });
    }
  }

  // ---- queues ----

  /** File a call into its group's queue (new, requeued or overflowed) and arm its timers. */
  insertCall(call: QueuedCall): void {
    const g = this.group(call.group);
    g.queue.insert(call);
    g.poolsFor(call.channel ?? 'voice');
    this.queued.set(call.callId, call);
    this.waiting.add(g);
    this.armTimers(call, g.config);
    if (call.preferredAgentId !== undefined && (call.preferredUntil ?? Infinity) > call.enqueuedAt)
      this.sticky.set(call.callId, call);
  }

  /**
   * Timers for the group's escalation steps and wait-threshold overflow. Also called for calls
   * already waiting when their group is reconfigured; duplicates are harmless (see overflow.ts).
   */
  armTimers(call: QueuedCall, config: GroupConfig): void {
    const enteredAt = call.groupEnteredAt ?? call.enqueuedAt;
    const { callId, group } = call;
    for (const s of config.escalation) {
      this.timers.add({ kind: 'escalate', due: enteredAt + s.afterSeconds * 1000, callId, group, enteredAt });
    }
    config.overflow.forEach((r, rule) => {
      if (r.when !== 'wait_exceeds' || r.threshold === null || r.threshold === undefined) return;
      const due = enteredAt + r.threshold * 1000;
      this.timers.add({ kind: 'wait_overflow', due, callId, group, enteredAt, rule });
    });
  }

  /** Take a call out of its queue (offered, overflowed, abandoned). */
  removeCall(call: QueuedCall): boolean {
    if (this.queued.get(call.callId) !== call) return false;
    const g = this.group(call.group);
    g.queue.remove(call);
    this.queued.delete(call.callId);
    this.sticky.delete(call.callId);
    if (g.queue.size === 0) this.waiting.delete(g);
    return true;
  }

  /** Highest level `call` may be offered to now (penalty-style escalation, ACD-04). */
  maxLevel(call: QueuedCall, now: number): number {
    const g = this.group(call.group);
    return maxLevelAfter(g.config, now - (call.groupEnteredAt ?? call.enqueuedAt));
  }
}
