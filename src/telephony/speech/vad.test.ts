import { describe, expect, it } from 'vitest';
import { EnergyVad } from './vad.ts';

/** `ms` of a 440 Hz tone (loud) or silence at 8 kHz. */
function audio(ms: number, loud: boolean): Int16Array {
  const n = (ms / 1000) * 8000;
  const pcm = new Int16Array(n);
  if (loud) for (let i = 0; i < n; i++) pcm[i] = Math.round(4000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  return pcm;
}

/** Feeds the pieces in 100 ms batches, as an audio tap does. */
function feed(vad: EnergyVad, ...pieces: Int16Array[]) {
  const all = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    all.set(p, at);
    at += p.length;
  }
  for (let i = 0; i < all.length; i += 800) {
    const done = vad.push(all.subarray(i, i + 800));
    if (done) return { done, fedMs: (i + 800) / 8 };
  }
  return { done: null, fedMs: all.length / 8 };
}

describe('EnergyVad', () => {
  it('ends the utterance after trailing silence, keeping a pre-roll and little of the quiet', () => {
    const vad = new EnergyVad({ noSpeechMs: 3000, maxSpeechMs: 10000 });
    const { done, fedMs } = feed(vad, audio(1000, false), audio(1500, true), audio(2000, false));
    expect(done?.type).toBe('speech');
    if (done?.type !== 'speech') return;
    expect(done.reason).toBe('silence');
    // 200 ms before the onset + 1.5 s of speech + at most 200 ms of quiet.
    expect(done.pcm.length / 8).toBeGreaterThanOrEqual(1600);
    expect(done.pcm.length / 8).toBeLessThanOrEqual(1960);
    expect(fedMs).toBeLessThanOrEqual(1000 + 1500 + 900);
  });

  it('reports no speech when nobody speaks within noSpeechMs, and ignores a click', () => {
    const vad = new EnergyVad({ noSpeechMs: 2000, maxSpeechMs: 10000 });
    const { done, fedMs } = feed(vad, audio(500, false), audio(40, true), audio(3000, false));
    expect(done).toEqual({ type: 'no_speech' });
    expect(fedMs).toBeLessThanOrEqual(2100);
  });

  it('cuts speech that goes on past maxSpeechMs', () => {
    const vad = new EnergyVad({ noSpeechMs: 2000, maxSpeechMs: 1000 });
    const { done } = feed(vad, audio(3000, true));
    expect(done).toMatchObject({ type: 'speech', reason: 'max_length' });
    if (done?.type === 'speech') expect(done.pcm.length).toBe(8000);
  });

  it('keeps short pauses between digits inside one utterance', () => {
    const vad = new EnergyVad({ noSpeechMs: 2000, maxSpeechMs: 10000 });
    const { done } = feed(
      vad,
      audio(300, true),
      audio(300, false),
      audio(300, true),
      audio(400, false),
      audio(300, true),
      audio(1500, false),
    );
    expect(done).toMatchObject({ type: 'speech', reason: 'silence' });
    if (done?.type === 'speech') expect(done.pcm.length / 8).toBeGreaterThanOrEqual(1600);
  });

  it('takes what there is when the audio ends early', () => {
    const vad = new EnergyVad({ noSpeechMs: 2000, maxSpeechMs: 10000 });
    feed(vad, audio(500, true));
    expect(vad.finish()).toMatchObject({ type: 'speech' });
    expect(new EnergyVad({ noSpeechMs: 2000, maxSpeechMs: 10000 }).finish()).toEqual({ type: 'no_speech' });
  });
});
