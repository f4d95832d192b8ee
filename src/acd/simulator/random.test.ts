import { describe, expect, it } from 'vitest';
import { studentT } from './batch-means.ts';
import { Random } from './random.ts';

function moments(draw: () => number, n: number) {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, sd: Math.sqrt(s2 / n - mean * mean) };
}

describe('Random', () => {
  it('is reproducible by seed and stream, and streams differ', () => {
    const a = new Random(42);
    const b = new Random(42);
    const seq = (r: Random) => Array.from({ length: 5 }, () => r.nextUint32());
    expect(seq(a)).toEqual(seq(b));
    expect(seq(new Random(42, 1))).not.toEqual(seq(new Random(42, 0)));
    expect(seq(new Random(43))).not.toEqual(seq(new Random(42)));
  });

  it('draws uniforms in [0, 1) and the distributions with the right moments', () => {
    const r = new Random(7);
    const n = 200_000;
    const u = moments(() => r.next(), n);
    // Means within 5 standard errors.
    expect(Math.abs(u.mean - 0.5)).toBeLessThan((5 * Math.sqrt(1 / 12)) / Math.sqrt(n));
    const e = moments(() => r.exponential(180), n);
    expect(Math.abs(e.mean - 180)).toBeLessThan((5 * 180) / Math.sqrt(n));
    expect(e.sd).toBeCloseTo(180, -1);
    const z = moments(() => r.normal(), n);
    expect(Math.abs(z.mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(z.sd).toBeCloseTo(1, 1);
    const l = moments(() => r.lognormal(300, 0.5), n);
    expect(Math.abs(l.mean - 300)).toBeLessThan((5 * 150) / Math.sqrt(n));
    expect(l.sd / l.mean).toBeCloseTo(0.5, 1);
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

describe('studentT', () => {
  it('matches t tables', () => {
    expect(studentT(0.95, 19)).toBeCloseTo(2.093, 3);
    expect(studentT(0.999, 19)).toBeCloseTo(3.883, 2);
    expect(studentT(0.95, 9)).toBeCloseTo(2.262, 2);
    expect(studentT(0.99, 29)).toBeCloseTo(2.756, 3);
  });
});
