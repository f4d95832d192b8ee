/**
 * The side effects of agent state changes (ACD-01): the engine validates a transition, this
 * records it in `agent_state_log` for reports, publishes it to the agent's desk and supervisors
 * over CTI, and runs the after-call-work timer (the group's wrap-up time plus the agent's
 * extensions, at most 30 minutes in all).
 */
import { and, eq, isNull } from 'drizzle-orm';
import {
  InvalidTransitionError,
  type AcdEngine,
  type AgentRequestableState,
  type AgentState,
  type StateChange,
} from '../acd/index.ts';
import type { AgentStateView, CtiHub } from '../cti/index.ts';
import { AppError, type Clock, type Logger } from '../shared/index.ts';
import { newId, tables, type Db } from '../store/index.ts';

export interface AgentStatesOptions {
  acd: AcdEngine;
  db: Db;
  cti: CtiHub;
  clock: Clock;
  logger: Logger;
  /** The group's wrap-up time in seconds; undefined for an unknown group (15 s then). */
  wrapUpSeconds(group: string): number | undefined;
  /** An agent became ready: match waiting work. */
  distribute(): void;
}

const MAX_WRAP_UP_MS = 1_800_000;

export class AgentStates {
  private readonly wrapUpTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly o: AgentStatesOptions) {}

  view(agentId: string): AgentStateView {
    const a = this.o.acd.agent(agentId);
    if (!a) throw new AppError('not_found', 'agent not found');
    const wrapUpEnd = this.o.acd.wrapUpDeadline(agentId);
    return {
      agentId: a.id,
      extension: a.extension,
      state: a.state,
      reason: a.reason,
      since: new Date(a.since).toISOString(),
      registered: a.reachable,
      wrapUpEndsAt: wrapUpEnd === null ? null : new Date(wrapUpEnd).toISOString(),
    };
  }

  /** The agent's (or a supervisor's) own request; not while a call rings or is connected. */
  request(agentId: string, state: AgentRequestableState, reason: string | null): AgentStateView {
    const a = this.o.acd.agent(agentId);
    if (!a) throw new AppError('not_found', 'agent not found');
    if (a.state === state && state !== 'not_ready') return this.view(agentId);
    if (a.state === 'reserved' || a.state === 'on_call') {
      throw new AppError('invalid_state', `cannot change to ${state} while ${a.state}`);
    }
    this.clearWrapUp(agentId);
    this.change(agentId, state, state === 'not_ready' ? (reason ?? 'other') : null);
    if (state === 'ready') this.o.distribute();
    return this.view(agentId);
  }

  /** A change the system makes; one the machine forbids is logged and ignored. */
  system(agentId: string, to: AgentState, reason: string | null): void {
    try {
      this.change(agentId, to, reason);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      this.o.logger.warn({ agentId, to, err: err.message }, 'ignored agent state change');
      return;
    }
    if (to === 'ready') this.o.distribute();
  }

  /** Validated by the engine (AppError invalid_state otherwise), then recorded and published. */
  change(agentId: string, to: AgentState, reason: string | null): void {
    try {
      this.o.acd.transition(agentId, to, reason, this.o.clock.now());
    } catch (err) {
      if (err instanceof InvalidTransitionError) throw new AppError('invalid_state', err.message);
      throw err;
    }
    this.changed(agentId, to, reason);
  }

  /** The engine already made the change (offers, auto-pause, released ring-all agents). */
  applied(change: StateChange): void {
    this.changed(change.agentId, change.to, change.reason);
  }

  /** Record and publish a state the engine now holds. */
  changed(agentId: string, state: AgentState, reason: string | null): void {
    this.record(agentId, state, reason);
    this.publish(agentId);
  }

  publish(agentId: string): void {
    this.o.cti.publish('agent.state', this.view(agentId), { agentId });
  }

  startWrapUp(agentId: string, group: string | null): void {
    const seconds = (group ? this.o.wrapUpSeconds(group) : undefined) ?? 15;
    this.system(agentId, seconds > 0 ? 'after_call_work' : 'ready', null);
    if (seconds > 0) this.armWrapUp(agentId);
  }

  /** End after-call work at the engine's deadline (group wrap-up time plus the agent's extensions). */
  armWrapUp(agentId: string): void {
    this.clearWrapUp(agentId);
    const deadline = this.o.acd.wrapUpDeadline(agentId);
    if (deadline === null) return;
    this.wrapUpTimers.set(
      agentId,
      setTimeout(
        () => {
          this.wrapUpTimers.delete(agentId);
          if (this.o.acd.agent(agentId)?.state === 'after_call_work') this.system(agentId, 'ready', null);
        },
        Math.max(0, deadline - this.o.clock.now()),
      ),
    );
  }

  /** ACD-01: the agent needs more time for after-call work (at most 30 minutes in all). */
  extendWrapUp(agentId: string, seconds: number): AgentStateView {
    const deadline = this.o.acd.wrapUpDeadline(agentId);
    if (deadline === null) throw new AppError('invalid_state', 'not in after-call work');
    const since = this.o.acd.agent(agentId)?.since ?? this.o.clock.now();
    const allowed = Math.min(seconds, Math.floor((since + MAX_WRAP_UP_MS - deadline) / 1000));
    if (allowed <= 0) throw new AppError('invalid_state', 'after-call work cannot be extended further');
    this.o.acd.extendWrapUp(agentId, allowed);
    this.armWrapUp(agentId);
    this.publish(agentId);
    return this.view(agentId);
  }

  clearWrapUp(agentId: string): void {
    const t = this.wrapUpTimers.get(agentId);
    if (t) clearTimeout(t);
    this.wrapUpTimers.delete(agentId);
  }

  shutdown(): void {
    for (const t of this.wrapUpTimers.values()) clearTimeout(t);
    this.wrapUpTimers.clear();
  }

  /** State durations for reports (ACD-01): close the open row, open a new one. */
  private record(agentId: string, state: AgentState, reason: string | null): void {
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
}
