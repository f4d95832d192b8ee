/**
 * Acceptance (issue #3): with exponential handle times and no abandonment, the simulator — routing
 * through the real AcdEngine — agrees with Erlang C. Run lengths and seeds are fixed; each run
 * discards a 1-hour warm-up and cuts the rest into 20 batches; agreement means the Erlang C value
 * lies inside the 99.9% batch-means confidence interval of the simulated value (see
 * agreement.test-support.ts), whose half-width must itself be small (≤ 0.04 for SL and P(wait),
 * ≤ 25% of ASA).
 */
import { describe, expect, it } from 'vitest';
import { maxHalfWidth, runAgreementCase, type AgreementCase } from './agreement.test-support.ts';

const cases: AgreementCase[] = [
  { agents: 10, erlangs: 8, hours: 4000, seed: 101 },
  { agents: 50, erlangs: 45, hours: 1500, seed: 102 },
  { agents: 100, erlangs: 90, hours: 800, seed: 103 },
];

describe('simulator vs Erlang C (M/M/N)', () => {
  for (const c of cases) {
    it(`N=${c.agents}, A=${c.erlangs} Erl, ${c.hours} h, seed ${c.seed}: SL, ASA and P(wait) agree`, () => {
      const { result, rows } = runAgreementCase(c);
      expect(result.abandoned).toBe(0);
      expect(result.unresolved).toBe(0);
      for (const row of rows) {
        expect(row.halfWidth, `${row.metric} interval too wide`).toBeLessThanOrEqual(maxHalfWidth(row));
        expect(
          Math.abs(row.simulated - row.model),
          `${row.metric} ${JSON.stringify(row)}`,
        ).toBeLessThanOrEqual(row.halfWidth);
      }
      expect(result.occupancy).toBeCloseTo(c.erlangs / c.agents, 2);
    }, 60_000);
  }
});
