/**
 * One inbound call from offer to wrap-up (CC-01): service number → IVR flow → queue → agent leg →
 * bridge and record → hangup. The session is thin: the IVR decides what to say, the ACD decides
 * who answers, the switch moves audio; the session carries their decisions out and keeps the CDR
 * current at every step (CC-09).
 *
 * States and their moves: session-state.ts. Once connected, a transfer to a skill group (CC-02)
 * puts the caller back in a queue, and a transfer to an IVR flow back in the IVR: the same session
 * goes on with that flow and the next agent.
 */
import type { QueuedCall } from '../acd/index.ts';
import type { CallerLookup } from '../crm/index.ts';
import { maskPhone } from '../crm/index.ts';
import { blockedNotice, callbackPrompts, flowDocument, queueAnnouncement } from '../ivr/index.ts';
import type { Logger } from '../shared/index.ts';
import type { CallLeg, PendingDial } from '../telephony/call-leg.ts';
import { DialError } from '../telephony/call-leg.ts';
import type { CdrPatch, Disposition } from './cdr.repository.ts';
import type { CallContext } from './call-context.ts';
import { CallDesk, type CallCard } from './call-desk.ts';
import { FloorError, type CallFloor, type ChainEntry } from './call-floor.ts';
import { runQueueAnnouncer } from './queue-announcer.ts';
import type { InternalCaller } from './number-plan.ts';
import { recordingFile } from './recording-path.ts';
import { openSessionFloor, type SessionFloorHost } from './session-floor.ts';
import { SessionIvr } from './session-ivr.ts';
import { IvrTasks, type IvrCallFacts } from './ivr-tasks.ts';
import { endedIn, isCallback, isWaiting, nextState, type SessionState } from './session-state.ts';
import type { HandOff } from './transfer-targets.ts';

export type { SessionState } from './session-state.ts';

export class CallSession {
  state: SessionState = 'offered';
  private cdrId: string | null = null;
  private cdrWrites: Promise<void> = Promise.resolve();
  /** The service number's flow, then any flow an agent transfers the caller to. */
  private readonly ivr: SessionIvr;
  private group: string | null = null;
  private lookup: CallerLookup = { e164: null, matches: [] };
  private readonly dials = new Map<string, PendingDial>();
  /** The screen pop and call events on agents' desks. */
  private readonly desk: CallDesk;
  private answeredBy: string | null = null;
  private agentLeg: CallLeg | null = null;
  /** Once connected: the parties and who hears whom (hold, transfer, conference, supervision). */
  private floor: CallFloor | null = null;
  private readonly chain: ChainEntry[] = [];
  private recordingRel: string | null = null;
  private recordingPaused = false;
  private queuedAtMs: number | null = null;
  private answeredAtMs: number | null = null;
  private callbackAttempts = 0;
  /** Set when the call is refused (blacklist): the CDR's disposition however the call ends. */
  private refusal: Disposition | null = null;
  /** CC-07: set when the caller is a colleague. */
  private internal: InternalCaller | null = null;
  /** The priority the IVR queued the call with (caller rules add to it on every enqueue). */
  private queuePriority = 0;
  /** When the call entered the IVR (its timeline entry, issue #5). */
  private ivrAtMs: number | null = null;
  /** An IVR transfer verb ringing an extension or a number (issue #5). */
  private ivrDial: PendingDial | null = null;
  private readonly log: Logger;
  /** The inbound call's Call-ID: the session's key in the ACD and the CDR, whatever legs come later. */
  readonly callId: string;

  constructor(
    /** The customer's leg: the inbound caller, or the callback leg once the customer answers it. */
    public caller: CallLeg,
    private readonly ctx: CallContext,
  ) {
    this.callId = caller.callId;
    this.log = ctx.logger.child({ call: caller.callId, caller: maskPhone(caller.fromUser) });
    this.desk = new CallDesk(ctx.cti, ctx.clock, this.callId, () => this.card());
    this.ivr = new SessionIvr({
      tts: ctx.tts,
      inIvr: () => this.state === 'ivr',
      ended: () => this.state === 'ended',
      queue: (group, priority) => void this.enterQueue(group, priority),
      hungUp: () => void this.end('system'),
      // IVR-06: `hours` nodes follow the session's clock and the company holiday calendar.
      holidays: () => ctx.directory.holidayDates(),
      now: () => ctx.clock.now(),
      data: ctx.ivrData,
      log: this.log,
      recognizer: ctx.asr,
      listen: (leg, listener) => ctx.switch.startLegTap(leg, listener),
      tasks: ctx.ivrServices
        ? (leg) =>
            new IvrTasks(
              ctx.ivrServices!,
              leg,
              () => this.ivrFacts(),
              (l, listener) => ctx.switch.startLegTap(l, listener),
            )
        : undefined,
      transfer: (kind, target) => this.ivrTransfer(kind, target),
      digit: (digit) => {
        if (digit === '1' && this.state === 'queued' && ctx.callbackEnabled) void this.requestCallback();
        else this.ivr.digit(digit);
      },
    });
  }

  /** Who is calling, for the IVR's task verbs (issue #5). */
  private ivrFacts(): IvrCallFacts {
    return {
      callId: this.callId,
      caller: this.caller.fromUser,
      callerE164: this.lookup.e164,
      customerId: this.lookup.matches.length === 1 ? this.lookup.matches[0]!.id : null,
    };
  }

  private card(): CallCard {
    return {
      caller: this.lookup.e164 ?? this.caller.fromUser,
      dnis: this.caller.toUser,
      queue: this.group,
      customer: this.lookup.matches.length === 1 ? this.lookup.matches[0]! : null,
      matches: this.lookup.matches,
      direction: this.internal ? 'internal' : 'inbound',
      internal: this.internal,
    };
  }

  /** ACD-04: the engine moved the waiting call to another group; the CDR follows. */
  overflowedTo(group: string): void {
    if (!this.waiting()) return;
    this.log.info({ from: this.group, to: group }, 'call overflowed');
    this.group = group;
    this.writeCdr({ queue: group });
  }

  /** ACD-05: caller rules chose the group (or only raised the priority); the CDR records which. */
  routed(group: string, matched: readonly string[]): void {
    if (!this.waiting()) return;
    if (group !== this.group)
      this.log.info({ from: this.group, to: group, matched }, 'call routed by caller rules');
    this.group = group;
    this.writeCdr({ queue: group, routing: [...matched] });
  }

  /** The queue the call came through. */
  get queueName(): string | null {
    return this.group;
  }

  /** The service number the customer dialled: the caller ID for calls made on their behalf. */
  get serviceNumber(): string {
    return this.caller.toUser;
  }

  /** The customer's number as they presented it (shown to colleagues the call is passed to). */
  get callerNumber(): string {
    return this.caller.fromUser;
  }

  /** 强拆 (CC-05): a supervisor ends the call for everyone. */
  async forceRelease(by: string): Promise<void> {
    this.addChain({ at: new Date(this.ctx.clock.now()).toISOString(), action: 'force_release', by });
    await this.end('system');
  }

  /** Who is calling, for supervisor views (full number: supervisors may see it; logs mask it). */
  get callerSummary(): { number: string; customerName: string | null; state: SessionState } {
    return {
      number: this.lookup.e164 ?? this.caller.fromUser,
      customerName: this.lookup.matches.length === 1 ? this.lookup.matches[0]!.name : null,
      state: this.state,
    };
  }

  /** The queue this call waits in, with the time it entered, while it waits for an agent. */
  get waitingIn(): { group: string; queuedAt: number } | null {
    return this.waiting() && this.group && this.queuedAtMs !== null
      ? { group: this.group, queuedAt: this.queuedAtMs }
      : null;
  }

  async run(): Promise<void> {
    const offeredAt = new Date(this.ctx.clock.now());
    const inbound = this.caller;
    inbound.onEnded((reason) => {
      this.log.info({ reason }, 'caller leg ended');
      // After a callback request the caller's own leg is gone by design; the session lives on.
      if (this.caller !== inbound || this.inCallback()) return;
      void this.end(reason === 'local' ? 'system' : 'caller');
    });
    this.lookup = await this.ctx.customers.lookupCaller(this.caller.fromUser).catch((err: unknown) => {
      this.log.warn({ err }, 'customer lookup failed');
      return { e164: null, matches: [] };
    });
    // CC-07: a colleague is not looked up as a customer.
    this.internal = this.ctx.internalCaller(this.caller.fromUser, this.lookup.e164);
    if (this.internal) this.lookup = { e164: this.lookup.e164, matches: [] };
    this.cdrId = await this.ctx.cdrs.open({
      callId: this.callId,
      caller: this.caller.fromUser,
      callerE164: this.lookup.e164,
      dnis: this.caller.toUser,
      offeredAt,
    });
    if (this.internal) this.writeCdr({ direction: 'internal' });
    if (this.lookup.matches.length === 1) this.writeCdr({ customerId: this.lookup.matches[0]!.id });
    if (this.state === 'ended') return;

    // CC-08: a blacklisted caller never reaches the IVR or an agent.
    const block = this.ctx.blocked(this.lookup.e164, this.caller.fromUser);
    if (block) {
      this.log.info({ entry: block.id, action: block.action }, 'blacklisted caller refused');
      this.ctx.recordBlocked(block.id);
      this.refusal = 'blocked'; // also if the caller hangs up during the notice
      if (block.action === 'announce') {
        await this.caller.answer();
        const notice = await this.ctx.tts.prompt(blockedNotice.lang, blockedNotice.tts).catch(() => null);
        if (notice) await this.caller.play([notice]);
        await this.caller.hangup();
      } else {
        await this.caller.reject(603, 'Decline');
      }
      await this.end('system', 'blocked');
      return;
    }

    const service = await this.ctx.directory.serviceNumber(this.caller.toUser);
    const parsed = service ? flowDocument.safeParse(service.flow) : null;
    if (!parsed?.success) {
      this.log.info({ dnis: this.caller.toUser }, 'no service number or flow for DNIS');
      await this.caller.reject(404, 'Not Found');
      await this.end('system', 'failed');
      return;
    }
    await this.caller.answer();
    if (this.state !== 'offered') return;
    this.transition('ivr');
    this.ivrAtMs = this.ctx.clock.now();
    this.writeCdr({
      ivrAt: new Date(this.ctx.clock.now()),
      ivrFlowId: service!.flowId,
      ivrFlowVersion: service!.flowVersion,
    });
    this.ivr.start(this.caller, parsed.data);
  }

  /**
   * The ACD reserved agents for this call: pop the card on each desktop first (CC-12), then ring
   * their phones. One agent for most strategies; several at once for ring_all, and one more at a
   * time for ring_progressively (`followUp`). The first to answer wins; the others stop ringing.
   */
  offer(agents: { agentId: string; extension: string }[], call: QueuedCall, followUp: boolean): void {
    const ringing = this.state === 'offering' || this.state === 'callback_agent';
    const waiting = this.state === 'queued' || this.state === 'callback_waiting';
    if (followUp ? !ringing || this.answeredBy !== null : !waiting) {
      this.ctx.offerWithdrawn(call.callId);
      return;
    }
    if (!followUp) {
      this.transition(this.state === 'callback_waiting' ? 'callback_agent' : 'offering');
    }
    for (const a of agents) this.ring(a.agentId, a.extension, call);
  }

  private ring(agentId: string, extension: string, call: QueuedCall): void {
    this.desk.offered(agentId);
    const ringTimeoutMs = (this.ctx.groupConfig(call.group)?.ringTimeoutSeconds ?? 20) * 1000;
    const dial = this.ctx.switch.dial(extension, {
      callerId: this.caller.fromUser,
      callerName: this.lookup.matches.length === 1 ? this.lookup.matches[0]!.name : undefined,
      timeoutMs: ringTimeoutMs,
      near: this.caller,
    });
    this.dials.set(agentId, dial);
    dial.answered.then(
      (leg) => {
        this.dials.delete(agentId);
        if (this.answeredBy !== null || (this.state !== 'offering' && this.state !== 'callback_agent')) {
          // Lost the race to another agent, or the caller left: end the leg we no longer need.
          void leg.hangup();
          return;
        }
        this.answeredBy = agentId;
        for (const [other, d] of this.dials) {
          d.cancel();
          this.desk.ended(other, 'answered_elsewhere', { forget: true });
        }
        this.dials.clear();
        if (this.state === 'callback_agent') void this.callbackCustomer(leg, agentId);
        else void this.bridgeTo(leg, agentId);
      },
      (err: unknown) => {
        this.dials.delete(agentId);
        // Cancelled because another agent answered (the engine released them) or the call ended
        // (its end withdrew the offer): nothing more to do.
        if (this.answeredBy !== null || (this.state !== 'offering' && this.state !== 'callback_agent'))
          return;
        const failure = err instanceof DialError ? err.failure : 'failed';
        this.log.info({ agent: extension, failure }, 'agent leg not answered');
        this.ctx.offerMissed(agentId, this.callId);
        this.desk.ended(agentId, 'missed', { forget: true });
        if (this.dials.size === 0) {
          this.transition(this.state === 'callback_agent' ? 'callback_waiting' : 'queued');
          this.ctx.offerWithdrawn(this.callId);
          this.ctx.requeue(call);
        }
      },
    );
  }

  private async bridgeTo(leg: CallLeg, agentId: string): Promise<void> {
    if (this.state !== 'offering') {
      await leg.hangup();
      return;
    }
    this.agentLeg = leg;
    leg.onEnded(() => {
      // Once connected the floor decides (a conference goes on without the agent who left).
      if (this.agentLeg === leg && !this.floor) void this.end('agent');
    });
    const answeredAt = this.ctx.clock.now();
    const waitSec = this.queuedAtMs === null ? 0 : (answeredAt - this.queuedAtMs) / 1000;
    this.ctx.agentAnswered(agentId, this.callId, this.group ?? '', waitSec);
    this.desk.answered(agentId, answeredAt);
    await this.connect(leg, agentId);
  }

  /** Customer and agent are both on the line: bridge, record, and mark the CDR answered. */
  private async connect(leg: CallLeg, agentId: string): Promise<void> {
    this.transition('bridged');
    const answeredAt = new Date(this.ctx.clock.now());
    const agent = this.ctx.agentRecord(agentId);
    // After a transfer to a group the CDR keeps the first answer (the caller's wait and SL).
    const first = this.answeredAtMs === null;
    this.writeCdr({ ...(first && { answeredAt }), agentId, agentExtension: agent?.extension ?? null });
    this.answeredAtMs = answeredAt.getTime();
    await leg.stopPlayback();
    await this.caller.stopPlayback();
    await this.ctx.switch.bridge(this.caller, leg);
    this.floor = this.openFloor(leg, agentId);
    if (this.ctx.recordingPolicy(agentId, this.group, this.internal ? 'internal' : 'inbound'))
      await this.record();
  }

  /**
   * Blind transfer to a skill group or an IVR flow (CC-02); the agent leaves (wrap-up as usual).
   * To a group, the caller waits in its queue again, hearing its announcements and music, with
   * their IVR priority; caller rules and the sticky agent do not apply (the agent chose the group).
   * To a flow, the caller hears it from its start node, and it decides from there as for a new call.
   */
  async handOff(by: string, to: HandOff): Promise<void> {
    const entry =
      to.kind === 'flow' ? { target: to.name, flow: to.id } : { target: to.label, group: to.name };
    await this.control.handBack(by, entry);
    if (this.state !== 'bridged') return; // the caller hung up meanwhile
    this.floor = null;
    this.agentLeg = null;
    this.answeredBy = null;
    this.log.info({ ...entry, by }, 'call transferred');
    if (to.kind === 'flow') {
      this.transition('ivr');
      this.ivr.start(this.caller, to.document, to.id);
      return;
    }
    this.transition('queued');
    this.group = to.name;
    this.queuedAtMs = this.ctx.clock.now();
    this.ctx.enqueue(this, to.name, this.queuePriority, { ...this.callerFacts(), transferred: true });
    this.announceQueue();
  }

  /**
   * The IVR's transfer verb (issue #5): ring an extension, or an outside number through the
   * outbound routes, and connect the caller when it answers. No agent takes part, so the session
   * stays in the IVR state (no floor: agents' call control does not apply); the CDR is answered.
   */
  private async ivrTransfer(kind: 'number' | 'extension', target: string): Promise<boolean> {
    if (this.state !== 'ivr') return false;
    if (kind === 'extension' && !this.ctx.switch.isRegistered(target)) return false;
    const dial = this.ctx.switch.dial(target, {
      // An outside party sees the service number, a colleague the customer's.
      callerId: kind === 'number' ? this.caller.toUser : this.caller.fromUser,
      timeoutMs: 30_000,
      near: this.caller,
    });
    this.ivrDial = dial;
    let leg: CallLeg;
    try {
      leg = await dial.answered;
    } catch (err) {
      this.log.info(
        { failure: err instanceof DialError ? err.failure : 'failed', kind },
        'ivr transfer not answered',
      );
      return false;
    } finally {
      this.ivrDial = null;
    }
    if (this.state !== 'ivr') {
      void leg.hangup();
      return false;
    }
    this.agentLeg = leg;
    leg.onEnded(() => {
      if (this.agentLeg === leg) void this.end('agent');
    });
    const answeredAt = new Date(this.ctx.clock.now());
    if (this.answeredAtMs === null) this.writeCdr({ answeredAt });
    this.answeredAtMs ??= answeredAt.getTime();
    await this.caller.stopPlayback();
    await this.ctx.switch.bridge(this.caller, leg);
    return true;
  }

  /** Call control on the connected call (CC-02…CC-05); throws FloorError when not connected. */
  get control(): CallFloor {
    if (this.state !== 'bridged' || !this.floor) throw new FloorError('the call is not connected');
    return this.floor;
  }

  private openFloor(agentLeg: CallLeg, agentId: string): CallFloor {
    const customerName = this.lookup.matches.length === 1 ? this.lookup.matches[0]!.name : null;
    const customer = { leg: this.caller, label: customerName ?? this.lookup.e164 ?? this.caller.fromUser };
    const host: SessionFloorHost = {
      callId: this.callId,
      ctx: this.ctx,
      desk: this.desk,
      log: this.log,
      group: () => this.group,
      ownerChanged: (id, leg) => {
        this.answeredBy = id;
        this.agentLeg = leg;
        this.writeCdr({ agentId: id, agentExtension: this.ctx.agentRecord(id)?.extension ?? null });
      },
      agentLeft: (id) => {
        if (this.answeredBy !== id) return;
        this.answeredBy = null;
        this.agentLeg = null;
      },
      chain: (entry) => this.addChain(entry),
      end: (by) => void this.end(by),
    };
    return openSessionFloor(host, customer, { leg: agentLeg, agentId });
  }

  private addChain(entry: ChainEntry): void {
    this.chain.push(entry);
    this.writeCdr({ chain: [...this.chain] });
  }

  /** The agent on this call, while it is bridged. */
  get connectedAgent(): string | null {
    return this.state === 'bridged' ? this.answeredBy : null;
  }

  /** Start recording the bridged call (by policy, or on demand, CC-10); false if it cannot. */
  async record(): Promise<boolean> {
    if (this.state !== 'bridged' || !this.agentLeg || !this.cdrId || this.recordingRel) return false;
    const { abs, rel } = recordingFile(this.ctx.recordingsDir, this.cdrId, new Date(this.ctx.clock.now()));
    try {
      await this.ctx.switch.startRecording(this.caller, this.agentLeg, abs);
      this.recordingRel = rel;
      this.writeCdr({ recordingPath: this.recordingRel });
      return true;
    } catch (err) {
      this.log.error({ err }, 'recording did not start');
      return false;
    }
  }

  /**
   * CC-10: pause (e.g. while the customer reads a card number) or resume the call's recording;
   * the paused span is recorded as silence and the CDR chain notes it. False when not recorded.
   */
  async pauseRecording(paused: boolean): Promise<boolean> {
    if (this.state !== 'bridged' || !this.recordingRel) return false;
    try {
      await this.ctx.switch.pauseRecording(this.caller, paused);
    } catch (err) {
      this.log.warn({ err, paused }, 'recording could not be paused or resumed');
      return false;
    }
    if (this.recordingPaused === paused) return true;
    this.recordingPaused = paused;
    const at = new Date(this.ctx.clock.now()).toISOString();
    this.addChain({ at, action: paused ? 'recording_paused' : 'recording_resumed', by: this.answeredBy });
    return true;
  }

  private async enterQueue(group: string, priority: number): Promise<void> {
    this.ivr.stop();
    if (this.state !== 'ivr') return;
    this.transition('queued');
    this.group = group;
    this.queuedAtMs = this.ctx.clock.now();
    // In a flow an agent transferred the caller to: the CDR keeps the first queue and answer, and
    // the call is not offered back to the caller's last agent (the one who passed it on).
    const first = this.answeredAtMs === null;
    const queued = first ? { queuedAt: new Date(this.queuedAtMs), queue: group } : {};
    this.writeCdr({ ...queued, ivrPath: this.ivr.path });
    this.queuePriority = priority;
    this.ctx.enqueue(this, group, priority, { ...this.callerFacts(), sticky: first });
    this.announceQueue();
  }

  private announceQueue(): void {
    void runQueueAnnouncer({
      leg: this.caller,
      tts: this.ctx.tts,
      greeting: queueAnnouncement,
      holdMusic: this.ctx.holdMusic,
      intervalMs: this.ctx.announceIntervalMs,
      status: () => this.ctx.queueStatus(this.callId),
      stillWaiting: () => this.onLine(),
      mayAnnounce: () => this.state === 'queued',
      extra: this.ctx.callbackEnabled ? callbackPrompts.offer : null,
    }).catch((err: unknown) => this.log.warn({ err }, 'queue announcements failed'));
  }

  private callerFacts(): { e164: string | null; tier: string | null; internal: boolean } {
    return {
      internal: this.internal !== null,
      e164: this.lookup.e164,
      tier: this.lookup.matches.length === 1 ? this.lookup.matches[0]!.tier : null,
    };
  }

  /** Waiting for an agent, on the line or as a callback request. */
  private waiting(): boolean {
    return isWaiting(this.state);
  }

  private onLine(): boolean {
    return this.state === 'queued' || this.state === 'offering';
  }

  private inCallback(): boolean {
    return isCallback(this.state);
  }

  /** ACD-06: the caller keeps their place but hangs up; an agent calls them back. */
  private async requestCallback(): Promise<void> {
    this.transition('callback_waiting');
    this.writeCdr({ callbackRequestedAt: new Date(this.ctx.clock.now()) });
    this.log.info('callback requested');
    await this.caller.stopPlayback();
    const confirmed = await this.ctx.tts
      .prompt(callbackPrompts.confirmed.lang, callbackPrompts.confirmed.tts)
      .catch(() => null);
    if (confirmed) await this.caller.play([confirmed]);
    await this.caller.hangup();
  }

  /** The agent took the callback: cue them, dial the customer through the trunk, then bridge. */
  private async callbackCustomer(agentLeg: CallLeg, agentId: string): Promise<void> {
    this.transition('callback_customer');
    this.answeredBy = agentId;
    this.agentLeg = agentLeg;
    agentLeg.onEnded(() => {
      if (this.agentLeg === agentLeg && !this.floor) void this.end('agent');
    });
    const now = this.ctx.clock.now();
    // The service level counts when the customer is reached, not when the agent picks up.
    this.ctx.agentAnswered(agentId, this.callId, this.group ?? '', null);
    this.desk.answered(agentId, now);
    const cue = await this.ctx.tts
      .prompt(callbackPrompts.agentCue.lang, callbackPrompts.agentCue.tts)
      .catch(() => null);
    if (cue) void agentLeg.play([cue, this.ctx.holdMusic], {});
    this.callbackAttempts += 1;
    const dial = this.ctx.switch.dial(this.lookup.e164 ?? this.caller.fromUser, {
      callerId: this.caller.toUser,
      timeoutMs: 30_000,
      near: agentLeg,
    });
    this.dials.set('customer', dial);
    try {
      const customer = await dial.answered;
      this.dials.delete('customer');
      if (this.state !== 'callback_customer') {
        await customer.hangup();
        return;
      }
      this.caller = customer;
      customer.onEnded(() => {
        if (this.caller === customer) void this.end('caller');
      });
      if (this.group) {
        const waitSec = this.queuedAtMs === null ? 0 : (this.ctx.clock.now() - this.queuedAtMs) / 1000;
        this.ctx.callerConnected(this.group, waitSec);
      }
      await this.connect(agentLeg, agentId);
    } catch (err) {
      this.dials.delete('customer');
      if (this.state !== 'callback_customer') return;
      const failure = err instanceof DialError ? err.failure : 'failed';
      this.log.info({ failure, attempt: this.callbackAttempts }, 'callback not answered');
      // Release the agent without ending the session, then try again later or give up.
      this.agentLeg = null;
      this.answeredBy = null;
      await agentLeg.hangup();
      this.ctx.agentCallEnded(agentId, this.group, null);
      this.desk.ended(agentId, 'callback_no_answer', { forget: true });
      if (this.callbackAttempts >= this.ctx.callbackAttempts) {
        await this.end('system', 'callback_failed');
        return;
      }
      this.transition('callback_waiting');
      setTimeout(() => {
        if (this.state === 'callback_waiting' && this.group) {
          // Back in the queue as a new arrival, with the priority the caller's rules gave it.
          this.ctx.enqueue(this, this.group, this.queuePriority, this.callerFacts());
        }
      }, this.ctx.callbackRetryMs).unref();
    }
  }

  async end(by: 'caller' | 'agent' | 'system', disposition?: Disposition): Promise<void> {
    if (this.state === 'ended') return;
    const was = this.state;
    this.transition('ended');
    this.ivr.stop();
    const endedAt = new Date(this.ctx.clock.now());
    if (was === 'queued' || was === 'offering' || was === 'callback_waiting' || was === 'callback_agent') {
      const waitSec = this.queuedAtMs === null ? null : (endedAt.getTime() - this.queuedAtMs) / 1000;
      this.ctx.dequeue(this.callId, this.group, waitSec);
    }
    for (const d of this.dials.values()) d.cancel();
    this.dials.clear();
    this.ivrDial?.cancel();
    // Other agents still in a conference are done too; the owner is accounted for below.
    const others = (await this.floor?.teardown()) ?? [];
    for (const o of others)
      if (o.agentId !== this.answeredBy) this.ctx.agentCallEnded(o.agentId, this.group, o.talkSec);
    let recordingDurationMs: number | null = null;
    if (this.agentLeg || this.recordingRel) {
      const rec = await this.ctx.switch.stopRecording(this.caller).catch(() => null);
      recordingDurationMs = rec?.durationMs ?? null;
    }
    await Promise.allSettled([this.caller.hangup(), this.agentLeg?.hangup()]);
    const final = disposition ?? this.refusal ?? endedIn(was, this.answeredAtMs !== null);
    this.writeCdr({
      endedAt,
      disposition: final,
      hangupBy: by,
      ivrPath: this.ivr.path,
      ...(recordingDurationMs !== null ? { recordingDurationMs } : {}),
    });
    await this.cdrWrites;
    const customerId = this.ivrFacts().customerId;
    if (customerId && this.ivrAtMs !== null && this.ctx.ivrServices)
      void this.ctx.ivrServices.ivrSessionEnded({
        customerId,
        callId: this.callId,
        path: this.ivr.path,
        outcome: final,
        queue: this.group,
        startedAt: new Date(this.ivrAtMs),
        endedAt,
      });
    for (const agentId of this.desk.popped) this.desk.ended(agentId, final, { at: endedAt.getTime() });
    if (this.answeredBy && was === 'bridged') {
      const talkSec = this.answeredAtMs === null ? 0 : (endedAt.getTime() - this.answeredAtMs) / 1000;
      this.ctx.agentCallEnded(this.answeredBy, this.group, talkSec);
    }
    this.ctx.sessionEnded(this);
    this.log.info({ disposition: final, by }, 'call ended');
  }

  private writeCdr(patch: CdrPatch): void {
    const id = this.cdrId;
    if (!id) return;
    // Writes are chained so they land in order; a failed write is logged, never thrown at the caller.
    this.cdrWrites = this.cdrWrites
      .then(() => this.ctx.cdrs.update(id, patch))
      .catch((err: unknown) => this.log.error({ err }, 'CDR update failed'));
  }

  private transition(to: SessionState): void {
    this.state = nextState(this.state, to);
  }
}
