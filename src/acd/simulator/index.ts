export { runSimulation } from './simulator.ts';
export type { SimulationResult } from './simulator.ts';
export type {
  AgentShift,
  ArrivalProcess,
  HandleTimeDistribution,
  SimulationConfig,
} from './simulation-config.ts';
export type { BatchResult, SimulationTotals } from './simulation-stats.ts';
export { parseStrategyName, strategyNames } from './strategy-adapter.ts';
export type { AppliedStrategy, StrategyName } from './strategy-adapter.ts';
export { Random } from './random.ts';
export { EventQueue } from './event-queue.ts';
export { batchHalfWidth, studentT } from './batch-means.ts';
export type { ConfidenceLevel } from './batch-means.ts';
