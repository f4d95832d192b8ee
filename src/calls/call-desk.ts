/**
 * What agents' desks hear about one customer call over CTI (CC-12): the screen pop when their
 * phone rings or they join the call, that they answered, and how it ended for them.
 */
import type { CtiEventMap, CtiHub } from '../cti/index.ts';
import type { Clock } from '../shared/index.ts';

/** The screen pop's facts about the call, as they are when the card is sent. */
export type CallCard = Omit<CtiEventMap['call.offered'], 'callId' | 'agentId'>;

export class CallDesk {
  /** Agents whose desktops popped this call; they all hear how it ended. */
  readonly popped = new Set<string>();

  constructor(
    private readonly cti: CtiHub,
    private readonly clock: Clock,
    private readonly callId: string,
    private readonly card: () => CallCard,
  ) {}

  offered(agentId: string): void {
    this.popped.add(agentId);
    this.cti.publish('call.offered', { callId: this.callId, agentId, ...this.card() }, { agentId });
  }

  answered(agentId: string, at = this.clock.now()): void {
    const answeredAt = new Date(at).toISOString();
    this.cti.publish('call.answered', { callId: this.callId, agentId, answeredAt }, { agentId });
  }

  /** The call is over for `agentId` (`forget`: they hear nothing more of it). */
  ended(agentId: string, disposition: string, options: { at?: number; forget?: boolean } = {}): void {
    if (options.forget) this.popped.delete(agentId);
    const endedAt = new Date(options.at ?? this.clock.now()).toISOString();
    this.cti.publish('call.ended', { callId: this.callId, agentId, disposition, endedAt }, { agentId });
  }
}
