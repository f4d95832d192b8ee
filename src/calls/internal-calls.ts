/**
 * Calls between colleagues' phones (CC-07): an agent's extension dials another agent's extension,
 * the switch rings it and connects the two when it answers (the dialling phone gets the 200 OK
 * only then; a busy, absent or silent colleague is a 486/480 to it). No IVR, queue or CDR: it is
 * an intercom call. While it lasts, an agent it made busy is `on_call` for the ACD and goes back
 * to how they were afterwards; an agent already on a customer call (consulting a colleague, say)
 * keeps their state.
 *
 * Such a call is also how a phone consults before an attended transfer of its own (CC-03, RFC
 * 5589 §7): the phone sends REFER in the customer's call with Replaces naming this call, and
 * `handover` gives the customer's call the colleague's leg, taken out of this call.
 */
import type { AgentSnapshot, AcdEngine, AgentState } from '../acd/index.ts';
import type { AgentRecord } from '../directory/index.ts';
import type { Logger } from '../shared/index.ts';
import { DialError, type CallLeg, type CallSwitch, type ReplacesTarget } from '../telephony/call-leg.ts';
import type { AgentStates } from './agent-states.ts';
import type { Handover } from './floor-core.ts';

export interface InternalCallsOptions {
  acd: AcdEngine;
  states: AgentStates;
  switch(): CallSwitch;
  agentRecord(agentId: string): AgentRecord | undefined;
  logger: Logger;
  /** How long the colleague's phone rings (default 30 s). */
  ringTimeoutMs?: number;
}

interface Side {
  leg: CallLeg | null;
  agentId: string;
  extension: string;
  label: string;
  /** The state to return to afterwards, when this call made the agent busy. */
  before: { state: AgentState; reason: string | null } | null;
}

interface InternalCall {
  caller: Side;
  callee: Side;
  /** Set once a leg went to a customer's call: the rest of this call just goes away. */
  handedOver: boolean;
  over: boolean;
}

const failureStatus: Record<DialError['failure'], [number, string]> = {
  not_registered: [480, 'Temporarily Unavailable'],
  busy: [486, 'Busy Here'],
  no_answer: [480, 'Temporarily Unavailable'],
  rejected: [603, 'Decline'],
  cancelled: [487, 'Request Terminated'],
  failed: [500, 'Server Internal Error'],
};

export class InternalCalls {
  private readonly calls = new Set<InternalCall>();

  constructor(private readonly o: InternalCallsOptions) {}

  get size(): number {
    return this.calls.size;
  }

  /** Takes the inbound leg when it is one agent's phone dialling another agent's extension. */
  accept(leg: CallLeg): boolean {
    const from = this.o.acd.agentByExtension(leg.fromUser);
    const to = this.o.acd.agentByExtension(leg.toUser);
    const sw = this.o.switch();
    if (!from || !to || !sw.isRegistered(from.extension)) return false;
    if (from.id === to.id || to.state === 'reserved') {
      void leg.reject(486, 'Busy Here');
      return true;
    }
    if (!sw.isRegistered(to.extension)) {
      void leg.reject(480, 'Temporarily Unavailable');
      return true;
    }
    const call: InternalCall = {
      caller: this.side(from, leg),
      callee: this.side(to, null),
      handedOver: false,
      over: false,
    };
    this.calls.add(call);
    void this.connect(call, leg).catch((err: unknown) => {
      this.o.logger.warn({ err }, 'internal call failed');
      void this.finish(call);
    });
    return true;
  }

  /**
   * REFER with Replaces from `extension`'s phone: the internal call whose leg to that phone is the
   * dialog `replaces` names, handed over as the colleague at its other end; null when none is.
   */
  handover(extension: string, replaces: ReplacesTarget): Handover | null {
    for (const call of this.calls) {
      if (call.handedOver || call.over || !call.callee.leg || !call.caller.leg) continue;
      const [mine, theirs] =
        call.caller.extension === extension ? [call.caller, call.callee] : [call.callee, call.caller];
      if (mine.extension !== extension) continue;
      if (!mine.leg!.isDialog(replaces.callId, replaces.toTag, replaces.fromTag)) continue;
      return {
        label: theirs.label,
        agentId: theirs.agentId,
        claim: () => {
          if (call.over || theirs.leg?.state !== 'answered') return null;
          call.handedOver = true;
          this.calls.delete(call);
          // The colleague stays busy: they are on the customer's call now.
          return theirs.leg;
        },
        release: async () => {
          await mine.leg?.hangup();
          this.restore(mine);
        },
      };
    }
    return null;
  }

  async hangupAll(): Promise<void> {
    await Promise.allSettled([...this.calls].map((c) => this.finish(c)));
  }

  private side(agent: AgentSnapshot, leg: CallLeg | null): Side {
    const rec = this.o.agentRecord(agent.id);
    return {
      leg,
      agentId: agent.id,
      extension: agent.extension,
      label: rec ? `${rec.displayName} (${agent.extension})` : agent.extension,
      before: null,
    };
  }

  private async connect(call: InternalCall, inbound: CallLeg): Promise<void> {
    const { caller, callee } = call;
    this.busy(caller);
    this.busy(callee);
    const dial = this.o.switch().dial(callee.extension, {
      callerId: caller.extension,
      callerName: this.o.agentRecord(caller.agentId)?.displayName,
      timeoutMs: this.o.ringTimeoutMs ?? 30_000,
    });
    inbound.onEnded(() => {
      dial.cancel();
      if (!call.handedOver) void this.finish(call);
    });
    let leg: CallLeg;
    try {
      leg = await dial.answered;
    } catch (err) {
      const [status, reason] = failureStatus[err instanceof DialError ? err.failure : 'failed'];
      this.o.logger.info(
        { from: caller.extension, to: callee.extension, status },
        'internal call not answered',
      );
      await inbound.reject(status, reason);
      await this.finish(call);
      return;
    }
    callee.leg = leg;
    leg.onEnded(() => {
      if (!call.handedOver) void this.finish(call);
    });
    if (call.over) {
      await leg.hangup();
      return;
    }
    await inbound.answer();
    await this.o.switch().bridge(inbound, leg);
    this.o.logger.info({ from: caller.extension, to: callee.extension }, 'internal call connected');
  }

  /** Both legs go and the agents this call made busy are back to how they were. */
  private async finish(call: InternalCall): Promise<void> {
    if (call.over) return;
    call.over = true;
    this.calls.delete(call);
    await Promise.allSettled([call.caller.leg?.hangup(), call.callee.leg?.hangup()]);
    this.restore(call.caller);
    this.restore(call.callee);
  }

  /** An agent who was not on a call is on_call for the ACD while this call lasts. */
  private busy(side: Side): void {
    const a = this.o.acd.agent(side.agentId);
    if (!a || !['ready', 'not_ready', 'after_call_work'].includes(a.state)) return;
    side.before = { state: a.state, reason: a.reason };
    this.o.states.clearWrapUp(side.agentId);
    this.o.states.system(side.agentId, 'on_call', null);
  }

  private restore(side: Side): void {
    const before = side.before;
    side.before = null;
    if (!before || this.o.acd.agent(side.agentId)?.state !== 'on_call') return;
    if (before.state === 'ready') {
      this.o.states.system(side.agentId, 'ready', null);
      return;
    }
    this.o.states.system(side.agentId, 'after_call_work', null);
    if (before.state === 'not_ready')
      this.o.states.system(side.agentId, 'not_ready', before.reason ?? 'other');
    else this.o.states.armWrapUp(side.agentId);
  }
}
