/**
 * An outbound call placed by an agent (click-to-dial, CC-01): the agent's own phone rings first
 * (showing the customer's number), and once the agent picks up the customer is dialled through
 * the trunk with the service number as caller ID; both are bridged and recorded, and the CDR
 * (direction "outbound") follows every step. Either side hanging up ends the call, and the agent
 * goes to after-call work.
 */
import type { CallerLookup } from '../crm/index.ts';
import { maskPhone } from '../crm/index.ts';
import type { Logger } from '../shared/index.ts';
import { DialError, type CallLeg, type PendingDial } from '../telephony/call-leg.ts';
import type { CallContext } from './call-context.ts';
import type { CdrPatch, Disposition } from './cdr.repository.ts';
import { recordingFile } from './recording-path.ts';

export interface OutboundRequest {
  agentId: string;
  extension: string;
  /** E.164 number of the customer. */
  target: string;
  /** Caller ID presented to the customer (one of the company's service numbers). */
  callerId: string;
  /** Who the number belongs to, for the agent's card and the CDR. */
  lookup: CallerLookup;
}

export interface OutboundHooks {
  /** The call is over for an agent who picked up: wrap-up (talkSec null: the customer never answered). */
  agentFree(agentId: string, talkSec: number | null): void;
  ended(call: OutboundCall): void;
}

type Stage = 'ringing_agent' | 'dialling_customer' | 'connected' | 'ended';

export class OutboundCall {
  readonly callId: string;
  private stage: Stage = 'ringing_agent';
  private cdrId: string | null = null;
  private cdrWrites: Promise<unknown> = Promise.resolve();
  private agentLeg: CallLeg | null = null;
  private customerLeg: CallLeg | null = null;
  private dial: PendingDial | null = null;
  private answeredAtMs: number | null = null;
  private recording = false;
  private readonly log: Logger;

  constructor(
    private readonly req: OutboundRequest,
    private readonly ctx: CallContext,
    private readonly hooks: OutboundHooks,
    callId: string,
  ) {
    this.callId = callId;
    this.log = ctx.logger.child({ call: callId, outbound: maskPhone(req.target), agent: req.extension });
  }

  get state(): Stage {
    return this.stage;
  }

  get agentId(): string {
    return this.req.agentId;
  }

  /** The agent's phone was answered (the agent is, or was, on this call). */
  get agentAnswered(): boolean {
    return this.agentLeg !== null;
  }

  async run(): Promise<void> {
    const { req, ctx } = this;
    const customer = req.lookup.matches.length === 1 ? req.lookup.matches[0]! : null;
    this.cdrId = await ctx.cdrs.open({
      callId: this.callId,
      caller: req.callerId,
      callerE164: null,
      dnis: req.target,
      offeredAt: new Date(ctx.clock.now()),
    });
    this.writeCdr({
      direction: 'outbound',
      agentId: req.agentId,
      agentExtension: req.extension,
      customerId: customer?.id ?? null,
    });
    ctx.cti.publish(
      'call.offered',
      {
        callId: this.callId,
        agentId: req.agentId,
        caller: req.target,
        dnis: req.callerId,
        queue: null,
        customer,
        matches: req.lookup.matches,
        direction: 'outbound',
      },
      { agentId: req.agentId },
    );
    // 1. The agent's phone; it shows the customer's number and name.
    const agentDial = ctx.switch.dial(req.extension, {
      callerId: req.target,
      callerName: customer?.name,
      timeoutMs: 30_000,
    });
    this.dial = agentDial;
    let agentLeg: CallLeg;
    try {
      agentLeg = await agentDial.answered;
    } catch (err) {
      await this.finish('agent', 'failed', err);
      return;
    }
    if (this.stage === 'ended') {
      await agentLeg.hangup();
      return;
    }
    this.agentLeg = agentLeg;
    agentLeg.onEnded(() => void this.finish('agent'));
    // 2. The customer, through the trunk, with the service number as caller ID.
    this.stage = 'dialling_customer';
    void agentLeg.play([ctx.holdMusic], { loop: true });
    const customerDial = ctx.switch.dial(req.target, {
      callerId: req.callerId,
      timeoutMs: 45_000,
      near: agentLeg,
    });
    this.dial = customerDial;
    let customerLeg: CallLeg;
    try {
      customerLeg = await customerDial.answered;
    } catch (err) {
      await this.finish('system', 'no_answer', err);
      return;
    }
    this.dial = null;
    if (this.stage !== 'dialling_customer') {
      await customerLeg.hangup();
      return;
    }
    this.customerLeg = customerLeg;
    customerLeg.onEnded(() => void this.finish('caller'));
    await this.connect(agentLeg, customerLeg);
  }

  /** The agent (or a supervisor) ends the call from the desktop. */
  async hangup(): Promise<void> {
    await this.finish('agent');
  }

  private async connect(agentLeg: CallLeg, customerLeg: CallLeg): Promise<void> {
    const { ctx } = this;
    this.stage = 'connected';
    const answeredAt = new Date(ctx.clock.now());
    this.answeredAtMs = answeredAt.getTime();
    // The caller ID the customer was shown: an outbound route's caller-ID rule may have replaced
    // the one asked for.
    this.writeCdr({ answeredAt, caller: customerLeg.fromUser });
    ctx.cti.publish(
      'call.answered',
      { callId: this.callId, agentId: this.req.agentId, answeredAt: answeredAt.toISOString() },
      { agentId: this.req.agentId },
    );
    await agentLeg.stopPlayback();
    await ctx.switch.bridge(customerLeg, agentLeg);
    if (ctx.recordingPolicy(this.req.agentId, null, 'outbound')) await this.record();
    this.log.info('outbound call connected');
  }

  /** Start recording the connected call (by policy, or on demand, CC-10); false if it cannot. */
  async record(): Promise<boolean> {
    const { agentLeg, customerLeg, cdrId } = this;
    if (this.stage !== 'connected' || !agentLeg || !customerLeg || !cdrId || this.recording) return false;
    const { abs, rel } = recordingFile(this.ctx.recordingsDir, cdrId, new Date(this.ctx.clock.now()));
    try {
      await this.ctx.switch.startRecording(customerLeg, agentLeg, abs);
      this.recording = true;
      this.writeCdr({ recordingPath: rel });
      return true;
    } catch (err) {
      this.log.error({ err }, 'recording did not start');
      return false;
    }
  }

  private async finish(
    by: 'agent' | 'caller' | 'system',
    failed?: Disposition | 'no_answer',
    err?: unknown,
  ): Promise<void> {
    if (this.stage === 'ended') return;
    const was = this.stage;
    this.stage = 'ended';
    this.dial?.cancel();
    const failure = err instanceof DialError ? err.failure : err ? 'failed' : null;
    if (failure) this.log.info({ failure, was }, 'outbound call not connected');
    const endedAt = new Date(this.ctx.clock.now());
    let recordingDurationMs: number | null = null;
    if (was === 'connected' && this.customerLeg) {
      const rec = await this.ctx.switch.stopRecording(this.customerLeg).catch(() => null);
      recordingDurationMs = rec?.durationMs ?? null;
    }
    await Promise.allSettled([this.agentLeg?.hangup(), this.customerLeg?.hangup()]);
    const disposition: Disposition =
      was === 'connected'
        ? 'answered'
        : failed === 'no_answer' || was === 'dialling_customer'
          ? 'no_answer'
          : 'failed';
    this.writeCdr({
      endedAt,
      disposition,
      hangupBy: by,
      ...(recordingDurationMs !== null ? { recordingDurationMs } : {}),
    });
    await this.cdrWrites;
    this.ctx.cti.publish(
      'call.ended',
      { callId: this.callId, agentId: this.req.agentId, disposition, endedAt: endedAt.toISOString() },
      { agentId: this.req.agentId },
    );
    if (this.agentLeg) {
      const talkSec = this.answeredAtMs === null ? null : (endedAt.getTime() - this.answeredAtMs) / 1000;
      this.hooks.agentFree(this.req.agentId, talkSec);
    }
    this.hooks.ended(this);
    this.log.info({ disposition, by }, 'outbound call ended');
  }

  private writeCdr(patch: CdrPatch): void {
    const id = this.cdrId;
    if (!id) return;
    this.cdrWrites = this.cdrWrites
      .then(() => this.ctx.cdrs.update(id, patch))
      .catch((err: unknown) => this.log.error({ err }, 'CDR update failed'));
  }
}
