/**
 * Statistics of a simulation run (ACD-07). A call is counted in the batch of its arrival time and
 * only when it arrives after the warm-up; agent time is measured only inside the measured period.
 *
 * Definitions:
 * - serviceLevel        = answered within T / answered
 * - serviceLevelOffered = answered within T / offered (abandoned and unresolved calls count as missed)
 * - asa                 = mean wait of answered calls (seconds)
 * - pWait               = calls that waited > 0 / (answered + abandoned)
 * - pAbandon            = abandoned / offered
 * - occupancy           = (talk + wrap-up time) / logged-in time
 */
export interface CallTally {
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithinSl: number;
  /** Answered or abandoned calls that waited more than zero. */
  waited: number;
  answeredWaitSum: number;
  abandonedWaitSum: number;
  handleSum: number;
  maxWait: number;
}

export interface BatchResult {
  offered: number;
  answered: number;
  abandoned: number;
  serviceLevel: number;
  serviceLevelOffered: number;
  asa: number;
  pWait: number;
  pAbandon: number;
}

export interface SimulationTotals extends BatchResult {
  /** Calls still waiting when the run ended with nobody left to answer them. */
  unresolved: number;
  answeredWithinSl: number;
  occupancy: number;
  averageHandleSeconds: number;
  averageAbandonWaitSeconds: number;
  maxWaitSeconds: number;
  /** Logged-in agent time / measured time: the average number of agents staffed. */
  averageStaffed: number;
}

function emptyTally(): CallTally {
  return {
    offered: 0,
    answered: 0,
    abandoned: 0,
    answeredWithinSl: 0,
    waited: 0,
    answeredWaitSum: 0,
    abandonedWaitSum: 0,
    handleSum: 0,
    maxWait: 0,
  };
}

export class SimulationStats {
  private readonly tallies: CallTally[];
  private busy = 0;
  private staffed = 0;

  /** All times in seconds; the measured period is [from, to). */
  constructor(
    readonly from: number,
    readonly to: number,
    readonly slSeconds: number,
    batches: number,
  ) {
    this.tallies = Array.from({ length: batches }, emptyTally);
  }

  /** The batch a call arriving at `time` belongs to, or −1 when it is not measured. */
  batchOf(time: number): number {
    if (time < this.from || time >= this.to) return -1;
    const k = Math.floor(((time - this.from) / (this.to - this.from)) * this.tallies.length);
    return Math.min(k, this.tallies.length - 1);
  }

  offered(batch: number): void {
    if (batch >= 0) (this.tallies[batch] as CallTally).offered += 1;
  }

  answered(batch: number, wait: number, handle: number): void {
    if (batch < 0) return;
    const t = this.tallies[batch] as CallTally;
    t.answered += 1;
    t.answeredWaitSum += wait;
    t.handleSum += handle;
    if (wait <= this.slSeconds) t.answeredWithinSl += 1;
    if (wait > 0) t.waited += 1;
    if (wait > t.maxWait) t.maxWait = wait;
  }

  abandoned(batch: number, wait: number): void {
    if (batch < 0) return;
    const t = this.tallies[batch] as CallTally;
    t.abandoned += 1;
    t.abandonedWaitSum += wait;
    if (wait > 0) t.waited += 1;
    if (wait > t.maxWait) t.maxWait = wait;
  }

  /** Adds the part of [start, end) inside the measured period to busy or logged-in time. */
  busyTime(start: number, end: number): void {
    this.busy += this.clip(start, end);
  }

  staffedTime(start: number, end: number): void {
    this.staffed += this.clip(start, end);
  }

  batches(): BatchResult[] {
    return this.tallies.map(summarize);
  }

  totals(unresolved: number): SimulationTotals {
    const all = this.tallies.reduce((sum, t) => {
      for (const key of Object.keys(sum) as (keyof CallTally)[])
        sum[key] = key === 'maxWait' ? Math.max(sum[key], t[key]) : sum[key] + t[key];
      return sum;
    }, emptyTally());
    return {
      ...summarize(all),
      unresolved,
      answeredWithinSl: all.answeredWithinSl,
      occupancy: this.staffed > 0 ? this.busy / this.staffed : 0,
      averageHandleSeconds: all.answered > 0 ? all.handleSum / all.answered : 0,
      averageAbandonWaitSeconds: all.abandoned > 0 ? all.abandonedWaitSum / all.abandoned : 0,
      maxWaitSeconds: all.maxWait,
      averageStaffed: this.staffed / (this.to - this.from),
    };
  }

  private clip(start: number, end: number): number {
    return Math.max(0, Math.min(end, this.to) - Math.max(start, this.from));
  }
}

function summarize(t: CallTally): BatchResult {
  const resolved = t.answered + t.abandoned;
  return {
    offered: t.offered,
    answered: t.answered,
    abandoned: t.abandoned,
    serviceLevel: t.answered > 0 ? t.answeredWithinSl / t.answered : 1,
    serviceLevelOffered: t.offered > 0 ? t.answeredWithinSl / t.offered : 1,
    asa: t.answered > 0 ? t.answeredWaitSum / t.answered : 0,
    pWait: resolved > 0 ? t.waited / resolved : 0,
    pAbandon: t.offered > 0 ? t.abandoned / t.offered : 0,
  };
}
