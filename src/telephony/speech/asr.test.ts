/**
 * Closed loop with real tools: flite or espeak-ng speak digit strings, sox makes 8 kHz telephone
 * audio of them, pocketsphinx listens. Assertions are on digit accuracy (1 - edit distance / length)
 * over many strings, not on every string, as a real IVR confirms what it heard.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readWavFile } from '../media/wav.ts';
import {
  PocketsphinxRecognizer,
  SpeechRecognizerUnavailableError,
  digitsGrammar,
  narrowbandParams,
  parseHypseg,
  type DigitRecognition,
} from './asr.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'sy-asr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const recognizer = new PocketsphinxRecognizer({ workDir: join(dir, 'asr') });

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Waybill-like strings of 6 to 10 digits from a fixed seed, so every run hears the same. */
function waybills(count: number, seed: number): string[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * n);
  };
  return Array.from({ length: count }, () => {
    const length = 6 + next(5);
    return Array.from({ length }, () => String(next(10))).join('');
  });
}

type Voice = 'flite-rms' | 'flite-kal' | 'espeak-ng';

let counter = 0;
/** `text` spoken by `voice`, as 8 kHz mono PCM16. */
async function speak(voice: Voice, text: string): Promise<Int16Array> {
  const id = counter++;
  const wide = join(dir, `say-${id}.wav`);
  const narrow = join(dir, `say-${id}-8k.wav`);
  if (voice === 'espeak-ng') await run('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', wide, text]);
  else await run('flite', ['-voice', voice.slice('flite-'.length), '-t', text, '-o', wide]);
  await run('sox', [wide, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', narrow]);
  return readWavFile(narrow);
}

function spoken(digits: string): string {
  return [...digits].map((d) => WORDS[Number(d)]).join(' ');
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

interface Measured {
  accuracy: number;
  results: { said: string; heard: DigitRecognition | null }[];
}

async function measure(voice: Voice, strings: string[]): Promise<Measured> {
  // Three at a time: each recognition runs two decoders, and the suite shares the machine.
  const results: Measured['results'] = [];
  for (let i = 0; i < strings.length; i += 3) {
    const batch = strings.slice(i, i + 3).map(async (said) => {
      const pcm = await speak(voice, spoken(said));
      return { said, heard: await recognizer.recognizeDigits(pcm, 8000, { minConfidence: 0 }) };
    });
    results.push(...(await Promise.all(batch)));
  }
  const errors = results.reduce((sum, r) => sum + editDistance(r.said, r.heard?.digits ?? ''), 0);
  const total = strings.reduce((sum, s) => sum + s.length, 0);
  const accuracy = Math.max(0, 1 - errors / total);
  const lines = results.map(
    (r) => `  ${r.said} -> ${r.heard?.digits ?? '(null)'} ${r.heard?.confidence ?? ''}`,
  );
  console.log(`${voice}: digit accuracy ${(accuracy * 100).toFixed(1)}%\n${lines.join('\n')}`);
  return { accuracy, results };
}

describe('PocketsphinxRecognizer', () => {
  it('hears flite waybill numbers at 8 kHz with at least 90% digit accuracy', async () => {
    const { accuracy, results } = await measure('flite-rms', waybills(10, 20261123));
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    // Most clearly spoken numbers come back whole, and confidently.
    expect(results.filter((r) => r.heard?.digits === r.said).length).toBeGreaterThanOrEqual(6);
    const confidences = results.map((r) => r.heard?.confidence ?? 0).sort((a, b) => a - b);
    expect(confidences[Math.floor(confidences.length / 2)]).toBeGreaterThanOrEqual(0.3);
  });

  it('hears a second flite voice (kal, natively 8 kHz) tolerably', async () => {
    const { accuracy } = await measure('flite-kal', waybills(6, 7));
    expect(accuracy).toBeGreaterThanOrEqual(0.7);
  });

  it('measures espeak-ng digits (its voice is much harder for this model)', async () => {
    const { accuracy, results } = await measure('espeak-ng', waybills(6, 99));
    // Measured, not required to be good: it must not crash, and what it returns is digits.
    expect(accuracy).toBeGreaterThanOrEqual(0);
    for (const r of results) if (r.heard) expect(r.heard.digits).toMatch(/^\d+$/);
  });

  it('returns null for silence and for a 1 kHz tone', async () => {
    expect(await recognizer.recognizeDigits(new Int16Array(16000), 8000)).toBeNull();
    const tone = new Int16Array(16000).map((_, i) =>
      Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)),
    );
    expect(await recognizer.recognizeDigits(tone, 8000)).toBeNull();
  });

  it('rejects English speech that has no digits in it, or scores it low', async () => {
    const sentences = [
      'The parcel was delivered to the warehouse yesterday afternoon.',
      'I would like to speak to an agent, please.',
      'Where is my package? It was supposed to arrive on Monday.',
    ];
    const heard = await Promise.all(
      sentences.map(async (s) =>
        recognizer.recognizeDigits(await speak('flite-rms', s), 8000, { minConfidence: 0 }),
      ),
    );
    console.log(
      'non-digit speech:',
      heard.map((h) => (h ? `${h.digits} ${h.confidence}` : 'null')).join(', '),
    );
    for (const h of heard) expect(h === null || h.confidence < 0.3).toBe(true);
    // With the default threshold they are all rejected.
    const rejected = await recognizer.recognizeDigits(await speak('flite-rms', sentences[0]!), 8000);
    expect(rejected).toBeNull();
  });

  it('keeps to the digit count asked for', async () => {
    const pcm = await speak('flite-rms', spoken('4821'));
    const heard = await recognizer.recognizeDigits(pcm, 8000, { minDigits: 4, maxDigits: 4 });
    expect(heard?.digits).toHaveLength(4);
    expect(editDistance(heard?.digits ?? '', '4821')).toBeLessThanOrEqual(1);
  });

  it('fails clearly when pocketsphinx or its model is missing', async () => {
    const noModel = new PocketsphinxRecognizer({ workDir: join(dir, 'x'), modelDir: join(dir, 'nowhere') });
    await expect(noModel.recognizeDigits(new Int16Array(8000), 8000)).rejects.toThrow(/pocketsphinx-en-us/);
    const noTool = new PocketsphinxRecognizer({ workDir: join(dir, 'asr'), command: 'no-such-pocketsphinx' });
    const pcm = await speak('flite-rms', 'one two three');
    await expect(noTool.recognizeDigits(pcm, 8000)).rejects.toBeInstanceOf(SpeechRecognizerUnavailableError);
  });
});

describe('pocketsphinx helpers', () => {
  it('parses a hypseg line', () => {
    const hyp = parseHypseg('u S 0 T -900 A -800 L -100 0 -190 -337 <sil> 42 -627 0 four 63 0 0 (NULL) 64');
    expect(hyp).toEqual({
      acousticScore: -800,
      words: [
        { startFrame: 0, acousticScore: -190, word: '<sil>', endFrame: 42 },
        { startFrame: 42, acousticScore: -627, word: 'four', endFrame: 63 },
        { startFrame: 63, acousticScore: 0, word: '(NULL)', endFrame: 64 },
      ],
    });
    expect(parseHypseg('garbage')).toBeNull();
  });

  it('writes a grammar for a digit range and narrowband feature parameters', () => {
    expect(digitsGrammar(2, 4)).toContain('public <digits> = <digit> <digit> [<digit> [<digit>]];');
    const params = narrowbandParams('-lowerf 130\n-upperf 6800\n-nfilt 25\n-feat 1s_c_d_dd\n');
    expect(params.split('\n')).toEqual(
      expect.arrayContaining(['-feat 1s_c_d_dd', '-upperf 3900', '-samprate 8000', '-nfft 256']),
    );
    expect(params).not.toContain('6800');
  });
});
