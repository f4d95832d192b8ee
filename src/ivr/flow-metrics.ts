/**
 * IVR metrics per flow and node, computed from the CDRs' IVR paths (issue #5 "Metrics").
 *
 * A call's path holds the steps of every flow it went through: steps without a `flow` tag belong
 * to the service number's flow (the CDR's ivr_flow_id / ivr_flow_version), tagged steps to the flow
 * an agent transferred the call to. Each unbroken run of one flow's steps is one *entry* into it.
 * Only finished calls count (a call still in progress has not exited anywhere yet).
 *
 * How a run ends (its *exit*, at its last step's node):
 * - `queued`: the last step is a queue node — the caller was handed to agents;
 * - `transferred`: the last step is a transfer node (the call left for another number);
 * - otherwise the call ended in the flow: `callerHangup` when the caller hung up, `flowHangup` when
 *   the flow hung up (a hangup node, or a menu whose retries ran out).
 *
 * Containment: a run is *contained* when the call ended in the flow (neither queued nor
 * transferred) and was not *abandoned at the first prompt* — the caller hung up in the flow's
 * first node without pressing a key. containmentRate = contained / entries (null without entries).
 * So a caller who heard a waybill's status and hung up is contained; one who pressed 0 for an
 * agent, or who hung up during the welcome prompt, is not.
 */
import type { PathStep } from './flow-run.ts';

export interface MetricsCall {
  ivrFlowId: string | null;
  ivrFlowVersion: number | null;
  ivrPath: unknown;
  hangupBy: string | null;
}

export type ExitKind = 'queued' | 'transferred' | 'callerHangup' | 'flowHangup';

export interface NodeMetrics {
  node: string;
  verb: string;
  entries: number;
  exits: number;
  /** Refused inputs (DTMF errors) in this node. */
  invalid: number;
  timeouts: number;
  queued: number;
  callerHangups: number;
  /** Branches a condition, hours or lookup node took, e.g. {found: 3, notFound: 1}. */
  branches: Record<string, number>;
}

export interface FlowMetrics {
  flowId: string;
  version: number | null;
  entries: number;
  exits: Record<ExitKind, number>;
  invalid: number;
  timeouts: number;
  abandonedAtFirstPrompt: number;
  contained: number;
  containmentRate: number | null;
  nodes: NodeMetrics[];
}

type Step = PathStep & { flow?: string };

function isStep(value: unknown): value is Step {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.node === 'string' && typeof v.verb === 'string';
}

/** The runs of `flowId`'s steps in one call, each with the version it ran (null when unknown). */
export function flowRuns(call: MetricsCall, flowId: string): { steps: Step[]; version: number | null }[] {
  const path = Array.isArray(call.ivrPath) ? call.ivrPath.filter(isStep) : [];
  const runs: { steps: Step[]; version: number | null }[] = [];
  let current: Step[] | null = null;
  let previousOwner: string | null = null;
  for (const step of path) {
    const owner = step.flow ?? call.ivrFlowId;
    if (owner !== flowId) {
      current = null;
      previousOwner = owner;
      continue;
    }
    if (!current || previousOwner !== owner) {
      current = [];
      runs.push({ steps: current, version: step.flow ? null : call.ivrFlowVersion });
    }
    current.push(step);
    previousOwner = owner;
  }
  return runs;
}

export function exitOf(steps: Step[], hangupBy: string | null): ExitKind {
  const last = steps[steps.length - 1]!;
  if (last.verb === 'queue') return 'queued';
  if ((last.verb as string) === 'transfer') return 'transferred';
  return hangupBy === 'caller' && last.verb !== 'hangup' ? 'callerHangup' : 'flowHangup';
}

export function computeFlowMetrics(
  calls: Iterable<MetricsCall>,
  flowId: string,
  version: number | null = null,
): FlowMetrics {
  const nodes = new Map<string, NodeMetrics>();
  const nodeOf = (step: Step): NodeMetrics => {
    let m = nodes.get(step.node);
    if (!m) {
      m = {
        node: step.node,
        verb: step.verb,
        entries: 0,
        exits: 0,
        invalid: 0,
        timeouts: 0,
        queued: 0,
        callerHangups: 0,
        branches: {},
      };
      nodes.set(step.node, m);
    }
    return m;
  };
  const result: FlowMetrics = {
    flowId,
    version,
    entries: 0,
    exits: { queued: 0, transferred: 0, callerHangup: 0, flowHangup: 0 },
    invalid: 0,
    timeouts: 0,
    abandonedAtFirstPrompt: 0,
    contained: 0,
    containmentRate: null,
    nodes: [],
  };
  for (const call of calls) {
    for (const run of flowRuns(call, flowId)) {
      if (version !== null && run.version !== version) continue;
      result.entries += 1;
      for (const step of run.steps) {
        const m = nodeOf(step);
        m.entries += 1;
        m.invalid += step.invalid ?? 0;
        m.timeouts += step.timeouts ?? 0;
        if (step.branch) m.branches[step.branch] = (m.branches[step.branch] ?? 0) + 1;
        result.invalid += step.invalid ?? 0;
        result.timeouts += step.timeouts ?? 0;
      }
      const exit = exitOf(run.steps, call.hangupBy);
      const last = nodeOf(run.steps[run.steps.length - 1]!);
      last.exits += 1;
      result.exits[exit] += 1;
      if (exit === 'queued') last.queued += 1;
      if (exit === 'callerHangup') last.callerHangups += 1;
      const first = run.steps[0]!;
      const abandoned = exit === 'callerHangup' && run.steps.length === 1 && !first.input;
      if (abandoned) result.abandonedAtFirstPrompt += 1;
      else if (exit === 'callerHangup' || exit === 'flowHangup') result.contained += 1;
    }
  }
  result.containmentRate = result.entries > 0 ? result.contained / result.entries : null;
  result.nodes = [...nodes.values()].sort((a, b) => b.entries - a.entries || a.node.localeCompare(b.node));
  return result;
}
