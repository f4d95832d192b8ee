/**
 * The recording timeline: places each received audio frame at a sample position on one clock
 * shared by both channels, so a stereo recording stays aligned even though the two legs have
 * unrelated SSRCs, timestamps, start times and losses.
 *
 * A stream is anchored once, when its first packet arrives: that frame ends "now" on the wall
 * clock. After that the frame's RTP timestamp alone decides its position (RFC 3550 §5.1: the
 * timestamp reflects the sampling instant), so network jitter does not move audio, and a lost
 * packet leaves a gap that is written out as silence. A new SSRC, or a timestamp that jumps far
 * from the wall clock (a restarted sender, long clock drift), re-anchors the stream.
 */
import { timestampDistance } from './rtp-packet.ts';

export interface TimelineOptions {
  /** Ring capacity per channel in samples; bounds memory and how early a frame may arrive. */
  readonly windowSamples: number;
  readonly channels: number;
}

interface Anchor {
  ssrc: number;
  timestamp: number;
  position: number;
}

export class RecordingTimeline {
  private readonly rings: Int16Array[];
  private readonly anchors: (Anchor | null)[];
  /** Every position below this has been drained to the file. */
  private flushed = 0;
  /** Frames that arrived too late or too early to place. */
  droppedFrames = 0;

  constructor(private readonly options: TimelineOptions) {
    this.rings = Array.from({ length: options.channels }, () => new Int16Array(options.windowSamples));
    this.anchors = Array.from({ length: options.channels }, () => null);
  }

  get drainedSamples(): number {
    return this.flushed;
  }

  /** Where a frame goes on the timeline; anchors or re-anchors the stream as needed. */
  position(channel: number, ssrc: number, timestamp: number, count: number, now: number): number {
    const anchor = this.anchors[channel];
    if (anchor && anchor.ssrc === ssrc) {
      const position = anchor.position + timestampDistance(anchor.timestamp, timestamp);
      const limit = this.options.windowSamples / 2;
      if (position >= now - limit && position <= now + limit) return position;
    }
    const fresh: Anchor = { ssrc, timestamp, position: Math.max(0, now - count) };
    this.anchors[channel] = fresh;
    return fresh.position;
  }

  /** Writes decoded samples for a channel at the position its RTP timestamp gives. */
  put(
    channel: number,
    ssrc: number,
    timestamp: number,
    samples: Int16Array,
    count: number,
    now: number,
  ): void {
    const ring = this.rings[channel];
    if (!ring) return;
    const position = this.position(channel, ssrc, timestamp, count, now);
    const size = this.options.windowSamples;
    const start = Math.max(position, this.flushed);
    const end = Math.min(position + count, this.flushed + size);
    if (end <= start) {
      this.droppedFrames++;
      return;
    }
    for (let p = start; p < end; p++) ring[p % size] = samples[p - position] ?? 0;
  }

  /**
   * Moves samples up to `upTo` (exclusive) into `out` as interleaved frames, clearing them from
   * the rings so unfilled spots read as silence next time round. Returns the frame count.
   */
  drain(upTo: number, out: Int16Array): number {
    const channels = this.options.channels;
    const size = this.options.windowSamples;
    const frames = Math.max(0, Math.min(upTo - this.flushed, Math.floor(out.length / channels), size));
    for (let f = 0; f < frames; f++) {
      const index = (this.flushed + f) % size;
      for (let c = 0; c < channels; c++) {
        const ring = this.rings[c];
        if (!ring) continue;
        out[f * channels + c] = ring[index] ?? 0;
        ring[index] = 0;
      }
    }
    this.flushed += frames;
    return frames;
  }
}
