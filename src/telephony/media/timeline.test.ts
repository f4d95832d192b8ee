import { describe, expect, it } from 'vitest';
import { RecordingTimeline } from './timeline.ts';

function frame(value: number, count = 160): Int16Array {
  return new Int16Array(count).fill(value);
}

function drainAll(timeline: RecordingTimeline, upTo: number): Int16Array {
  const out = new Int16Array(upTo * 2);
  const frames = timeline.drain(upTo, out);
  return out.subarray(0, frames * 2);
}

describe('RecordingTimeline', () => {
  it('places frames by RTP timestamp relative to the first packet, anchored to the wall clock', () => {
    const t = new RecordingTimeline({ windowSamples: 16000, channels: 2 });
    // Channel 0 starts at wall sample 160 (its first frame ends "now" = 320).
    t.put(0, 11, 90000, frame(1), 160, 320);
    // The next frame arrives late (jitter) but its timestamp puts it right after the first.
    t.put(0, 11, 90160, frame(2), 160, 700);
    // Channel 1 starts later, at wall sample 480.
    t.put(1, 22, 5, frame(3), 160, 640);
    const out = drainAll(t, 800);
    const left = out.filter((_, i) => i % 2 === 0);
    const right = out.filter((_, i) => i % 2 === 1);
    expect(left[159]).toBe(0);
    expect(left[160]).toBe(1);
    expect(left[320]).toBe(2);
    expect(left[480]).toBe(0);
    expect(right[479]).toBe(0);
    expect(right[480]).toBe(3);
    expect(right[639]).toBe(3);
  });

  it('leaves silence for lost packets', () => {
    const t = new RecordingTimeline({ windowSamples: 16000, channels: 2 });
    t.put(0, 1, 0, frame(5), 160, 160);
    t.put(0, 1, 320, frame(6), 160, 480);
    const left = drainAll(t, 480).filter((_, i) => i % 2 === 0);
    expect(left.slice(160, 320).every((s) => s === 0)).toBe(true);
    expect(left[320]).toBe(6);
  });

  it('drops frames older than what was already written and re-anchors on a new SSRC', () => {
    const t = new RecordingTimeline({ windowSamples: 16000, channels: 2 });
    t.put(0, 1, 1000, frame(1), 160, 160);
    drainAll(t, 400);
    t.put(0, 1, 1000, frame(9), 160, 500);
    expect(t.droppedFrames).toBe(1);
    t.put(0, 2, 777, frame(4), 160, 800);
    const left = drainAll(t, 800).filter((_, i) => i % 2 === 0);
    // New source anchored so its frame ends at 800: positions 640..799 → indexes 240..399.
    expect(left[240]).toBe(4);
    expect(left[399]).toBe(4);
  });

  it('re-anchors when the timestamp jumps far from the wall clock', () => {
    const t = new RecordingTimeline({ windowSamples: 1600, channels: 2 });
    t.put(0, 1, 0, frame(1), 160, 160);
    expect(t.position(0, 1, 1_000_000, 160, 480)).toBe(320);
  });
});
