/**
 * Calls between colleagues' phones (CC-07): an agent's extension dials another agent's extension,
 * the switch rings it and connects the two when it answers (the dialling phone gets the 200 OK
 * only then; a busy, absent or silent colleague is a 486/480 to it). No IVR or queue: it is an
 * intercom call. While it lasts, an agent it made busy is `on_call` for the ACD and goes back
 * to how they were afterwards; an agent already on a customer call (consulting a colleague, say)
 * keeps their state.
 *
 * Each call, refused ones included, leaves a CDR (CC-09) written like every other call's: direction
 * `internal`, the calling extension as caller and dialled number, the called agent as its agent,
 * answer and end times, and a disposition — answered, no_answer (busy, absent, not answering),
 * abandoned (the caller gave up while it rang) or failed.
 *
 * Such a call is also how a phone consults before an attended transfer of its own (CC-03, RFC
 * 5589 §7): the phone sends REFER in the customer's call with Replaces naming this call, and
 * `handover` gives the customer's call the colleague's leg, taken out of this call.
 */
import type { AgentSnapshot, AcdEngine, AgentState } from '../acd/index.ts';
import type { AgentRecord } from '../directory/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import { DialError, type CallLeg, type CallSwitch, type ReplacesTarget } from '../telephony/call-leg.ts';
import type { AgentStates } from './agent-states.ts';
import type { CdrPatch, CdrRepository, Disposition } from './cdr.repository.ts';
import type { ChainEntry, Handover } from './floor-core.ts';

export interface InternalCallsOptions {
  acd: AcdEngine;
  states: AgentStates;
  switch(): CallSwitch;
  agentRecord(agentId: string): AgentRecord | undefined;
  /** Where CDRs are written and the time they record. */
  ctx: { cdrs: Pick<CdrRepository, 'open' | 'update'>; clock: Clock };
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

type HangupBy = 'caller' | 'agent' | 'system';

interface InternalCall {
  caller: Side;
  callee: Side;
  /** Set once a leg went to a customer's call: the rest of this call just goes away. */
  handedOver: boolean;
  over: boolean;
  answered: boolean;
  /** How the call ended, when known before its legs go (the colleague did not answer). */
  outcome: { by: HangupBy; disposition: Disposition } | null;
  cdr: CallRecord;
}

/** A call's CDR: opened at once, then patched; writes land in order, failures are only logged. */
class CallRecord {
  private writes: Promise<string | null>;

  constructor(
    private readonly o: InternalCallsOptions,
    callId: string,
    caller: Side,
    callee: Side,
  ) {
    const { cdrs, clock } = o.ctx;
    this.writes = cdrs
      .open({
        callId,
        caller: caller.extension,
        callerE164: null,
        dnis: callee.extension,
        offeredAt: new Date(clock.now()),
      })
      .then(async (id) => {
        await cdrs.update(id, {
          direction: 'internal',
          agentId: callee.agentId,
          agentExtension: callee.extension,
        });
        return id;
      })
      .catch((err: unknown) => {
        o.logger.error({ err, callId }, 'internal call record not opened');
        return null;
      });
  }

  answered(): void {
    void this.write({ answeredAt: new Date(this.o.ctx.clock.now()) });
  }

  ended(by: HangupBy, disposition: Disposition, chain?: ChainEntry[]): Promise<unknown> {
    const endedAt = new Date(this.o.ctx.clock.now());
    return this.write({ endedAt, disposition, hangupBy: by, ...(chain && { chain }) });
  }

  private write(patch: CdrPatch): Promise<unknown> {
    this.writes = this.writes.then(async (id) => {
      if (!id) return id;
      await this.o.ctx.cdrs
        .update(id, patch)
        .catch((err: unknown) => this.o.logger.error({ err }, 'CDR update failed'));
      return id;
    });
    return this.writes;
  }
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
    const [caller, callee] = [this.side(from, leg), this.side(to, null)];
    const cdr = new CallRecord(this.o, leg.callId, caller, callee);
    const refusal: [number, string] | null =
      from.id === to.id || to.state === 'reserved'
        ? [486, 'Busy Here']
        : !sw.isRegistered(to.extension)
          ? [480, 'Temporarily Unavailable']
          : null;
    if (refusal) {
      void cdr.ended('system', 'no_answer');
      void leg.reject(...refusal);
      return true;
    }
    const call: InternalCall = {
      caller,
      callee,
      handedOver: false,
      over: false,
      answered: false,
      outcome: null,
      cdr,
    };
    this.calls.add(call);
    void this.connect(call, leg).catch((err: unknown) => {
      this.o.logger.warn({ err }, 'internal call failed');
      call.outcome ??= { by: 'system', disposition: call.answered ? 'answered' : 'failed' };
      void this.finish(call, 'system');
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
          // This call ends here: the phone handed the colleague over to the customer's call.
          const entry: ChainEntry = {
            at: new Date(this.o.ctx.clock.now()).toISOString(),
            action: 'transfer',
            by: mine.agentId,
            target: theirs.label,
            mode: 'attended',
            via: 'refer',
          };
          void call.cdr.ended(mine === call.caller ? 'caller' : 'agent', 'answered', [entry]);
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
    await Promise.allSettled([...this.calls].map((c) => this.finish(c, 'system')));
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
      if (!call.handedOver) void this.finish(call, 'caller');
    });
    let leg: CallLeg;
    try {
      leg = await dial.answered;
    } catch (err) {
      const failure = err instanceof DialError ? err.failure : 'failed';
      const [status, reason] = failureStatus[failure];
      this.o.logger.info(
        { from: caller.extension, to: callee.extension, status },
        'internal call not answered',
      );
      const disposition =
        failure === 'failed' ? 'failed' : failure === 'cancelled' ? 'abandoned' : 'no_answer';
      call.outcome ??= { by: failure === 'cancelled' ? 'caller' : 'system', disposition };
      await inbound.reject(status, reason);
      await this.finish(call, 'system');
      return;
    }
    callee.leg = leg;
    leg.onEnded(() => {
      if (!call.handedOver) void this.finish(call, 'agent');
    });
    if (call.over) {
      await leg.hangup();
      return;
    }
    call.answered = true;
    call.cdr.answered();
    // Next to the colleague's leg: the bridge between the two stays in one media worker.
    await inbound.answer({ near: leg });
    await this.o.switch().bridge(inbound, leg);
    this.o.logger.info({ from: caller.extension, to: callee.extension }, 'internal call connected');
  }

  /**
   * Both legs go, the agents this call made busy are back to how they were, and the CDR is closed
   * (`by`: whose leg ended first, unless the outcome was known before).
   */
  private async finish(call: InternalCall, by: HangupBy): Promise<void> {
    if (call.over) return;
    call.over = true;
    this.calls.delete(call);
    const outcome = call.outcome ?? { by, disposition: call.answered ? 'answered' : 'abandoned' };
    await Promise.allSettled([call.caller.leg?.hangup(), call.callee.leg?.hangup()]);
    this.restore(call.caller);
    this.restore(call.callee);
    await call.cdr.ended(outcome.by, outcome.disposition);
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
