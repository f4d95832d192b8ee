/**
 * Records the prompt fragments (prompts/fragments/) that FragmentTts joins where no TTS engine is
 * installed: `npx tsx scripts/make-fragments.ts`. Each fragment of fragment-inventory.ts is spoken
 * once by espeak-ng, cut to its speech (sox `silence` at both ends) and stored as 8 kHz mono
 * G.711 mu-law WAV — half the size of 16-bit PCM, and what a phone hears anyway. Old files no
 * longer in the inventory are removed.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  fragmentFile,
  fragmentTexts,
  shippedFragmentsDir,
} from '../src/telephony/speech/fragment-inventory.ts';
import type { PromptLanguage } from '../src/telephony/speech/tts.ts';

const run = promisify(execFile);
const voices: Record<PromptLanguage, string[]> = {
  zh: ['-v', 'cmn-latn-pinyin', '-s', '150'],
  en: ['-v', 'en-us', '-s', '160'],
};
const scratch = mkdtempSync(join(tmpdir(), 'sy-fragments-'));
mkdirSync(shippedFragmentsDir, { recursive: true });
const wanted = new Set<string>();
let bytes = 0;
try {
  for (const lang of ['zh', 'en'] as const) {
    for (const text of fragmentTexts[lang]) {
      const file = fragmentFile(lang, text);
      wanted.add(file);
      const raw = join(scratch, 'raw.wav');
      await run('espeak-ng', [...voices[lang], '-w', raw, text]);
      // Trim leading and trailing quiet (below 0.5%), keep 30 ms of it so joins do not click.
      await run('sox', [
        ...[raw, '-r', '8000', '-c', '1', '-e', 'u-law', '-b', '8', join(shippedFragmentsDir, file)],
        ...[
          'silence',
          '1',
          '0.02',
          '0.5%',
          'reverse',
          'silence',
          '1',
          '0.02',
          '0.5%',
          'reverse',
          'pad',
          '0.03',
          '0.03',
        ],
      ]);
      bytes += statSync(join(shippedFragmentsDir, file)).size;
    }
  }
  for (const file of readdirSync(shippedFragmentsDir)) {
    if (!wanted.has(file)) rmSync(join(shippedFragmentsDir, file));
  }
  console.log(`${wanted.size} fragments, ${Math.round(bytes / 1024)} KiB in ${shippedFragmentsDir}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
