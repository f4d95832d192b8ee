/**
 * Text to speech for prompts (IVR-03): espeak-ng speaks Mandarin (`cmn-latn-pinyin`) or English (`en-us`),
 * sox resamples to 8 kHz mono 16-bit so the media engine can encode G.711 without resampling.
 * Results are cached by a hash of language, voice and text. Where espeak-ng is not installed, prompts
 * come from the shipped `prompts/` folder, named by the same hash, and then from the fallback
 * engine (recorded fragments, fragment-tts.ts). Engines sit behind `TtsEngine`: flite speaks
 * English in a voice the pocketsphinx model understands, for closed-loop tests (see README.md).
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

/** A speech engine: writes `text` as an 8 kHz mono 16-bit WAV at `target`. */
export interface TtsEngine {
  readonly name: string;
  /** The voice used for `lang`; part of the cache key. */
  voice(lang: PromptLanguage): string;
  synthesize(lang: PromptLanguage, text: string, target: string): Promise<void>;
}

/** Runs a synthesiser writing `raw`, then sox makes 8 kHz mono 16-bit of it at `target` (atomically). */
async function viaSox(target: string, synth: (raw: string) => Promise<unknown>): Promise<void> {
  const raw = `${target}.${process.pid}.raw.wav`;
  const tmp = `${target}.${process.pid}.tmp.wav`;
  try {
    await synth(raw);
    await run('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', tmp], {
      timeout: 20_000,
    });
    renameSync(tmp, target);
  } finally {
    rmSync(raw, { force: true });
    rmSync(tmp, { force: true });
  }
}

export class EspeakNgTts implements TtsEngine {
  readonly name = 'espeak-ng';
  voice(lang: PromptLanguage): string {
    return voices[lang];
  }
  async synthesize(lang: PromptLanguage, text: string, target: string): Promise<void> {
    await viaSox(target, (raw) =>
      run('espeak-ng', ['-v', voices[lang], '-s', lang === 'zh' ? '150' : '160', '-w', raw, text], {
        timeout: 20_000,
      }),
    );
  }
}

/** flite's `rms` voice: English only (there is no Mandarin flite voice). */
export class FliteTts implements TtsEngine {
  readonly name = 'flite';
  voice(lang: PromptLanguage): string {
    return `flite-rms-${lang}`;
  }
  async synthesize(lang: PromptLanguage, text: string, target: string): Promise<void> {
    if (lang !== 'en') throw new Error('flite speaks English only');
    await viaSox(target, (raw) =>
      run('flite', ['-voice', 'rms', '-t', text, '-o', raw], { timeout: 20_000 }),
    );
  }
}

export interface TextToSpeechOptions {
  /** The engine per language (default espeak-ng for both). */
  engines?: Partial<Record<PromptLanguage, TtsEngine>>;
  /** Tried when the engine fails and no shipped prompt fits, e.g. recorded fragments. */
  fallback?: TtsEngine | null;
}

const espeakNg = new EspeakNgTts();

export class TextToSpeech {
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly cacheDir: string,
    private readonly shippedDir = shippedPromptsDir,
    private readonly options: TextToSpeechOptions = {},
  ) {
    mkdirSync(cacheDir, { recursive: true });
  }

  /** Path of an 8 kHz mono WAV speaking `text`; synthesised once, then served from the cache. */
  async prompt(lang: PromptLanguage, text: string): Promise<string> {
    const engine = this.options.engines?.[lang] ?? espeakNg;
    const key = this.keyFor(engine, lang, text);
    const cached = join(this.cacheDir, `${key}.wav`);
    if (existsSync(cached)) return cached;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const job = engine
      .synthesize(lang, text, cached)
      .then(() => cached)
      .catch(async (err: unknown) => {
        const shipped = join(this.shippedDir, `${promptKey(lang, text)}.wav`);
        if (existsSync(shipped)) return shipped;
        const fallback = this.options.fallback;
        if (fallback && fallback !== engine) {
          const target = join(this.cacheDir, `${this.keyFor(fallback, lang, text)}.wav`);
          if (existsSync(target)) return target;
          try {
            await fallback.synthesize(lang, text, target);
            return target;
          } catch (fallbackErr) {
            throw new PromptNotAvailableError(lang, text, fallbackErr);
          }
        }
        throw new PromptNotAvailableError(lang, text, err);
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, job);
    return job;
  }

  private keyFor(engine: TtsEngine, lang: PromptLanguage, text: string): string {
    // espeak-ng keeps the historic key, which also names the shipped prompts.
    if (engine instanceof EspeakNgTts) return promptKey(lang, text);
    return createHash('sha1')
      .update(`${lang}\n${engine.name}:${engine.voice(lang)}\n${text}`)
      .digest('hex')
      .slice(0, 20);
  }
}
