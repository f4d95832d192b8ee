/**
 * The running contact center: owns the ACD engine, the live call sessions and the agents' states,
 * and is the switch's delegate. It implements the agent desk used by the API and CTI.
 */
import { join } from 'node:path';
import {
  AcdEngine,
  type AgentRequestableState,
  type EscalationStep,
  type OverflowRule,
} from '../acd/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { CustomerService } from '../crm/index.ts';
import type { AgentRow, AgentStateView, CtiHub, QueueMetrics } from '../cti/index.ts';
import type { IvrDataSource } from '../ivr/index.ts';
import type {
  AgentRecord,
  DirectoryRepository,
  RoutingRules,
  RoutingRulesRepository,
  SkillGroupRecord,
} from '../directory/index.ts';
import { AppError, type Clock, type Logger } from '../shared/index.ts';
import type { Db } from '../store/index.ts';
import type { CallLeg, CallSwitch, SwitchDelegate } from '../telephony/call-leg.ts';
import { shippedPromptsDir, type SpeechRecognizer, type TextToSpeech } from '../telephony/speech/index.ts';
import type { CallContext, CallerFacts } from './call-context.ts';
import { CallSession } from './call-session.ts';
import { agentStateTotals, type AgentStateTotals } from './agent-state-report.ts';
import { CdrRepository } from './cdr.repository.ts';
import { AgentStates } from './agent-states.ts';
import { Blacklist } from './blacklist.ts';
import { DialPolicyStore, dialRoleOf, type DialRole } from './dial-policy.ts';
import type { CallFloor, DialTarget, PartyView } from './call-floor.ts';
import { NumberPlanStore } from './number-plan.ts';
import { RecordingPolicyStore, repairStreamedWav } from './recording-policy.ts';
import { OutboundDialer } from './outbound-dialer.ts';
import { InternalCalls } from './internal-calls.ts';
import { TransferTargets } from './transfer-targets.ts';
import { featureCodeOf, runFeatureCode, type FeatureCodeDeps } from './feature-codes.ts';
import { WorkItemRouter } from './work-item-router.ts';
import { buildQueueMetrics, startOfChinaDay } from './queue-metrics.ts';
import type { IvrServices } from './ivr-services.ts';

export interface LiveCallView {
  callId: string;
  caller: string;
  customerName: string | null;
  group: string | null;
  agentId: string | null;
  agentExtension: string | null;
  parties: PartyView[];
}

export interface WaitingCallView {
  callId: string;
  caller: string;
  customerName: string | null;
  group: string;
  /** `queued` on the line, or a callback request (`callback_waiting`, `callback_agent`, …). */
  state: string;
  /** Null while an agent is being offered the call (it is out of the queue then). */
  priority: number | null;
  position: number | null;
  waitedSec: number;
  ewtSec: number | null;
}

export interface ContactCenterOptions {
  db: Db;
  directory: DirectoryRepository;
  routingRules: RoutingRulesRepository;
  customers: CustomerService;
  cti: CtiHub;
  tts: TextToSpeech;
  /** Recognises spoken digits in IVR asr nodes (IVR-04); absent: callers are asked for keys. */
  asr?: SpeechRecognizer;
  /** Answers IVR lookup nodes (IVR-02); absent: every lookup takes its notFound branch. */
  ivrData?: IvrDataSource;
  /** Voicemail, messages, webhooks and the customer timeline for the IVR (issue #5). */
  ivrServices?: IvrServices;
  logger: Logger;
  clock: Clock;
  recordingsDir: string;
  /** Offer queued callback (needs a trunk for outside numbers). */
  callbackEnabled?: boolean | (() => boolean);
  /** The audit trail, for supervisor actions taken from a phone (feature codes). */
  audit?: Pick<AuditLog, 'record'>;
  /** Attempts to reach the customer and the pause between them (default 3, 60 s). */
  callback?: { attempts: number; retrySeconds: number };
}

export class ContactCenter implements SwitchDelegate {
  readonly acd = new AcdEngine();
  readonly cdrs: CdrRepository;
  /** Chats, e-mails, SMS and tasks routed by the same engine (ACD-08). */
  readonly work: WorkItemRouter;
  /** Callers refused before the IVR (CC-08). */
  readonly blacklist: Blacklist;
  readonly dialPolicy: DialPolicyStore;
  readonly numberPlan: NumberPlanStore;
  readonly recordingPolicy: RecordingPolicyStore;
  private maintenanceTimer: NodeJS.Timeout | null = null;
  /** Calls agents placed themselves (click-to-dial). */
  private readonly dialer: OutboundDialer;
  /** Colleagues' phones calling each other (CC-07), e.g. to consult before a transfer (CC-03). */
  private readonly internalCalls: InternalCalls;
  private readonly targets: TransferTargets;
  private readonly sessions = new Map<string, CallSession>();
  private readonly agents = new Map<string, AgentRecord>();
  private readonly agentsByUser = new Map<string, string>();
  private groups = new Map<string, SkillGroupRecord>();
  private sticky: RoutingRules['sticky'] = { enabled: true, windowHours: 24, fallbackSeconds: 20 };
  private readonly states: AgentStates;
  private sw: CallSwitch | null = null;
  private metricsTimer: NodeJS.Timeout | null = null;
  private acdTimer: NodeJS.Timeout | null = null;
  private readonly ctx: CallContext;

  constructor(private readonly o: ContactCenterOptions) {
    this.cdrs = new CdrRepository(o.db);
    this.states = new AgentStates({
      acd: this.acd,
      db: o.db,
      cti: o.cti,
      clock: o.clock,
      logger: o.logger,
      wrapUpSeconds: (group) => this.groups.get(group)?.wrapUpSeconds,
      distribute: () => this.distribute(),
    });
    this.blacklist = new Blacklist(o.db, o.clock);
    this.dialPolicy = new DialPolicyStore(o.db);
    this.numberPlan = new NumberPlanStore(o.db);
    this.recordingPolicy = new RecordingPolicyStore(o.db);
    this.work = new WorkItemRouter({
      db: o.db,
      acd: this.acd,
      cti: o.cti,
      clock: o.clock,
      logger: o.logger.child({ mod: 'work' }),
      offerTimeoutSec: (queue) => this.groups.get(queue)?.ringTimeoutSeconds ?? 20,
      queueExists: (queue) => this.groups.has(queue),
      distribute: () => this.distribute(),
      applied: (change) => this.states.applied(change),
    });
    const requireSwitch = () => this.requireSwitch();
    this.ctx = {
      logger: o.logger.child({ mod: 'calls' }),
      clock: o.clock,
      cdrs: this.cdrs,
      customers: o.customers,
      directory: o.directory,
      cti: o.cti,
      tts: o.tts,
      asr: o.asr,
      ivrData: o.ivrData,
      ivrServices: o.ivrServices,
      // A getter, so sessions use the switch attached after construction (attachSwitch).
      get switch(): CallSwitch {
        return requireSwitch();
      },
      recordingsDir: o.recordingsDir,
      holdMusic: join(shippedPromptsDir, 'hold-music.wav'),
      announceIntervalMs: 30_000,
      // Asked at each call: a trunk or route added later enables callbacks without a restart.
      get callbackEnabled(): boolean {
        const c = o.callbackEnabled;
        return typeof c === 'function' ? c() : (c ?? false);
      },
      callbackAttempts: o.callback?.attempts ?? 3,
      callbackRetryMs: (o.callback?.retrySeconds ?? 60) * 1000,
      internalCaller: (fromUser, e164) =>
        this.numberPlan.classify(fromUser, e164, (ext) => {
          const id = this.acd.agentByExtension(ext)?.id;
          return id ? this.agents.get(id) : undefined;
        }),
      blocked: (e164, raw) => this.blacklist.match(e164, raw),
      recordBlocked: (id) =>
        void this.blacklist
          .recordBlocked(id)
          .catch((err: unknown) => o.logger.warn({ err }, 'blacklist counter update failed')),
      queueStatus: (callId) => ({
        position: this.acd.position(callId),
        ewtSec: this.acd.estimateWait(callId, o.clock.now()),
      }),
      groupConfig: (name) => this.groups.get(name),
      agentRecord: (id) => this.agents.get(id),
      recordingPolicy: (agentId, group, direction) =>
        this.recordingPolicy.decide(agentId, group, direction).record,
      enqueue: (session, group, priority, caller) => void this.enqueue(session, group, priority, caller),
      requeue: (call) => {
        this.acd.requeue(call, o.clock.now());
        this.distribute();
      },
      dequeue: (callId, group, waitSec) => {
        this.acd.withdrawOffer(callId, o.clock.now()).forEach((c) => this.states.applied(c));
        if (this.acd.remove(callId) !== undefined || waitSec !== null) {
          if (group && waitSec !== null && this.acd.group(group)) this.acd.recordAbandoned(group, waitSec);
        }
      },
      offerMissed: (agentId, callId) => {
        const change = this.acd.offerMissed(agentId, o.clock.now(), callId);
        if (change) this.states.applied(change);
        this.distribute();
      },
      offerWithdrawn: (callId) => {
        this.acd.withdrawOffer(callId, o.clock.now()).forEach((c) => this.states.applied(c));
        this.distribute();
      },
      agentAnswered: (agentId, callId, group, waitSec) => {
        this.acd.offerAnswered(agentId, o.clock.now(), callId).forEach((c) => this.states.applied(c));
        if (waitSec !== null && this.acd.group(group)) this.acd.recordAnswered(group, waitSec);
      },
      callerConnected: (group, waitSec) => {
        if (this.acd.group(group)) this.acd.recordAnswered(group, waitSec);
      },
      agentCallEnded: (agentId, group, talkSec) => {
        if (group && talkSec !== null && this.acd.group(group)) {
          this.acd.recordHandled(group, talkSec, this.groups.get(group)?.wrapUpSeconds ?? 0);
        }
        this.states.startWrapUp(agentId, group);
      },
      sessionEnded: (session) => {
        this.sessions.delete(session.callId);
      },
      agentJoined: (agentId) => {
        const a = this.acd.agent(agentId);
        if (a && a.state !== 'on_call') this.states.system(agentId, 'on_call', null);
      },
      resolveTransfer: (callId, agentId, target) => {
        const colleague = this.acd.agentByExtension(target);
        const role = this.agents.get(agentId)?.role ?? 'agent';
        return this.resolveTarget(
          dialRoleOf(role),
          callId,
          colleague ? { agentId: colleague.id } : { number: target },
        );
      },
      resolveReplaces: (agentId, replaces) => {
        const extension = this.agents.get(agentId)?.extension;
        return extension ? this.internalCalls.handover(extension, replaces) : null;
      },
      agentUnreached: (agentId) => {
        if (this.acd.agent(agentId)?.state === 'reserved') this.states.system(agentId, 'ready', null);
      },
    };
    this.dialer = new OutboundDialer({
      acd: this.acd,
      states: this.states,
      ctx: this.ctx,
      directory: o.directory,
      customers: o.customers,
      dialPolicy: this.dialPolicy,
      isRegistered: (ext) => this.sw?.isRegistered(ext) ?? false,
      logger: o.logger,
    });
    this.targets = new TransferTargets({
      acd: this.acd,
      states: this.states,
      directory: o.directory,
      dialPolicy: this.dialPolicy,
      agent: (id) => this.agents.get(id),
      group: (name) => this.groups.get(name),
      call: (callId) => this.sessions.get(callId),
      isRegistered: (ext) => this.sw?.isRegistered(ext) ?? false,
    });
    this.internalCalls = new InternalCalls({
      acd: this.acd,
      states: this.states,
      switch: requireSwitch,
      agentRecord: (id) => this.agents.get(id),
      ctx: this.ctx,
      logger: o.logger.child({ mod: 'internal' }),
    });
  }

  /** Load agents and groups from the directory; called at start and after admin changes. */
  async load(): Promise<void> {
    await this.applyConfig();
    await this.blacklist.load();
    await this.numberPlan.load();
    await this.recordingPolicy.load();
    await this.work.restore();
    const closed = await this.cdrs.closeDangling(new Date(this.o.clock.now()));
    if (closed.length > 0)
      this.o.logger.warn({ closed: closed.length }, 'closed call records left open by an earlier stop');
    // CC-10: recordings cut off by the crash become valid WAV files of what was captured.
    for (const c of closed) {
      if (!c.recordingPath) continue;
      const ms = await repairStreamedWav(join(this.o.recordingsDir, c.recordingPath)).catch(() => null);
      if (ms !== null) await this.cdrs.endAtRecordingEnd(c.id, ms);
    }
  }

  /** Re-read groups and memberships after an administrator's change; live calls keep going. */
  async reload(): Promise<void> {
    await this.applyConfig();
    this.distribute();
  }

  /** Push the directory's groups and memberships into the engine (ACD-02, ACD-03, ACD-04). */
  private async applyConfig(): Promise<void> {
    const now = this.o.clock.now();
    const groups = await this.o.directory.skillGroups();
    for (const g of groups) {
      try {
        this.acd.upsertGroup({
          name: g.name,
          strategy: g.strategy,
          weight: g.weight,
          wrapUpSeconds: g.wrapUpSeconds,
          ringTimeoutSeconds: g.ringTimeoutSeconds,
          slSeconds: g.slSeconds,
          shortAbandonSeconds: g.shortAbandonSeconds,
          maxQueue: g.maxQueue,
          overflow: g.overflow as OverflowRule[],
          escalation: g.escalation as EscalationStep[],
        });
      } catch (err) {
        this.o.logger.error({ err, group: g.name }, 'skill group configuration rejected by the ACD');
      }
    }
    for (const stale of this.acd.groups()) {
      if (!groups.some((g) => g.name === stale.name)) this.acd.removeGroup(stale.name);
    }
    this.groups = new Map(groups.map((g) => [g.name, g]));
    const rules = await this.o.routingRules.rules();
    this.acd.setCallerRules({
      vipLists: rules.vipLists.map((l) => ({ ...l, group: l.group ?? undefined })),
      tiers: rules.tiers.map((t) => ({ ...t, group: t.group ?? undefined })),
      prefixes: rules.prefixes.map((p) => ({
        prefix: p.prefix,
        group: p.group ?? undefined,
        priority: p.priority ?? undefined,
      })),
    });
    this.sticky = rules.sticky;
    this.acd.setHolidays(
      (await this.o.routingRules.holidays()).map((h) => h.date),
      now,
    );
    for (const a of await this.o.directory.agents()) {
      this.agents.set(a.id, a);
      this.agentsByUser.set(a.userId, a.id);
      const memberships = a.groups.map((m) => ({
        name: m.name,
        level: m.level,
        schedule: m.schedule ? { windows: m.schedule } : null,
      }));
      this.acd.addAgent(
        { id: a.id, extension: a.extension, groups: memberships, capacity: a.capacity ?? undefined },
        now,
      );
    }
  }

  private async enqueue(
    session: CallSession,
    group: string,
    priority: number,
    caller: CallerFacts,
  ): Promise<void> {
    // ACD-05 / CC-13: VIP lists, tiers and prefixes raise the priority or pick the group; a caller
    // served within the sticky window is offered first to the same agent for a while (not once an
    // agent answered this call). Colleagues (CC-07) and calls transferred to a group (CC-02) are
    // not subject to caller rules or the sticky agent.
    const plain = caller.internal === true || caller.transferred === true;
    const route = plain
      ? { group, priority: 0, matched: [] }
      : this.acd.routeCaller({ callerE164: caller.e164, tier: caller.tier, dnisGroup: group });
    const target = this.groups.has(route.group) ? route.group : group;
    const { enabled, windowHours, fallbackSeconds } = this.sticky;
    const since = new Date(this.o.clock.now() - windowHours * 3600 * 1000);
    const preferred =
      enabled && caller.e164 && !plain && caller.sticky !== false
        ? await this.cdrs.lastAgentFor(caller.e164, since).catch(() => null)
        : null;
    if (!session.waitingIn) return;
    if (target !== group || route.matched.length > 0) session.routed(target, route.matched);
    const now = this.o.clock.now();
    this.acd.enqueue(
      session.callId,
      target,
      priority + route.priority,
      now,
      preferred ? { preferredAgentId: preferred, preferredUntil: now + fallbackSeconds * 1000 } : {},
    );
    this.distribute();
  }

  /** Once a second: overflow, escalation, schedule changes and sticky fallbacks (ACD-03, ACD-04). */
  startAcdClock(intervalMs = 1000): void {
    if (this.acdTimer) return;
    this.acdTimer = setInterval(() => {
      const result = this.acd.tick(this.o.clock.now());
      for (const change of result.stateChanges) this.states.applied(change);
      for (const moved of result.overflowed) this.sessions.get(moved.callId)?.overflowedTo(moved.to);
      this.distribute();
    }, intervalMs);
    this.acdTimer.unref();
  }

  agentRows(): AgentRow[] {
    return [...this.agents.values()].map((a) => {
      const onDuty = new Set(this.acd.activeGroups(a.id));
      return {
        ...this.state(a.id),
        displayName: a.displayName,
        groups: a.groups.map((g) => ({ name: g.name, level: g.level, onDuty: onDuty.has(g.name) })),
        capacity: { ...this.acd.capacity(a.id) },
      };
    });
  }

  /** Calls waiting for an agent, in queue order per group (ACD-06), for the supervisor's queue view. */
  waitingCalls(): WaitingCallView[] {
    const now = this.o.clock.now();
    const rows: WaitingCallView[] = [];
    for (const s of this.sessions.values()) {
      const waiting = s.waitingIn;
      if (!waiting) continue;
      const queued = this.acd.queued(s.callId);
      const who = s.callerSummary;
      rows.push({
        callId: s.callId,
        caller: who.number,
        customerName: who.customerName,
        group: waiting.group,
        state: who.state,
        priority: queued?.priority ?? null,
        position: this.acd.position(s.callId),
        waitedSec: Math.max(0, Math.round((now - waiting.queuedAt) / 1000)),
        ewtSec: this.acd.estimateWait(s.callId, now),
      });
    }
    return rows.sort(
      (a, b) => a.group.localeCompare(b.group) || (a.position ?? Infinity) - (b.position ?? Infinity),
    );
  }

  /** ACD-06: a supervisor moves a waiting call up or down; arrival order holds within a priority. */
  changePriority(callId: string, priority: number): WaitingCallView {
    if (!this.acd.changePriority(callId, priority, this.o.clock.now()))
      throw new AppError('not_found', 'no such call waiting in a queue');
    this.distribute();
    const row = this.waitingCalls().find((c) => c.callId === callId);
    if (!row) throw new AppError('invalid_state', 'the call left the queue');
    return row;
  }

  /** Time per state and not-ready reason for every agent over [from, to) (ACD-01 reports). */
  async agentStateReport(
    from: Date,
    to: Date,
  ): Promise<(AgentStateTotals & { extension: string; displayName: string })[]> {
    const totals = new Map(
      (await agentStateTotals(this.o.db, from, to, new Date(this.o.clock.now()))).map((t) => [t.agentId, t]),
    );
    return [...this.agents.values()]
      .sort((a, b) => a.extension.localeCompare(b.extension))
      .map((a) => ({
        ...(totals.get(a.id) ?? {
          agentId: a.id,
          states: {},
          notReadyReasons: {},
          loggedInSec: 0,
          occupancy: null,
        }),
        extension: a.extension,
        displayName: a.displayName,
      }));
  }

  async metrics(): Promise<QueueMetrics> {
    const now = this.o.clock.now();
    const groups = [...this.groups.values()];
    const totals = await this.cdrs.queueTotals(startOfChinaDay(now));
    const waiting = [...this.sessions.values()].flatMap((s) => (s.waitingIn ? [s.waitingIn] : []));
    const ewt = (group: string) => {
      const calls = this.acd.waitingCalls(group);
      const last = calls[calls.length - 1];
      return last ? this.acd.estimateWait(last.callId, now) : null;
    };
    return buildQueueMetrics({ now, groups, agents: this.agentRows(), waiting, totals, ewt });
  }

  /** Push queue metrics to supervisor views every `intervalMs` while anyone listens (CC-15). */
  startMetricsFeed(intervalMs = 2000): void {
    if (this.metricsTimer) return;
    let busy = false;
    this.metricsTimer = setInterval(() => {
      if (busy || this.o.cti.subscriberCount === 0) return;
      busy = true;
      this.metrics()
        .then((m) => this.o.cti.publish('queue.metrics', m, { agentId: null }))
        .catch((err: unknown) => this.o.logger.warn({ err }, 'queue metrics failed'))
        .finally(() => (busy = false));
    }, intervalMs);
    this.metricsTimer.unref();
  }

  attachSwitch(sw: CallSwitch): void {
    this.sw = sw;
    for (const a of this.agents.values()) this.acd.setReachable(a.id, sw.isRegistered(a.extension));
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  // ---- SwitchDelegate ----

  onInboundCall(leg: CallLeg): void {
    const code = featureCodeOf(leg);
    if (code) {
      const deps: FeatureCodeDeps = {
        byExtension: (ext) => [...this.agents.values()].find((a) => a.extension === ext),
        isRegistered: (ext) => this.sw?.isRegistered(ext) ?? false,
        callOwnedBy: (ext) => {
          const agentId = this.acd.agentByExtension(ext)?.id;
          const owns = (s: CallSession) => s.state === 'bridged' && s.control.owner === agentId;
          return agentId === undefined ? undefined : [...this.sessions.values()].find(owns);
        },
        audit: this.o.audit,
        logger: this.o.logger,
      };
      void runFeatureCode(deps, leg, code).catch((err: unknown) => {
        this.o.logger.warn({ err }, 'feature code failed');
        void leg.reject(500, 'Server Internal Error').catch(() => undefined);
      });
      return;
    }
    if (this.internalCalls.accept(leg)) return;
    const session = new CallSession(leg, this.ctx);
    this.sessions.set(leg.callId, session);
    session.run().catch((err: unknown) => {
      this.o.logger.error({ err, call: leg.callId }, 'call session failed');
      void session.end('system', 'failed');
    });
  }

  onRegistrationChange(user: string, registered: boolean): void {
    const agent = this.acd.agentByExtension(user);
    if (!agent) return;
    this.acd.setReachable(agent.id, registered);
    this.states.publish(agent.id);
    if (registered) this.distribute();
  }

  // ---- AgentDesk ----

  agentIdForUser(userId: string): string | null {
    return this.agentsByUser.get(userId) ?? null;
  }

  state(agentId: string): AgentStateView {
    return this.states.view(agentId);
  }

  setState(agentId: string, state: AgentRequestableState, reason: string | null): AgentStateView {
    return this.states.request(agentId, state, reason);
  }

  /** ACD-01: the agent needs more time for after-call work (at most 30 minutes in all). */
  extendWrapUp(agentId: string, seconds: number): AgentStateView {
    return this.states.extendWrapUp(agentId, seconds);
  }

  // ---- call control (CC-02…CC-05, CC-11) ----

  /** Channels by what they are doing now (CC-15): in the IVR, waiting, ringing an agent, connected. */
  channelCounts(): {
    ivr: number;
    queued: number;
    offering: number;
    connected: number;
    callbacks: number;
    outbound: number;
  } {
    const counts = {
      ivr: 0,
      queued: 0,
      offering: 0,
      connected: 0,
      callbacks: 0,
      outbound: this.dialer.size,
    };
    for (const s of this.sessions.values()) {
      if (s.state === 'ivr' || s.state === 'offered') counts.ivr++;
      else if (s.state === 'queued') counts.queued++;
      else if (s.state === 'offering') counts.offering++;
      else if (s.state === 'bridged') counts.connected++;
      else if (s.state.startsWith('callback')) counts.callbacks++;
    }
    return counts;
  }

  /** Connected calls with their parties, for the supervisor's pick on the wallboard. */
  liveCalls(): LiveCallView[] {
    const rows: LiveCallView[] = [];
    for (const s of this.sessions.values()) {
      if (s.state !== 'bridged') continue;
      const floor = s.control;
      const who = s.callerSummary;
      const owner = floor.owner;
      rows.push({
        callId: s.callId,
        caller: who.number,
        customerName: who.customerName,
        group: s.queueName,
        agentId: owner,
        agentExtension: owner ? (this.agents.get(owner)?.extension ?? null) : null,
        parties: floor.list(),
      });
    }
    return rows;
  }

  /** The connected call `agentId` is on (as owner or any party). */
  callOf(agentId: string, callId: string): CallFloor {
    const s = this.sessions.get(callId);
    if (!s || s.state !== 'bridged' || !s.control.isOnCall(agentId))
      throw new AppError('not_found', 'no connected call of yours with that id');
    return s.control;
  }

  /** Any connected call, for supervisors. */
  liveCall(callId: string): CallFloor {
    const s = this.sessions.get(callId);
    if (!s || s.state !== 'bridged') throw new AppError('not_found', 'no connected call with that id');
    return s.control;
  }

  /** Where to dial a transfer, conference or consultation target (transfer-targets.ts). */
  resolveTarget(
    byRole: DialRole,
    callId: string,
    target: { agentId: string } | { number: string; dtmf?: string },
  ): Promise<DialTarget> {
    return this.targets.dial(byRole, callId, target);
  }

  /** CC-02: blind transfer of my connected call to a skill group's queue or an IVR flow. */
  async handOff(agentId: string, callId: string, to: { group: string } | { flow: string }): Promise<void> {
    this.callOf(agentId, callId);
    await this.sessions.get(callId)!.handOff(agentId, await this.targets.handOff(to));
  }

  /** A supervisor ends a call (强拆, CC-05). */
  async forceRelease(callId: string, by: string): Promise<void> {
    const s = this.sessions.get(callId);
    if (!s) throw new AppError('not_found', 'no such call');
    await s.forceRelease(by);
  }

  /** A supervisor sets an agent's state (CC-05); not while the agent is on a call. */
  forceState(agentId: string, state: AgentRequestableState, reason: string | null): AgentStateView {
    return this.setState(agentId, state, reason);
  }

  // ---- recordings (CC-10) ----

  /** The agent asks to record their current call (policy "on_demand", or a call not yet recorded). */
  async recordOnDemand(agentId: string, callId: string): Promise<void> {
    const session = this.sessions.get(callId);
    const outbound = this.dialer.get(callId);
    const started =
      session && session.connectedAgent === agentId
        ? await session.record()
        : outbound && outbound.agentId === agentId
          ? await outbound.record()
          : null;
    if (started === null) throw new AppError('not_found', 'no connected call of yours with that id');
    if (!started) throw new AppError('invalid_state', 'the call is already being recorded or cannot be');
  }

  /** CC-10: pause or resume the recording of my connected call (the paused span is silence). */
  async pauseRecording(agentId: string, callId: string, paused: boolean): Promise<void> {
    const session = this.sessions.get(callId);
    if (!session || session.connectedAgent !== agentId)
      throw new AppError('not_found', 'no connected call of yours with that id');
    if (!(await session.pauseRecording(paused)))
      throw new AppError('invalid_state', 'the call is not being recorded');
  }

  /** Apply the retention policy now; the hourly maintenance does the same. */
  async purgeRecordings(): Promise<{ deleted: number; before: string | null }> {
    return this.recordingPolicy.purge(this.o.recordingsDir, new Date(this.o.clock.now()));
  }

  /** Hourly housekeeping: recording retention (CC-10). */
  startMaintenance(
    intervalMs = 3_600_000,
    onPurge?: (r: { deleted: number; before: string | null }) => void,
  ): void {
    if (this.maintenanceTimer) return;
    this.maintenanceTimer = setInterval(() => {
      this.purgeRecordings()
        .then((r) => {
          if (r.deleted > 0) onPurge?.(r);
        })
        .catch((err: unknown) => this.o.logger.error({ err }, 'recording retention failed'));
    }, intervalMs);
    this.maintenanceTimer.unref();
  }

  // ---- outbound (CC-01, CC-14) ----

  /** Click-to-dial: the agent's phone first, then the customer through the trunk. */
  dialOut(
    agentId: string,
    role: DialRole,
    number: string,
    callerId: string | null,
  ): Promise<{ callId: string; number: string; callerId: string }> {
    return this.dialer.dial(agentId, role, number, callerId);
  }

  hangupOutbound(agentId: string, callId: string): Promise<void> {
    return this.dialer.hangup(agentId, callId);
  }

  // ---- internals ----

  private distribute(): void {
    for (const offer of this.acd.distribute(this.o.clock.now())) {
      if (offer.channel !== undefined && offer.channel !== 'voice') {
        this.work.offered(offer);
        continue;
      }
      // ring_all reserves several agents for one call; ring_progressively adds them one by one.
      const ids = offer.followUp ? [offer.agentId] : (offer.agentIds ?? [offer.agentId]);
      for (const id of ids) this.states.changed(id, 'reserved', null);
      const session = this.sessions.get(offer.callId);
      const agents = ids.flatMap((id) => {
        const a = this.agents.get(id);
        return a ? [{ agentId: id, extension: a.extension }] : [];
      });
      if (!session || agents.length === 0) {
        this.acd.withdrawOffer(offer.callId, this.o.clock.now()).forEach((c) => this.states.applied(c));
        continue;
      }
      session.offer(agents, offer.call, offer.followUp === true);
    }
  }

  private requireSwitch(): CallSwitch {
    if (!this.sw) throw new Error('switch not attached');
    return this.sw;
  }

  /** Drain: end every live call (SIGTERM). */
  async shutdown(): Promise<void> {
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    if (this.acdTimer) clearInterval(this.acdTimer);
    if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
    this.states.shutdown();
    this.work.shutdown();
    await this.dialer.hangupAll();
    await this.internalCalls.hangupAll();
    await Promise.allSettled([...this.sessions.values()].map((s) => s.end('system')));
  }
}
