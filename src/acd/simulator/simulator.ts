/**
 * A discrete-event simulation of the contact center that routes every call through the real
 * AcdEngine (issue #3): generated calls are enqueued, the engine's distribute() chooses the
 * agents, and the simulator plays the callers and agents around it — answering at once, talking
 * for the drawn handle time, wrapping up, abandoning when patience runs out (the call is removed
 * from the engine's queue), and logging in and out on shift.
 *
 * Time is kept in seconds (the engine receives milliseconds). Arrivals stop at `hours`; the run
 * then drains the calls already in the system, so every measured call has an outcome unless no
 * agent is left to take it (`unresolved`).
 */
import { AcdEngine } from '../acd-engine.ts';
import { EventQueue } from './event-queue.ts';
import { Random } from './random.ts';
import { assertSimulationConfig, type ArrivalProcess, type SimulationConfig } from './simulation-config.ts';
import { SimulationStats, type BatchResult, type SimulationTotals } from './simulation-stats.ts';
import { applyStrategy, type AppliedStrategy } from './strategy-adapter.ts';

export interface SimulationResult extends SimulationTotals {
  slSeconds: number;
  warmupSeconds: number;
  measuredSeconds: number;
  seed: number;
  strategy: AppliedStrategy;
  /** Processed events, a measure of the work done. */
  events: number;
  batches: BatchResult[];
}

const GROUP = 'general';

const ARRIVAL = 0;
const CALL_END = 1;
const WRAP_END = 2;
const ABANDON = 3;
const SHIFT_START = 4;
const SHIFT_END = 5;

interface WaitingCall {
  arrival: number;
  batch: number;
  handle: number;
}

export function runSimulation(config: SimulationConfig): SimulationResult {
  assertSimulationConfig(config);
  const seed = config.seed ?? 1;
  const horizon = config.hours * 3600;
  const warmup = config.warmupSeconds ?? horizon / 10;
  const slSeconds = config.slSeconds ?? 20;
  const wrapUp = config.wrapUpSeconds ?? 0;
  const patience = config.patienceSeconds;
  const arrivalRandom = new Random(seed, 0);
  const handleRandom = new Random(seed, 1);
  const patienceRandom = new Random(seed, 2);
  const drawHandle =
    config.handleTime.kind === 'exponential'
      ? (
          (mean: number) => () =>
            handleRandom.exponential(mean)
        )(config.handleTime.meanSeconds)
      : (
          (mean: number, cv: number) => () =>
            handleRandom.lognormal(mean, cv)
        )(config.handleTime.meanSeconds, config.handleTime.cv);
  const nextArrival = arrivalClock(config.arrivals, arrivalRandom, horizon);

  const engine = new AcdEngine({ seed }); // random strategies draw from the engine's seeded RNG
  const strategy = applyStrategy(engine, GROUP, config.strategy ?? 'longest_idle', wrapUp);
  const stats = new SimulationStats(warmup, horizon, slSeconds, config.batches ?? 20);
  const events = new EventQueue();
  const shifts =
    typeof config.agents === 'number'
      ? Array.from({ length: config.agents }, () => ({ startSeconds: 0, endSeconds: Infinity }))
      : config.agents;

  const agentIds = shifts.map((_, i) => `a${i + 1}`);
  const agentIndex = new Map(agentIds.map((id, i) => [id, i]));
  const loginAt = new Float64Array(shifts.length);
  const busyAt = new Float64Array(shifts.length);
  const leaving = new Uint8Array(shifts.length);
  shifts.forEach((s, i) => {
    engine.addAgent(
      { id: agentIds[i] as string, extension: String(1000 + i), groups: [{ name: GROUP, level: 1 }] },
      0,
    );
    engine.setReachable(agentIds[i] as string, true);
    events.push(s.startSeconds, SHIFT_START, i);
    if (Number.isFinite(s.endSeconds)) events.push(s.endSeconds, SHIFT_END, i);
  });

  const waiting = new Map<number, WaitingCall>();
  let ready = 0;
  let callCount = 0;
  const first = nextArrival(0);
  if (first < horizon) events.push(first, ARRIVAL, 0);

  /**
   * Let the engine match waiting calls to ready agents; the first agent offered answers at once.
   * Agents rung alongside it (ring_all) go back to ready, which may serve the next caller.
   */
  const dispatch = (now: number) => {
    const ms = now * 1000;
    while (ready > 0 && engine.queueLength(GROUP) > 0) {
      const offers = engine.distribute(ms);
      if (offers.length === 0) return;
      for (const offer of offers) {
        ready -= offer.agentIds?.length ?? 1;
        const callNo = Number(offer.callId);
        const call = waiting.get(callNo);
        if (!call) {
          // Defensive: an offer for a call already answered — hand the agents back.
          for (const change of engine.withdrawOffer(offer.callId, ms)) if (change.to === 'ready') ready += 1;
          continue;
        }
        const agent = agentIndex.get(offer.agentId) as number;
        waiting.delete(callNo);
        for (const change of engine.offerAnswered(offer.agentId, ms, offer.callId))
          if (change.to === 'ready') ready += 1;
        busyAt[agent] = now;
        stats.answered(call.batch, now - call.arrival, call.handle);
        events.push(now + call.handle, CALL_END, agent);
      }
    }
  };

  /** The agent is free again: log out if the shift is over, else become ready for the next call. */
  const release = (agent: number, now: number) => {
    const id = agentIds[agent] as string;
    stats.busyTime(busyAt[agent] as number, now);
    if (leaving[agent]) {
      engine.transition(id, 'logged_out', null, now * 1000);
      stats.staffedTime(loginAt[agent] as number, now);
      return;
    }
    engine.transition(id, 'ready', null, now * 1000);
    ready += 1;
    dispatch(now);
  };

  const event = { time: 0, kind: 0, subject: 0 };
  let processed = 0;
  while (events.pop(event)) {
    processed += 1;
    const now = event.time;
    const ms = now * 1000;
    switch (event.kind) {
      case ARRIVAL: {
        const callNo = callCount++;
        const call: WaitingCall = { arrival: now, batch: stats.batchOf(now), handle: drawHandle() };
        const giveUp = patience === undefined ? Infinity : patienceRandom.exponential(patience);
        stats.offered(call.batch);
        waiting.set(callNo, call);
        engine.enqueue(String(callNo), GROUP, 0, ms);
        dispatch(now);
        if (waiting.has(callNo) && giveUp < Infinity) events.push(now + giveUp, ABANDON, callNo);
        const next = nextArrival(now);
        if (next < horizon) events.push(next, ARRIVAL, 0);
        break;
      }
      case CALL_END: {
        const agent = event.subject;
        if (wrapUp > 0) {
          engine.transition(agentIds[agent] as string, 'after_call_work', null, ms);
          events.push(now + wrapUp, WRAP_END, agent);
        } else release(agent, now);
        break;
      }
      case WRAP_END:
        release(event.subject, now);
        break;
      case ABANDON: {
        const call = waiting.get(event.subject);
        if (!call) break; // answered before the caller gave up
        waiting.delete(event.subject);
        engine.remove(String(event.subject));
        stats.abandoned(call.batch, now - call.arrival);
        break;
      }
      case SHIFT_START: {
        const agent = event.subject;
        engine.transition(agentIds[agent] as string, 'ready', null, ms);
        loginAt[agent] = now;
        ready += 1;
        dispatch(now);
        break;
      }
      case SHIFT_END: {
        const agent = event.subject;
        const id = agentIds[agent] as string;
        if (engine.agent(id)?.state === 'ready') {
          engine.transition(id, 'logged_out', null, ms);
          ready -= 1;
          stats.staffedTime(loginAt[agent] as number, now);
        } else leaving[agent] = 1; // finish the call (and wrap-up) first
        break;
      }
    }
  }
  // Agents still logged in were staffed until the end of the measured period.
  shifts.forEach((_, i) => {
    if (engine.agent(agentIds[i] as string)?.state !== 'logged_out')
      stats.staffedTime(loginAt[i] as number, horizon);
  });
  let unresolved = 0;
  for (const call of waiting.values()) if (call.batch >= 0) unresolved += 1;
  return {
    ...stats.totals(unresolved),
    slSeconds,
    warmupSeconds: warmup,
    measuredSeconds: horizon - warmup,
    seed,
    strategy,
    events: processed,
    batches: stats.batches(),
  };
}

/** Returns a function giving the next arrival time after `t` (Infinity when there is none). */
function arrivalClock(process: ArrivalProcess, random: Random, horizon: number): (t: number) => number {
  if (process.kind === 'poisson') {
    const mean = 3600 / process.callsPerHour;
    return process.callsPerHour > 0 ? (t) => t + random.exponential(mean) : () => Infinity;
  }
  const { intervalSeconds, callsPerInterval } = process;
  // Piecewise-constant rate: draw within the current interval; if the draw passes its end,
  // restart from the boundary at the next rate (valid because the exponential is memoryless).
  return (t) => {
    let from = t;
    for (;;) {
      const i = Math.floor(from / intervalSeconds);
      if (i >= callsPerInterval.length || from >= horizon) return Infinity;
      const end = (i + 1) * intervalSeconds;
      const calls = callsPerInterval[i] as number;
      if (calls > 0) {
        const next = from + random.exponential(intervalSeconds / calls);
        if (next < end) return next;
      }
      from = end;
    }
  };
}
