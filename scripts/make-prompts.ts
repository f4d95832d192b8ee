/** Regenerates the shipped prompts (prompts/) for the demo flow with espeak-ng: `npx tsx scripts/make-prompts.ts`. */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  blockedNotice,
  callbackPrompts,
  demoHotlineFlow,
  queueAnnouncement,
  type PromptItem,
} from '../src/ivr/index.ts';
import { TextToSpeech, promptKey, shippedPromptsDir } from '../src/telephony/speech/index.ts';

const tts = new TextToSpeech(mkdtempSync(join(tmpdir(), 'sy-prompts-')), '/nonexistent');
const prompts: PromptItem[] = [
  queueAnnouncement,
  blockedNotice,
  ...Object.values(callbackPrompts),
  // Fixed prompts only: a `say` node's text is templated (a waybill's status) and made per call.
  ...Object.values(demoHotlineFlow.nodes).flatMap((n) =>
    n.verb === 'menu' || n.verb === 'gather'
      ? [...n.prompt, ...(n.invalidPrompt ?? [])]
      : n.verb === 'play'
        ? n.prompt
        : n.verb === 'hangup'
          ? (n.prompt ?? [])
          : [],
  ),
];
for (const p of prompts) {
  if (!('tts' in p)) continue;
  const file = await tts.prompt(p.lang, p.tts);
  copyFileSync(file, join(shippedPromptsDir, `${promptKey(p.lang, p.tts)}.wav`));
  console.log(`${promptKey(p.lang, p.tts)}.wav  ${p.tts}`);
}
