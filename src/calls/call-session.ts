/**
 * One inbound call from offer to wrap-up (CC-01): service number → IVR flow → queue → agent leg →
 * bridge and record → hangup. The session is thin: the IVR decides what to say, the ACD decides
 * who answers, the switch moves audio; the session carries their decisions out and keeps the CDR
 * current at every step (CC-09).
 *
 * States: offered → ivr → queued → offering → bridged → ended
 *   (ended is reachable from every state; offering → queued when an agent does not answer)
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { QueuedCall } from '../acd/index.ts';
import type { CallerLookup } from '../crm/index.ts';
import { maskPhone } from '../crm/index.ts';
import { FlowRun, flowDocument, queueAnnouncement, type IvrAction, type PromptItem } from '../ivr/index.ts';
import type { Logger } from '../shared/index.ts';
import type { CallLeg, PendingDial } from '../telephony/call-leg.ts';
import { DialError } from '../telephony/call-leg.ts';
import type { CdrPatch, Disposition } from './cdr.repository.ts';
import type { CallContext } from './call-context.ts';
import { runQueueAnnouncer } from './queue-announcer.ts';

export type SessionState = 'offered' | 'ivr' | 'queued' | 'offering' | 'bridged' | 'ended';

const allowed: Record<SessionState, readonly SessionState[]> = {
  offered: ['ivr', 'ended'],
  ivr: ['queued', 'ended'],
  queued: ['offering', 'ended'],
  offering: ['bridged', 'queued', 'ended'],
  bridged: ['ended'],
  ended: [],
};

export class CallSession {
  state: SessionState = 'offered';
  private cdrId: string | null = null;
  private cdrWrites: Promise<void> = Promise.resolve();
  private flow: FlowRun | null = null;
  private ivrTimer: NodeJS.Timeout | null = null;
  private queued: QueuedCall | null = null;
  private group: string | null = null;
  private lookup: CallerLookup = { e164: null, matches: [] };
  private readonly dials = new Map<string, PendingDial>();
  /** Agents whose desktops popped this call; they all hear how it ended. */
  private readonly offeredTo = new Set<string>();
  private answeredBy: string | null = null;
  private agentLeg: CallLeg | null = null;
  private recordingRel: string | null = null;
  private queuedAtMs: number | null = null;
  private answeredAtMs: number | null = null;
  private readonly log: Logger;

  constructor(
    readonly caller: CallLeg,
    private readonly ctx: CallContext,
  ) {
    this.log = ctx.logger.child({ call: caller.callId, caller: maskPhone(caller.fromUser) });
  }

  get callId(): string {
    return this.caller.callId;
  }

  /** ACD-04: the engine moved the waiting call to another group; the CDR follows. */
  overflowedTo(group: string): void {
    if (!this.waiting()) return;
    this.log.info({ from: this.group, to: group }, 'call overflowed');
    this.group = group;
    this.writeCdr({ queue: group });
  }

  /** The queue this call waits in, with the time it entered, while it waits for an agent. */
  get waitingIn(): { group: string; queuedAt: number } | null {
    return (this.state === 'queued' || this.state === 'offering') && this.group && this.queuedAtMs !== null
      ? { group: this.group, queuedAt: this.queuedAtMs }
      : null;
  }

  async run(): Promise<void> {
    const offeredAt = new Date(this.ctx.clock.now());
    this.caller.onEnded((reason) => {
      this.log.info({ reason }, 'caller leg ended');
      void this.end(reason === 'local' ? 'system' : 'caller');
    });
    this.lookup = await this.ctx.customers.lookupCaller(this.caller.fromUser).catch((err: unknown) => {
      this.log.warn({ err }, 'customer lookup failed');
      return { e164: null, matches: [] };
    });
    this.cdrId = await this.ctx.cdrs.open({
      callId: this.callId,
      caller: this.caller.fromUser,
      callerE164: this.lookup.e164,
      dnis: this.caller.toUser,
      offeredAt,
    });
    if (this.lookup.matches.length === 1) this.writeCdr({ customerId: this.lookup.matches[0]!.id });
    if (this.state === 'ended') return;

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
    this.writeCdr({ ivrAt: new Date(this.ctx.clock.now()) });
    this.flow = new FlowRun(parsed.data);
    this.caller.onDtmf((digit) => this.apply(this.flow?.onDigit(digit) ?? []));
    this.apply(this.flow.start());
  }

  /**
   * The ACD reserved agents for this call: pop the card on each desktop first (CC-12), then ring
   * their phones. One agent for most strategies; several at once for ring_all, and one more at a
   * time for ring_progressively (`followUp`). The first to answer wins; the others stop ringing.
   */
  offer(agents: { agentId: string; extension: string }[], call: QueuedCall, followUp: boolean): void {
    if (followUp ? this.state !== 'offering' || this.answeredBy !== null : this.state !== 'queued') {
      this.ctx.offerWithdrawn(call.callId);
      return;
    }
    if (!followUp) {
      this.transition('offering');
      this.queued = call;
    }
    for (const a of agents) this.ring(a.agentId, a.extension, call);
  }

  private ring(agentId: string, extension: string, call: QueuedCall): void {
    this.offeredTo.add(agentId);
    this.ctx.cti.publish(
      'call.offered',
      {
        callId: this.callId,
        agentId,
        caller: this.lookup.e164 ?? this.caller.fromUser,
        dnis: this.caller.toUser,
        queue: this.group,
        customer: this.lookup.matches.length === 1 ? this.lookup.matches[0]! : null,
        matches: this.lookup.matches,
      },
      { agentId },
    );
    const ringTimeoutMs = (this.ctx.groupConfig(call.group)?.ringTimeoutSeconds ?? 20) * 1000;
    const dial = this.ctx.switch.dial(extension, {
      callerId: this.caller.fromUser,
      callerName: this.lookup.matches.length === 1 ? this.lookup.matches[0]!.name : undefined,
      timeoutMs: ringTimeoutMs,
    });
    this.dials.set(agentId, dial);
    dial.answered.then(
      (leg) => {
        this.dials.delete(agentId);
        if (this.answeredBy !== null || this.state !== 'offering') {
          // Lost the race to another agent, or the caller left: end the leg we no longer need.
          void leg.hangup();
          return;
        }
        this.answeredBy = agentId;
        for (const [other, d] of this.dials) {
          d.cancel();
          this.offeredTo.delete(other);
          this.ctx.cti.publish(
            'call.ended',
            {
              callId: this.callId,
              agentId: other,
              disposition: 'answered_elsewhere',
              endedAt: new Date(this.ctx.clock.now()).toISOString(),
            },
            { agentId: other },
          );
        }
        this.dials.clear();
        void this.bridgeTo(leg, agentId);
      },
      (err: unknown) => {
        this.dials.delete(agentId);
        // Cancelled because another agent answered (the engine released them) or the call ended
        // (its end withdrew the offer): nothing more to do.
        if (this.answeredBy !== null || this.state !== 'offering') return;
        const failure = err instanceof DialError ? err.failure : 'failed';
        this.log.info({ agent: extension, failure }, 'agent leg not answered');
        this.ctx.offerMissed(agentId, this.callId);
        this.ctx.cti.publish(
          'call.ended',
          {
            callId: this.callId,
            agentId,
            disposition: 'missed',
            endedAt: new Date(this.ctx.clock.now()).toISOString(),
          },
          { agentId },
        );
        this.offeredTo.delete(agentId);
        if (this.dials.size === 0) {
          this.transition('queued');
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
    this.transition('bridged');
    leg.onEnded(() => void this.end('agent'));
    const answeredAt = new Date(this.ctx.clock.now());
    const agent = this.ctx.agentRecord(agentId);
    this.writeCdr({ answeredAt, agentId, agentExtension: agent?.extension ?? null });
    this.answeredAtMs = answeredAt.getTime();
    const waitSec = this.queuedAtMs === null ? 0 : (this.answeredAtMs - this.queuedAtMs) / 1000;
    this.ctx.agentAnswered(agentId, this.callId, this.group ?? '', waitSec);
    this.ctx.cti.publish(
      'call.answered',
      { callId: this.callId, agentId, answeredAt: answeredAt.toISOString() },
      { agentId },
    );
    await this.caller.stopPlayback();
    await this.ctx.switch.bridge(this.caller, leg);
    if (this.cdrId && this.ctx.recordingPolicy(agentId, this.group)) {
      const d = answeredAt;
      const rel = join(
        String(d.getUTCFullYear()),
        String(d.getUTCMonth() + 1).padStart(2, '0'),
        String(d.getUTCDate()).padStart(2, '0'),
        `${this.cdrId}.wav`,
      );
      const abs = join(this.ctx.recordingsDir, rel);
      mkdirSync(dirname(abs), { recursive: true });
      try {
        await this.ctx.switch.startRecording(this.caller, leg, abs);
        this.recordingRel = relative(this.ctx.recordingsDir, abs);
        this.writeCdr({ recordingPath: this.recordingRel });
      } catch (err) {
        this.log.error({ err }, 'recording did not start');
      }
    }
  }

  private apply(actions: IvrAction[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'play':
          void this.playPrompts(action.prompts).then((result) => {
            if (result === 'finished' && this.state === 'ivr') this.apply(this.flow?.onPlaybackDone() ?? []);
          });
          break;
        case 'stop_playback':
          void this.caller.stopPlayback();
          break;
        case 'start_timer':
          this.clearIvrTimer();
          this.ivrTimer = setTimeout(() => this.apply(this.flow?.onTimeout() ?? []), action.ms);
          break;
        case 'cancel_timer':
          this.clearIvrTimer();
          break;
        case 'queue':
          void this.enterQueue(action.group, action.priority);
          break;
        case 'hangup':
          void this.caller.hangup().then(() => this.end('system', 'ivr'));
          break;
      }
    }
  }

  private async playPrompts(prompts: PromptItem[]): Promise<'finished' | 'stopped'> {
    const files = await Promise.all(
      prompts.map((p) => ('file' in p ? p.file : this.ctx.tts.prompt(p.lang, p.tts))),
    );
    if (this.state === 'ended') return 'stopped';
    return this.caller.play(files);
  }

  private async enterQueue(group: string, priority: number): Promise<void> {
    this.clearIvrTimer();
    if (this.state !== 'ivr') return;
    this.transition('queued');
    this.group = group;
    this.queuedAtMs = this.ctx.clock.now();
    this.writeCdr({ queuedAt: new Date(this.queuedAtMs), queue: group, ivrPath: this.flow?.path ?? [] });
    this.ctx.enqueue(this, group, priority, {
      e164: this.lookup.e164,
      tier: this.lookup.matches.length === 1 ? this.lookup.matches[0]!.tier : null,
    });
    void runQueueAnnouncer({
      leg: this.caller,
      tts: this.ctx.tts,
      greeting: queueAnnouncement,
      holdMusic: this.ctx.holdMusic,
      intervalMs: this.ctx.announceIntervalMs,
      status: () => this.ctx.queueStatus(this.callId),
      stillWaiting: () => this.waiting(),
      mayAnnounce: () => this.state === 'queued',
    }).catch((err: unknown) => this.log.warn({ err }, 'queue announcements failed'));
  }

  private waiting(): boolean {
    return this.state === 'queued' || this.state === 'offering';
  }

  async end(by: 'caller' | 'agent' | 'system', disposition?: Disposition): Promise<void> {
    if (this.state === 'ended') return;
    const was = this.state;
    this.transition('ended');
    this.clearIvrTimer();
    const endedAt = new Date(this.ctx.clock.now());
    if (was === 'queued' || was === 'offering') {
      const waitSec = this.queuedAtMs === null ? null : (endedAt.getTime() - this.queuedAtMs) / 1000;
      this.ctx.dequeue(this.callId, this.group, waitSec);
    }
    for (const d of this.dials.values()) d.cancel();
    this.dials.clear();
    let recordingDurationMs: number | null = null;
    if (this.agentLeg) {
      const rec = await this.ctx.switch.stopRecording(this.caller).catch(() => null);
      recordingDurationMs = rec?.durationMs ?? null;
    }
    await Promise.allSettled([this.caller.hangup(), this.agentLeg?.hangup()]);
    const final: Disposition =
      disposition ??
      (was === 'bridged'
        ? 'answered'
        : was === 'queued' || was === 'offering'
          ? 'abandoned'
          : was === 'ivr'
            ? 'ivr'
            : 'failed');
    this.writeCdr({
      endedAt,
      disposition: final,
      hangupBy: by,
      ivrPath: this.flow?.path ?? [],
      ...(recordingDurationMs !== null ? { recordingDurationMs } : {}),
    });
    await this.cdrWrites;
    for (const agentId of this.offeredTo) {
      this.ctx.cti.publish(
        'call.ended',
        { callId: this.callId, agentId, disposition: final, endedAt: endedAt.toISOString() },
        { agentId },
      );
    }
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

  private clearIvrTimer(): void {
    if (this.ivrTimer) clearTimeout(this.ivrTimer);
    this.ivrTimer = null;
  }

  private transition(to: SessionState): void {
    if (!allowed[this.state].includes(to))
      throw new Error(`call session ${this.state} → ${to} is not allowed`);
    this.state = to;
  }
}
