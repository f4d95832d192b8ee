/**
 * Confidence intervals for simulation output by the method of batch means (Law, "Simulation
 * Modeling and Analysis", ch. 9): the measured period is cut into B equal batches; with batches
 * long compared with the system's correlation time their means are roughly independent and
 * normal, so   estimate ± t_{B−1, 1−α/2} · s_B / √B   is an approximate (1 − α) interval, s_B the
 * standard deviation of the batch means.
 */
import type { BatchResult } from './simulation-stats.ts';

export type ConfidenceLevel = 0.95 | 0.99 | 0.999;

/** Two-sided standard normal quantiles z_{1−α/2}. */
const normalQuantile: Record<ConfidenceLevel, number> = { 0.95: 1.959964, 0.99: 2.575829, 0.999: 3.290527 };

/**
 * Student t quantile t_{ν, 1−α/2} by the Cornish–Fisher expansion around the normal quantile
 * (Abramowitz & Stegun 26.7.5); accurate to about 1e-3 for ν ≥ 9 (t_{19, 0.9995} = 3.883).
 */
export function studentT(level: ConfidenceLevel, degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 9)
    throw new RangeError('use at least 10 batches (ν ≥ 9)');
  const z = normalQuantile[level];
  const v = degreesOfFreedom;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  return (
    z +
    (z3 + z) / (4 * v) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * v ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v ** 3) +
    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v ** 4)
  );
}

/** Half-width of the batch-means confidence interval of one metric. */
export function batchHalfWidth(
  batches: BatchResult[],
  metric: keyof BatchResult,
  level: ConfidenceLevel = 0.95,
): number {
  const xs = batches.map((b) => b[metric]);
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return (studentT(level, n - 1) * Math.sqrt(variance)) / Math.sqrt(n);
}
