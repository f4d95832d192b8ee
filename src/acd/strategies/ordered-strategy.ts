/** Builds a strategy that always offers the first member under a fixed ordering. */
import type { Channel } from '../acd-types.ts';
import { OrderedPool } from './pools.ts';
import type { AgentPool, FanOut, PoolMember, RoutingStrategy, StrategyName } from './strategy.ts';

export function orderedStrategy(
  name: StrategyName,
  cmp: (a: PoolMember, b: PoolMember) => number,
  fanOut: FanOut = 'one',
): RoutingStrategy {
  return {
    name,
    fanOut,
    createPool: <M extends PoolMember>(channel: Channel): AgentPool<M> => new OrderedPool<M>(channel, cmp),
  };
}
