import { orderedStrategy } from './ordered-strategy.ts';

/**
 * Ring every free member of the best eligible level at once; the first to answer wins and the
 * others are released. `agentIds` of the Offer lists them in the group's fixed order.
 */
export const ringAll = orderedStrategy('ring_all', (a, b) => a.position - b.position, 'all');
