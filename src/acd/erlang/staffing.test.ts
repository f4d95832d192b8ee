import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  StaffingUnreachableError,
  erlangAMetrics,
  erlangCMetrics,
  intervalPlan,
  requiredAgents,
} from './index.ts';

describe('requiredAgents', () => {
  it('80/20 at 200 calls/h and 180 s AHT needs 14 agents (Erlang C)', () => {
    const r = requiredAgents({ callsPerHour: 200, ahtSeconds: 180, slSeconds: 20, targetServiceLevel: 0.8 });
    expect(r).toMatchObject({ model: 'erlang-c', agents: 14 });
    expect(r.serviceLevel).toBeCloseTo(0.8884, 4);
  });

  it('returns the smallest agent count meeting the target (Erlang C)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 20_000, noNaN: true }),
        fc.double({ min: 30, max: 900, noNaN: true }),
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0.05, max: 0.99, noNaN: true }),
        (callsPerHour, ahtSeconds, slSeconds, target) => {
          const r = requiredAgents({ callsPerHour, ahtSeconds, slSeconds, targetServiceLevel: target });
          const at = (servers: number) => erlangCMetrics({ servers, callsPerHour, ahtSeconds, slSeconds });
          expect(at(r.agents).serviceLevel).toBeGreaterThanOrEqual(target);
          if (r.agents > 1) expect(at(r.agents - 1).serviceLevel).toBeLessThan(target);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('returns the smallest agent count meeting the target over offered calls (Erlang A)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 5_000, noNaN: true }),
        fc.double({ min: 30, max: 900, noNaN: true }),
        fc.double({ min: 10, max: 900, noNaN: true }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (callsPerHour, ahtSeconds, patienceSeconds, target) => {
          const input = { callsPerHour, ahtSeconds, slSeconds: 20, patienceSeconds };
          const r = requiredAgents({ ...input, targetServiceLevel: target });
          const at = (servers: number) => erlangAMetrics({ ...input, servers });
          expect(r.model).toBe('erlang-a');
          expect(at(r.agents).serviceLevelOffered).toBeGreaterThanOrEqual(target);
          if (r.agents > 1) expect(at(r.agents - 1).serviceLevelOffered).toBeLessThan(target);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('honours ASA and abandonment caps', () => {
    const base = { callsPerHour: 200, ahtSeconds: 180, slSeconds: 20, targetServiceLevel: 0.5 };
    const plain = requiredAgents(base);
    const capped = requiredAgents({ ...base, maxAsaSeconds: 2 });
    expect(capped.agents).toBeGreaterThan(plain.agents);
    expect(capped.asa).toBeLessThanOrEqual(2);
    const a = requiredAgents({ ...base, patienceSeconds: 60, maxAbandonRate: 0.01 });
    expect(a.pAbandon).toBeLessThanOrEqual(0.01);
    expect(erlangAMetrics({ ...base, servers: a.agents - 1, patienceSeconds: 60 }).pAbandon).toBeGreaterThan(
      0.01,
    );
  });

  it('needs no agents for no calls, and reports an unreachable cap', () => {
    expect(
      requiredAgents({ callsPerHour: 0, ahtSeconds: 180, slSeconds: 20, targetServiceLevel: 0.8 }).agents,
    ).toBe(0);
    expect(() =>
      requiredAgents({
        callsPerHour: 2000,
        ahtSeconds: 180,
        slSeconds: 20,
        targetServiceLevel: 0.8,
        maxAgents: 50,
      }),
    ).toThrow(StaffingUnreachableError);
    expect(() =>
      requiredAgents({ callsPerHour: 1, ahtSeconds: 180, slSeconds: 20, targetServiceLevel: 1.2 }),
    ).toThrow(RangeError);
  });

  it('staffs a 10,000-agent center quickly', () => {
    const started = performance.now();
    const r = requiredAgents({
      callsPerHour: 600_000,
      ahtSeconds: 60,
      slSeconds: 20,
      targetServiceLevel: 0.9,
    });
    const a = requiredAgents({
      callsPerHour: 600_000,
      ahtSeconds: 60,
      slSeconds: 20,
      targetServiceLevel: 0.9,
      patienceSeconds: 120,
    });
    expect(r.agents).toBeGreaterThan(10_000);
    expect(a.agents).toBeGreaterThan(9_000);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('intervalPlan', () => {
  it('staffs each interval and adds shrinkage', () => {
    const plan = intervalPlan({
      intervals: [
        { start: '08:00', callsPerInterval: 0 },
        { start: '08:30', callsPerInterval: 100 },
        { start: '09:00', callsPerInterval: 250 },
      ],
      intervalMinutes: 30,
      ahtSeconds: 180,
      slSeconds: 20,
      targetServiceLevel: 0.8,
      shrinkage: 0.3,
    });
    expect(plan.rows.map((r) => r.agents)).toEqual([
      0,
      requiredAgents({ callsPerHour: 200, ahtSeconds: 180, slSeconds: 20, targetServiceLevel: 0.8 }).agents,
      requiredAgents({ callsPerHour: 500, ahtSeconds: 180, slSeconds: 20, targetServiceLevel: 0.8 }).agents,
    ]);
    expect(plan.rows[1]?.agents).toBe(14);
    expect(plan.rows[1]?.scheduled).toBe(20); // ⌈14 / 0.7⌉
    expect(plan.peakAgents).toBe(plan.rows[2]?.agents);
    expect(plan.agentHours).toBeCloseTo(
      plan.rows.reduce((s, r) => s + r.agents / 2, 0),
      9,
    );
    expect(plan.totalCalls).toBe(350);
    expect(plan.serviceLevelOffered).toBeGreaterThanOrEqual(0.8);
  });
});
