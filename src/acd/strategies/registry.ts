/**
 * Every strategy by name (ACD-05). Groups name their strategy in configuration; the contract
 * suite (strategy-contract.test.ts) iterates this map, so a strategy added here is tested.
 */
import { agentPriority } from './agent-priority.ts';
import { fewestAnswered } from './fewest-answered.ts';
import { leastTalkTime } from './least-talk-time.ts';
import { linear } from './linear.ts';
import { longestIdle } from './longest-idle.ts';
import { random } from './random.ts';
import { ringAll } from './ring-all.ts';
import { ringProgressively } from './ring-progressively.ts';
import { roundRobin } from './round-robin.ts';
import { strategyNames, type RoutingStrategy, type StrategyName } from './strategy.ts';
import { weightedRandom } from './weighted-random.ts';

export const strategies: ReadonlyMap<StrategyName, RoutingStrategy> = new Map(
  [
    linear,
    roundRobin,
    fewestAnswered,
    longestIdle,
    leastTalkTime,
    agentPriority,
    random,
    weightedRandom,
    ringAll,
    ringProgressively,
  ].map((s) => [s.name, s]),
);

export function isStrategyName(name: string): name is StrategyName {
  return (strategyNames as readonly string[]).includes(name);
}

export function strategyFor(name: StrategyName): RoutingStrategy {
  const s = strategies.get(name);
  if (!s) throw new RangeError(`unknown ACD strategy ${name}`);
  return s;
}
