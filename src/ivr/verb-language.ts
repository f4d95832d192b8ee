/**
 * The `language` verb inside a FlowRun: the prompt plays, a key from `choices` picks the call's
 * language at once (barge-in, as in menus), and no key before the timer fires takes the node's
 * default. Pure like FlowRun: it returns actions and, once a language is set, the choice.
 */
import type { IvrAction, PathStep } from './flow-run.ts';
import type { CallLanguage, languageNode } from './verb-nodes.ts';
import type { z } from 'zod';

type LanguageNode = z.infer<typeof languageNode>;

export interface LanguageStep {
  actions: IvrAction[];
  chosen?: CallLanguage;
}

export class LanguageNodeRun {
  private mode: 'prompt' | 'waiting' = 'prompt';

  constructor(
    private readonly node: LanguageNode,
    private readonly step: PathStep,
  ) {}

  start(): LanguageStep {
    return { actions: [{ type: 'play', prompts: this.node.prompt }] };
  }

  onDigit(digit: string): LanguageStep {
    const chosen = this.node.choices[digit];
    if (!chosen) return { actions: [] }; // a key that is no choice: keep waiting
    this.step.input = (this.step.input ?? '') + digit;
    this.step.branch = chosen;
    const stop: IvrAction = this.mode === 'prompt' ? { type: 'stop_playback' } : { type: 'cancel_timer' };
    return { actions: [stop], chosen };
  }

  onPlaybackDone(): LanguageStep {
    if (this.mode !== 'prompt') return { actions: [] };
    this.mode = 'waiting';
    return { actions: [{ type: 'start_timer', ms: this.node.timeoutSec * 1000 }] };
  }

  onTimeout(): LanguageStep {
    if (this.mode !== 'waiting') return { actions: [] };
    this.step.branch = this.node.default;
    return { actions: [], chosen: this.node.default };
  }
}
