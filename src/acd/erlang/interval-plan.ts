/**
 * An interval staffing plan (ANA-05): per forecast interval, the agents needed on the phones to
 * meet the target (Erlang C or A, see staffing.ts) and the agents to schedule once shrinkage
 * (breaks, training, absence — time paid but not on the phones) is allowed for:
 *   scheduled = ⌈ agents / (1 − shrinkage) ⌉
 * Each interval is treated as its own steady state, the usual simplification of interval
 * staffing; it under-staffs slightly when volume jumps between intervals.
 */
import { requiredAgents, type StaffingTarget } from './staffing.ts';

export interface ForecastInterval {
  /** Interval start as given by the forecast (ISO time or "09:00"), echoed back. */
  start: string;
  callsPerInterval: number;
}

export interface IntervalPlanInput extends Omit<StaffingTarget, 'callsPerHour'> {
  intervals: ForecastInterval[];
  intervalMinutes: number;
  /** Fraction of paid time not available for calls, in [0, 1). */
  shrinkage: number;
}

export interface IntervalPlanRow {
  start: string;
  callsPerInterval: number;
  callsPerHour: number;
  erlangs: number;
  agents: number;
  scheduled: number;
  serviceLevel: number;
  serviceLevelOffered: number;
  asa: number;
  pWait: number;
  pAbandon: number;
  occupancy: number;
}

export interface IntervalPlan {
  rows: IntervalPlanRow[];
  totalCalls: number;
  peakAgents: number;
  peakScheduled: number;
  /** Agent-hours on the phones and scheduled, summed over the intervals. */
  agentHours: number;
  scheduledHours: number;
  /** Service level over offered calls for the whole period, weighted by volume. */
  serviceLevelOffered: number;
}

export function intervalPlan(input: IntervalPlanInput): IntervalPlan {
  const { intervals, intervalMinutes, shrinkage, ...target } = input;
  if (!(intervalMinutes > 0)) throw new RangeError('intervalMinutes must be > 0');
  if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError('shrinkage must be in [0, 1)');
  const rows = intervals.map((iv): IntervalPlanRow => {
    if (!(iv.callsPerInterval >= 0)) throw new RangeError(`callsPerInterval at ${iv.start} must be ≥ 0`);
    const callsPerHour = (iv.callsPerInterval * 60) / intervalMinutes;
    const r = requiredAgents({ ...target, callsPerHour });
    return {
      start: iv.start,
      callsPerInterval: iv.callsPerInterval,
      callsPerHour,
      erlangs: r.erlangs,
      agents: r.agents,
      scheduled: Math.ceil(r.agents / (1 - shrinkage) - 1e-9),
      serviceLevel: r.serviceLevel,
      serviceLevelOffered: r.serviceLevelOffered,
      asa: r.asa,
      pWait: r.pWait,
      pAbandon: r.pAbandon,
      occupancy: r.occupancy,
    };
  });
  const hours = intervalMinutes / 60;
  const totalCalls = rows.reduce((s, r) => s + r.callsPerInterval, 0);
  return {
    rows,
    totalCalls,
    peakAgents: Math.max(0, ...rows.map((r) => r.agents)),
    peakScheduled: Math.max(0, ...rows.map((r) => r.scheduled)),
    agentHours: rows.reduce((s, r) => s + r.agents * hours, 0),
    scheduledHours: rows.reduce((s, r) => s + r.scheduled * hours, 0),
    serviceLevelOffered:
      totalCalls > 0
        ? rows.reduce((s, r) => s + r.serviceLevelOffered * r.callsPerInterval, 0) / totalCalls
        : 1,
  };
}
