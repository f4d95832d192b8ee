/**
 * Speech without a TTS engine (IVR-03): the text is cut into the longest recorded fragments it
 * contains (fragment-inventory.ts) and their recordings are joined, with a short pause at
 * punctuation. Arabic digits are read one by one. Words with no fragment (a customer's name) are
 * left out; a text mostly made of such words is refused, so the runner skips the prompt rather
 * than play a few scattered words.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWavToTelephony, encodeWav } from '../media/wav.ts';
import { fragmentFile, fragmentTexts, shippedFragmentsDir } from './fragment-inventory.ts';
import type { PromptLanguage, TtsEngine } from './tts.ts';

const EN_DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const PAUSE_MS = 150;
/** Share of the text (characters for Mandarin, words for English) that must have fragments. */
const MIN_COVERAGE = 0.5;

export type FragmentPiece = { fragment: string } | { pause: true };

export interface FragmentPlan {
  pieces: FragmentPiece[];
  /** Share of the text the fragments cover, 0..1. */
  coverage: number;
}

function isPunctuation(ch: string): boolean {
  return /[\p{P}\s]/u.test(ch);
}

function pushPause(pieces: FragmentPiece[]): void {
  const last = pieces[pieces.length - 1];
  if (last && !('pause' in last)) pieces.push({ pause: true });
}

/** Mandarin: longest fragment at each character; Arabic digits as digit words. */
function planZh(text: string, known: ReadonlySet<string>, longest: number): FragmentPlan {
  const pieces: FragmentPiece[] = [];
  const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  let spoken = 0;
  let covered = 0;
  const chars = [...text];
  for (let i = 0; i < chars.length;) {
    const ch = chars[i]!;
    if (isPunctuation(ch)) {
      pushPause(pieces);
      i += 1;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      pieces.push({ fragment: digits[Number(ch)]! });
      spoken += 1;
      covered += 1;
      i += 1;
      continue;
    }
    let match = '';
    for (let len = Math.min(longest, chars.length - i); len >= 1; len--) {
      const candidate = chars.slice(i, i + len).join('');
      if (known.has(candidate)) {
        match = candidate;
        break;
      }
    }
    const len = match ? [...match].length : 1;
    spoken += len;
    if (match) {
      pieces.push({ fragment: match });
      covered += len;
    }
    i += len;
  }
  return { pieces, coverage: spoken === 0 ? 0 : covered / spoken };
}

/** English: longest run of words that is a fragment; digits in numbers as digit words. */
function planEn(text: string, known: ReadonlySet<string>, longest: number): FragmentPlan {
  const pieces: FragmentPiece[] = [];
  const tokens = text
    .toLowerCase()
    .replace(/[0-9]/g, (d) => ` ${EN_DIGITS[Number(d)]} `)
    .split(/(\s+|[^\p{L}\s']+)/u)
    .filter((t) => t.trim() !== '' || /\s/.test(t));
  const words: (string | null)[] = []; // null: a pause
  for (const t of tokens) {
    if (/^\s+$/.test(t)) continue;
    if (/^[\p{L}']+$/u.test(t)) words.push(t);
    else words.push(null);
  }
  let spoken = 0;
  let covered = 0;
  for (let i = 0; i < words.length;) {
    const word = words[i];
    if (word === null || word === undefined) {
      pushPause(pieces);
      i += 1;
      continue;
    }
    let match = '';
    let len = 1;
    for (let n = Math.min(longest, words.length - i); n >= 1; n--) {
      const run = words.slice(i, i + n);
      if (run.some((w) => w === null)) continue;
      const candidate = run.join(' ');
      if (known.has(candidate)) {
        match = candidate;
        len = n;
        break;
      }
    }
    spoken += len;
    if (match) {
      pieces.push({ fragment: match });
      covered += len;
    }
    i += len;
  }
  return { pieces, coverage: spoken === 0 ? 0 : covered / spoken };
}

/** Which fragments speak `text`, and how much of it they cover. */
export function planFragments(lang: PromptLanguage, text: string): FragmentPlan {
  const known = new Set(fragmentTexts[lang]);
  if (lang === 'zh') return planZh(text, known, Math.max(...[...known].map((t) => [...t].length)));
  return planEn(text, known, Math.max(...[...known].map((t) => t.split(' ').length)));
}

export class FragmentTts implements TtsEngine {
  readonly name = 'fragments';
  private readonly audio = new Map<string, Int16Array>();

  constructor(private readonly dir = shippedFragmentsDir) {}

  voice(lang: PromptLanguage): string {
    return `fragments-${lang}`;
  }

  async synthesize(lang: PromptLanguage, text: string, target: string): Promise<void> {
    const plan = planFragments(lang, text);
    if (plan.pieces.every((p) => 'pause' in p) || plan.coverage < MIN_COVERAGE) {
      throw new Error(`recorded fragments cover ${Math.round(plan.coverage * 100)}% of the text`);
    }
    const pause = new Int16Array((8000 * PAUSE_MS) / 1000);
    const parts = plan.pieces.map((p) => ('pause' in p ? pause : this.fragment(lang, p.fragment)));
    const pcm = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      pcm.set(part, at);
      at += part.length;
    }
    const tmp = `${target}.${process.pid}.tmp.wav`;
    try {
      writeFileSync(tmp, encodeWav(pcm, { encoding: 'pcm16', channels: 1, sampleRate: 8000 }));
      renameSync(tmp, target);
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  private fragment(lang: PromptLanguage, text: string): Int16Array {
    const file = fragmentFile(lang, text);
    let pcm = this.audio.get(file);
    if (!pcm) {
      pcm = decodeWavToTelephony(readFileSync(join(this.dir, file)));
      this.audio.set(file, pcm);
    }
    return pcm;
  }
}
