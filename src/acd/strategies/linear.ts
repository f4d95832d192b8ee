import { orderedStrategy } from './ordered-strategy.ts';

/** 线性 (ACD-05): always the first free member in the group's fixed order. */
export const linear = orderedStrategy('linear', (a, b) => a.position - b.position);
