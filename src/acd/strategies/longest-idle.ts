import type { Channel } from '../acd-types.ts';
import { OrderedPool, TailSortedPool } from './pools.ts';
import type { AgentPool, PoolMember, RoutingStrategy } from './strategy.ts';

const byIdleStart = (a: PoolMember, b: PoolMember): number => a.agent.since - b.agent.since;

/**
 * 最大空闲时长 (ACD-05): the member who has been ready longest. The default strategy. A voice
 * member enters the pool the moment it becomes ready, so keys arrive in time order and a
 * tail-sorted list gives O(1) routing; non-voice pools order by load first and use a heap.
 */
export const longestIdle: RoutingStrategy = {
  name: 'longest_idle',
  fanOut: 'one',
  createPool: <M extends PoolMember>(channel: Channel): AgentPool<M> =>
    channel === 'voice'
      ? new TailSortedPool<M>(channel, byIdleStart)
      : new OrderedPool<M>(channel, byIdleStart),
};
