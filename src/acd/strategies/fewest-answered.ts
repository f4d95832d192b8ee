import { orderedStrategy } from './ordered-strategy.ts';

/** 最少接答次数 (ACD-05): fewest answered calls first; ties go to the longest idle. */
export const fewestAnswered = orderedStrategy(
  'fewest_answered',
  (a, b) => a.agent.answeredCalls - b.agent.answeredCalls || a.agent.since - b.agent.since,
);
