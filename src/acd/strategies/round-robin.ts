import { orderedStrategy } from './ordered-strategy.ts';

/**
 * 循环 (ACD-05), with memory per group: the member this group offered to least recently goes
 * next, so offers cycle through the group's order and the cycle survives agents going busy.
 * A member who joins has never been offered and goes first.
 */
export const roundRobin = orderedStrategy('round_robin', (a, b) => a.lastOffered - b.lastOffered);
