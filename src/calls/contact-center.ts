/**
 * The running contact center: owns the ACD engine, the live call sessions and the agents' states,
 * and is the switch's delegate. It implements the agent desk used by the API and CTI.
 */
import { join } from 'node:path';
import {
  AcdEngine,
  InvalidTransitionError,
  type AgentRequestableState,
  type AgentState,
  type QueuedCall,
} from '../acd/index.ts';
import type { CustomerService } from '../crm/index.ts';
import type { AgentRow, AgentStateView, CtiHub, QueueMetrics } from '../cti/index.ts';
import type { AgentRecord, DirectoryRepository, SkillGroupRecord } from '../directory/index.ts';
import { AppError, type Clock, type Logger } from '../shared/index.ts';
import { newId, tables, type Db } from '../store/index.ts';
import type { CallLeg, CallSwitch, SwitchDelegate } from '../telephony/call-leg.ts';
import { shippedPromptsDir, type TextToSpeech } from '../telephony/speech/index.ts';
import { and, eq, isNull } from 'drizzle-orm';
import type { CallContext } from './call-context.ts';
import { CallSession } from './call-session.ts';
import { CdrRepository } from './cdr.repository.ts';
import { buildQueueMetrics, startOfChinaDay } from './queue-metrics.ts';

export interface ContactCenterOptions {
  db: Db;
  directory: DirectoryRepository;
  customers: CustomerService;
  cti: CtiHub;
  tts: TextToSpeech;
  logger: Logger;
  clock: Clock;
  recordingsDir: string;
}

export class ContactCenter implements SwitchDelegate {
  readonly acd = new AcdEngine();
  readonly cdrs: CdrRepository;
  private readonly sessions = new Map<string, CallSession>();
  private readonly agents = new Map<string, AgentRecord>();
  private readonly agentsByUser = new Map<string, string>();
  private groups = new Map<string, SkillGroupRecord>();
  private readonly wrapUpTimers = new Map<string, NodeJS.Timeout>();
  private sw: CallSwitch | null = null;
  private metricsTimer: NodeJS.Timeout | null = null;
  private readonly ctx: CallContext;

  constructor(private readonly o: ContactCenterOptions) {
    this.cdrs = new CdrRepository(o.db);
    const requireSwitch = () => this.requireSwitch();
    this.ctx = {
      logger: o.logger.child({ mod: 'calls' }),
      clock: o.clock,
      cdrs: this.cdrs,
      customers: o.customers,
      directory: o.directory,
      cti: o.cti,
      tts: o.tts,
      // A getter, so sessions use the switch attached after construction (attachSwitch).
      get switch(): CallSwitch {
        return requireSwitch();
      },
      recordingsDir: o.recordingsDir,
      holdMusic: join(shippedPromptsDir, 'hold-music.wav'),
      announceIntervalMs: 30_000,
      queueStatus: (callId) => ({ position: this.acd.position(callId), ewtSec: null }),
      groupConfig: (name) => this.groups.get(name),
      agentRecord: (id) => this.agents.get(id),
      recordingPolicy: () => true,
      enqueue: (session, group, priority) => {
        this.acd.enqueue(session.callId, group, priority, o.clock.now());
        this.distribute();
      },
      requeue: (call) => {
        this.acd.requeue(call);
        this.distribute();
      },
      dequeue: (callId) => void this.acd.remove(callId),
      offerFailed: (agentId, then) =>
        this.setSystemState(agentId, then, then === 'not_ready' ? 'no_answer' : null),
      agentAnswered: (agentId) => this.setSystemState(agentId, 'on_call', null),
      agentCallEnded: (agentId, group) => this.startWrapUp(agentId, group),
      sessionEnded: (session) => {
        this.sessions.delete(session.callId);
      },
    };
  }

  /** Load agents and groups from the directory; called at start and after admin changes. */
  async load(): Promise<void> {
    const now = this.o.clock.now();
    this.groups = new Map((await this.o.directory.skillGroups()).map((g) => [g.name, g]));
    for (const a of await this.o.directory.agents()) {
      this.agents.set(a.id, a);
      this.agentsByUser.set(a.userId, a.id);
      this.acd.addAgent({ id: a.id, extension: a.extension, groups: a.groups }, now);
    }
    const closed = await this.cdrs.closeDangling(new Date(now));
    if (closed > 0) this.o.logger.warn({ closed }, 'closed call records left open by an earlier stop');
  }

  /** Re-read groups and memberships after an administrator's change; live calls keep going. */
  async reload(): Promise<void> {
    const now = this.o.clock.now();
    this.groups = new Map((await this.o.directory.skillGroups()).map((g) => [g.name, g]));
    for (const a of await this.o.directory.agents()) {
      this.agents.set(a.id, a);
      this.agentsByUser.set(a.userId, a.id);
      this.acd.addAgent({ id: a.id, extension: a.extension, groups: a.groups }, now);
    }
    this.distribute();
  }

  agentRows(): AgentRow[] {
    return [...this.agents.values()].map((a) => ({
      ...this.state(a.id),
      displayName: a.displayName,
      groups: a.groups,
    }));
  }

  async metrics(): Promise<QueueMetrics> {
    const now = this.o.clock.now();
    const groups = [...this.groups.values()];
    const thresholds = new Map(
      groups.map((g) => [g.name, { slSeconds: g.slSeconds, shortAbandonSeconds: g.shortAbandonSeconds }]),
    );
    const totals = await this.cdrs.queueTotals(startOfChinaDay(now), thresholds);
    const waiting = [...this.sessions.values()].flatMap((s) => (s.waitingIn ? [s.waitingIn] : []));
    return buildQueueMetrics({ now, groups, agents: this.agentRows(), waiting, totals, ewt: () => null });
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

  get liveCalls(): number {
    return this.sessions.size;
  }

  // ---- SwitchDelegate ----

  onInboundCall(leg: CallLeg): void {
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
    this.publishState(agent.id);
    if (registered) this.distribute();
  }

  // ---- AgentDesk ----

  agentIdForUser(userId: string): string | null {
    return this.agentsByUser.get(userId) ?? null;
  }

  state(agentId: string): AgentStateView {
    const a = this.acd.agent(agentId);
    if (!a) throw new AppError('not_found', 'agent not found');
    return {
      agentId: a.id,
      extension: a.extension,
      state: a.state,
      reason: a.reason,
      since: new Date(a.since).toISOString(),
      registered: a.reachable,
    };
  }

  setState(agentId: string, state: AgentRequestableState, reason: string | null): AgentStateView {
    const a = this.acd.agent(agentId);
    if (!a) throw new AppError('not_found', 'agent not found');
    if (a.state === state && state !== 'not_ready') return this.state(agentId);
    if (a.state === 'reserved' || a.state === 'on_call') {
      throw new AppError('invalid_state', `cannot change to ${state} while ${a.state}`);
    }
    this.clearWrapUp(agentId);
    this.change(agentId, state, state === 'not_ready' ? (reason ?? 'other') : null);
    if (state === 'ready') this.distribute();
    return this.state(agentId);
  }

  // ---- internals ----

  private distribute(): void {
    for (const offer of this.acd.distribute(this.o.clock.now())) {
      this.recordState(offer.agentId, 'reserved', null);
      this.publishState(offer.agentId);
      const session = this.sessions.get(offer.callId);
      const agent = this.agents.get(offer.agentId);
      if (!session || !agent) {
        this.setSystemState(offer.agentId, 'ready', null);
        continue;
      }
      session.offerTo(offer.agentId, agent.extension, offer.call);
    }
  }

  private setSystemState(agentId: string, to: AgentState, reason: string | null): void {
    try {
      this.change(agentId, to, reason);
    } catch (err) {
      if (!(err instanceof InvalidTransitionError)) throw err;
      this.o.logger.warn({ agentId, from: err.from, to }, 'ignored agent state change');
      return;
    }
    if (to === 'ready') this.distribute();
  }

  private change(agentId: string, to: AgentState, reason: string | null): void {
    try {
      this.acd.transition(agentId, to, reason, this.o.clock.now());
    } catch (err) {
      if (err instanceof InvalidTransitionError) {
        throw new AppError('invalid_state', err.message);
      }
      throw err;
    }
    this.recordState(agentId, to, reason);
    this.publishState(agentId);
  }

  private startWrapUp(agentId: string, group: string | null): void {
    const seconds = (group ? this.groups.get(group)?.wrapUpSeconds : undefined) ?? 15;
    this.setSystemState(agentId, seconds > 0 ? 'after_call_work' : 'ready', null);
    if (seconds <= 0) return;
    this.clearWrapUp(agentId);
    this.wrapUpTimers.set(
      agentId,
      setTimeout(() => {
        this.wrapUpTimers.delete(agentId);
        if (this.acd.agent(agentId)?.state === 'after_call_work') this.setSystemState(agentId, 'ready', null);
      }, seconds * 1000),
    );
  }

  private clearWrapUp(agentId: string): void {
    const t = this.wrapUpTimers.get(agentId);
    if (t) clearTimeout(t);
    this.wrapUpTimers.delete(agentId);
  }

  private publishState(agentId: string): void {
    this.o.cti.publish('agent.state', this.state(agentId), { agentId });
  }

  /** State durations for reports (ACD-01): close the open row, open a new one. */
  private recordState(agentId: string, state: AgentState, reason: string | null): void {
    const at = new Date(this.o.clock.now());
    const { agentStateLog } = tables;
    void this.o.db
      .transaction(async (tx) => {
        await tx
          .update(agentStateLog)
          .set({ endedAt: at })
          .where(and(eq(agentStateLog.agentId, agentId), isNull(agentStateLog.endedAt)));
        await tx.insert(agentStateLog).values({ id: newId('ast'), agentId, state, reason, startedAt: at });
      })
      .catch((err: unknown) => this.o.logger.error({ err }, 'agent state log write failed'));
  }

  private requireSwitch(): CallSwitch {
    if (!this.sw) throw new Error('switch not attached');
    return this.sw;
  }

  /** Drain: end every live call (SIGTERM). */
  async shutdown(): Promise<void> {
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    for (const t of this.wrapUpTimers.values()) clearTimeout(t);
    await Promise.allSettled([...this.sessions.values()].map((s) => s.end('system')));
  }

  queuedCall(callId: string): QueuedCall | undefined {
    return this.acd.queued(callId);
  }
}
