/**
 * The routing engine: pure and deterministic (no I/O, time passed in). Agents, skill groups with
 * per-agent levels (ACD-02), one FIFO-within-priority queue per group, and the longest-idle
 * strategy (ACD-05). Issue #3 adds the other strategies, overflow and schedules behind this API.
 *
 * Invariant: an agent is offered at most one call at a time, across all groups (an offer moves
 * the agent to `reserved` before it is returned).
 */
import { canTransition, type AgentState } from './agent-state.ts';

export interface AgentSnapshot {
  id: string;
  extension: string;
  state: AgentState;
  reason: string | null;
  since: number;
  /** The agent's phone has a live SIP registration; unreachable agents are never offered calls. */
  reachable: boolean;
  groups: Map<string, number>;
  answeredCalls: number;
}

export interface QueuedCall {
  callId: string;
  group: string;
  priority: number;
  enqueuedAt: number;
  seq: number;
}

export interface Offer {
  callId: string;
  agentId: string;
  group: string;
  call: QueuedCall;
}

export interface StateChange {
  agentId: string;
  from: AgentState;
  to: AgentState;
  reason: string | null;
  at: number;
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: AgentState,
    readonly to: AgentState,
  ) {
    super(`agent state ${from} → ${to} is not allowed`);
    this.name = 'InvalidTransitionError';
  }
}

export class AcdEngine {
  private readonly agents = new Map<string, AgentSnapshot>();
  private readonly queues = new Map<string, QueuedCall[]>();
  private seq = 0;

  addAgent(
    agent: { id: string; extension: string; groups: { name: string; level: number }[] },
    now: number,
  ): void {
    const existing = this.agents.get(agent.id);
    this.agents.set(agent.id, {
      id: agent.id,
      extension: agent.extension,
      state: existing?.state ?? 'logged_out',
      reason: existing?.reason ?? null,
      since: existing?.since ?? now,
      reachable: existing?.reachable ?? false,
      groups: new Map(agent.groups.map((g) => [g.name, g.level])),
      answeredCalls: existing?.answeredCalls ?? 0,
    });
  }

  agent(id: string): AgentSnapshot | undefined {
    return this.agents.get(id);
  }

  agentByExtension(extension: string): AgentSnapshot | undefined {
    for (const a of this.agents.values()) if (a.extension === extension) return a;
    return undefined;
  }

  allAgents(): AgentSnapshot[] {
    return [...this.agents.values()];
  }

  setReachable(agentId: string, reachable: boolean): void {
    const a = this.agents.get(agentId);
    if (a) a.reachable = reachable;
  }

  transition(agentId: string, to: AgentState, reason: string | null, now: number): StateChange {
    const a = this.agents.get(agentId);
    if (!a) throw new Error(`unknown agent ${agentId}`);
    if (!canTransition(a.state, to)) throw new InvalidTransitionError(a.state, to);
    const change: StateChange = { agentId, from: a.state, to, reason, at: now };
    a.state = to;
    a.reason = to === 'not_ready' ? reason : null;
    a.since = now;
    if (to === 'on_call') a.answeredCalls += 1;
    return change;
  }

  enqueue(callId: string, group: string, priority: number, now: number): QueuedCall {
    const call: QueuedCall = { callId, group, priority, enqueuedAt: now, seq: this.seq++ };
    const q = this.queues.get(group) ?? [];
    // Higher priority first; FIFO (by arrival sequence) within a priority.
    let i = q.length;
    while (i > 0 && (q[i - 1] as QueuedCall).priority < priority) i--;
    q.splice(i, 0, call);
    this.queues.set(group, q);
    return call;
  }

  /** Put a call whose offer failed back where it was: it keeps its arrival order (ACD-06). */
  requeue(call: QueuedCall): void {
    const q = this.queues.get(call.group) ?? [];
    let i = q.length;
    while (
      i > 0 &&
      ((q[i - 1] as QueuedCall).priority < call.priority ||
        ((q[i - 1] as QueuedCall).priority === call.priority && (q[i - 1] as QueuedCall).seq > call.seq))
    )
      i--;
    q.splice(i, 0, call);
    this.queues.set(call.group, q);
  }

  queued(callId: string): QueuedCall | undefined {
    for (const q of this.queues.values()) {
      const c = q.find((x) => x.callId === callId);
      if (c) return c;
    }
    return undefined;
  }

  remove(callId: string): QueuedCall | undefined {
    for (const q of this.queues.values()) {
      const i = q.findIndex((c) => c.callId === callId);
      if (i >= 0) return q.splice(i, 1)[0];
    }
    return undefined;
  }

  position(callId: string): number | null {
    for (const q of this.queues.values()) {
      const i = q.findIndex((c) => c.callId === callId);
      if (i >= 0) return i + 1;
    }
    return null;
  }

  queueLength(group: string): number {
    return this.queues.get(group)?.length ?? 0;
  }

  /**
   * Match waiting calls to free agents. Calls are served oldest-first across groups (by priority,
   * then arrival); each picks, among ready and reachable agents of its group, the lowest level and
   * then the longest idle. Chosen agents become `reserved` and the calls leave the queue.
   */
  distribute(now: number): Offer[] {
    const waiting = [...this.queues.values()]
      .flatMap((q) => q)
      .sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    const offers: Offer[] = [];
    for (const call of waiting) {
      const agent = this.pickAgent(call.group);
      if (!agent) continue;
      this.remove(call.callId);
      this.transition(agent.id, 'reserved', null, now);
      offers.push({ callId: call.callId, agentId: agent.id, group: call.group, call });
    }
    return offers;
  }

  private pickAgent(group: string): AgentSnapshot | undefined {
    let best: AgentSnapshot | undefined;
    let bestLevel = Infinity;
    for (const a of this.agents.values()) {
      const level = a.groups.get(group);
      if (level === undefined || a.state !== 'ready' || !a.reachable) continue;
      if (level < bestLevel || (level === bestLevel && best !== undefined && a.since < best.since)) {
        best = a;
        bestLevel = level;
      }
    }
    return best;
  }
}
