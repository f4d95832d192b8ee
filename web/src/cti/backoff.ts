export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** Fraction of the delay that is randomised, so a server restart is not met by every desk at once. */
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 15_000, jitter: 0.3 };

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = defaultBackoff,
  random = Math.random,
): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  const spread = base * policy.jitter;
  return Math.round(base - spread + random() * spread * 2);
}
