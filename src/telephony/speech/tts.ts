/**
 * Text to speech for prompts (IVR-03): espeak-ng speaks Mandarin (`cmn-latn-pinyin`) or English (`en-us`),
 * sox resamples to 8 kHz mono 16-bit so the media engine can encode G.711 without resampling.
 * Results are cached by a hash of language and text. Where espeak-ng is not installed, prompts
 * come from the shipped `prompts/` folder, named by the same hash.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type PromptLanguage = 'zh' | 'en';

/**
 * espeak-ng voices. Mandarin uses `cmn-latn-pinyin`: the plain `cmn` voice of espeak-ng 1.51 (Debian
 * 12) reads most characters as English-spelled pinyin with the tone digit as an English word
 * (一 → "yi one"); the pinyin variant says them as Mandarin syllables with tones (ADR 0004).
 */
const voices: Record<PromptLanguage, string> = { zh: 'cmn-latn-pinyin', en: 'en-us' };

export const shippedPromptsDir = fileURLToPath(new URL('../../../prompts', import.meta.url));

/** Cache key of a prompt: language, voice and text, so a change of voice never serves old renderings. */
export function promptKey(lang: PromptLanguage, text: string): string {
  return createHash('sha1').update(`${lang}\n${voices[lang]}\n${text}`).digest('hex').slice(0, 20);
}

export class PromptNotAvailableError extends Error {
  constructor(lang: PromptLanguage, text: string, cause: unknown) {
    super(
      `no prompt for [${lang}] "${text.slice(0, 40)}": ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'PromptNotAvailableError';
  }
}

export class TextToSpeech {
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly cacheDir: string,
    private readonly shippedDir = shippedPromptsDir,
  ) {
    mkdirSync(cacheDir, { recursive: true });
  }

  /** Path of an 8 kHz mono WAV speaking `text`; synthesised once, then served from the cache. */
  async prompt(lang: PromptLanguage, text: string): Promise<string> {
    const key = promptKey(lang, text);
    const cached = join(this.cacheDir, `${key}.wav`);
    if (existsSync(cached)) return cached;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const job = this.synthesize(lang, text, cached)
      .catch((err: unknown) => {
        const shipped = join(this.shippedDir, `${key}.wav`);
        if (existsSync(shipped)) return shipped;
        throw new PromptNotAvailableError(lang, text, err);
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, job);
    return job;
  }

  private async synthesize(lang: PromptLanguage, text: string, target: string): Promise<string> {
    const raw = `${target}.${process.pid}.raw.wav`;
    const tmp = `${target}.${process.pid}.tmp.wav`;
    try {
      await run('espeak-ng', ['-v', voices[lang], '-s', lang === 'zh' ? '150' : '160', '-w', raw, text], {
        timeout: 20_000,
      });
      await run('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', tmp], {
        timeout: 20_000,
      });
      renameSync(tmp, target);
      return target;
    } finally {
      rmSync(raw, { force: true });
      rmSync(tmp, { force: true });
    }
  }
}
