import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES, Playback } from './player.ts';

function clip(length: number, value: number): Int16Array {
  return new Int16Array(length).fill(value);
}

describe('Playback', () => {
  it('is due one frame per 20 ms, measured from the start, with no drift', () => {
    const p = new Playback('pb', [clip(8000, 1)], false, 1000);
    const frame = new Int16Array(FRAME_SAMPLES);
    let sent = 0;
    // Irregular ticks, like a real timer.
    for (let now = 1000; now <= 1990; now += 7 + (now % 5)) {
      const due = p.framesDue(now);
      for (let i = 0; i < due; i++) if (p.readFrame(frame)) sent++;
    }
    expect(sent).toBe(50);
  });

  it('concatenates clips sample-exactly and pads the last frame with silence', () => {
    const p = new Playback('pb', [clip(100, 1), clip(100, 2)], false, 0);
    const frame = new Int16Array(FRAME_SAMPLES);
    expect(p.readFrame(frame)).toBe(true);
    expect(frame[99]).toBe(1);
    expect(frame[100]).toBe(2);
    expect(p.finished).toBe(false);
    expect(p.readFrame(frame)).toBe(true);
    expect(frame[39]).toBe(2);
    expect(frame[40]).toBe(0);
    expect(p.finished).toBe(true);
    expect(p.readFrame(frame)).toBe(false);
  });

  it('loops until stopped', () => {
    const p = new Playback('pb', [clip(160, 3)], true, 0);
    const frame = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < 100; i++) expect(p.readFrame(frame)).toBe(true);
    expect(p.finished).toBe(false);
  });

  it('does not loop forever over empty clips', () => {
    const p = new Playback('pb', [new Int16Array(0)], true, 0);
    expect(p.readFrame(new Int16Array(FRAME_SAMPLES))).toBe(false);
    expect(p.finished).toBe(true);
  });

  it('moves the schedule forward instead of bursting after a long stall', () => {
    const p = new Playback('pb', [clip(80000, 1)], false, 0);
    expect(p.framesDue(0)).toBe(1);
    p.readFrame(new Int16Array(FRAME_SAMPLES));
    expect(p.framesDue(2000)).toBe(1);
    p.readFrame(new Int16Array(FRAME_SAMPLES));
    expect(p.framesDue(2010)).toBe(0);
    expect(p.framesDue(2020)).toBe(1);
  });
});
