import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { languageVariant } from './prompt-language.ts';

describe('languageVariant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-prompt-lang-'));
  const closed = join(dir, 'closed.wav');
  writeFileSync(closed, '');
  writeFileSync(join(dir, 'closed.en.wav'), '');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plays the English recording of a prompt to a caller who chose English', () => {
    expect(languageVariant(closed, 'en')).toBe(join(dir, 'closed.en.wav'));
  });

  it('keeps the file as written without a chosen language or without that variant', () => {
    expect(languageVariant(closed, null)).toBe(closed);
    expect(languageVariant(closed, 'zh')).toBe(closed);
  });
});
