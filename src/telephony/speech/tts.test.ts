import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoHotlineFlow } from '../../ivr/index.ts';
import { TextToSpeech, promptKey, shippedPromptsDir } from './tts.ts';
import { existsSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'sy-tts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function wavInfo(path: string) {
  const b = readFileSync(path);
  return {
    riff: b.toString('ascii', 0, 4),
    channels: b.readUInt16LE(22),
    rate: b.readUInt32LE(24),
    bits: b.readUInt16LE(34),
  };
}

describe('TextToSpeech', () => {
  it('speaks Mandarin as 8 kHz mono 16-bit WAV and caches it', async () => {
    const tts = new TextToSpeech(dir);
    const path = await tts.prompt('zh', '您好，欢迎致电。');
    expect(wavInfo(path)).toEqual({ riff: 'RIFF', channels: 1, rate: 8000, bits: 16 });
    expect(readFileSync(path).length).toBeGreaterThan(8000); // more than half a second of speech
    expect(await tts.prompt('zh', '您好，欢迎致电。')).toBe(path);
  });

  it('falls back to the shipped prompt when synthesis fails', async () => {
    const tts = new TextToSpeech(join(dir, 'other'));
    const welcome = demoHotlineFlow.nodes.welcome;
    if (welcome?.verb !== 'menu' || !('tts' in welcome.prompt[0]!)) throw new Error('demo flow changed');
    const text = welcome.prompt[0].tts;
    const original = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(await tts.prompt('zh', text)).toBe(join(shippedPromptsDir, `${promptKey('zh', text)}.wav`));
    } finally {
      process.env.PATH = original;
    }
  });

  it('ships every prompt of the demo flow', () => {
    for (const node of Object.values(demoHotlineFlow.nodes)) {
      const prompts = node.verb === 'menu' ? [...node.prompt, ...(node.invalidPrompt ?? [])] : [];
      for (const p of prompts) {
        if ('tts' in p)
          expect(existsSync(join(shippedPromptsDir, `${promptKey(p.lang, p.tts)}.wav`))).toBe(true);
      }
    }
  });
});
