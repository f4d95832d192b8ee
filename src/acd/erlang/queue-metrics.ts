/**
 * What the delay models (Erlang C, Erlang A) report for one staffing level. Times are seconds.
 *
 * Two service-level definitions (ACD-07), the same ones the simulator reports:
 * - `serviceLevel`: answered within T / answered — P(W ≤ T | answered);
 * - `serviceLevelOffered`: answered within T / offered — P(answered and W ≤ T).
 * Without abandonment (Erlang C) they are equal.
 */
export interface QueueMetrics {
  servers: number;
  /** Offered load A = λ·AHT in Erlangs. */
  erlangs: number;
  /** P(an arriving call finds every agent busy) = P(W > 0). */
  pWait: number;
  serviceLevel: number;
  serviceLevelOffered: number;
  /** Average speed of answer: mean wait of answered calls; Infinity when the queue is unstable. */
  asa: number;
  /** Fraction of offered calls that abandon (0 in Erlang C). */
  pAbandon: number;
  /** Carried load / servers: the fraction of staffed time agents spend handling calls. */
  occupancy: number;
}

export interface QueueInput {
  servers: number;
  callsPerHour: number;
  ahtSeconds: number;
  /** Service-level threshold T in seconds. */
  slSeconds: number;
}

export function assertQueueInput(input: QueueInput): void {
  const { servers, callsPerHour, ahtSeconds, slSeconds } = input;
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError('servers must be an integer ≥ 1');
  if (!(callsPerHour >= 0) || !Number.isFinite(callsPerHour))
    throw new RangeError('callsPerHour must be finite and ≥ 0');
  if (!(ahtSeconds > 0) || !Number.isFinite(ahtSeconds)) throw new RangeError('ahtSeconds must be > 0');
  if (!(slSeconds >= 0) || !Number.isFinite(slSeconds)) throw new RangeError('slSeconds must be ≥ 0');
}
