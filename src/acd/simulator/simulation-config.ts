/**
 * What a simulation run is given. Times in seconds unless the name says otherwise.
 */
import type { StrategyName } from './strategy-adapter.ts';

export type ArrivalProcess =
  /** Poisson arrivals at a constant rate. */
  | { kind: 'poisson'; callsPerHour: number }
  /** A piecewise-constant Poisson rate: interval i brings callsPerInterval[i] calls on average. */
  | { kind: 'profile'; intervalSeconds: number; callsPerInterval: number[] };

export type HandleTimeDistribution =
  | { kind: 'exponential'; meanSeconds: number }
  /** Lognormal with the given mean and coefficient of variation (sd / mean). */
  | { kind: 'lognormal'; meanSeconds: number; cv: number };

/** One agent's shift; the agent finishes a call in progress after the shift ends. */
export interface AgentShift {
  startSeconds: number;
  endSeconds: number;
}

export interface SimulationConfig {
  /** A number of agents on duty for the whole run, or one shift per agent. */
  agents: number | AgentShift[];
  arrivals: ArrivalProcess;
  handleTime: HandleTimeDistribution;
  /** Mean of the exponential patience; absent = callers never abandon. */
  patienceSeconds?: number;
  /** Fixed after-call work per call (default 0). */
  wrapUpSeconds?: number;
  /** Calls arrive during [0, hours); the run then drains the calls still in the system. */
  hours: number;
  /**
   * Calls arriving before this are not counted, and agent time before it is not measured, so the
   * empty start does not bias steady-state figures. Default: 10% of the run.
   */
  warmupSeconds?: number;
  /** Service-level threshold (default 20 s). */
  slSeconds?: number;
  seed?: number;
  strategy?: StrategyName;
  /** The measured period is cut into this many equal batches for batch-means errors (default 20). */
  batches?: number;
}

export function assertSimulationConfig(c: SimulationConfig): void {
  const positive = (x: number) => Number.isFinite(x) && x > 0;
  if (typeof c.agents === 'number') {
    if (!Number.isInteger(c.agents) || c.agents < 1) throw new RangeError('agents must be an integer ≥ 1');
  } else {
    if (c.agents.length === 0) throw new RangeError('agents must list at least one shift');
    for (const s of c.agents)
      if (!(s.startSeconds >= 0 && s.endSeconds > s.startSeconds)) throw new RangeError('bad agent shift');
  }
  if (!positive(c.hours)) throw new RangeError('hours must be > 0');
  if (c.arrivals.kind === 'poisson' && !(c.arrivals.callsPerHour >= 0))
    throw new RangeError('callsPerHour must be ≥ 0');
  if (c.arrivals.kind === 'profile') {
    if (!positive(c.arrivals.intervalSeconds)) throw new RangeError('intervalSeconds must be > 0');
    if (c.arrivals.callsPerInterval.some((x) => !(x >= 0)))
      throw new RangeError('callsPerInterval must be ≥ 0');
  }
  if (!positive(c.handleTime.meanSeconds)) throw new RangeError('handle time mean must be > 0');
  if (c.handleTime.kind === 'lognormal' && !(c.handleTime.cv > 0)) throw new RangeError('cv must be > 0');
  if (c.patienceSeconds !== undefined && !(c.patienceSeconds > 0))
    throw new RangeError('patienceSeconds must be > 0');
  if (c.wrapUpSeconds !== undefined && !(c.wrapUpSeconds >= 0))
    throw new RangeError('wrapUpSeconds must be ≥ 0');
  const warmup = c.warmupSeconds ?? 0;
  if (!(warmup >= 0 && warmup < c.hours * 3600))
    throw new RangeError('warmupSeconds must be in [0, run length)');
  if (c.slSeconds !== undefined && !(c.slSeconds >= 0)) throw new RangeError('slSeconds must be ≥ 0');
  if (c.batches !== undefined && !(Number.isInteger(c.batches) && c.batches >= 1))
    throw new RangeError('batches must be an integer ≥ 1');
}
