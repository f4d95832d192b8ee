import { describe, expect, it } from 'vitest';
import { runSimulation, strategyNames, type SimulationConfig } from './index.ts';

const base: SimulationConfig = {
  agents: 20,
  arrivals: { kind: 'poisson', callsPerHour: 360 },
  handleTime: { kind: 'exponential', meanSeconds: 180 },
  hours: 50,
  warmupSeconds: 3600,
  seed: 5,
};

describe('runSimulation', () => {
  it('is deterministic for a seed', () => {
    const a = runSimulation(base);
    expect(runSimulation(base)).toEqual(a);
    expect(runSimulation({ ...base, seed: 6 }).offered).not.toBe(a.offered);
  });

  it('counts Poisson arrivals after the warm-up, and resolves every call', () => {
    const r = runSimulation(base);
    const expected = 360 * 49;
    expect(Math.abs(r.offered - expected)).toBeLessThan(5 * Math.sqrt(expected));
    expect(r.answered + r.abandoned + r.unresolved).toBe(r.offered);
    expect(r.abandoned).toBe(0);
    expect(r.averageStaffed).toBe(20);
    expect(r.measuredSeconds).toBe(49 * 3600);
    expect(r.batches).toHaveLength(20);
    expect(r.batches.reduce((s, b) => s + b.offered, 0)).toBe(r.offered);
  });

  it('occupancy is carried load over agents, wrap-up included (Little’s law)', () => {
    const r = runSimulation({ ...base, agents: 25, wrapUpSeconds: 30, hours: 200 });
    expect(r.occupancy).toBeCloseTo((360 * 210) / 3600 / 25, 1.5);
    const plain = runSimulation({ ...base, agents: 25, hours: 200 });
    expect(r.asa).toBeGreaterThan(plain.asa);
  });

  it('draws lognormal handle times with the given mean', () => {
    const r = runSimulation({
      ...base,
      handleTime: { kind: 'lognormal', meanSeconds: 240, cv: 0.6 },
      agents: 30,
    });
    expect(Math.abs(r.averageHandleSeconds - 240)).toBeLessThan((5 * 0.6 * 240) / Math.sqrt(r.answered));
  });

  it('abandons impatient callers and takes them out of the engine queue', () => {
    const r = runSimulation({ ...base, agents: 15, patienceSeconds: 30 });
    expect(r.abandoned).toBeGreaterThan(0);
    expect(r.answered + r.abandoned).toBe(r.offered);
    expect(r.serviceLevelOffered).toBeLessThan(r.serviceLevel);
    expect(r.pAbandon).toBeCloseTo(r.abandoned / r.offered, 12);
  });

  it('follows a per-interval volume profile', () => {
    const r = runSimulation({
      ...base,
      arrivals: { kind: 'profile', intervalSeconds: 3600, callsPerInterval: [0, 300, 0, 600] },
      hours: 4,
      warmupSeconds: 0,
      batches: 4,
    });
    const [b0, b1, b2, b3] = r.batches.map((b) => b.offered);
    expect(b0).toBe(0);
    expect(b2).toBe(0);
    expect(Math.abs((b1 ?? 0) - 300)).toBeLessThan(5 * Math.sqrt(300));
    expect(Math.abs((b3 ?? 0) - 600)).toBeLessThan(5 * Math.sqrt(600));
  });

  it('logs agents in and out on their shifts, finishing the call in hand', () => {
    const r = runSimulation({
      ...base,
      agents: [
        { startSeconds: 0, endSeconds: 3600 },
        { startSeconds: 0, endSeconds: 7200 },
      ],
      arrivals: { kind: 'poisson', callsPerHour: 20 },
      hours: 3,
      warmupSeconds: 0,
    });
    // 1 + 2 agent-hours over 3 hours, plus a little overtime for calls running past a shift end.
    expect(r.averageStaffed).toBeGreaterThanOrEqual(1);
    expect(r.averageStaffed).toBeLessThan(1.2);
    // Calls arriving after both shifts ended wait forever: nobody abandons, nobody answers.
    expect(r.unresolved).toBeGreaterThan(0);
  });

  it('runs every engine strategy on the same calls', () => {
    for (const strategy of strategyNames) {
      const r = runSimulation({ ...base, hours: 5, patienceSeconds: 120, strategy });
      expect(r.strategy, strategy).toEqual({ requested: strategy, applied: strategy });
      expect(r.answered + r.abandoned, strategy).toBe(r.offered);
      expect(r.offered, strategy).toBe(runSimulation({ ...base, hours: 5, patienceSeconds: 120 }).offered);
    }
  });

  it('reports the strategy the engine ran', () => {
    expect(runSimulation({ ...base, hours: 1, warmupSeconds: 0, strategy: 'round_robin' }).strategy).toEqual({
      requested: 'round_robin',
      applied: 'round_robin',
    });
  });

  it('rejects a bad configuration', () => {
    expect(() => runSimulation({ ...base, agents: 0 })).toThrow(RangeError);
    expect(() => runSimulation({ ...base, warmupSeconds: 50 * 3600 })).toThrow(RangeError);
  });
});
