/**
 * The receive side of a room member: an adaptive FIFO of decoded 8 kHz PCM between the member's
 * RTP packets (arriving whenever the network delivers them) and the room's 20 ms mix clock.
 *
 * The mixer takes one 20 ms frame per tick when a whole frame is queued and reads silence
 * otherwise, so a lost or late packet is a missing frame, never a stall. The depth adapts
 * without any timing estimate: a late packet costs one frame of silence, after which the queue
 * holds one frame more and absorbs the same jitter next time; a queue that kept two or more
 * spare frames through a whole observation window gives one frame back; a burst deeper than
 * MAX_DEPTH (a sender running fast, a stalled worker) is cut back to TARGET_DEPTH in one go
 * rather than by clicking away a few samples per packet, so at most four frames (80 ms) are
 * ever queued. Packet sizes other than 20 ms (10 ms, 30 ms ptime) queue the same way.
 *
 * Duplicates and late reordered packets of the same SSRC (RFC 3550 §A.1 sequence space) are
 * dropped; everything is decoded straight from the packet into the ring, with no allocation.
 */
import { ALAW_DECODE_TABLE, ULAW_DECODE_TABLE, type G711Law } from './g711.ts';
import { FRAME_SAMPLES } from './player.ts';
import { seqDistance } from './rtp-packet.ts';

/** Ring size: 160 ms, more than MAX_DEPTH plus the largest packet we take (120 ms). */
const CAPACITY = 8 * FRAME_SAMPLES;
const MAX_PACKET_SAMPLES = 6 * FRAME_SAMPLES;
const MAX_DEPTH = 4 * FRAME_SAMPLES;
const TARGET_DEPTH = 2 * FRAME_SAMPLES;
/** Frames (5 s) over which the smallest spare depth is observed before shrinking. */
const SHRINK_WINDOW_FRAMES = 250;
/** Empty reads followed by more audio that count as underruns rather than a pause. */
const STARVED_GAP = 3;
/** A sequence number this far behind the last one is a restarted sender, not a late packet. */
const REORDER_WINDOW = 100;

export class JitterBuffer {
  private readonly ring = new Int16Array(CAPACITY);
  private readIndex = 0;
  private count = 0;
  private ssrc = -1;
  private lastSeq = 0;
  private minSpare = CAPACITY;
  private windowFrames = 0;
  /** Samples thrown away to bound latency (bursts, drift, shrinking). */
  droppedSamples = 0;
  /** Packets dropped as duplicates or too late to keep their order. */
  latePackets = 0;
  /** Frames read as silence inside a stream (a gap of at most STARVED_GAP frames). */
  underruns = 0;
  /** Empty reads since the last packet; a longer gap is a pause (DTX, hold), not starvation. */
  private emptyPulls = Number.POSITIVE_INFINITY;

  /** Samples queued. */
  get depth(): number {
    return this.count;
  }

  /** Decodes one received G.711 payload onto the end of the queue. */
  push(law: G711Law, ssrc: number, sequenceNumber: number, payload: Uint8Array): void {
    if (ssrc === this.ssrc) {
      const d = seqDistance(this.lastSeq, sequenceNumber);
      if (d <= 0 && d > -REORDER_WINDOW) {
        this.latePackets++;
        return;
      }
    }
    this.ssrc = ssrc;
    this.lastSeq = sequenceNumber;
    if (this.emptyPulls <= STARVED_GAP) this.underruns += this.emptyPulls;
    this.emptyPulls = 0;
    const n = Math.min(payload.length, MAX_PACKET_SAMPLES);
    if (this.count + n > CAPACITY) this.drop(this.count + n - CAPACITY);
    const table = law === 'PCMU' ? ULAW_DECODE_TABLE : ALAW_DECODE_TABLE;
    const ring = this.ring;
    let w = (this.readIndex + this.count) % CAPACITY;
    for (let i = 0; i < n; i++) {
      ring[w] = table[payload[i] ?? 0] ?? 0;
      w = w + 1 === CAPACITY ? 0 : w + 1;
    }
    this.count += n;
    if (this.count > MAX_DEPTH) this.drop(this.count - TARGET_DEPTH);
  }

  /** Fills `out` (one frame) and returns true, or returns false on underrun (out untouched). */
  pull(out: Int16Array): boolean {
    if (this.count < FRAME_SAMPLES) {
      this.emptyPulls++;
      this.observe(0);
      return false;
    }
    const ring = this.ring;
    let r = this.readIndex;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      out[i] = ring[r] ?? 0;
      r = r + 1 === CAPACITY ? 0 : r + 1;
    }
    this.readIndex = r;
    this.count -= FRAME_SAMPLES;
    this.observe(this.count);
    return true;
  }

  /** Forgets queued audio (e.g. when a member is muted, so nothing stale plays on unmute). */
  clear(): void {
    this.readIndex = 0;
    this.count = 0;
    this.emptyPulls = Number.POSITIVE_INFINITY;
    this.minSpare = CAPACITY;
    this.windowFrames = 0;
  }

  private observe(spare: number): void {
    if (spare < this.minSpare) this.minSpare = spare;
    if (++this.windowFrames < SHRINK_WINDOW_FRAMES) return;
    if (this.minSpare >= 2 * FRAME_SAMPLES) this.drop(FRAME_SAMPLES);
    this.minSpare = CAPACITY;
    this.windowFrames = 0;
  }

  private drop(samples: number): void {
    const n = Math.min(samples, this.count);
    this.readIndex = (this.readIndex + n) % CAPACITY;
    this.count -= n;
    this.droppedSamples += n;
  }
}
