/** Time as a dependency, so pure modules (acd/, ivr/) and their tests decide what "now" is. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
