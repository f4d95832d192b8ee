/**
 * Reception statistics for one RTP source, as RFC 3550 Appendix A prescribes: sequence
 * validation and extended sequence numbers (A.1), expected/lost counts for report blocks (A.3)
 * and interarrival jitter (A.8). These feed the receiver report blocks we put in RTCP.
 */

const RTP_SEQ_MOD = 1 << 16;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
const MIN_SEQUENTIAL = 2;

/** Values for one RTCP report block (RFC 3550 §6.4.1). */
export interface ReceptionReport {
  readonly ssrc: number;
  /** Fraction lost since the previous report, as an 8-bit fixed-point number. */
  readonly fractionLost: number;
  /** Cumulative number of packets lost, clamped to the signed 24-bit field. */
  readonly cumulativeLost: number;
  readonly extendedHighestSeq: number;
  /** Interarrival jitter in timestamp units. */
  readonly jitter: number;
}

export class RtpReceiveStats {
  ssrc = 0;
  packets = 0;
  octets = 0;
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private probation = MIN_SEQUENTIAL;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit = 0;
  private jitterScaled = 0;
  private started = false;
  private haveTransit = false;

  /** Starts tracking a (new) source, RFC 3550 A.1 init_seq. */
  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  /**
   * Records one packet. `arrival` is the arrival time in the payload's timestamp units
   * (RFC 3550 A.8). Returns false when the sequence number is implausible (A.1), in which
   * case the caller should not treat the packet as in-sequence media.
   */
  update(ssrc: number, seq: number, timestamp: number, arrival: number, payloadOctets: number): boolean {
    if (!this.started || ssrc !== this.ssrc) {
      this.started = true;
      this.ssrc = ssrc;
      this.initSeq(seq);
      this.maxSeq = seq - 1;
      this.probation = MIN_SEQUENTIAL;
      this.haveTransit = false;
      this.jitterScaled = 0;
    }
    if (!this.updateSeq(seq)) return false;
    this.packets++;
    this.octets += payloadOctets;
    // A.8: J += (|D| - J) / 16, kept scaled by 16 to stay in integers.
    const transit = (arrival - timestamp) | 0;
    if (this.haveTransit) {
      const d = Math.abs((transit - this.transit) | 0);
      this.jitterScaled += d - ((this.jitterScaled + 8) >> 4);
    }
    this.transit = transit;
    this.haveTransit = true;
    return true;
  }

  /** RFC 3550 A.1 update_seq, verbatim in structure. */
  private updateSeq(seq: number): boolean {
    const udelta = (seq - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (this.probation > 0) {
      if (seq === (this.maxSeq + 1) % RTP_SEQ_MOD) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.received++;
          return true;
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSeq = seq;
      }
      // Packets during probation still carry media; count them as received from here on.
      return true;
    }
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      if (seq === this.badSeq) {
        // Two sequential packets after a big jump: the source restarted (A.1).
        this.initSeq(seq);
      } else {
        this.badSeq = (seq + 1) % RTP_SEQ_MOD;
        return false;
      }
    }
    // else: duplicate or reordered packet, still counted.
    this.received++;
    return true;
  }

  get hasSource(): boolean {
    return this.started;
  }

  get jitter(): number {
    return this.jitterScaled >> 4;
  }

  get extendedHighestSeq(): number {
    return this.cycles + this.maxSeq;
  }

  get cumulativeLost(): number {
    const expected = this.extendedHighestSeq - this.baseSeq + 1;
    return Math.max(0, expected - this.received);
  }

  /** Produces a report block and starts a new interval for "fraction lost" (A.3). */
  takeReport(): ReceptionReport {
    const expected = this.extendedHighestSeq - this.baseSeq + 1;
    const lost = expected - this.received;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.received - this.receivedPrior;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fraction =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fraction),
      cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, lost)),
      extendedHighestSeq: this.extendedHighestSeq >>> 0,
      jitter: this.jitter,
    };
  }
}
