import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErlangBRecursion, erlangAMetrics, erlangB, erlangC, erlangCMetrics } from './index.ts';

/** Σₖ₌₀ⁿ Aᵏ/k! terms by plain products — fine for the small N of these independent checks. */
function poissonTerms(a: number, n: number): number[] {
  const terms = [1];
  for (let k = 1; k <= n; k++) terms.push(((terms[k - 1] as number) * a) / k);
  return terms;
}

function directErlangB(n: number, a: number): number {
  const t = poissonTerms(a, n);
  return (t[n] as number) / t.reduce((s, x) => s + x, 0);
}

function directErlangC(n: number, a: number): number {
  const t = poissonTerms(a, n);
  const top = ((t[n] as number) * n) / (n - a);
  return top / (t.slice(0, n).reduce((s, x) => s + x, 0) + top);
}

describe('Erlang B', () => {
  it('matches direct summation for small N', () => {
    for (const a of [0.5, 1, 3.7, 10, 25])
      for (const n of [1, 2, 5, 10, 20, 30]) expect(erlangB(n, a)).toBeCloseTo(directErlangB(n, a), 12);
  });

  it('matches the textbook table for A = 10 Erl', () => {
    // Erlang B table values (4 decimals) for A = 10.
    const table: [number, number][] = [
      [10, 0.2146],
      [12, 0.1197],
      [15, 0.0365],
      [20, 0.0019],
    ];
    for (const [n, b] of table) expect(erlangB(n, 10)).toBeCloseTo(b, 4);
  });

  it('stays finite and exact in (0, 1) for 10,000 servers', () => {
    const b = erlangB(10_000, 9_500);
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(1);
    const r = new ErlangBRecursion(9_500);
    expect(r.advanceTo(10_000)).toBe(b);
  });

  it('decreases as servers are added', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0.1, max: 300, noNaN: true }),
        (n, a) => {
          const [now, next] = [erlangB(n, a), erlangB(n + 1, a)];
          expect(next).toBeLessThanOrEqual(now);
          if (now > 1e-290) expect(next).toBeLessThan(now); // below that both may underflow to 0
        },
      ),
    );
  });
});

describe('Erlang C', () => {
  it('matches the textbook values for A = 10 Erl, N = 11..15', () => {
    const table: [number, number][] = [
      [11, 0.6821],
      [12, 0.4494],
      [13, 0.2853],
      [14, 0.1741],
      [15, 0.102],
    ];
    for (const [n, c] of table) expect(erlangC(n, 10)).toBeCloseTo(c, 4);
  });

  it('matches the direct formula, and SL/ASA follow from it', () => {
    for (const [n, a] of [
      [2, 1.5],
      [10, 8],
      [25, 20],
      [40, 39.5],
    ] as const) {
      const c = directErlangC(n, a);
      expect(erlangC(n, a)).toBeCloseTo(c, 12);
      const m = erlangCMetrics({
        servers: n,
        callsPerHour: (a * 3600) / 240,
        ahtSeconds: 240,
        slSeconds: 30,
      });
      expect(m.pWait).toBeCloseTo(c, 12);
      expect(m.serviceLevel).toBeCloseTo(1 - c * Math.exp((-(n - a) * 30) / 240), 12);
      expect(m.asa).toBeCloseTo((c * 240) / (n - a), 9);
      expect(m.occupancy).toBeCloseTo(a / n, 12);
    }
  });

  it('80/20 at 200 calls/h and 180 s AHT: 13 agents give 79.6%, 14 give 88.8%', () => {
    const at = (servers: number) =>
      erlangCMetrics({ servers, callsPerHour: 200, ahtSeconds: 180, slSeconds: 20 }).serviceLevel;
    expect(at(13)).toBeCloseTo(0.7956, 4);
    expect(at(14)).toBeCloseTo(0.8884, 4);
  });

  it('is unstable (P(wait) 1, SL 0, ASA ∞) when A ≥ N', () => {
    const m = erlangCMetrics({ servers: 10, callsPerHour: 200, ahtSeconds: 180, slSeconds: 20 });
    expect(m).toMatchObject({ pWait: 1, serviceLevel: 0, asa: Infinity });
  });

  it('SL rises and P(wait), ASA fall as agents are added', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 2000, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 60 }),
        (a, extra, t) => {
          const n = Math.floor(a) + extra;
          const m = (servers: number) =>
            erlangCMetrics({ servers, callsPerHour: a * 20, ahtSeconds: 180, slSeconds: t });
          const [lo, hi] = [m(n), m(n + 1)];
          expect(hi.serviceLevel).toBeGreaterThanOrEqual(lo.serviceLevel);
          expect(hi.pWait).toBeLessThan(lo.pWait);
          expect(hi.asa).toBeLessThan(lo.asa);
        },
      ),
    );
  });
});

/**
 * An independent Erlang A computation for small N: the truncated birth–death distribution by
 * plain products, P(abandon) by rate conservation (θ·E[queue] / λ), and the waiting-time figures
 * by integrating the tagged caller's Kolmogorov equations (RK4) — queue position, service and
 * abandonment as explicit states, no closed forms shared with the implementation.
 */
function bruteErlangA(n: number, lambda: number, mu: number, theta: number, t: number) {
  const K = 100;
  const p = [1];
  for (let s = 1; s <= n + K; s++)
    p.push(((p[s - 1] as number) * lambda) / (Math.min(s, n) * mu + Math.max(s - n, 0) * theta));
  const total = p.reduce((x, y) => x + y, 0);
  const pi = p.map((x) => x / total);
  const pWait = pi.slice(n).reduce((x, y) => x + y, 0);
  const meanQueue = pi.reduce((s, x, i) => s + Math.max(i - n, 0) * x, 0);
  const pAbandon = (theta * meanQueue) / lambda;
  // Tagged caller: x[k] = P(k callers ahead), k = 0..K; absorbed into served / abandoned.
  const x = pi.slice(n).concat([0]);
  let served = 0;
  const deriv = (v: number[]) => {
    const d = v.map((vk, k) => -(n * mu + k * theta + theta) * vk);
    for (let k = 0; k < K; k++) d[k] = (d[k] as number) + (n * mu + (k + 1) * theta) * (v[k + 1] as number);
    return { d, servedRate: n * mu * (v[0] as number) };
  };
  const h = 0.1;
  let servedByT = 0;
  let servedWaitIntegral = 0; // ∫ (P(served by ∞) − P(served by s)) ds, accumulated as Σ s·dServed
  for (let step = 0; step * h < 25 / theta + 25 / (n * mu); step++) {
    const s = step * h;
    if (Math.abs(s - t) < h / 2) servedByT = served;
    const k1 = deriv(x);
    const x2 = x.map((v, i) => v + (h / 2) * (k1.d[i] as number));
    const k2 = deriv(x2);
    const x3 = x.map((v, i) => v + (h / 2) * (k2.d[i] as number));
    const k3 = deriv(x3);
    const x4 = x.map((v, i) => v + h * (k3.d[i] as number));
    const k4 = deriv(x4);
    const dServed = (h / 6) * (k1.servedRate + 2 * k2.servedRate + 2 * k3.servedRate + k4.servedRate);
    served += dServed;
    servedWaitIntegral += (s + h / 2) * dServed;
    for (let i = 0; i < x.length; i++)
      x[i] =
        (x[i] as number) +
        (h / 6) *
          ((k1.d[i] as number) + 2 * (k2.d[i] as number) + 2 * (k3.d[i] as number) + (k4.d[i] as number));
  }
  const answeredInT = 1 - pWait + servedByT;
  return { pWait, pAbandon, serviceLevelOffered: answeredInT, asa: servedWaitIntegral / (1 - pAbandon) };
}

describe('Erlang A (M/M/N+M)', () => {
  it('agrees with a brute-force birth–death and tagged-caller computation', () => {
    for (const [n, a, patience, t] of [
      [3, 2.5, 60, 20],
      [8, 8, 120, 20],
      [10, 12, 90, 15],
    ] as const) {
      const aht = 180;
      const m = erlangAMetrics({
        servers: n,
        callsPerHour: (a * 3600) / aht,
        ahtSeconds: aht,
        slSeconds: t,
        patienceSeconds: patience,
      });
      const b = bruteErlangA(n, a / aht, 1 / aht, 1 / patience, t);
      expect(m.pWait).toBeCloseTo(b.pWait, 10);
      expect(m.pAbandon).toBeCloseTo(b.pAbandon, 10);
      expect(m.serviceLevelOffered).toBeCloseTo(b.serviceLevelOffered, 5);
      expect(m.asa).toBeCloseTo(b.asa, 2);
    }
  }, 20_000);

  it('with patience equal to AHT the system is M/M/∞: P(wait) = P(Poisson(A) ≥ N)', () => {
    const a = 20;
    const n = 22;
    const terms = poissonTerms(a, 400).map((x) => x * Math.exp(-a));
    const pWait = terms.slice(n).reduce((s, x) => s + x, 0);
    const excess = terms.reduce((s, x, k) => s + Math.max(k - n, 0) * x, 0);
    const m = erlangAMetrics({
      servers: n,
      callsPerHour: (a * 3600) / 200,
      ahtSeconds: 200,
      slSeconds: 20,
      patienceSeconds: 200,
    });
    expect(m.pWait).toBeCloseTo(pWait, 10);
    expect(m.pAbandon).toBeCloseTo(excess / a, 10);
  });

  it('tends to Erlang C as patience grows', () => {
    const input = { servers: 12, callsPerHour: 200, ahtSeconds: 180, slSeconds: 20 };
    const c = erlangCMetrics(input);
    const a = erlangAMetrics({ ...input, patienceSeconds: 1e9 });
    expect(a.pWait).toBeCloseTo(c.pWait, 6);
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 6);
    expect(a.asa).toBeCloseTo(c.asa, 3);
    expect(a.pAbandon).toBeLessThan(1e-6);
  });

  it('is stable for large and overloaded centers', () => {
    for (const [n, cph, aht, patience] of [
      [10_000, 600_000, 60, 120],
      [100, 600_000, 60, 3600],
      [1000, 6250, 540, 180],
    ] as const) {
      const m = erlangAMetrics({
        servers: n,
        callsPerHour: cph,
        ahtSeconds: aht,
        slSeconds: 20,
        patienceSeconds: patience,
      });
      for (const v of [m.pWait, m.serviceLevel, m.serviceLevelOffered, m.pAbandon, m.occupancy]) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(Number.isFinite(m.asa)).toBe(true);
    }
  });

  it('SL rises and P(wait), P(abandon) fall as agents are added', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        fc.integer({ min: 1, max: 600 }),
        fc.double({ min: 5, max: 1200, noNaN: true }),
        fc.integer({ min: 0, max: 60 }),
        (a, n, patience, t) => {
          const m = (servers: number) =>
            erlangAMetrics({
              servers,
              callsPerHour: a * 20,
              ahtSeconds: 180,
              slSeconds: t,
              patienceSeconds: patience,
            });
          const [lo, hi] = [m(n), m(n + 1)];
          expect(hi.serviceLevelOffered).toBeGreaterThanOrEqual(lo.serviceLevelOffered - 1e-12);
          expect(hi.pWait).toBeLessThanOrEqual(lo.pWait + 1e-12);
          expect(hi.pAbandon).toBeLessThanOrEqual(lo.pAbandon + 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });
});
