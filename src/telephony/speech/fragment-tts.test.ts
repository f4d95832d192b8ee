import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../media/wav.ts';
import { fragmentFile, fragmentTexts, shippedFragmentsDir } from './fragment-inventory.ts';
import { FragmentTts, planFragments } from './fragment-tts.ts';
import { TextToSpeech } from './tts.ts';
import { existsSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'sy-fragments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const names = (text: string, lang: 'zh' | 'en' = 'zh') =>
  planFragments(lang, text).pieces.map((p) => ('pause' in p ? '|' : p.fragment));

describe('planFragments', () => {
  it('takes the longest phrase, reads Arabic digits one by one and pauses at punctuation', () => {
    expect(names('运单 730，当前状态运输中。')).toEqual([
      '运单',
      '|',
      '七',
      '三',
      '零',
      '|',
      '当前状态',
      '运输中',
      '|',
    ]);
    expect(planFragments('zh', '二〇二六年十一月').coverage).toBe(1);
  });

  it('leaves out words it has no fragment for and says how much it covered', () => {
    const plan = planFragments('zh', '王芳您好');
    expect(plan.pieces).toEqual([{ fragment: '您好' }]);
    expect(plan.coverage).toBe(0.5);
  });

  it('matches English word runs, case-insensitively', () => {
    expect(names('Your parcel 42 is out for delivery.', 'en')).toEqual([
      'your parcel',
      'four',
      'two',
      'is',
      'out for delivery',
      '|',
    ]);
  });
});

describe('FragmentTts', () => {
  it('ships a recording for every fragment', () => {
    for (const lang of ['zh', 'en'] as const)
      for (const text of fragmentTexts[lang])
        expect(existsSync(join(shippedFragmentsDir, fragmentFile(lang, text))), `${lang} ${text}`).toBe(true);
  });

  it('joins fragments into an 8 kHz mono 16-bit WAV', async () => {
    const target = join(dir, 'a.wav');
    await new FragmentTts().synthesize('zh', '您好，运单七三零运输中。', target);
    const wav = decodeWav(readFileSync(target));
    expect(wav.format).toMatchObject({ sampleRate: 8000, channels: 1, sampleFormat: 'pcm16' });
    expect(wav.channels[0]!.length).toBeGreaterThan(8000); // over a second of speech
  });

  it('refuses text it can mostly not say', async () => {
    await expect(
      new FragmentTts().synthesize('en', 'Quarterly revenue grew', join(dir, 'b.wav')),
    ).rejects.toThrow(/cover 0%/);
  });

  it('is what TextToSpeech falls back to when espeak-ng is missing and no prompt is shipped', async () => {
    const tts = new TextToSpeech(join(dir, 'cache'), '/nonexistent', { fallback: new FragmentTts() });
    const original = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const path = await tts.prompt('zh', '运单已签收，感谢您的来电。');
      expect(path.startsWith(join(dir, 'cache'))).toBe(true);
      expect(decodeWav(readFileSync(path)).format.sampleRate).toBe(8000);
    } finally {
      process.env.PATH = original;
    }
  });

  it('is used for every prompt when chosen as the engine', async () => {
    const fragments = new FragmentTts();
    const tts = new TextToSpeech(join(dir, 'only'), '/nonexistent', {
      engines: { zh: fragments, en: fragments },
    });
    expect(await tts.prompt('en', 'Goodbye.')).toMatch(/only/);
  });
});
