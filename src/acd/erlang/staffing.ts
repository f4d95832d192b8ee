/**
 * Staffing (ANA-05): the smallest number of agents on the phones that meets a service-level
 * target, by Erlang C (infinitely patient callers) or Erlang A (exponential patience), and an
 * interval plan from a volume forecast with shrinkage.
 *
 * With Erlang A the target applies to `serviceLevelOffered` (answered within T / offered): an
 * abandoned call counts as missed, so a center cannot meet its target by letting callers give up.
 * That is the stricter of the two definitions; `serviceLevel` (over answered) is reported too.
 */
import { ErlangBRecursion, erlangB } from './erlang-b.ts';
import { erlangAMetrics } from './erlang-a.ts';
import { erlangCFromB, erlangCMetricsFromC } from './erlang-c.ts';
import type { QueueMetrics } from './queue-metrics.ts';

export type StaffingModel = 'erlang-c' | 'erlang-a';

export interface StaffingTarget {
  callsPerHour: number;
  ahtSeconds: number;
  slSeconds: number;
  /** Target service level in [0, 1], e.g. 0.8 for 80/20. */
  targetServiceLevel: number;
  /** Mean patience; when given the model is Erlang A. */
  patienceSeconds?: number;
  maxAsaSeconds?: number;
  /** Largest acceptable fraction of offered calls abandoning (Erlang A only). */
  maxAbandonRate?: number;
  /** Give up above this many agents (default 1,000,000). */
  maxAgents?: number;
}

export interface StaffingResult extends QueueMetrics {
  model: StaffingModel;
  agents: number;
}

export class StaffingUnreachableError extends Error {
  constructor(readonly maxAgents: number) {
    super(`the target cannot be met with ${maxAgents} agents or fewer`);
    this.name = 'StaffingUnreachableError';
  }
}

export function requiredAgents(target: StaffingTarget): StaffingResult {
  assertTarget(target);
  if (target.callsPerHour === 0) {
    return {
      model: target.patienceSeconds === undefined ? 'erlang-c' : 'erlang-a',
      agents: 0,
      servers: 0,
      erlangs: 0,
      pWait: 0,
      serviceLevel: 1,
      serviceLevelOffered: 1,
      asa: 0,
      pAbandon: 0,
      occupancy: 0,
    };
  }
  return target.patienceSeconds === undefined || !Number.isFinite(target.patienceSeconds)
    ? staffErlangC(target)
    : staffErlangA(target, target.patienceSeconds);
}

function meets(m: QueueMetrics, t: StaffingTarget): boolean {
  return (
    m.serviceLevelOffered >= t.targetServiceLevel &&
    (t.maxAsaSeconds === undefined || m.asa <= t.maxAsaSeconds) &&
    (t.maxAbandonRate === undefined || m.pAbandon <= t.maxAbandonRate)
  );
}

/** Linear search with one Erlang B recursion: O(N) in total. */
function staffErlangC(t: StaffingTarget): StaffingResult {
  const erlangs = (t.callsPerHour * t.ahtSeconds) / 3600;
  const maxAgents = t.maxAgents ?? 1_000_000;
  const b = new ErlangBRecursion(erlangs);
  for (let n = 1; n <= maxAgents; n++) {
    const blocking = b.next();
    if (erlangs >= n) continue;
    const input = {
      servers: n,
      callsPerHour: t.callsPerHour,
      ahtSeconds: t.ahtSeconds,
      slSeconds: t.slSeconds,
    };
    const m = erlangCMetricsFromC(input, erlangs, erlangCFromB(n, erlangs, blocking));
    if (meets(m, t)) return { model: 'erlang-c', agents: n, ...m };
  }
  throw new StaffingUnreachableError(maxAgents);
}

/**
 * The offered service level and the abandonment rate improve with every added agent, so a
 * doubling-then-bisection search finds the smallest N for them; an ASA cap (ASA over answered
 * calls need not be monotone at absurdly low staffing) is then met by stepping upwards.
 */
function staffErlangA(t: StaffingTarget, patienceSeconds: number): StaffingResult {
  const erlangs = (t.callsPerHour * t.ahtSeconds) / 3600;
  const maxAgents = t.maxAgents ?? 1_000_000;
  const evaluate = (n: number) =>
    erlangAMetrics(
      {
        servers: n,
        callsPerHour: t.callsPerHour,
        ahtSeconds: t.ahtSeconds,
        slSeconds: t.slSeconds,
        patienceSeconds,
      },
      erlangB(n, erlangs),
    );
  const core: StaffingTarget = { ...t, maxAsaSeconds: undefined };
  let lo = 0; // fails (no agents)
  let hi = Math.max(1, Math.ceil(erlangs));
  while (!meets(evaluate(hi), core)) {
    lo = hi;
    if (hi >= maxAgents) throw new StaffingUnreachableError(maxAgents);
    hi = Math.min(maxAgents, hi * 2);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (meets(evaluate(mid), core)) hi = mid;
    else lo = mid;
  }
  for (let n = hi; n <= maxAgents; n++) {
    const m = evaluate(n);
    if (meets(m, t)) return { model: 'erlang-a', agents: n, ...m };
  }
  throw new StaffingUnreachableError(maxAgents);
}

function assertTarget(t: StaffingTarget): void {
  if (!(t.targetServiceLevel >= 0 && t.targetServiceLevel < 1))
    throw new RangeError('targetServiceLevel must be in [0, 1)');
  if (!(t.callsPerHour >= 0) || !Number.isFinite(t.callsPerHour))
    throw new RangeError('callsPerHour must be ≥ 0');
  if (!(t.ahtSeconds > 0) || !Number.isFinite(t.ahtSeconds)) throw new RangeError('ahtSeconds must be > 0');
  if (!(t.slSeconds >= 0) || !Number.isFinite(t.slSeconds)) throw new RangeError('slSeconds must be ≥ 0');
  if (t.patienceSeconds !== undefined && !(t.patienceSeconds > 0))
    throw new RangeError('patienceSeconds must be > 0');
  if (t.maxAsaSeconds !== undefined && !(t.maxAsaSeconds >= 0))
    throw new RangeError('maxAsaSeconds must be ≥ 0');
  if (t.maxAbandonRate !== undefined && !(t.maxAbandonRate >= 0 && t.maxAbandonRate <= 1))
    throw new RangeError('maxAbandonRate must be in [0, 1]');
}
