/**
 * A prompt file in the caller's chosen language (issue #5 language verb): `closed.wav` is played
 * as `closed.en.wav` for an English call when that file exists; otherwise as written.
 */
import { existsSync } from 'node:fs';
import type { CallLanguage } from '../ivr/index.ts';

export function languageVariant(file: string, language: CallLanguage | null): string {
  if (!language) return file;
  const variant = file.replace(/(\.[A-Za-z0-9]+)$/, `.${language}$1`);
  return variant !== file && existsSync(variant) ? variant : file;
}
