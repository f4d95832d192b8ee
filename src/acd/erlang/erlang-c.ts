/**
 * Erlang C (M/M/N, infinitely patient callers, FIFO) — the classic staffing model (ANA-05).
 *
 * Facts used (standard queueing theory, e.g. Gross & Harris, "Fundamentals of Queueing Theory"):
 *   C(N, A)  = N·B(N, A) / (N − A·(1 − B(N, A)))           for A < N, else 1
 *   P(W ≤ t) = 1 − C·exp(−(N − A)·t / AHT)
 *   ASA      = C·AHT / (N − A)
 *   occupancy = A / N
 * B comes from the stable Erlang B recursion, so large N is fine.
 */
import { erlangB, assertLoad, assertServers } from './erlang-b.ts';
import { assertQueueInput, type QueueInput, type QueueMetrics } from './queue-metrics.ts';

/** Probability that a call waits, C(N, A); 1 when the queue is unstable (A ≥ N). */
export function erlangC(servers: number, erlangs: number): number {
  assertServers(servers);
  assertLoad(erlangs);
  if (erlangs >= servers) return 1;
  return erlangCFromB(servers, erlangs, erlangB(servers, erlangs));
}

export function erlangCFromB(servers: number, erlangs: number, b: number): number {
  if (erlangs >= servers) return 1;
  return (servers * b) / (servers - erlangs * (1 - b));
}

export function erlangCMetrics(input: QueueInput): QueueMetrics {
  assertQueueInput(input);
  const erlangs = (input.callsPerHour * input.ahtSeconds) / 3600;
  return erlangCMetricsFromC(input, erlangs, erlangC(input.servers, erlangs));
}

/** The metrics once C(N, A) is known (lets a staffing search reuse its Erlang B recursion). */
export function erlangCMetricsFromC(input: QueueInput, erlangs: number, c: number): QueueMetrics {
  const { servers, ahtSeconds, slSeconds } = input;
  if (erlangs >= servers) {
    return {
      servers,
      erlangs,
      pWait: 1,
      serviceLevel: 0,
      serviceLevelOffered: 0,
      asa: Infinity,
      pAbandon: 0,
      occupancy: 1,
    };
  }
  const excess = servers - erlangs;
  const serviceLevel = 1 - c * Math.exp((-excess * slSeconds) / ahtSeconds);
  return {
    servers,
    erlangs,
    pWait: c,
    serviceLevel,
    serviceLevelOffered: serviceLevel,
    asa: (c * ahtSeconds) / excess,
    pAbandon: 0,
    occupancy: erlangs / servers,
  };
}
