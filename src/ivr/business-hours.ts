/**
 * Business hours for the `hours` verb (IVR-06): the same weekly windows and holiday rules as the
 * ACD's scheduled memberships (ACD-03), so "open" means the same thing to callers and to staffing.
 */
import { compileSchedule, isOnDuty, localTime } from '../acd/index.ts';
import type { NodeOf } from './flow-schema.ts';

export function isOpen(node: NodeOf<'hours'>, nowMs: number, holidays: ReadonlySet<string>): boolean {
  const schedule = compileSchedule({ windows: node.windows, timeZone: node.timeZone });
  return isOnDuty(schedule, localTime(nowMs, node.timeZone), node.holidays ? holidays : new Set());
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
