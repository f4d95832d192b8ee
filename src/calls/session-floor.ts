/**
 * The floor of a connected inbound call, wired to its session (CC-02…CC-05): what party changes
 * mean for the agents' states and desks, the parties' view on every desk of the call, and the
 * CDR chain. The session keeps who owns the call and ends it when the floor is deserted.
 */
import type { Logger } from '../shared/index.ts';
import type { CallLeg } from '../telephony/call-leg.ts';
import type { CallContext } from './call-context.ts';
import type { CallDesk } from './call-desk.ts';
import { CallFloor, type ChainEntry, type PartyView } from './call-floor.ts';

export interface SessionFloorHost {
  readonly callId: string;
  readonly ctx: CallContext;
  readonly desk: CallDesk;
  readonly log: Logger;
  /** The queue the call is handled for now (wrap-up time, handled-call statistics). */
  group(): string | null;
  /** `agentId` owns the call now, on `leg`. */
  ownerChanged(agentId: string, leg: CallLeg): void;
  /** `agentId` left the call (if they owned it, nobody does until ownerChanged). */
  agentLeft(agentId: string): void;
  chain(entry: ChainEntry): void;
  end(by: 'agent' | 'system'): void;
}

export function openSessionFloor(
  h: SessionFloorHost,
  customer: { leg: CallLeg; label: string },
  agent: { leg: CallLeg; agentId: string },
): CallFloor {
  const { ctx, desk, callId } = h;
  const publishTo = (id: string, parties: PartyView[]) =>
    ctx.cti.publish('call.parties', { callId, agentId: id, parties }, { agentId: id });
  return new CallFloor(
    ctx.switch,
    ctx.holdMusic,
    () => ctx.clock.now(),
    h.log,
    {
      ownerChanged: (id, leg) => h.ownerChanged(id, leg),
      agentLeft: (id, talkSec) => {
        h.agentLeft(id);
        ctx.agentCallEnded(id, h.group(), talkSec);
        desk.ended(id, 'left');
      },
      agentJoined: (id) => {
        desk.offered(id);
        ctx.agentJoined(id);
        desk.answered(id);
      },
      agentUnreached: (id) => ctx.agentUnreached(id),
      resolveTransfer: (id, target) => ctx.resolveTransfer(callId, id, target),
      resolveReplaces: (id, replaces) => ctx.resolveReplaces(id, replaces),
      deserted: (by) => h.end(by),
      changed: (parties) => {
        const agents = new Set(parties.flatMap((p) => (p.agentId ? [p.agentId] : [])));
        for (const id of agents) publishTo(id, parties);
        if (agents.size === 0) publishTo('', parties);
      },
      chain: (entry) => h.chain(entry),
    },
    customer,
    { ...agent, label: ctx.agentRecord(agent.agentId)?.displayName ?? agent.agentId },
  );
}
