import { orderedStrategy } from './ordered-strategy.ts';

/**
 * Ring the first free member in the group's order, then add one more every `ringStepSeconds`
 * while the earlier ones keep ringing (follow-up Offers); the first to answer wins.
 */
export const ringProgressively = orderedStrategy(
  'ring_progressively',
  (a, b) => a.position - b.position,
  'progressive',
);
