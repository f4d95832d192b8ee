/**
 * The `asr` verb inside a FlowRun (IVR-04): the prompt plays, then the call listens for spoken
 * digits; DTMF pressed at any moment (during the prompt, while listening) is taken instead. When
 * speech gives nothing usable — no speech, no digits, too few or too many, a confidence below the
 * node's threshold, no recognizer on this machine — the caller is asked to key the digits in, and
 * keyed input follows the gather rules (terminator, per-digit timeout, length, retries).
 *
 * Pure like FlowRun: it returns actions and, once the node is over, the digits or a failure.
 * The path step it is given records what was heard, how sure the recognizer was and whether the
 * digits came from the keypad.
 */
import type { NodeOf, PromptItem } from './flow-schema.ts';
import type { IvrAction, PathStep } from './flow-run.ts';

/** Why speech gave no digits; `barge_in`: the caller pressed a key instead of speaking. */
export type AsrMiss = 'no_speech' | 'no_match' | 'low_confidence' | 'unavailable' | 'barge_in';

export interface SpeechResult {
  digits: string;
  confidence: number;
}

export interface AsrStepOutcome {
  actions: IvrAction[];
  /** Set once the node is over: the digits, or 'failed' when neither speech nor keys gave them. */
  done?: { value: string } | 'failed';
}

type Mode = 'prompt' | 'listening' | 'fallback_prompt' | 'keying';

function keyName(terminator: '#' | '*', lang: 'zh' | 'en'): string {
  if (lang === 'zh') return terminator === '#' ? '井号键' : '星号键';
  return terminator === '#' ? 'the hash key' : 'the star key';
}

/** The built-in request to key the digits in, in the language of the node's first spoken prompt. */
export function defaultFallbackPrompt(node: NodeOf<'asr'>): PromptItem[] {
  const spoken = node.prompt.find((p): p is Extract<PromptItem, { tts: string }> => 'tts' in p);
  const lang = spoken?.lang ?? 'zh';
  const key = keyName(node.terminator, lang);
  return lang === 'zh'
    ? [{ tts: `没有听清，请用电话按键输入号码，以${key}结束。`, lang }]
    : [{ tts: `Sorry, I did not catch that. Please key in the number, then press ${key}.`, lang }];
}

export class AsrNodeRun {
  private mode: Mode = 'prompt';
  private digits = '';
  private attempts = 0;

  constructor(
    private readonly id: string,
    private readonly node: NodeOf<'asr'>,
    private readonly step: PathStep,
  ) {
    step.dtmfFallback = false;
  }

  /** Whether the run waits for a recognition result (a late one after barge-in is dropped). */
  get listening(): boolean {
    return this.mode === 'listening';
  }

  start(): AsrStepOutcome {
    return { actions: [{ type: 'play', prompts: this.node.prompt }] };
  }

  onPlaybackDone(): AsrStepOutcome {
    if (this.mode === 'prompt') {
      this.mode = 'listening';
      const n = this.node;
      return {
        actions: [
          {
            type: 'listen',
            node: this.id,
            minDigits: n.minDigits,
            maxDigits: n.maxDigits,
            minConfidence: n.confidence,
            noSpeechMs: n.noSpeechSec * 1000,
            maxSpeechMs: n.maxSpeechSec * 1000,
          },
        ],
      };
    }
    if (this.mode === 'fallback_prompt') {
      this.mode = 'keying';
      return { actions: [{ type: 'start_timer', ms: this.node.timeoutSec * 1000 }] };
    }
    return { actions: [] };
  }

  onDigit(digit: string): AsrStepOutcome {
    const stop: IvrAction[] =
      this.mode === 'listening'
        ? [{ type: 'stop_listening' }]
        : this.mode === 'keying'
          ? [{ type: 'cancel_timer' }]
          : [{ type: 'stop_playback' }];
    if (this.mode === 'prompt' || this.mode === 'listening') {
      this.step.speech ??= 'barge_in';
      this.step.dtmfFallback = true;
    }
    this.step.input = (this.step.input ?? '') + digit;
    this.mode = 'keying';
    const next = this.keyed(digit);
    return { ...next, actions: [...stop, ...next.actions] };
  }

  onTimeout(): AsrStepOutcome {
    if (this.mode !== 'keying') return { actions: [] };
    return this.digits === '' ? this.retry() : this.complete();
  }

  /** The recognizer's answer (null: nothing usable, `miss` says why). */
  onSpeech(result: SpeechResult | null, miss: AsrMiss = 'no_match'): AsrStepOutcome {
    if (this.mode !== 'listening') return { actions: [] };
    if (result) {
      this.step.recognised = result.digits;
      this.step.confidence = result.confidence;
      const fits = result.digits.length >= this.node.minDigits && result.digits.length <= this.node.maxDigits;
      if (fits && /^\d+$/.test(result.digits) && result.confidence >= this.node.confidence) {
        this.step.speech = 'recognised';
        return { actions: [], done: { value: result.digits } };
      }
      this.step.speech = fits ? 'low_confidence' : 'no_match';
    } else {
      this.step.speech = miss;
    }
    this.step.dtmfFallback = true;
    return this.askForKeys();
  }

  private keyed(digit: string): AsrStepOutcome {
    if (digit === this.node.terminator) return this.complete();
    this.digits += digit;
    if (this.digits.length >= this.node.maxDigits) return this.complete();
    return { actions: [{ type: 'start_timer', ms: this.node.timeoutSec * 1000 }] };
  }

  private complete(): AsrStepOutcome {
    const value = this.digits;
    this.digits = '';
    const fits =
      /^\d+$/.test(value) && value.length >= this.node.minDigits && value.length <= this.node.maxDigits;
    return fits ? { actions: [], done: { value } } : this.retry();
  }

  private retry(): AsrStepOutcome {
    this.attempts += 1;
    if (this.attempts > this.node.retries) return { actions: [], done: 'failed' };
    return this.askForKeys();
  }

  private askForKeys(): AsrStepOutcome {
    this.mode = 'fallback_prompt';
    this.digits = '';
    return {
      actions: [{ type: 'play', prompts: this.node.fallbackPrompt ?? defaultFallbackPrompt(this.node) }],
    };
  }
}
