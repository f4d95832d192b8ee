/**
 * The one outgoing RTP stream of an endpoint. Whatever feeds it — a prompt, then the other leg
 * of a bridge, then another prompt — the far end sees a single source: one SSRC, a sequence
 * number that always advances by one, and a timestamp that advances with real time
 * (RFC 3550 §5.1). On every change of source the offsets are recomputed so the new material
 * continues where the last packet left off, and the marker bit flags the new talkspurt
 * (RFC 3551 §4.1) so the receiver's jitter buffer resynchronises.
 *
 * Results are left in `seq`/`timestamp`/`marker` instead of returned objects, to keep the
 * per-packet path free of allocations.
 */
import { seqDistance, timestampDistance } from './rtp-packet.ts';

const SAMPLES_PER_MS = 8;
/** Key used for locally generated audio (prompts); relayed sources use their SSRC (≥ 0). */
export const LOCAL_SOURCE = -1;
/** Key of RFC 4733 telephone-events we generate (sendDtmf); the room mix is -2 (room.ts). */
export const EVENT_SOURCE = -3;

function random32(): number {
  return Math.floor(Math.random() * 0x1_0000_0000) >>> 0;
}

export class RtpStreamWriter {
  /** RFC 3550 §5.1: SSRC, initial sequence number and timestamp are random. */
  readonly ssrc = random32();
  /** Values for the packet just mapped. */
  seq = Math.floor(Math.random() * 0x10000);
  timestamp = random32();
  marker = false;
  packetsSent = 0;
  octetsSent = 0;
  private lastSeq = this.seq;
  private lastTimestamp = this.timestamp;
  private lastSentMs: number | null = null;
  private source: number | null = null;
  private seqOffset = 0;
  private timestampOffset = 0;
  /** Wall-clock start of the telephone-event being sent, whose packets all carry its timestamp. */
  private eventStartMs: number | null = null;
  private eventTimestamp = 0;

  /** Forces the next packet to start a new talkspurt even from the same source. */
  restart(): void {
    this.source = null;
  }

  /** Timestamp the next packet of a new source should carry: continue by elapsed time. */
  private continuationTimestamp(nowMs: number): number {
    if (this.lastSentMs === null) return this.lastTimestamp;
    const elapsed = Math.max(1, Math.round((nowMs - this.lastSentMs) * SAMPLES_PER_MS));
    return (this.lastTimestamp + elapsed) >>> 0;
  }

  /** Maps a relayed packet's sequence number and timestamp into this stream. */
  mapRelayed(sourceSsrc: number, inSeq: number, inTimestamp: number, nowMs: number): void {
    this.marker = false;
    this.eventStartMs = null;
    if (this.source !== sourceSsrc) {
      this.source = sourceSsrc;
      this.seqOffset = (this.nextSeq() - inSeq) & 0xffff;
      this.timestampOffset = (this.continuationTimestamp(nowMs) - inTimestamp) >>> 0;
      this.marker = true;
    }
    this.seq = (inSeq + this.seqOffset) & 0xffff;
    this.timestamp = (inTimestamp + this.timestampOffset) >>> 0;
  }

  /**
   * Maps the next locally generated frame of `samples` samples. `source` tells local sources
   * apart (a prompt, a room mix) so that switching between them starts a talkspurt too.
   */
  mapLocal(samples: number, nowMs: number, source: number = LOCAL_SOURCE): void {
    this.marker = false;
    this.eventStartMs = null;
    if (this.source !== source) {
      this.source = source;
      this.timestamp = this.continuationTimestamp(nowMs);
      this.marker = true;
    } else {
      this.timestamp = (this.lastTimestamp + samples) >>> 0;
    }
    this.seq = this.nextSeq();
  }

  /**
   * Maps the first packet of a telephone-event we generate (RFC 4733 §2.5.1.1): the event
   * starts a talkspurt (marker), its timestamp continues the stream by elapsed time, and every
   * later packet of the event (`mapEventContinue`) repeats that timestamp.
   */
  mapEventStart(nowMs: number): void {
    this.source = EVENT_SOURCE;
    this.timestamp = this.continuationTimestamp(nowMs);
    this.seq = this.nextSeq();
    this.marker = true;
    this.eventStartMs = nowMs;
    this.eventTimestamp = this.timestamp;
  }

  /** Maps an update or end packet of the current event: next seq, the event's timestamp. */
  mapEventContinue(): void {
    this.seq = this.nextSeq();
    this.timestamp = this.eventTimestamp;
    this.marker = false;
  }

  private nextSeq(): number {
    return this.packetsSent === 0 && this.lastSentMs === null ? this.lastSeq : (this.lastSeq + 1) & 0xffff;
  }

  /**
   * Records that the mapped packet went out; keeps the highest seq/timestamp for continuity.
   * During an event the timestamp stays at the event's start, so the clock reference stays
   * there too: what follows the event continues from the event's start plus elapsed time, past
   * the event's whole duration.
   */
  commit(payloadOctets: number, nowMs: number): void {
    if (this.lastSentMs === null || seqDistance(this.lastSeq, this.seq) > 0) this.lastSeq = this.seq;
    if (this.lastSentMs === null || timestampDistance(this.lastTimestamp, this.timestamp) > 0) {
      this.lastTimestamp = this.timestamp;
    }
    this.lastSentMs = this.eventStartMs ?? nowMs;
    this.packetsSent++;
    this.octetsSent += payloadOctets;
  }

  /** RTP timestamp matching wall-clock `nowMs`, for the SR sender info (RFC 3550 §6.4.1). */
  timestampAt(nowMs: number): number {
    if (this.lastSentMs === null) return this.lastTimestamp;
    return (this.lastTimestamp + Math.round((nowMs - this.lastSentMs) * SAMPLES_PER_MS)) >>> 0;
  }

  get hasSent(): boolean {
    return this.lastSentMs !== null;
  }
}
