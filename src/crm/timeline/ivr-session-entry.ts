/**
 * How a self-service IVR session reads on the timeline (issue #5, CRM-13): the nodes the caller
 * went through with what they pressed, and how the call left the IVR.
 */
import type { TimelineEntryInput } from './timeline.service.ts';

export interface IvrSessionFacts {
  customerId: string;
  callId: string;
  /** The CDR's IVR path. */
  path: readonly { node: string; verb: string; input?: string; branch?: string; flow?: string }[];
  /** The CDR disposition, e.g. ivr_hangup, answered, abandoned. */
  outcome: string;
  /** The group the IVR queued the call for, if it did. */
  queue: string | null;
  startedAt: Date;
  endedAt: Date;
}

function stepText(s: IvrSessionFacts['path'][number]): string {
  const extra = [s.input !== undefined ? `input ${s.input}` : null, s.branch ?? null].filter(Boolean);
  return extra.length > 0 ? `${s.node} (${extra.join(', ')})` : s.node;
}

export function ivrSessionEntry(f: IvrSessionFacts): TimelineEntryInput {
  const summary = f.path.map(stepText).join(' → ');
  const title = f.queue ? `IVR → ${f.queue}: ${f.outcome}` : `IVR self-service: ${f.outcome}`;
  return {
    customerId: f.customerId,
    kind: 'ivr_session',
    refId: f.callId,
    title,
    occurredAt: f.startedAt,
    detail: {
      path: f.path.map((s) => ({ ...s })),
      summary,
      outcome: f.outcome,
      queue: f.queue,
      durationSec: Math.max(0, Math.round((f.endedAt.getTime() - f.startedAt.getTime()) / 1000)),
    },
  };
}
