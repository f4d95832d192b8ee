/**
 * Speech recognition of spoken digits (IVR-04) for English callers: waybill numbers, order numbers,
 * menu choices. Behind the `SpeechRecognizer` interface so an IVR flow does not care which engine
 * listens; the one implementation here runs Debian's pocketsphinx (`pocketsphinx_batch`) with a
 * JSGF grammar of digit words.
 *
 * The packaged en-us acoustic model is wideband (16 kHz). Telephone audio is 8 kHz, so a copy of
 * the model is prepared once, whose `feat.params` computes the filterbank from 8 kHz samples
 * (`-samprate 8000 -nfft 256`) over the telephone band only (`-lowerf 200 -upperf 3900 -nfilt 20`:
 * measured best on synthetic 8 kHz digits; with the stock lower edge of 130 Hz recognition
 * collapses to 10-35% of digits, see README.md).
 *
 * Confidence: the grammar search in this pocketsphinx version reports a posterior of 1 for every
 * word, which says nothing. Instead the same audio is also decoded by a free loop of
 * context-independent phones (`-allphone`), about the best any English phone sequence can do; the
 * acoustic score the digits grammar loses against it, per frame of recognised digits, is mapped to
 * 0..1 (`exp(-loss / 25)`). Clear
 * synthetic digits scored 0.37-0.49, English sentences forced onto digits 0.17-0.24 (README.md).
 * Audio with hardly any energy, or where no digit lasts 50 ms, gives null without a score.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DigitRecognitionOptions {
  /** Fewest digits the caller is expected to say (default 1). */
  readonly minDigits?: number;
  /** Most digits the caller may say (default 20). */
  readonly maxDigits?: number;
  /** Results below this confidence are returned as null (default: the recognizer's own). */
  readonly minConfidence?: number;
}

export interface DigitRecognition {
  /** The digits heard, e.g. "4710938"; "oh" and "zero" both give 0. */
  readonly digits: string;
  /** 0..1; how each implementation derives it is documented on the implementation. */
  readonly confidence: number;
}

export interface SpeechRecognizer {
  /** Digits spoken in 8 kHz mono PCM16 audio, or null when nothing digit-like was heard. */
  recognizeDigits(
    pcm16: Int16Array,
    sampleRate: 8000,
    options?: DigitRecognitionOptions,
  ): Promise<DigitRecognition | null>;
}

export class SpeechRecognizerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpeechRecognizerUnavailableError';
  }
}

export const DEBIAN_POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

export interface PocketsphinxRecognizerOptions {
  /** Where the narrowband model copy and per-call scratch files live (e.g. `<data>/asr`). */
  readonly workDir: string;
  /** Folder holding `en-us/` (acoustic model), `cmudict-en-us.dict` and `en-us-phone.lm.bin`. */
  readonly modelDir?: string;
  /** The pocketsphinx batch decoder command. */
  readonly command?: string;
  /** Default confidence threshold (0.3). */
  readonly minConfidence?: number;
  /** Longest audio accepted, in seconds (30). */
  readonly maxSeconds?: number;
}

/** Bumped whenever the prepared model's content changes, so stale copies are not reused. */
const MODEL_VERSION = 'v1';
const NARROWBAND_FEATURES: Record<string, string> = {
  '-lowerf': '200',
  '-upperf': '3900',
  '-nfilt': '20',
  '-samprate': '8000',
  '-nfft': '256',
};
const DIGIT_WORDS: Record<string, string> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};
/** 10 ms frames: a digit word shorter than this is a click, not speech. */
const MIN_WORD_FRAMES = 5;
/** RMS below this (about -50 dBFS) is silence; pocketsphinx is not asked. */
const MIN_RMS = 100;
/** Acoustic-score loss per frame at which confidence falls by a factor e. */
const CONFIDENCE_SCALE = 25;
const RUN_TIMEOUT_MS = 20_000;

export interface HypothesisWord {
  readonly word: string;
  readonly startFrame: number;
  readonly endFrame: number;
  readonly acousticScore: number;
}

export interface Hypothesis {
  readonly acousticScore: number;
  readonly words: HypothesisWord[];
}

/**
 * One line of a `-hypseg` file: `utt S 0 T total A acoustic L language` followed by
 * `startFrame acoustic language word` groups and the final end frame.
 */
export function parseHypseg(line: string): Hypothesis | null {
  const fields = line.trim().split(/\s+/);
  const aAt = fields.indexOf('A');
  const lAt = fields.indexOf('L');
  if (aAt < 0 || lAt !== aAt + 2) return null;
  const acousticScore = Number(fields[aAt + 1]);
  const rest = fields.slice(lAt + 2);
  const words: HypothesisWord[] = [];
  for (let i = 0; i + 4 < rest.length; i += 4) {
    words.push({
      startFrame: Number(rest[i]),
      acousticScore: Number(rest[i + 1]),
      word: rest[i + 3] ?? '',
      endFrame: Number(rest[i + 4]),
    });
  }
  if (!Number.isFinite(acousticScore) || words.some((w) => !Number.isFinite(w.startFrame))) return null;
  return { acousticScore, words };
}

/** Digit word of a dictionary entry (`zero(2)` is `zero`), or undefined for fillers and silence. */
function digitOf(word: string): string | undefined {
  return DIGIT_WORDS[word.replace(/\(\d+\)$/, '')];
}

/** JSGF for `min`..`max` digits: `min` required words, then nested optional ones. */
export function digitsGrammar(minDigits: number, maxDigits: number): string {
  const words = [...new Set(Object.keys(DIGIT_WORDS))].join(' | ');
  let optional = '';
  for (let i = 0; i < maxDigits - minDigits; i++) optional = `[<digit>${optional ? ` ${optional}` : ''}]`;
  const required = Array.from({ length: minDigits }, () => '<digit>').join(' ');
  return [
    '#JSGF V1.0;',
    'grammar digits;',
    `public <digits> = ${[required, optional].filter(Boolean).join(' ')};`,
    `<digit> = ${words};`,
    '',
  ].join('\n');
}

function rms(pcm16: Int16Array): number {
  let sum = 0;
  for (const s of pcm16) sum += s * s;
  return pcm16.length ? Math.sqrt(sum / pcm16.length) : 0;
}

function isMissingCommand(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}

interface PreparedModel {
  readonly hmm: string;
  readonly dict: string;
  readonly phoneLm: string;
}

/**
 * Digits with pocketsphinx and the narrowband copy of the en-us model. Each call decodes the
 * audio twice, in parallel: once with the digits grammar, once with a free phone loop; the
 * confidence is the grammar's acoustic loss against the phone loop (see the file comment).
 */
export class PocketsphinxRecognizer implements SpeechRecognizer {
  private readonly modelDir: string;
  private readonly command: string;
  private readonly minConfidence: number;
  private readonly maxSeconds: number;
  private prepared: PreparedModel | undefined;

  constructor(private readonly options: PocketsphinxRecognizerOptions) {
    this.modelDir = options.modelDir ?? DEBIAN_POCKETSPHINX_MODEL_DIR;
    this.command = options.command ?? 'pocketsphinx_batch';
    this.minConfidence = options.minConfidence ?? 0.3;
    this.maxSeconds = options.maxSeconds ?? 30;
  }

  async recognizeDigits(
    pcm16: Int16Array,
    sampleRate: 8000,
    options: DigitRecognitionOptions = {},
  ): Promise<DigitRecognition | null> {
    if (sampleRate !== 8000) throw new RangeError(`sample rate must be 8000, not ${String(sampleRate)}`);
    const minDigits = options.minDigits ?? 1;
    const maxDigits = options.maxDigits ?? 20;
    if (
      !Number.isInteger(minDigits) ||
      !Number.isInteger(maxDigits) ||
      minDigits < 1 ||
      maxDigits < minDigits
    ) {
      throw new RangeError(`bad digit bounds ${minDigits}..${maxDigits}`);
    }
    if (maxDigits > 40) throw new RangeError('maxDigits above 40');
    if (pcm16.length > this.maxSeconds * sampleRate) {
      throw new RangeError(`audio longer than ${this.maxSeconds} s`);
    }
    const model = this.prepareModel();
    if (rms(pcm16) < MIN_RMS) return null;

    const grammar = join(model.hmm, `digits-${minDigits}-${maxDigits}.gram`);
    if (!existsSync(grammar)) {
      // Written aside and renamed, so a concurrent call never reads half a grammar.
      const partial = `${grammar}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      await writeFile(partial, digitsGrammar(minDigits, maxDigits));
      await rename(partial, grammar);
    }

    mkdirSync(this.options.workDir, { recursive: true });
    const dir = await mkdtemp(join(this.options.workDir, 'utt-'));
    try {
      const audio = Buffer.alloc(pcm16.length * 2);
      for (let i = 0; i < pcm16.length; i++) audio.writeInt16LE(pcm16[i] ?? 0, i * 2);
      // Silence either side: the decoder's segmentation wants some before the first word.
      const pad = Buffer.alloc(sampleRate * 0.2 * 2);
      await writeFile(join(dir, 'utt.raw'), Buffer.concat([pad, audio, pad]));
      await writeFile(join(dir, 'ctl'), 'utt\n');
      const [digits, phones] = await Promise.all([
        this.decode(dir, model, 'grammar', ['-jsgf', grammar, '-dict', model.dict]),
        this.decode(dir, model, 'phones', ['-allphone', model.phoneLm, '-allphone_ci', 'yes']),
      ]);
      return this.judge(digits, phones, minDigits, maxDigits, options.minConfidence ?? this.minConfidence);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private judge(
    digits: Hypothesis,
    phones: Hypothesis,
    minDigits: number,
    maxDigits: number,
    minConfidence: number,
  ): DigitRecognition | null {
    let text = '';
    let speechFrames = 0;
    for (const word of digits.words) {
      const digit = digitOf(word.word);
      const frames = word.endFrame - word.startFrame;
      if (digit === undefined || frames < MIN_WORD_FRAMES) continue;
      text += digit;
      speechFrames += frames;
    }
    if (text.length < minDigits || text.length > maxDigits) return null;
    const lossPerFrame = Math.max(0, phones.acousticScore - digits.acousticScore) / speechFrames;
    const confidence = Math.round(Math.exp(-lossPerFrame / CONFIDENCE_SCALE) * 1000) / 1000;
    return confidence < minConfidence ? null : { digits: text, confidence };
  }

  private async decode(dir: string, model: PreparedModel, name: string, args: string[]): Promise<Hypothesis> {
    const hypseg = join(dir, `${name}.seg`);
    const log = join(dir, `${name}.log`);
    try {
      await run(
        this.command,
        [
          ...['-hmm', model.hmm, '-samprate', '8000', '-adcin', 'yes', '-cepdir', dir, '-cepext', '.raw'],
          ...['-ctl', join(dir, 'ctl'), '-hypseg', hypseg, '-logfn', log],
          ...args,
        ],
        { timeout: RUN_TIMEOUT_MS },
      );
    } catch (err) {
      if (isMissingCommand(err)) {
        throw new SpeechRecognizerUnavailableError(
          `${this.command} not found: install the Debian package pocketsphinx (scripts/install-test-deps.sh)`,
        );
      }
      throw new Error(`${this.command} failed (${name}): ${await tail(log)}`, { cause: err });
    }
    const line = existsSync(hypseg) ? (await readFile(hypseg, 'utf8')).split('\n')[0] : undefined;
    const hyp = line ? parseHypseg(line) : null;
    if (!hyp) throw new Error(`${this.command} gave no hypothesis (${name}): ${await tail(log)}`);
    return hyp;
  }

  /** The narrowband model copy under `workDir`, made once (atomically: built aside, then renamed). */
  private prepareModel(): PreparedModel {
    if (this.prepared) return this.prepared;
    const source = join(this.modelDir, 'en-us');
    const sourceDict = join(this.modelDir, 'cmudict-en-us.dict');
    const phoneLm = join(this.modelDir, 'en-us-phone.lm.bin');
    for (const needed of [join(source, 'mdef'), join(source, 'feat.params'), sourceDict, phoneLm]) {
      if (!existsSync(needed)) {
        throw new SpeechRecognizerUnavailableError(
          `pocketsphinx en-us model missing (${needed}): install the Debian package pocketsphinx-en-us`,
        );
      }
    }
    const target = join(this.options.workDir, `pocketsphinx-en-us-8k-${MODEL_VERSION}`);
    const prepared = { hmm: target, dict: join(target, 'digits.dict'), phoneLm };
    if (!existsSync(join(target, 'digits.dict'))) {
      const building = `${target}.${process.pid}.${Date.now()}.tmp`;
      mkdirSync(building, { recursive: true });
      try {
        for (const file of readdirSync(source)) {
          if (file !== 'feat.params') copyFileSync(join(source, file), join(building, file));
        }
        writeFileSync(
          join(building, 'feat.params'),
          narrowbandParams(readFileSync(join(source, 'feat.params'), 'utf8')),
        );
        writeFileSync(join(building, 'digits.dict'), digitsDictionary(readFileSync(sourceDict, 'utf8')));
        try {
          renameSync(building, target);
        } catch (err) {
          // Another process finished first: its copy is as good as ours.
          if (!existsSync(join(target, 'digits.dict'))) throw err;
        }
      } finally {
        rmSync(building, { recursive: true, force: true });
      }
    }
    this.prepared = prepared;
    return prepared;
  }
}

/** The stock feat.params with the filterbank options replaced by the narrowband ones. */
export function narrowbandParams(stock: string): string {
  const kept = stock
    .split('\n')
    .filter((line) => line.trim() !== '' && !((line.trim().split(/\s+/)[0] ?? '') in NARROWBAND_FEATURES));
  return [...kept, ...Object.entries(NARROWBAND_FEATURES).map(([k, v]) => `${k} ${v}`), ''].join('\n');
}

/** The digit words' entries of the full CMU dictionary, so the decoder loads 13 lines, not 130k. */
export function digitsDictionary(cmudict: string): string {
  const lines = cmudict.split('\n').filter((line) => {
    const word = line.split(/\s+/)[0] ?? '';
    return digitOf(word) !== undefined;
  });
  const missing = Object.keys(DIGIT_WORDS).filter((w) => !lines.some((l) => l.startsWith(`${w} `)));
  if (missing.length) throw new SpeechRecognizerUnavailableError(`dictionary lacks ${missing.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

async function tail(path: string): Promise<string> {
  try {
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => /ERROR|FATAL/.test(l));
    return lines.slice(-3).join(' | ') || 'no error in its log';
  } catch {
    return 'no log';
  }
}
