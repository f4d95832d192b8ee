import type { Channel } from '../acd-types.ts';
import { WeightedPool } from './pools.ts';
import type { AgentPool, PoolMember, RoutingStrategy } from './strategy.ts';

/** Random in proportion to each agent's `weight` (an agent of weight 3 gets ~3× the offers of weight 1). */
export const weightedRandom: RoutingStrategy = {
  name: 'weighted_random',
  fanOut: 'one',
  createPool: <M extends PoolMember>(channel: Channel): AgentPool<M> => new WeightedPool<M>(channel),
};
