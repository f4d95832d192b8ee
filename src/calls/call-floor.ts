/**
 * The features of a connected call (CC-02 … CC-05, CC-11): hold with music, mute, blind and
 * attended transfer (to a colleague, a number, a skill group's queue or an IVR flow; from the
 * desktop or by the phone's own REFER, blind or with Replaces), conference with colleagues and
 * outside numbers, and the supervisor's silent monitoring, whisper and barge-in. Parties, rooms
 * and hearing are in floor-core.ts.
 */
import type { AudioTapEvent, CallLeg, ReplacesTarget } from '../telephony/call-leg.ts';
import {
  FloorCore,
  FloorError,
  type DialTarget,
  type Handover,
  type Party,
  type SupervisorMode,
} from './floor-core.ts';

export {
  FloorError,
  type ChainEntry,
  type DialTarget,
  type FloorHooks,
  type Handover,
  type PartyRole,
  type PartyView,
  type SupervisorMode,
} from './floor-core.ts';

export class CallFloor extends FloorCore {
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
  async blindTransfer(by: string, target: DialTarget, via?: 'refer'): Promise<void> {
    const owner = this.requireOwner(by);
    await this.ensureRoom();
    const customer = this.customer();
    customer.held = true;
    await this.applyHearing();
    void customer.leg!.play([this.holdMusic], { loop: true }).catch(() => undefined);
    const party = this.add('agent', target.label, target.agentId, null);
    party.state = 'ringing';
    this.hooks.chain({
      at: this.iso(),
      action: 'blind_transfer',
      by,
      target: target.label,
      ...(via && { via }),
    });
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

  /**
   * Blind transfer to a skill group or an IVR flow (CC-02): the owner leaves (wrap-up as usual)
   * and the floor closes with the customer's leg still up, unbridged and silent, for the session
   * to queue again or run the flow. Not while a consultation or conference goes on: those parties
   * would lose the call. `to`: the chain's target (a display name) with the group or flow id.
   */
  async handBack(by: string, to: { target: string } & ({ group: string } | { flow: string })): Promise<void> {
    const owner = this.requireOwner(by);
    const others = [...this.parties.values()].filter(
      (p) => p !== owner && p.role !== 'customer' && p.role !== 'supervisor',
    );
    if (others.length > 0)
      throw new FloorError(
        `end the consultation or conference before transferring to ${'group' in to ? 'a group' : 'a flow'}`,
      );
    const customer = this.customer();
    await this.ensureRoom();
    this.hooks.chain({ at: this.iso(), action: 'blind_transfer', by, ...to });
    await this.leave(owner, 'transferred');
    customer.held = false;
    await customer.leg!.stopPlayback();
    await this.teardown();
  }

  /**
   * Attended transfer by the phone (REFER with Replaces, RFC 5589 §7): the colleague the owner's
   * phone consulted on a call of its own takes the customer; that call's other leg and the owner's
   * leg of this call are hung up.
   */
  async takeOver(by: string, handover: Handover): Promise<void> {
    const owner = this.requireOwner(by);
    const leg = handover.claim();
    if (!leg) throw new FloorError('the consulted call ended before the transfer');
    await this.ensureRoom();
    const party = this.add(handover.agentId ? 'agent' : 'conference', handover.label, handover.agentId, leg);
    await this.sw.joinConference(this.roomId!, leg, {});
    await handover.release();
    const customer = this.customer();
    if (customer.held) {
      customer.held = false;
      await customer.leg!.stopPlayback();
    }
    this.hooks.chain({
      at: this.iso(),
      action: 'transfer',
      by,
      party: party.id,
      target: handover.label,
      mode: 'attended',
      via: 'refer',
    });
    if (party.agentId) this.hooks.agentJoined(party.agentId);
    await this.leave(owner, 'transferred');
    await this.applyHearing();
    this.changed();
  }

  /** CC-03: the owner's phone pressed its transfer key (REFER): blind, or attended with Replaces. */
  protected async phoneTransfer(
    party: Party,
    target: string,
    replaces: ReplacesTarget | null,
  ): Promise<(() => void) | null> {
    const agentId = party.agentId;
    if (!agentId || this.ownerParty() !== party) return null;
    if (replaces) {
      const handover = this.hooks.resolveReplaces(agentId, replaces);
      if (!handover) {
        this.log.info({ target }, 'REFER Replaces names no call of this phone');
        this.hooks.chain({
          at: this.iso(),
          action: 'transfer',
          by: agentId,
          target,
          mode: 'attended',
          via: 'refer',
          result: 'failed',
        });
        return null;
      }
      return () =>
        void this.takeOver(agentId, handover).catch((err: unknown) =>
          this.log.warn({ err }, 'attended transfer requested by the phone failed'),
        );
    }
    const dial = await this.hooks.resolveTransfer(agentId, target).catch((err: unknown) => {
      this.log.info({ err: err instanceof Error ? err.message : err }, 'REFER target refused');
      return null;
    });
    if (!dial) return null;
    return () =>
      void this.blindTransfer(agentId, dial, 'refer').catch((err: unknown) =>
        this.log.warn({ err }, 'transfer requested by the phone failed'),
      );
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
}
