/**
 * The parties of a connected call and what each hears (CC-02 … CC-05, CC-11): hold with music,
 * mute, blind and attended transfer, conference with colleagues and outside numbers, and the
 * supervisor's silent monitoring, whisper and barge-in. Two parties start in a plain bridge; the
 * first feature that needs more moves them into a media-engine room, where "who hears whom" is
 * set per party.
 *
 * Party roles: `customer` (the caller; if they hang up the call ends), `agent` (the agent who owns
 * the call now), `consult` (an agent or number being consulted before a transfer; the customer
 * does not hear them), `conference` (a third party everyone hears), `supervisor` (listen, whisper
 * or barge). When the owning agent leaves, the next agent party takes the call over; when no agent
 * and no outside conference party is left with the customer, the call ends.
 */
import type { Logger } from '../shared/index.ts';
import {
  DialError,
  type AudioTapEvent,
  type CallLeg,
  type CallSwitch,
  type PendingDial,
} from '../telephony/call-leg.ts';

export type PartyRole = 'customer' | 'agent' | 'consult' | 'conference' | 'supervisor';
export type SupervisorMode = 'listen' | 'whisper' | 'barge';

export interface PartyView {
  id: string;
  role: PartyRole;
  /** Name or number shown on desks. */
  label: string;
  agentId: string | null;
  held: boolean;
  muted: boolean;
  mode: SupervisorMode | null;
  state: 'ringing' | 'connected';
}

/** Where a new party is dialled: an agent's extension or an outside number through the trunk. */
export interface DialTarget {
  dial: string;
  label: string;
  agentId: string | null;
  callerId: string;
  /** Sent as RFC 4733 DTMF once the party answers ("switchboard + extension"). */
  dtmf?: string;
}

export interface ChainEntry {
  at: string;
  action:
    | 'answered'
    | 'hold'
    | 'retrieve'
    | 'blind_transfer'
    | 'consult'
    | 'transfer'
    | 'consult_cancelled'
    | 'conference'
    | 'left'
    | 'monitor'
    | 'force_release'
    | 'recording_paused'
    | 'recording_resumed';
  by: string | null;
  party?: string;
  target?: string;
  mode?: string;
  result?: 'ok' | 'failed';
}

export interface FloorHooks {
  /** The agent who owns the call changed (transfer, or the owner left a conference). */
  ownerChanged(agentId: string, leg: CallLeg): void;
  /** An agent is done with this call (left, transferred away, dropped): their wrap-up starts. */
  agentLeft(agentId: string, talkSec: number): void;
  /** An agent party answered and is now on this call. */
  agentJoined(agentId: string): void;
  /** An agent party was dialled but did not answer. */
  agentUnreached(agentId: string): void;
  /** Where a transfer the agent's phone asked for (SIP REFER) should go; throws when not allowed. */
  resolveTransfer(agentId: string, target: string): Promise<DialTarget>;
  /** Nobody is left to talk to the customer: end the call. */
  deserted(by: 'agent' | 'system'): void;
  changed(parties: PartyView[]): void;
  chain(entry: ChainEntry): void;
}

interface Party extends PartyView {
  leg: CallLeg | null;
  dial: PendingDial | null;
  joinedAt: number;
}

export class CallFloor {
  private readonly parties = new Map<string, Party>();
  private roomId: string | null = null;
  private seq = 0;
  private closed = false;

  constructor(
    private readonly sw: CallSwitch,
    private readonly holdMusic: string,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly hooks: FloorHooks,
    customer: { leg: CallLeg; label: string },
    agent: { leg: CallLeg; agentId: string; label: string },
  ) {
    this.add('customer', customer.label, null, customer.leg);
    const owner = this.add('agent', agent.label, agent.agentId, agent.leg);
    this.hooks.chain({ at: this.iso(), action: 'answered', by: agent.agentId, party: owner.id });
  }

  list(): PartyView[] {
    return [...this.parties.values()].map(({ id, role, label, agentId, held, muted, mode, state }) => ({
      id,
      role,
      label,
      agentId,
      held,
      muted,
      mode,
      state,
    }));
  }

  /** The agent who owns the call. */
  get owner(): string | null {
    return this.ownerParty()?.agentId ?? null;
  }

  isOnCall(agentId: string): boolean {
    return [...this.parties.values()].some((p) => p.agentId === agentId && p.leg !== null);
  }

  // ---- the owner's controls ----

  async hold(by: string, on: boolean): Promise<void> {
    const customer = this.customer();
    if (customer.held === on) return;
    await this.ensureRoom();
    customer.held = on;
    if (on) {
      await this.applyHearing();
      void customer.leg!.play([this.holdMusic], { loop: true }).catch(() => undefined);
    } else {
      await customer.leg!.stopPlayback();
      await this.applyHearing();
    }
    this.hooks.chain({ at: this.iso(), action: on ? 'hold' : 'retrieve', by });
    this.changed();
  }

  async mute(agentId: string, on: boolean): Promise<void> {
    const party = [...this.parties.values()].find((p) => p.agentId === agentId && p.leg);
    if (!party) throw new Error('not on this call');
    await this.ensureRoom();
    party.muted = on;
    await this.applyHearing();
    this.changed();
  }

  /** Blind transfer: the owner leaves now; the customer hears music until the target answers. */
  async blindTransfer(by: string, target: DialTarget): Promise<void> {
    const owner = this.requireOwner(by);
    await this.ensureRoom();
    const customer = this.customer();
    customer.held = true;
    await this.applyHearing();
    void customer.leg!.play([this.holdMusic], { loop: true }).catch(() => undefined);
    const party = this.add('agent', target.label, target.agentId, null);
    party.state = 'ringing';
    this.hooks.chain({ at: this.iso(), action: 'blind_transfer', by, target: target.label });
    await this.leave(owner, 'transferred');
    this.changed();
    const leg = await this.dialParty(party, target);
    if (!leg) {
      // Nobody took it: the customer is not left alone with the music.
      this.hooks.chain({
        at: this.iso(),
        action: 'blind_transfer',
        by,
        target: target.label,
        result: 'failed',
      });
      if (!this.ownerParty()) this.hooks.deserted('system');
      return;
    }
    customer.held = false;
    await customer.leg!.stopPlayback();
    await this.applyHearing();
    this.hooks.ownerChanged(party.agentId ?? '', leg);
    this.changed();
  }

  /** Attended transfer, step 1: the customer is held while the owner talks to the target. */
  async consult(by: string, target: DialTarget): Promise<string> {
    this.requireOwner(by);
    if ([...this.parties.values()].some((p) => p.role === 'consult'))
      throw new FloorError('a consultation is already in progress');
    await this.hold(by, true);
    const party = this.add('consult', target.label, target.agentId, null);
    party.state = 'ringing';
    this.hooks.chain({ at: this.iso(), action: 'consult', by, party: party.id, target: target.label });
    this.changed();
    void this.dialParty(party, target).then((leg) => {
      if (!leg)
        this.hooks.chain({ at: this.iso(), action: 'consult', by, target: target.label, result: 'failed' });
      this.changed();
    });
    return party.id;
  }

  /** Attended transfer, step 2: the consulted party takes the customer; the owner leaves. */
  async completeTransfer(by: string): Promise<void> {
    const owner = this.requireOwner(by);
    const consult = [...this.parties.values()].find((p) => p.role === 'consult');
    if (!consult?.leg) throw new FloorError('no answered consultation to transfer to');
    consult.role = consult.agentId ? 'agent' : 'conference';
    this.customer().held = false;
    await this.customer().leg!.stopPlayback();
    this.hooks.chain({ at: this.iso(), action: 'transfer', by, party: consult.id, target: consult.label });
    await this.leave(owner, 'transferred');
    await this.applyHearing();
    if (consult.agentId) this.hooks.ownerChanged(consult.agentId, consult.leg);
    this.changed();
  }

  /** Attended transfer abandoned: the consulted party is released and the customer retrieved. */
  async cancelConsult(by: string): Promise<void> {
    this.requireOwner(by);
    const consult = [...this.parties.values()].find((p) => p.role === 'consult');
    if (!consult) throw new FloorError('no consultation in progress');
    await this.leave(consult, 'cancelled');
    this.hooks.chain({ at: this.iso(), action: 'consult_cancelled', by, party: consult.id });
    await this.hold(by, false);
  }

  /** Conference: a colleague or an outside number joins; everyone hears everyone. */
  async addParty(by: string, target: DialTarget): Promise<string> {
    this.requireOwner(by);
    if (this.parties.size >= 8) throw new FloorError('a conference has at most 8 parties');
    await this.ensureRoom();
    const party = this.add('conference', target.label, target.agentId, null);
    party.state = 'ringing';
    this.hooks.chain({ at: this.iso(), action: 'conference', by, party: party.id, target: target.label });
    this.changed();
    void this.dialParty(party, target).then((leg) => {
      if (!leg)
        this.hooks.chain({
          at: this.iso(),
          action: 'conference',
          by,
          target: target.label,
          result: 'failed',
        });
      this.changed();
    });
    return party.id;
  }

  /** Drop one party (the owner ending a consultation or removing a conference member). */
  async dropParty(by: string, partyId: string): Promise<void> {
    const party = this.parties.get(partyId);
    if (!party || party.role === 'customer') throw new FloorError('no such party to drop');
    // Anyone may leave; only the owner removes others.
    if (party.agentId !== by) this.requireOwner(by);
    this.hooks.chain({ at: this.iso(), action: 'left', by, party: partyId });
    await this.leave(party, 'dropped');
    this.changed();
  }

  // ---- supervisors (CC-05, CC-11) ----

  async supervise(
    supervisorId: string,
    label: string,
    target: DialTarget,
    mode: SupervisorMode,
  ): Promise<string> {
    const existing = [...this.parties.values()].find((p) => p.role === 'supervisor' && p.label === label);
    if (existing) {
      await this.setSupervisorMode(existing.id, mode, supervisorId);
      return existing.id;
    }
    await this.ensureRoom();
    const party = this.add('supervisor', label, null, null);
    party.mode = mode;
    party.state = 'ringing';
    this.hooks.chain({ at: this.iso(), action: 'monitor', by: supervisorId, party: party.id, mode });
    this.changed();
    const leg = await this.dialParty(party, target);
    if (!leg) throw new FloorError('the supervisor’s phone did not answer');
    return party.id;
  }

  /** A supervisor who dialled a feature code from their phone joins with that leg (CC-05). */
  async superviseFromPhone(
    supervisorId: string,
    label: string,
    leg: CallLeg,
    mode: SupervisorMode,
  ): Promise<string> {
    await this.ensureRoom();
    const party = this.add('supervisor', label, null, leg);
    party.mode = mode;
    await this.sw.joinConference(this.roomId!, leg, {});
    await this.applyHearing();
    this.hooks.chain({ at: this.iso(), action: 'monitor', by: supervisorId, party: party.id, mode });
    this.changed();
    return party.id;
  }

  async setSupervisorMode(partyId: string, mode: SupervisorMode, by: string): Promise<void> {
    const party = this.parties.get(partyId);
    if (party?.role !== 'supervisor') throw new FloorError('no such supervisor on this call');
    party.mode = mode;
    await this.applyHearing();
    this.hooks.chain({ at: this.iso(), action: 'monitor', by, party: partyId, mode });
    this.changed();
  }

  /** Real-time listening in the browser (CC-11): hear the whole call as a silent member. */
  async listen(listener: (event: AudioTapEvent) => void): Promise<() => Promise<void>> {
    await this.ensureRoom();
    return this.sw.startConferenceTap(this.roomId!, listener);
  }

  /** Hang up every party but the customer (the session ends the customer's leg). */
  async teardown(): Promise<{ agentId: string; talkSec: number }[]> {
    this.closed = true;
    const agents: { agentId: string; talkSec: number }[] = [];
    for (const p of this.parties.values()) {
      p.dial?.cancel();
      if (p.role === 'customer') continue;
      if (p.agentId && p.leg && p.role !== 'agent')
        agents.push({ agentId: p.agentId, talkSec: this.talkSec(p) });
      await p.leg?.hangup().catch(() => undefined);
    }
    if (this.roomId) await this.sw.destroyConference(this.roomId).catch(() => undefined);
    this.roomId = null;
    return agents;
  }

  // ---- internals ----

  private add(role: PartyRole, label: string, agentId: string | null, leg: CallLeg | null): Party {
    const party: Party = {
      id: `p${++this.seq}`,
      role,
      label,
      agentId,
      held: false,
      muted: false,
      mode: null,
      state: 'connected',
      leg,
      dial: null,
      joinedAt: this.now(),
    };
    this.parties.set(party.id, party);
    if (leg) this.watch(party, leg);
    return party;
  }

  private watch(party: Party, leg: CallLeg): void {
    // CC-03: a phone's own transfer key (SIP REFER) is a blind transfer by that agent.
    leg.onTransferRequest(async (target) => {
      const agentId = party.agentId;
      if (!agentId || this.ownerParty() !== party) return null;
      const dial = await this.hooks.resolveTransfer(agentId, target).catch((err: unknown) => {
        this.log.info({ err: err instanceof Error ? err.message : err }, 'REFER target refused');
        return null;
      });
      if (!dial) return null;
      return () =>
        void this.blindTransfer(agentId, dial).catch((err: unknown) =>
          this.log.warn({ err }, 'transfer requested by the phone failed'),
        );
    });
    leg.onEnded(() => {
      if (this.closed || party.leg !== leg) return;
      this.log.info({ party: party.id, role: party.role }, 'party left the call');
      if (party.role === 'customer') return; // the session ends the call
      this.hooks.chain({ at: this.iso(), action: 'left', by: party.agentId, party: party.id });
      void this.leave(party, 'hung_up').then(() => this.changed());
    });
  }

  /** Dial a party and join them; null when they do not answer (the party is removed). */
  private async dialParty(party: Party, target: DialTarget): Promise<CallLeg | null> {
    const dial = this.sw.dial(target.dial, { callerId: target.callerId, timeoutMs: 30_000 });
    party.dial = dial;
    try {
      const leg = await dial.answered;
      party.dial = null;
      if (this.closed || !this.parties.has(party.id)) {
        await leg.hangup();
        return null;
      }
      party.leg = leg;
      party.state = 'connected';
      party.joinedAt = this.now();
      this.watch(party, leg);
      await this.ensureRoom();
      await this.sw.joinConference(this.roomId!, leg, {});
      if (target.dtmf) {
        // The party is on the line either way; digits they could not take are logged, not fatal.
        await this.sw
          .sendDtmf(leg, target.dtmf)
          .catch((err: unknown) => this.log.warn({ err, party: party.id }, 'extension digits not sent'));
      }
      await this.applyHearing();
      if (party.agentId && party.role !== 'supervisor') this.hooks.agentJoined(party.agentId);
      return leg;
    } catch (err) {
      party.dial = null;
      const failure = err instanceof DialError ? err.failure : 'failed';
      this.log.info({ party: party.id, failure }, 'party did not answer');
      this.parties.delete(party.id);
      if (party.agentId && party.role !== 'supervisor') this.hooks.agentUnreached(party.agentId);
      return null;
    }
  }

  /** A party goes: their leg is hung up; an agent's wrap-up starts; the owner role moves on. */
  private async leave(party: Party, why: string): Promise<void> {
    if (!this.parties.delete(party.id)) return;
    party.dial?.cancel();
    const leg = party.leg;
    party.leg = null;
    if (leg) {
      if (this.roomId) await this.sw.leaveConference(this.roomId, leg).catch(() => undefined);
      await leg.hangup().catch(() => undefined);
    }
    if (party.agentId && leg && party.role !== 'supervisor')
      this.hooks.agentLeft(party.agentId, this.talkSec(party));
    this.log.info({ party: party.id, role: party.role, why }, 'party removed');
    if (party.role === 'agent') {
      const next = [...this.parties.values()].find(
        (p) => p.role === 'agent' || (p.role === 'conference' && p.agentId),
      );
      if (next?.leg && next.agentId) {
        next.role = 'agent';
        this.hooks.ownerChanged(next.agentId, next.leg);
      }
    }
    const talking = [...this.parties.values()].some(
      (p) => p.role === 'agent' || p.role === 'conference' || (p.role === 'consult' && p.leg),
    );
    const ringing = [...this.parties.values()].some((p) => p.dial !== null && p.role !== 'supervisor');
    if (!talking && !ringing && why !== 'transferred')
      this.hooks.deserted(why === 'hung_up' ? 'agent' : 'system');
    else await this.applyHearing();
  }

  /** From a two-party bridge into a room (once; later joins go straight into the room). */
  private async ensureRoom(): Promise<void> {
    if (this.roomId) return;
    this.roomId = await this.sw.createConference();
    for (const p of this.parties.values()) if (p.leg) await this.sw.joinConference(this.roomId, p.leg, {});
    await this.applyHearing();
  }

  /**
   * Who hears whom. Everyone hears every connected party except: nobody hears a held customer or
   * a muted party; a held customer hears only the music (a playing prompt replaces the mix); the
   * customer does not hear a consulted party; supervisors: listen — heard by nobody; whisper —
   * heard by agents only; barge — heard by all.
   */
  private async applyHearing(): Promise<void> {
    if (!this.roomId) return;
    const live = [...this.parties.values()].filter((p) => p.leg);
    for (const listener of live) {
      const hears = live.filter((speaker) => speaker !== listener && this.audible(speaker, listener));
      const speaks = !listener.muted && !(listener.role === 'customer' && listener.held);
      await this.sw
        .updateConferenceMember(this.roomId, listener.leg!, { hears: hears.map((p) => p.leg!), speaks })
        .catch((err: unknown) => this.log.warn({ err }, 'conference update failed'));
    }
  }

  private audible(speaker: Party, listener: Party): boolean {
    if (speaker.muted || (speaker.role === 'customer' && speaker.held)) return false;
    if (speaker.role === 'supervisor') {
      if (speaker.mode === 'barge') return true;
      if (speaker.mode === 'whisper') return listener.role === 'agent' || listener.role === 'supervisor';
      return false;
    }
    if (listener.role === 'customer' && speaker.role === 'consult') return false;
    if (speaker.role === 'customer' && listener.role === 'consult') return false;
    return true;
  }

  private customer(): Party {
    const c = [...this.parties.values()].find((p) => p.role === 'customer');
    if (!c?.leg) throw new FloorError('the customer has left');
    return c;
  }

  private ownerParty(): Party | undefined {
    return [...this.parties.values()].find((p) => p.role === 'agent' && p.leg);
  }

  private requireOwner(agentId: string): Party {
    const owner = this.ownerParty();
    if (!owner || owner.agentId !== agentId)
      throw new FloorError('only the agent who owns the call can do that');
    return owner;
  }

  private talkSec(p: Party): number {
    return Math.max(0, (this.now() - p.joinedAt) / 1000);
  }

  private changed(): void {
    if (!this.closed) this.hooks.changed(this.list());
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

/** A call-control request that does not fit the call's situation (→ 409). */
export class FloorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FloorError';
  }
}
