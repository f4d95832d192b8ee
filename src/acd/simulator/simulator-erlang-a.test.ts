/**
 * Acceptance (issue #3): with exponential handle times and exponential patience (abandoned calls
 * are removed from the engine's queue), the simulator agrees with Erlang A — P(abandon), P(wait),
 * SL over answered and over offered, ASA — within 99.9% batch-means confidence intervals (fixed
 * run lengths and seeds; 1-hour warm-up; 20 batches; see agreement.test-support.ts). The cases
 * cover under-, critically and over-loaded centers.
 */
import { describe, expect, it } from 'vitest';
import { maxHalfWidth, runAgreementCase, type AgreementCase } from './agreement.test-support.ts';

const cases: AgreementCase[] = [
  { agents: 10, erlangs: 8, patienceSeconds: 120, hours: 2000, seed: 201 },
  { agents: 50, erlangs: 50, patienceSeconds: 180, hours: 800, seed: 202 },
  { agents: 100, erlangs: 105, patienceSeconds: 60, hours: 400, seed: 203 },
];

describe('simulator vs Erlang A (M/M/N+M)', () => {
  for (const c of cases) {
    it(`N=${c.agents}, A=${c.erlangs} Erl, patience ${c.patienceSeconds} s, ${c.hours} h, seed ${c.seed}: agree`, () => {
      const { result, rows } = runAgreementCase(c);
      expect(result.abandoned).toBeGreaterThan(0);
      expect(result.answered + result.abandoned).toBe(result.offered);
      for (const row of rows) {
        expect(row.halfWidth, `${row.metric} interval too wide`).toBeLessThanOrEqual(maxHalfWidth(row));
        expect(
          Math.abs(row.simulated - row.model),
          `${row.metric} ${JSON.stringify(row)}`,
        ).toBeLessThanOrEqual(row.halfWidth);
      }
    }, 60_000);
  }
});
