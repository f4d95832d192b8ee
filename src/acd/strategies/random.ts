import type { Channel } from '../acd-types.ts';
import { UniformPool } from './pools.ts';
import type { AgentPool, PoolMember, RoutingStrategy } from './strategy.ts';

/** Uniformly random among the free members of the best level, from the engine's seeded RNG. */
export const random: RoutingStrategy = {
  name: 'random',
  fanOut: 'one',
  createPool: <M extends PoolMember>(channel: Channel): AgentPool<M> => new UniformPool<M>(channel),
};
