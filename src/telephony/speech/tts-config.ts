/**
 * Which TTS engine speaks prompts (IVR-03), from the environment: TTS_ENGINE `auto` (espeak-ng,
 * recorded fragments where it is missing), `espeak-ng` or `fragments`; TTS_ENGINE_EN overrides
 * English with `espeak-ng`, `flite` or `fragments`.
 */
import { FragmentTts } from './fragment-tts.ts';
import { EspeakNgTts, FliteTts, TextToSpeech, shippedPromptsDir, type TtsEngine } from './tts.ts';

export const ttsEngines = ['auto', 'espeak-ng', 'fragments'] as const;
export const englishTtsEngines = ['espeak-ng', 'flite', 'fragments'] as const;

export interface TtsConfig {
  engine: (typeof ttsEngines)[number];
  english: (typeof englishTtsEngines)[number] | null;
}

export const ttsConfigHelp: [string, string, string][] = [
  [
    'TTS_ENGINE',
    'auto',
    'prompt speech: auto (espeak-ng, recorded fragments without it), espeak-ng or fragments',
  ],
  ['TTS_ENGINE_EN', '(TTS_ENGINE)', 'English prompts only: espeak-ng, flite or fragments'],
];

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (!(allowed as readonly string[]).includes(raw))
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function parseTtsConfig(env: NodeJS.ProcessEnv): TtsConfig {
  return {
    engine: oneOf(env, 'TTS_ENGINE', ttsEngines) ?? 'auto',
    english: oneOf(env, 'TTS_ENGINE_EN', englishTtsEngines),
  };
}

export function createTextToSpeech(
  cacheDir: string,
  config: TtsConfig,
  shippedDir = shippedPromptsDir,
): TextToSpeech {
  const fragments = new FragmentTts();
  const base: TtsEngine = config.engine === 'fragments' ? fragments : new EspeakNgTts();
  const english: Record<(typeof englishTtsEngines)[number], TtsEngine> = {
    'espeak-ng': new EspeakNgTts(),
    flite: new FliteTts(),
    fragments,
  };
  return new TextToSpeech(cacheDir, shippedDir, {
    engines: { zh: base, en: config.english ? english[config.english] : base },
    fallback: config.engine === 'auto' ? fragments : null,
  });
}
