/**
 * How a simulation asks the engine for a distribution strategy (ACD-05): the one place that knows
 * how groups are configured. The simulated group gets the requested strategy and the run's
 * wrap-up time through the engine's own group configuration, so the simulator runs exactly the
 * strategy code the switch runs.
 */
import type { AcdEngine } from '../acd-engine.ts';
import { isStrategyName, strategyNames, type StrategyName } from '../index.ts';

export { strategyNames };
export type { StrategyName };

export interface AppliedStrategy {
  requested: StrategyName;
  /** The strategy the engine's group reports it runs. */
  applied: StrategyName;
}

/** Accepts `round-robin` as well as `round_robin`; undefined for names the ACD does not know. */
export function parseStrategyName(name: string): StrategyName | undefined {
  const normalized = name.trim().toLowerCase().replaceAll('-', '_');
  return isStrategyName(normalized) ? normalized : undefined;
}

export function applyStrategy(
  engine: AcdEngine,
  group: string,
  requested: StrategyName,
  wrapUpSeconds: number,
): AppliedStrategy {
  const config = engine.upsertGroup({ name: group, strategy: requested, wrapUpSeconds });
  return { requested, applied: config.strategy };
}
