/**
 * Timer values (RFC 3261 §17.1.1.1 and Table 4 of Appendix A). Tests shrink them; the RFC's
 * defaults apply otherwise. TD is Timer D's floor on unreliable transports (> 32 s).
 */
export interface TimerConfig {
  /** RTT estimate, 500 ms. */
  T1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, 4 s. */
  T2: number;
  /** Maximum duration a message remains in the network, 5 s. */
  T4: number;
  /** Timer D on unreliable transports, at least 32 s. */
  TD: number;
  /** §17.2.1: how long an INVITE server transaction waits for the TU before sending 100 Trying itself. */
  trying100: number;
}

export const DEFAULT_TIMERS: Readonly<TimerConfig> = {
  T1: 500,
  T2: 4000,
  T4: 5000,
  TD: 32_000,
  trying100: 200,
};

export function resolveTimers(partial: Partial<TimerConfig> = {}): TimerConfig {
  return { ...DEFAULT_TIMERS, ...partial };
}

/** RFC 3261 timer names (A–K), RFC 6026 additions (L, M), and the 200 ms 100-Trying rule. */
export type TimerName =
  | 'TIMER_A'
  | 'TIMER_B'
  | 'TIMER_D'
  | 'TIMER_E'
  | 'TIMER_F'
  | 'TIMER_G'
  | 'TIMER_H'
  | 'TIMER_I'
  | 'TIMER_J'
  | 'TIMER_K'
  | 'TIMER_L'
  | 'TIMER_M'
  | 'TIMER_100';
