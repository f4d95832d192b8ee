/**
 * Shared by the simulator-vs-Erlang acceptance tests: run one long simulation, compute the model's
 * figures, and compare them with 99.9% batch-means confidence intervals (20 batches, so
 * t_{19, 0.9995} ≈ 3.883). A metric agrees when the model value lies inside the interval; the
 * interval must also be narrow enough (`maxHalfWidth`) for the comparison to mean something.
 */
import { erlangAMetrics, erlangCMetrics, type QueueMetrics } from '../erlang/index.ts';
import { batchHalfWidth } from './batch-means.ts';
import { runSimulation, type SimulationResult } from './simulator.ts';

export interface AgreementCase {
  agents: number;
  /** Offered load in Erlangs (AHT is 180 s, so calls per hour = 20·A). */
  erlangs: number;
  patienceSeconds?: number;
  hours: number;
  seed: number;
}

export type AgreementMetric = 'serviceLevel' | 'serviceLevelOffered' | 'asa' | 'pWait' | 'pAbandon';

export interface AgreementRow {
  metric: AgreementMetric;
  simulated: number;
  model: number;
  halfWidth: number;
}

export const AHT_SECONDS = 180;
export const SL_SECONDS = 20;
export const WARMUP_SECONDS = 3600;

export function runAgreementCase(c: AgreementCase): {
  result: SimulationResult;
  model: QueueMetrics;
  rows: AgreementRow[];
} {
  const callsPerHour = (c.erlangs * 3600) / AHT_SECONDS;
  const result = runSimulation({
    agents: c.agents,
    arrivals: { kind: 'poisson', callsPerHour },
    handleTime: { kind: 'exponential', meanSeconds: AHT_SECONDS },
    patienceSeconds: c.patienceSeconds,
    hours: c.hours,
    warmupSeconds: WARMUP_SECONDS,
    slSeconds: SL_SECONDS,
    seed: c.seed,
    batches: 20,
  });
  const input = { servers: c.agents, callsPerHour, ahtSeconds: AHT_SECONDS, slSeconds: SL_SECONDS };
  const model =
    c.patienceSeconds === undefined
      ? erlangCMetrics(input)
      : erlangAMetrics({ ...input, patienceSeconds: c.patienceSeconds });
  const metrics: AgreementMetric[] =
    c.patienceSeconds === undefined
      ? ['serviceLevel', 'asa', 'pWait']
      : ['serviceLevel', 'serviceLevelOffered', 'asa', 'pWait', 'pAbandon'];
  const rows = metrics.map((metric) => ({
    metric,
    simulated: result[metric],
    model: model[metric],
    halfWidth: batchHalfWidth(result.batches, metric, 0.999),
  }));
  return { result, model, rows };
}

/** Widest acceptable 99.9% half-width: absolute for fractions, relative to the model for ASA. */
export function maxHalfWidth(row: AgreementRow): number {
  return row.metric === 'asa' ? 0.25 * row.model : row.metric === 'pAbandon' ? 0.01 : 0.04;
}
