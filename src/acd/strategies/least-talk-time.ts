import { orderedStrategy } from './ordered-strategy.ts';

/** Least cumulative talk time first (balances load when calls differ in length); ties: longest idle. */
export const leastTalkTime = orderedStrategy(
  'least_talk_time',
  (a, b) => a.agent.talkMs - b.agent.talkMs || a.agent.since - b.agent.since,
);
