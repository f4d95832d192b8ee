import { describe, expect, it } from 'vitest';
import { decodeUlawSample, encodeG711 } from './g711.ts';
import { JitterBuffer } from './jitter-buffer.ts';

/** A PCMU payload of `samples` copies of the code for `value`. */
function payload(value: number, samples = 160): Uint8Array {
  const out = new Uint8Array(samples);
  encodeG711('PCMU', new Int16Array(samples).fill(value), 0, samples, out, 0);
  return out;
}

const level = (value: number): number => decodeUlawSample(payload(value, 1)[0] ?? 0);

describe('JitterBuffer (room member input)', () => {
  it('reads silence (false) until a whole frame is queued, then the decoded frame', () => {
    const jb = new JitterBuffer();
    const frame = new Int16Array(160);
    expect(jb.pull(frame)).toBe(false);
    jb.push('PCMU', 1, 10, payload(1000, 80));
    expect(jb.pull(frame)).toBe(false);
    jb.push('PCMU', 1, 11, payload(2000, 80));
    expect(jb.pull(frame)).toBe(true);
    expect(frame[0]).toBe(level(1000));
    expect(frame[159]).toBe(level(2000));
    expect(jb.depth).toBe(0);
  });

  it('drops duplicates and late reordered packets but follows a restarted sender', () => {
    const jb = new JitterBuffer();
    jb.push('PCMU', 1, 100, payload(1000));
    jb.push('PCMU', 1, 100, payload(1000));
    jb.push('PCMU', 1, 99, payload(1000));
    expect(jb.depth).toBe(160);
    expect(jb.latePackets).toBe(2);
    jb.push('PCMU', 1, (100 - 5000) & 0xffff, payload(1000));
    jb.push('PCMU', 2, 7, payload(1000));
    expect(jb.depth).toBe(480);
  });

  it('absorbs jitter after one late packet: the queue keeps the extra frame', () => {
    const jb = new JitterBuffer();
    const frame = new Int16Array(160);
    let seq = 0;
    // On time: one packet per tick.
    jb.push('PCMU', 1, seq++, payload(1000));
    expect(jb.pull(frame)).toBe(true);
    // Late: nothing this tick (silence), two packets before the next.
    expect(jb.pull(frame)).toBe(false);
    jb.push('PCMU', 1, seq++, payload(1000));
    jb.push('PCMU', 1, seq++, payload(1000));
    expect(jb.pull(frame)).toBe(true);
    // Now a late packet no longer starves the mix.
    expect(jb.pull(frame)).toBe(true);
    jb.push('PCMU', 1, seq++, payload(1000));
    jb.push('PCMU', 1, seq, payload(1000));
    expect(jb.pull(frame)).toBe(true);
    expect(jb.depth).toBe(160);
  });

  it('cuts a burst back to two frames and gives back spare depth over time', () => {
    const jb = new JitterBuffer();
    const frame = new Int16Array(160);
    for (let i = 0; i < 5; i++) jb.push('PCMU', 1, i, payload(1000));
    expect(jb.depth).toBe(320);
    expect(jb.droppedSamples).toBe(480);
    // Steady flow with two spare frames for a whole window: one frame is given back.
    let seq = 10;
    jb.push('PCMU', 1, seq++, payload(1000));
    for (let i = 0; i < 250; i++) {
      jb.push('PCMU', 1, seq++, payload(1000));
      expect(jb.pull(frame)).toBe(true);
    }
    expect(jb.depth).toBe(320);
    jb.push('PCMU', 1, seq, payload(1000));
    expect(jb.pull(frame)).toBe(true);
    expect(jb.depth).toBe(320);
  });

  it('clear() forgets queued audio', () => {
    const jb = new JitterBuffer();
    jb.push('PCMA', 1, 1, new Uint8Array(160).fill(0xd5));
    jb.clear();
    expect(jb.pull(new Int16Array(160))).toBe(false);
  });
});
