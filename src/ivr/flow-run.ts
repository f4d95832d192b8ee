/**
 * Runs one caller through a flow. Pure: it consumes events (digit, prompt finished, timer fired)
 * and returns the actions the call session must carry out. Digits pressed while a menu prompt
 * plays are taken at once (barge-in) — callers who know the menu should not have to wait.
 *
 * States: idle → prompting → awaiting_input → (prompting …) → done
 */
import type { FlowDocument, FlowNode, PromptItem } from './flow-schema.ts';

export type IvrAction =
  | { type: 'play'; prompts: PromptItem[] }
  | { type: 'stop_playback' }
  | { type: 'start_timer'; ms: number }
  | { type: 'cancel_timer' }
  | { type: 'queue'; group: string; priority: number }
  | { type: 'hangup' };

export interface PathStep {
  node: string;
  verb: FlowNode['verb'];
  input?: string;
}

type RunState = 'idle' | 'prompting' | 'awaiting_input' | 'done';

export class FlowRun {
  private state: RunState = 'idle';
  private nodeId: string;
  private attempts = 0;
  /** The path the caller took, for the CDR (CC-09 "IVR path"). */
  readonly path: PathStep[] = [];

  constructor(private readonly flow: FlowDocument) {
    this.nodeId = flow.start;
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  start(): IvrAction[] {
    return this.enter(this.flow.start);
  }

  onDigit(digit: string): IvrAction[] {
    const node = this.current();
    if (node.verb !== 'menu' || (this.state !== 'prompting' && this.state !== 'awaiting_input')) return [];
    const target = node.choices[digit];
    const last = this.path[this.path.length - 1];
    if (last) last.input = (last.input ?? '') + digit;
    const stop: IvrAction[] =
      this.state === 'prompting' ? [{ type: 'stop_playback' }] : [{ type: 'cancel_timer' }];
    if (target) return [...stop, ...this.enter(target)];
    return [...stop, ...this.retry(node, true)];
  }

  onPlaybackDone(): IvrAction[] {
    if (this.state !== 'prompting') return [];
    const node = this.current();
    if (node.verb === 'menu') {
      this.state = 'awaiting_input';
      return [{ type: 'start_timer', ms: node.timeoutSec * 1000 }];
    }
    if (node.verb === 'play') return this.enter(node.next);
    if (node.verb === 'hangup') return this.finish([{ type: 'hangup' }]);
    return [];
  }

  onTimeout(): IvrAction[] {
    const node = this.current();
    if (this.state !== 'awaiting_input' || node.verb !== 'menu') return [];
    return this.retry(node, false);
  }

  private retry(node: Extract<FlowNode, { verb: 'menu' }>, invalid: boolean): IvrAction[] {
    this.attempts += 1;
    if (this.attempts > node.retries) {
      return node.noInput ? this.enter(node.noInput) : this.finish([{ type: 'hangup' }]);
    }
    this.state = 'prompting';
    const prompts = invalid && node.invalidPrompt ? [...node.invalidPrompt, ...node.prompt] : node.prompt;
    return [{ type: 'play', prompts }];
  }

  private enter(id: string): IvrAction[] {
    const node = this.flow.nodes[id];
    if (!node) throw new Error(`flow "${this.flow.name}" has no node "${id}"`);
    this.nodeId = id;
    this.attempts = 0;
    this.path.push({ node: id, verb: node.verb });
    switch (node.verb) {
      case 'menu':
      case 'play':
        this.state = 'prompting';
        return [{ type: 'play', prompts: node.prompt }];
      case 'queue':
        return this.finish([{ type: 'queue', group: node.group, priority: node.priority }]);
      case 'hangup':
        if (node.prompt) {
          this.state = 'prompting';
          return [{ type: 'play', prompts: node.prompt }];
        }
        return this.finish([{ type: 'hangup' }]);
    }
  }

  private finish(actions: IvrAction[]): IvrAction[] {
    this.state = 'done';
    return actions;
  }

  private current(): FlowNode {
    const node = this.flow.nodes[this.nodeId];
    if (!node) throw new Error(`flow "${this.flow.name}" has no node "${this.nodeId}"`);
    return node;
  }
}
