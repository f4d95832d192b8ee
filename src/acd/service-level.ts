/**
 * Abandonment and service-level accounting per group (ACD-07). Both usual definitions are kept,
 * because reports disagree on which one "the SL" is:
 * - over answered: answered within T / answered;
 * - over offered: answered within T / (answered + abandoned, short abandons excluded).
 * A short abandon (hang-up within `shortAbandonSeconds`, usually a misdial) counts separately.
 */
export interface ServiceLevelReport {
  group: string;
  slSeconds: number;
  answered: number;
  answeredWithinSl: number;
  /** Every abandon, short ones included. */
  abandoned: number;
  shortAbandoned: number;
  /** answered within T / answered; null before the first answer. */
  serviceLevel: number | null;
  /** answered within T / (answered + abandoned − short abandoned); null with no such calls. */
  serviceLevelOffered: number | null;
  /** Average speed of answer in seconds. */
  asaSeconds: number | null;
  averageAbandonSeconds: number | null;
  waiting: number;
  /** Longest current wait in the queue, seconds; null when nobody waits or no `now` was given. */
  longestWaitSeconds: number | null;
}

export class ServiceLevelStats {
  private answered = 0;
  private answeredWithin = 0;
  private answerWaitSum = 0;
  private abandoned = 0;
  private shortAbandoned = 0;
  private abandonWaitSum = 0;

  /** `slSeconds` is the group's threshold when the call was answered. */
  recordAnswered(waitSec: number, slSeconds: number): void {
    this.answered++;
    this.answerWaitSum += waitSec;
    if (waitSec <= slSeconds) this.answeredWithin++;
  }

  recordAbandoned(waitSec: number, shortAbandonSeconds: number): void {
    this.abandoned++;
    this.abandonWaitSum += waitSec;
    if (waitSec < shortAbandonSeconds) this.shortAbandoned++;
  }

  reset(): void {
    this.answered = this.answeredWithin = this.answerWaitSum = 0;
    this.abandoned = this.shortAbandoned = this.abandonWaitSum = 0;
  }

  report(
    group: string,
    slSeconds: number,
    waiting: number,
    longestWaitSeconds: number | null,
  ): ServiceLevelReport {
    const counted = this.answered + this.abandoned - this.shortAbandoned;
    return {
      group,
      slSeconds,
      answered: this.answered,
      answeredWithinSl: this.answeredWithin,
      abandoned: this.abandoned,
      shortAbandoned: this.shortAbandoned,
      serviceLevel: this.answered > 0 ? this.answeredWithin / this.answered : null,
      serviceLevelOffered: counted > 0 ? this.answeredWithin / counted : null,
      asaSeconds: this.answered > 0 ? this.answerWaitSum / this.answered : null,
      averageAbandonSeconds: this.abandoned > 0 ? this.abandonWaitSum / this.abandoned : null,
      waiting,
      longestWaitSeconds,
    };
  }
}
