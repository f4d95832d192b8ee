/**
 * Erlang A: Palm's M/M/N+M model — Poisson arrivals (λ), exponential handle times (mean AHT,
 * μ = 1/AHT), N agents, FIFO, and callers who abandon after an exponential patience (mean P,
 * θ = 1/P) while they wait (ANA-05, ACD-07).
 *
 * Method. The number of calls in the system is a birth–death process with death rate
 * min(n, N)·μ + max(n − N, 0)·θ, so with π_N as the unit
 *   π_{N+k} / π_N = Πᵢ₌₁ᵏ λ / (Nμ + iθ),        Σ_{n<N} π_n / π_N = 1/B(N, A) − 1,
 * B from the Erlang B recursion. By PASTA an arriving call sees k callers waiting ahead with
 * probability q_k ∝ π_{N+k}. Such a call moves up at rate Nμ + iθ while i callers are ahead and
 * abandons at rate θ, so (facts of the embedded jump chain of a CTMC):
 *   P(answered | k)            = Nμ / (Nμ + (k+1)θ)                     (the product telescopes)
 *   time to answer | answered  = H_k = Σᵢ₌₀ᵏ Exp(Nμ + (i+1)θ), independent of the jump choices
 *   E[H_k]                     = Σᵢ₌₀ᵏ 1 / (Nμ + (i+1)θ)
 *   P(H_k > t)                 = Σⱼ₌₀ᵏ C(a+j, j)·pʲ·(1−p)^(a+1),  a = Nμ/θ, p = 1 − e^{−θt}
 * The last line holds because the jumps of the countdown form a linear birth process with rates
 * (a+1)θ, (a+2)θ, …, whose count at time t is negative binomial (equivalently, H_k is the (k+1)-th
 * order statistic of a+k+1 i.i.d. Exp(θ) variables, Rényi's representation).
 *
 * Everything is summed in one pass over k with log-space weights rescaled by their running
 * maximum (no factorials, no overflow), until the weights fall below e^−46 of the maximum past
 * the mode. The cost is O(number of significant queue lengths), about (λ−Nμ)⁺/θ + O(√(λ/θ)).
 */
import { erlangB } from './erlang-b.ts';
import { erlangCMetrics } from './erlang-c.ts';
import { assertQueueInput, type QueueInput, type QueueMetrics } from './queue-metrics.ts';

export interface ErlangAInput extends QueueInput {
  /** Mean patience in seconds; Infinity (or absent abandonment) reduces to Erlang C. */
  patienceSeconds: number;
}

const NEGLIGIBLE_LOG = -46;
const MAX_TERMS = 50_000_000;

export function erlangAMetrics(input: ErlangAInput, blocking?: number): QueueMetrics {
  assertQueueInput(input);
  const { servers, callsPerHour, ahtSeconds, slSeconds, patienceSeconds } = input;
  if (!(patienceSeconds > 0)) throw new RangeError('patienceSeconds must be > 0');
  if (!Number.isFinite(patienceSeconds)) return erlangCMetrics(input);
  const lambda = callsPerHour / 3600;
  const erlangs = lambda * ahtSeconds;
  if (lambda === 0) {
    return {
      servers,
      erlangs,
      pWait: 0,
      serviceLevel: 1,
      serviceLevelOffered: 1,
      asa: 0,
      pAbandon: 0,
      occupancy: 0,
    };
  }
  const nMu = servers / ahtSeconds;
  const theta = 1 / patienceSeconds;
  const b = blocking ?? erlangB(servers, erlangs);

  // Negative-binomial tail for P(H_k > t): log T_0 = −(Nμ+θ)t, T_j / T_{j−1} = p·(a+j)/j.
  const logP = Math.log(-Math.expm1(-theta * slSeconds));
  const shape = nMu / theta;
  let logT = -(nMu + theta) * slSeconds;
  let tailSum = Math.exp(logT); // S_k = P(H_k > t), built up as k grows

  let logW = 0; // log(π_{N+k} / π_N)
  let maxLog = 0; // the running maximum that the sums below are scaled by
  let weightSum = 0; // Σ w_k
  let answeredInT = 0; // Σ w_k · P(answered | k) · P(H_k ≤ t)
  let abandonSum = 0; // Σ w_k · P(abandon | k)
  let waitAnswered = 0; // Σ w_k · P(answered | k) · E[H_k]
  let meanH = 0;
  for (let k = 0; ; k++) {
    if (k > 0) {
      logW += Math.log(lambda / (nMu + k * theta));
      logT += logP + Math.log(shape + k) - Math.log(k);
      tailSum += Math.exp(logT);
    }
    const rate = nMu + (k + 1) * theta;
    meanH += 1 / rate;
    if (logW > maxLog) {
      const scale = Math.exp(maxLog - logW);
      weightSum *= scale;
      answeredInT *= scale;
      abandonSum *= scale;
      waitAnswered *= scale;
      maxLog = logW;
    }
    const w = Math.exp(logW - maxLog);
    const answered = nMu / rate;
    weightSum += w;
    answeredInT += w * answered * Math.max(0, 1 - tailSum);
    abandonSum += w * (1 - answered);
    waitAnswered += w * answered * meanH;
    const pastMode = nMu + (k + 1) * theta >= lambda;
    if (pastMode && logW - maxLog < NEGLIGIBLE_LOG) break;
    if (k > MAX_TERMS) throw new RangeError('Erlang A series did not converge (patience too long?)');
  }

  // pWait = G / (1/B − 1 + G), with G = e^maxLog · weightSum, computed without overflow.
  const logOthers = b > 0 ? Math.log1p(-b) - Math.log(b) : Infinity;
  const ratio = Math.exp(logOthers - maxLog - Math.log(weightSum));
  const pWait = 1 / (1 + ratio);
  const pAbandon = (pWait * abandonSum) / weightSum;
  const pAnswered = 1 - pAbandon;
  const serviceLevelOffered = 1 - pWait + (pWait * answeredInT) / weightSum;
  const meanWaitAnswered = (pWait * waitAnswered) / weightSum; // seconds: every rate is per second
  return {
    servers,
    erlangs,
    pWait,
    serviceLevel: pAnswered > 0 ? clamp01(serviceLevelOffered / pAnswered) : 0,
    serviceLevelOffered: clamp01(serviceLevelOffered),
    asa: pAnswered > 0 ? meanWaitAnswered / pAnswered : Infinity,
    pAbandon,
    occupancy: Math.min(1, (erlangs * pAnswered) / servers),
  };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
