/**
 * The mechanics under a connected call's features (call-floor.ts): its parties, dialling and
 * dropping them, the media-engine room they move into, and who hears whom. Two parties start in a
 * plain bridge; the first feature that needs more moves them into a room, where hearing is set
 * per party.
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
  type CallLeg,
  type CallSwitch,
  type PendingDial,
  type ReplacesTarget,
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
  /** Set when the agent's phone asked for it (SIP REFER) rather than the desktop. */
  via?: 'refer';
  /** A transfer to a skill group's queue: the group's name (`target` is its display name). */
  group?: string;
  /** A transfer to an IVR flow: the flow's id (`target` is its name). */
  flow?: string;
  result?: 'ok' | 'failed';
}

/** A colleague's leg the agent's phone hands the customer to (REFER with Replaces, CC-03). */
export interface Handover {
  label: string;
  agentId: string | null;
  /** Takes the colleague's leg out of the phone's other call; null when that call is over. */
  claim(): CallLeg | null;
  /** Hangs up the transferor's own leg of that other call. */
  release(): Promise<void>;
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
  /** The call of the agent's phone that a REFER's Replaces names (an attended transfer), if any. */
  resolveReplaces(agentId: string, replaces: ReplacesTarget): Handover | null;
  /** Nobody is left to talk to the customer: end the call. */
  deserted(by: 'agent' | 'system'): void;
  changed(parties: PartyView[]): void;
  chain(entry: ChainEntry): void;
}

export interface Party extends PartyView {
  leg: CallLeg | null;
  dial: PendingDial | null;
  joinedAt: number;
}

export abstract class FloorCore {
  protected readonly parties = new Map<string, Party>();
  protected roomId: string | null = null;
  private seq = 0;
  protected closed = false;

  constructor(
    protected readonly sw: CallSwitch,
    protected readonly holdMusic: string,
    private readonly now: () => number,
    protected readonly log: Logger,
    protected readonly hooks: FloorHooks,
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

  /** What the phone of `party` asked for by REFER: what to do once it was told, or null to refuse. */
  protected abstract phoneTransfer(
    party: Party,
    target: string,
    replaces: ReplacesTarget | null,
  ): Promise<(() => void) | null>;

  protected add(role: PartyRole, label: string, agentId: string | null, leg: CallLeg | null): Party {
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
    // CC-03: a phone's own transfer key (SIP REFER).
    leg.onTransferRequest((target, replaces) => this.phoneTransfer(party, target, replaces));
    leg.onEnded(() => {
      if (this.closed || party.leg !== leg) return;
      this.log.info({ party: party.id, role: party.role }, 'party left the call');
      if (party.role === 'customer') return; // the session ends the call
      this.hooks.chain({ at: this.iso(), action: 'left', by: party.agentId, party: party.id });
      void this.leave(party, 'hung_up').then(() => this.changed());
    });
  }

  /** Dial a party and join them; null when they do not answer (the party is removed). */
  protected async dialParty(party: Party, target: DialTarget): Promise<CallLeg | null> {
    const dial = this.sw.dial(target.dial, {
      callerId: target.callerId,
      timeoutMs: 30_000,
      near: this.anchorLeg(),
    });
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
  protected async leave(party: Party, why: string): Promise<void> {
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
  protected async ensureRoom(): Promise<void> {
    if (this.roomId) return;
    this.roomId = await this.sw.createConference(this.anchorLeg());
    for (const p of this.parties.values()) if (p.leg) await this.sw.joinConference(this.roomId, p.leg, {});
    await this.applyHearing();
  }

  /**
   * Who hears whom. Everyone hears every connected party except: nobody hears a held customer or
   * a muted party; a held customer hears only the music (a playing prompt replaces the mix); the
   * customer does not hear a consulted party; supervisors: listen — heard by nobody; whisper —
   * heard by agents only; barge — heard by all.
   */
  protected async applyHearing(): Promise<void> {
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

  /** A live leg of this call (the customer's first): new legs put their media next to it. */
  anchorLeg(): CallLeg | null {
    const live = [...this.parties.values()].filter((p) => p.leg);
    return (live.find((p) => p.role === 'customer') ?? live[0])?.leg ?? null;
  }

  protected customer(): Party {
    const c = [...this.parties.values()].find((p) => p.role === 'customer');
    if (!c?.leg) throw new FloorError('the customer has left');
    return c;
  }

  protected ownerParty(): Party | undefined {
    return [...this.parties.values()].find((p) => p.role === 'agent' && p.leg);
  }

  protected requireOwner(agentId: string): Party {
    const owner = this.ownerParty();
    if (!owner || owner.agentId !== agentId)
      throw new FloorError('only the agent who owns the call can do that');
    return owner;
  }

  protected talkSec(p: Party): number {
    return Math.max(0, (this.now() - p.joinedAt) / 1000);
  }

  protected changed(): void {
    if (!this.closed) this.hooks.changed(this.list());
  }

  protected iso(): string {
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
