/**
 * What a benchmark returns to bench/run.ts: one summary line for the console and the figures
 * written to bench/results/NAME.json (DESIGN §6).
 */
export interface BenchOutcome {
  summary: string;
  result: Record<string, unknown>;
}

/** Nearest-rank percentile of a sorted array. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
