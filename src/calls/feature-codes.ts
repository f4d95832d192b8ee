/**
 * Supervision feature codes from a supervisor's phone (CC-05): *1<ext> listen, *2<ext> whisper
 * to the agent, *3<ext> barge in, on the call agent <ext> is on. Only extensions of supervisors
 * and admins may use them; everyone else gets 403, and a code for an agent not on a call 404.
 */
import type { AuditLog } from '../audit/index.ts';
import { maskPhone } from '../crm/index.ts';
import type { AgentRecord } from '../directory/index.ts';
import type { Logger } from '../shared/index.ts';
import type { CallLeg } from '../telephony/call-leg.ts';
import type { CallFloor } from './call-floor.ts';

export interface FeatureCodeDeps {
  /** The directory's agent (or supervisor) with this extension. */
  byExtension(extension: string): AgentRecord | undefined;
  isRegistered(extension: string): boolean;
  /** The connected call the agent with this extension owns, if any. */
  callOwnedBy(extension: string): { callId: string; control: CallFloor } | undefined;
  audit?: Pick<AuditLog, 'record'>;
  logger: Logger;
}

/** The code an inbound leg dialled, or null when it is not one. */
export function featureCodeOf(leg: CallLeg): { digit: '1' | '2' | '3'; extension: string } | null {
  const code = /^\*([123])(\d{2,10})$/.exec(leg.toUser);
  return code ? { digit: code[1] as '1' | '2' | '3', extension: code[2]! } : null;
}

export async function runFeatureCode(
  d: FeatureCodeDeps,
  leg: CallLeg,
  code: { digit: '1' | '2' | '3'; extension: string },
): Promise<void> {
  const mode = ({ '1': 'listen', '2': 'whisper', '3': 'barge' } as const)[code.digit];
  const by = d.byExtension(leg.fromUser);
  if (!by || (by.role !== 'supervisor' && by.role !== 'admin') || !d.isRegistered(leg.fromUser)) {
    d.logger.warn({ from: maskPhone(leg.fromUser), mode }, 'supervision code refused');
    await leg.reject(403, 'Forbidden');
    return;
  }
  const call = d.callOwnedBy(code.extension);
  if (!call) {
    await leg.reject(404, 'Not Found');
    return;
  }
  await leg.answer({ near: call.control.anchorLeg() });
  await d.audit?.record({
    actor: { id: by.userId, username: by.username },
    action: `supervisor.${mode}`,
    target: call.callId,
    detail: { extension: leg.fromUser, via: 'feature_code' },
  });
  await call.control.superviseFromPhone(by.userId, `${by.displayName} (${by.extension})`, leg, mode);
}
