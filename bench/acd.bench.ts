/**
 * ACD benchmark (issue #3).
 * 1. Routing cost: 100, 1,000 and 10,000 agents over 200 skill groups, each agent in 5 groups
 *    (levels 1–3), half the agents busy. One decision = enqueue a call for a group that has a
 *    ready member + distribute(); the agent answers, and the longest-busy agent is released so the
 *    busy half keeps churning. Reported: decisions per second, p50/p99 decision time, and the
 *    ratio of the per-decision cost at 10,000 agents to that at 100 (goal ≤ 2).
 * 2. Simulator speed: one simulated day of a 1,000-agent center, ~150,000 calls.
 * Data is generated from fixed seeds. Timings are compared as ratios within one run.
 */
import { AcdEngine } from '../src/acd/index.ts';
import { erlangAMetrics } from '../src/acd/erlang/index.ts';
import { Random, runSimulation } from '../src/acd/simulator/index.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { percentile, type BenchOutcome } from './bench-result.ts';

/**
 * A full collection before each timed loop. Building 10,000 agents (and the engines of earlier
 * rounds, now garbage) fills the old generation, so without this a major GC of *setup* garbage
 * lands inside the 10k timed region in some rounds (measured: 1–2 of 5 rounds, +40% mean, p99
 * ×3–6) and never in the 100-agent one. Garbage the decisions themselves make is still collected
 * inside the timed region, at every size.
 */
const collectGarbage: () => void = (() => {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const GROUPS = 200;
const GROUPS_PER_AGENT = 5;

interface RoutingFigures {
  agents: number;
  decisions: number;
  decisionsPerSecond: number;
  meanMicros: number;
  p50Micros: number;
  p99Micros: number;
  maxMicros: number;
}

function routingCost(agents: number, decisions: number, seed: number): RoutingFigures {
  const random = new Random(seed);
  const engine = new AcdEngine();
  const groupsOf: string[][] = [];
  for (let i = 0; i < agents; i++) {
    const groups = new Set<number>();
    while (groups.size < GROUPS_PER_AGENT) groups.add(Math.floor(random.next() * GROUPS));
    const names = [...groups].map((g) => `g${g}`);
    groupsOf.push(names);
    const id = `a${i}`;
    engine.addAgent(
      {
        id,
        extension: String(10000 + i),
        groups: names.map((name) => ({ name, level: 1 + Math.floor(random.next() * 3) })),
      },
      0,
    );
    engine.setReachable(id, true);
    engine.transition(id, 'ready', null, i);
  }
  // The ready set (swap-remove array) lets the workload pick a group that can be served at once.
  const ready = Array.from({ length: agents }, (_, i) => i);
  const slot = Int32Array.from(ready);
  const busy: number[] = [];
  let busyHead = 0;
  const removeReady = (agent: number) => {
    const at = slot[agent] as number;
    const last = ready.pop() as number;
    if (last !== agent) {
      ready[at] = last;
      slot[last] = at;
    }
  };
  const warmup = Math.max(agents, 2000);
  const times = new Float64Array(decisions);
  let now = agents;
  for (let d = -warmup; d < decisions; d++) {
    if (d === 0) collectGarbage(); // after warmup: the timed loop starts on a settled heap
    now += 1;
    const chooser = ready[Math.floor(random.next() * ready.length)] as number;
    const groups = groupsOf[chooser] as string[];
    const group = groups[Math.floor(random.next() * groups.length)] as string;
    const started = process.hrtime.bigint();
    engine.enqueue(`c${d}`, group, 0, now);
    const offers = engine.distribute(now);
    const elapsed = Number(process.hrtime.bigint() - started);
    if (d >= 0) times[d] = elapsed;
    if (offers.length !== 1) throw new Error(`expected one offer, got ${offers.length}`);
    const agent = Number((offers[0] as { agentId: string }).agentId.slice(1));
    engine.transition(`a${agent}`, 'on_call', null, now);
    removeReady(agent);
    busy.push(agent);
    if (busy.length - busyHead > agents / 2) {
      const done = busy[busyHead++] as number;
      engine.transition(`a${done}`, 'ready', null, now);
      slot[done] = ready.length;
      ready.push(done);
    }
  }
  const total = times.reduce((s, t) => s + t, 0);
  times.sort();
  return {
    agents,
    decisions,
    decisionsPerSecond: Math.round(decisions / (total / 1e9)),
    meanMicros: total / decisions / 1000,
    p50Micros: percentile(times, 50) / 1000,
    p99Micros: percentile(times, 99) / 1000,
    maxMicros: (times[times.length - 1] as number) / 1000,
  };
}

function simulatorSpeed() {
  const config = {
    agents: 1000,
    callsPerHour: 6250, // 150,000 calls a day
    ahtSeconds: 540, // 937.5 Erl offered
    patienceSeconds: 180,
  };
  const started = performance.now();
  const r = runSimulation({
    agents: config.agents,
    arrivals: { kind: 'poisson', callsPerHour: config.callsPerHour },
    handleTime: { kind: 'exponential', meanSeconds: config.ahtSeconds },
    patienceSeconds: config.patienceSeconds,
    hours: 24,
    warmupSeconds: 0,
    seed: 1,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const model = erlangAMetrics({
    servers: 1000,
    callsPerHour: 6250,
    ahtSeconds: 540,
    slSeconds: 20,
    patienceSeconds: 180,
  });
  return {
    ...config,
    simulatedHours: 24,
    wallSeconds,
    calls: r.offered,
    events: r.events,
    callsPerWallSecond: Math.round(r.offered / wallSeconds),
    simulated: {
      serviceLevel: r.serviceLevel,
      asa: r.asa,
      pWait: r.pWait,
      pAbandon: r.pAbandon,
      occupancy: r.occupancy,
    },
    erlangA: {
      serviceLevel: model.serviceLevel,
      asa: model.asa,
      pWait: model.pWait,
      pAbandon: model.pAbandon,
      occupancy: model.occupancy,
    },
  };
}

/** Sizes measured in interleaved rounds; each size reports its median round (shared, noisy machines). */
const ROUNDS = 5;

export async function run(): Promise<BenchOutcome> {
  // Warm the JIT on both ends first, so the smallest size is not charged for compilation.
  routingCost(100, 5_000, 98);
  routingCost(10_000, 1_000, 99);
  const plan: [number, number][] = [
    [100, 20_000],
    [1_000, 20_000],
    [10_000, 10_000],
  ];
  const rounds = plan.map((): RoutingFigures[] => []);
  for (let round = 0; round < ROUNDS; round++)
    plan.forEach(([agents, decisions], i) =>
      rounds[i]?.push(routingCost(agents, decisions, 1 + round * 10 + i)),
    );
  const routing = rounds.map(
    (r) => [...r].sort((a, b) => a.meanMicros - b.meanMicros)[Math.floor(r.length / 2)] as RoutingFigures,
  );
  const [small, , large] = routing as [RoutingFigures, RoutingFigures, RoutingFigures];
  const ratio = large.meanMicros / small.meanMicros;
  const p99Ratio = large.p99Micros / small.p99Micros;
  const simulator = simulatorSpeed();
  const perSize = routing
    .map(
      (r) =>
        `${r.agents} agents ${Math.round(r.decisionsPerSecond).toLocaleString('en')}/s p99 ${r.p99Micros.toFixed(1)} µs`,
    )
    .join(', ');
  return {
    summary:
      `routing ${perSize}; cost 10k/100 = ${ratio.toFixed(1)}× (p99 ${p99Ratio.toFixed(1)}×, goal ≤ 2×); ` +
      `simulator: 1 day, 1,000 agents, ${simulator.calls.toLocaleString('en')} calls in ${simulator.wallSeconds.toFixed(2)} s`,
    result: {
      routing: {
        groups: GROUPS,
        groupsPerAgent: GROUPS_PER_AGENT,
        busyFraction: 0.5,
        rounds: ROUNDS,
        sizes: routing,
        allRounds: rounds.map((r) => r.map((x) => ({ meanMicros: x.meanMicros, p99Micros: x.p99Micros }))),
      },
      costRatio10kTo100: { mean: ratio, p99: p99Ratio, goal: 2 },
      simulator,
    },
  };
}
