/**
 * Where a transfer, conference or consultation goes (CC-02…CC-04): a ready colleague's phone
 * (reserved for it at once), an outside number within the caller's dial policy, or — for a blind
 * transfer — a skill group's queue or an IVR flow. Skill groups and flows have no dialable number
 * of their own (service numbers lead to flows), so a phone's REFER names an extension or a number.
 */
import type { AcdEngine } from '../acd/index.ts';
import type { AgentRecord, DirectoryRepository, SkillGroupRecord } from '../directory/index.ts';
import type { FlowDocument } from '../ivr/index.ts';
import { AppError, invalid } from '../shared/index.ts';
import type { AgentStates } from './agent-states.ts';
import type { DialTarget } from './call-floor.ts';
import { dialableNumber, type DialPolicyStore, type DialRole } from './dial-policy.ts';

export interface TransferTargetsOptions {
  acd: AcdEngine;
  states: AgentStates;
  directory: DirectoryRepository;
  dialPolicy: DialPolicyStore;
  agent(agentId: string): AgentRecord | undefined;
  group(name: string): SkillGroupRecord | undefined;
  /** The live call's numbers: the service number dialled and the caller's own. */
  call(callId: string): { serviceNumber: string; callerNumber: string } | undefined;
  isRegistered(extension: string): boolean;
}

/** A blind transfer's destination that is not a phone (CC-02). */
export type HandOff =
  | { kind: 'group'; name: string; label: string }
  | { kind: 'flow'; id: string; name: string; document: FlowDocument };

export class TransferTargets {
  constructor(private readonly o: TransferTargetsOptions) {}

  async dial(
    byRole: DialRole,
    callId: string,
    target: { agentId: string } | { number: string; dtmf?: string },
  ): Promise<DialTarget> {
    const call = this.o.call(callId);
    const callerId = call?.serviceNumber ?? (await this.o.directory.serviceNumbers())[0]?.number ?? '';
    if ('agentId' in target) {
      const a = this.o.acd.agent(target.agentId);
      const rec = this.o.agent(target.agentId);
      if (!a || !rec) throw invalid('target.agentId', 'no such agent');
      if (a.state !== 'ready') throw new AppError('invalid_state', `${rec.displayName} is ${a.state}`);
      if (!this.o.isRegistered(a.extension))
        throw new AppError('invalid_state', `${rec.displayName}'s phone is not registered`);
      this.o.states.system(target.agentId, 'reserved', null);
      return {
        dial: a.extension,
        label: rec.displayName,
        agentId: a.id,
        callerId: call?.callerNumber ?? callerId,
      };
    }
    const e164 = dialableNumber(await this.o.dialPolicy.get(), byRole, target.number, 'target.number');
    if (target.dtmf !== undefined && !/^[0-9*#]{1,20}$/.test(target.dtmf))
      throw invalid('target.dtmf', 'digits 0-9, * and # only');
    return { dial: e164, label: e164, agentId: null, callerId, dtmf: target.dtmf };
  }

  /**
   * A skill group to transfer a caller to (CC-02). A group without ready agents is fine: the call
   * waits there as any queued call does (announcements, overflow and escalation rules apply).
   */
  group(name: string): SkillGroupRecord {
    const group = this.o.group(name);
    if (!group || !this.o.acd.group(name)) throw invalid('target.group', 'no such skill group');
    return group;
  }

  /**
   * A skill group's queue or an IVR flow (by id) for a blind transfer. The caller hears a flow
   * from its start node, and it decides from there as for a new call.
   */
  async handOff(to: { group: string } | { flow: string }): Promise<HandOff> {
    if ('group' in to) {
      const g = this.group(to.group);
      return { kind: 'group', name: g.name, label: g.displayName };
    }
    const flow = await this.o.directory.flowDocument(to.flow);
    if (!flow) throw invalid('target.flow', 'no such IVR flow');
    return { kind: 'flow', id: to.flow, ...flow };
  }
}
