import { describe, expect, it } from 'vitest';
import type { DigitRecognitionOptions, SpeechRecognizer } from './asr.ts';
import { listenForDigits, type ListenAudioEvent, type StartListening } from './listen.ts';

const options = { minDigits: 3, maxDigits: 6, minConfidence: 0.4, noSpeechMs: 1000, maxSpeechMs: 3000 };

/** `ms` of a loud tone or of silence, in 100 ms batches as an endpoint tap delivers them. */
function batches(ms: number, loud: boolean): Int16Array[] {
  return Array.from({ length: ms / 100 }, () => {
    const pcm = new Int16Array(800);
    if (loud) for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(5000 * Math.sin(i / 3));
    return pcm;
  });
}

/** A tap that plays `audio` to its listener (one batch per tick) and records whether it was stopped. */
function fakeTap(audio: Int16Array[]): { start: StartListening; stopped: () => boolean } {
  let stopped = false;
  const start: StartListening = async (listener: (e: ListenAudioEvent) => void) => {
    void (async () => {
      for (const pcm of audio) {
        if (stopped) return;
        await new Promise((r) => setImmediate(r));
        listener({ type: 'audio', pcm });
      }
      if (!stopped) listener({ type: 'ended' });
    })();
    return async () => {
      stopped = true;
    };
  };
  return { start, stopped: () => stopped };
}

function recognizer(answer: { digits: string; confidence: number } | null | Error) {
  const calls: { samples: number; options?: DigitRecognitionOptions }[] = [];
  const r: SpeechRecognizer = {
    async recognizeDigits(pcm, _rate, o) {
      calls.push({ samples: pcm.length, options: o });
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { r, calls };
}

describe('listenForDigits', () => {
  it('hands the utterance to the recognizer once speech ends, asking for every result', async () => {
    const tap = fakeTap([...batches(300, false), ...batches(1000, true), ...batches(1500, false)]);
    const { r, calls } = recognizer({ digits: '4711', confidence: 0.2 });
    const outcome = await listenForDigits(tap.start, r, options).outcome;
    expect(outcome).toMatchObject({ type: 'recognised', result: { digits: '4711', confidence: 0.2 } });
    expect(calls[0]!.options).toEqual({ minDigits: 3, maxDigits: 6, minConfidence: 0 });
    expect(calls[0]!.samples / 8).toBeGreaterThanOrEqual(1000);
    expect(tap.stopped()).toBe(true);
  });

  it('reports no speech without asking the recognizer', async () => {
    const { r, calls } = recognizer({ digits: '1', confidence: 1 });
    expect(await listenForDigits(fakeTap(batches(2000, false)).start, r, options).outcome).toEqual({
      type: 'no_speech',
    });
    expect(calls).toHaveLength(0);
  });

  it('says no_match when speech gave no digits, unavailable without a recognizer or when it fails', async () => {
    const speech = () => fakeTap([...batches(800, true), ...batches(1200, false)]).start;
    expect(await listenForDigits(speech(), recognizer(null).r, options).outcome).toMatchObject({
      type: 'no_match',
    });
    expect(await listenForDigits(speech(), undefined, options).outcome).toMatchObject({
      type: 'unavailable',
    });
    expect(
      await listenForDigits(speech(), recognizer(new Error('pocketsphinx_batch not found')).r, options)
        .outcome,
    ).toEqual({ type: 'unavailable', reason: 'pocketsphinx_batch not found' });
  });

  it('stops the tap at once when cancelled (the caller pressed a key)', async () => {
    const tap = fakeTap(batches(5000, false));
    const listening = listenForDigits(tap.start, recognizer(null).r, options);
    await new Promise((r) => setImmediate(r));
    listening.cancel();
    expect(await listening.outcome).toEqual({ type: 'cancelled' });
    expect(tap.stopped()).toBe(true);
  });
});
