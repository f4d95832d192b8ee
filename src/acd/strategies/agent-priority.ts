import { orderedStrategy } from './ordered-strategy.ts';

/**
 * 优先级 (ACD-05): within a level, the agent's own rank (`priority`, lower first, the same in every
 * group, e.g. seniority), then the group's fixed order. Linear uses only the group's order.
 */
export const agentPriority = orderedStrategy(
  'agent_priority',
  (a, b) => a.agent.priority - b.agent.priority || a.position - b.position,
);
