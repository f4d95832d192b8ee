/** The tone detector the who-hears-whom acceptance test relies on: present tones show, absent ones do not. */
import { describe, expect, it } from 'vitest';
import { decodeG711 } from '../../src/telephony/media/g711.ts';
import { PACKET_SAMPLES, SAMPLE_RATE, blockEnergy, goertzelEnergy, tonePayload } from './tone-party.ts';

const TONES = [500, 1100, 1700, 2300];

function sine(frequency: number, amplitude: number, phase = 0): Int16Array {
  const out = new Int16Array(PACKET_SAMPLES);
  for (let i = 0; i < PACKET_SAMPLES; i++)
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / SAMPLE_RATE + phase));
  return out;
}

function shares(block: Int16Array): number[] {
  const total = blockEnergy(block);
  return TONES.map((f) => (total > 0 ? goertzelEnergy(block, f) / total : 0));
}

describe('Goertzel tone shares of one 20 ms packet', () => {
  it('finds a pure tone whole and the other test tones absent, whatever its phase', () => {
    for (const phase of [0, 1, 2.5]) {
      const [s500, s1100, s1700, s2300] = shares(sine(500, 8000, phase));
      expect(s500).toBeCloseTo(1, 2);
      for (const s of [s1100, s1700, s2300]) expect(s).toBeLessThan(1e-4);
    }
  });

  it('splits a mix of two tones between them and still finds the third absent', () => {
    const a = sine(1100, 8000, 0.3);
    const b = sine(2300, 8000, 1.7);
    const mix = a.map((v, i) => v + (b[i] ?? 0));
    const [s500, s1100, s1700, s2300] = shares(mix);
    expect(s1100).toBeCloseTo(0.5, 1);
    expect(s2300).toBeCloseTo(0.5, 1);
    expect(s500).toBeLessThan(1e-3);
    expect(s1700).toBeLessThan(1e-3);
  });

  it('survives G.711 μ-law coding: quantisation noise stays far below the absent threshold', () => {
    const pcm = new Int16Array(PACKET_SAMPLES);
    decodeG711('PCMU', tonePayload(1700, 8000), 0, PACKET_SAMPLES, pcm, 0);
    const [s500, s1100, s1700, s2300] = shares(pcm);
    expect(s1700).toBeGreaterThan(0.99);
    for (const s of [s500, s1100, s2300]) expect(s).toBeLessThan(1e-3);
  });

  it('reports nothing in silence', () => {
    expect(shares(new Int16Array(PACKET_SAMPLES))).toEqual([0, 0, 0, 0]);
  });
});
