/**
 * Click-to-dial (CC-01, CC-14): validates the number against the dial policy and the caller ID
 * against the service numbers, makes the agent busy for the ACD from the click on, and runs an
 * OutboundCall; an agent who never picks up goes back to how they were before the click.
 */
import type { AcdEngine, AgentState } from '../acd/index.ts';
import type { CustomerService } from '../crm/index.ts';
import type { DirectoryRepository } from '../directory/index.ts';
import { AppError, invalid, type Logger } from '../shared/index.ts';
import { newId } from '../store/index.ts';
import type { AgentStates } from './agent-states.ts';
import type { CallContext } from './call-context.ts';
import { dialableNumber, type DialPolicyStore, type DialRole } from './dial-policy.ts';
import { OutboundCall } from './outbound-call.ts';

export interface OutboundDialerOptions {
  acd: AcdEngine;
  states: AgentStates;
  ctx: CallContext;
  directory: DirectoryRepository;
  customers: CustomerService;
  dialPolicy: DialPolicyStore;
  isRegistered(extension: string): boolean;
  logger: Logger;
}

export class OutboundDialer {
  private readonly calls = new Map<string, OutboundCall>();

  constructor(private readonly o: OutboundDialerOptions) {}

  get size(): number {
    return this.calls.size;
  }

  get(callId: string): OutboundCall | undefined {
    return this.calls.get(callId);
  }

  async dial(
    agentId: string,
    role: DialRole,
    number: string,
    callerId: string | null,
  ): Promise<{ callId: string; number: string; callerId: string }> {
    // Input and policy first, then the agent's situation.
    const e164 = dialableNumber(await this.o.dialPolicy.get(), role, number);
    const services = await this.o.directory.serviceNumbers();
    const cid = callerId ?? services[0]?.number;
    if (!cid || !services.some((s) => s.number === cid))
      throw invalid('callerId', 'must be one of the company’s service numbers');
    const lookup = await this.o.customers.lookupCaller(e164);
    // From here on nothing awaits: the state read is the state changed.
    const a = this.o.acd.agent(agentId);
    if (!a) throw new AppError('not_found', 'agent not found');
    if (a.state === 'logged_out' || a.state === 'reserved' || a.state === 'on_call')
      throw new AppError('invalid_state', `cannot dial while ${a.state}`);
    if (!this.o.isRegistered(a.extension))
      throw new AppError('invalid_state', `phone ${a.extension} is not registered`);
    const before = { state: a.state, reason: a.reason };
    this.o.states.clearWrapUp(agentId);
    this.o.states.change(agentId, 'on_call', null);
    const call: OutboundCall = new OutboundCall(
      { agentId, extension: a.extension, target: e164, callerId: cid, lookup },
      this.o.ctx,
      {
        agentFree: (id) => this.o.states.startWrapUp(id, null),
        ended: (c) => {
          this.calls.delete(c.callId);
          if (!c.agentAnswered) this.restore(agentId, before.state, before.reason);
        },
      },
      `out-${newId('cal')}`,
    );
    this.calls.set(call.callId, call);
    call.run().catch((err: unknown) => {
      this.o.logger.error({ err, call: call.callId }, 'outbound call failed');
      void call.hangup();
    });
    return { callId: call.callId, number: e164, callerId: cid };
  }

  /** The agent ends their own outbound call from the desktop. */
  async hangup(agentId: string, callId: string): Promise<void> {
    const call = this.calls.get(callId);
    if (!call || call.agentId !== agentId) throw new AppError('not_found', 'no such call of yours');
    await call.hangup();
  }

  async hangupAll(): Promise<void> {
    await Promise.allSettled([...this.calls.values()].map((c) => c.hangup()));
  }

  /** The agent never picked up: back to ready, or to not ready with the old reason, or wrap-up. */
  private restore(agentId: string, state: AgentState, reason: string | null): void {
    if (this.o.acd.agent(agentId)?.state !== 'on_call') return;
    if (state === 'ready') {
      this.o.states.system(agentId, 'ready', null);
      return;
    }
    this.o.states.system(agentId, 'after_call_work', null);
    if (state === 'not_ready') this.o.states.system(agentId, 'not_ready', reason ?? 'other');
    else this.o.states.armWrapUp(agentId);
  }
}
