/**
 * Runs one caller through a flow. Pure: it consumes events (digit, prompt finished, timer fired)
 * and returns the actions the call session must carry out; the clock and the holiday calendar are
 * given to it. Digits pressed while a menu or gather prompt plays are taken at once (barge-in) —
 * callers who know the menu should not have to wait.
 *
 * States: idle → prompting → awaiting_input → (prompting …) → done
 *   prompting: a node's prompt plays (menu, gather, play, say, hangup with a goodbye);
 *   awaiting_input: a menu or gather waits for digits under a timer;
 *   looking_up: a lookup waits for its data source (onLookupResult; the caller's digits are ignored);
 *   language: a language node's prompt or timer runs (verb-language.ts);
 *   tasking: a voicemail, message, webhook or transfer is carried out (onTaskResult, verb-tasks.ts);
 *   done: the flow queued the call or hung up. set, condition and hours take no time: entering
 *   one moves straight on (at most `maxHops` times in a row, so a loop cannot spin forever).
 */
import { AsrNodeRun, type AsrMiss, type AsrStepOutcome, type SpeechResult } from './asr-run.ts';
import { isOpen } from './business-hours.ts';
import { checkDigitsValid } from './check-digits.ts';
import type { FlowDocument, FlowNode, LookupSource, NodeOf, PromptItem } from './flow-schema.ts';
import { renderTemplate } from './flow-template.ts';
import { LanguageNodeRun, type LanguageStep } from './verb-language.ts';
import {
  afterTask,
  callLanguage,
  isTaskNode,
  verbTask,
  type TaskResult,
  type VerbTask,
} from './verb-tasks.ts';

export type IvrAction =
  | { type: 'play'; prompts: PromptItem[] }
  | { type: 'stop_playback' }
  | { type: 'start_timer'; ms: number }
  | { type: 'cancel_timer' }
  | { type: 'queue'; group: string; priority: number }
  /** Query `source` for `input`; answer with onLookupResult, or null after `timeoutMs`. */
  | { type: 'lookup'; node: string; source: LookupSource; input: string; timeoutMs: number }
  | { type: 'hangup' }
  /** asr: listen for spoken digits; answer with onSpeechResult. */
  | {
      type: 'listen';
      node: string;
      minDigits: number;
      maxDigits: number;
      minConfidence: number;
      noSpeechMs: number;
      maxSpeechMs: number;
    }
  | { type: 'stop_listening' }
  /** voicemail, sms/email/fax, webhook, transfer (verb-tasks.ts): answer with onTaskResult. */
  | { type: 'task'; node: string; task: VerbTask };

export interface PathStep {
  node: string;
  verb: FlowNode['verb'];
  /** Digits the caller pressed in this node (menu, gather), terminators included. */
  input?: string;
  /** The way a condition, hours or lookup node went: "then"/"else", "open"/"closed", "found"/"notFound". */
  branch?: string;
  /** menu, gather: inputs refused here (a digit no choice has, digits of the wrong length or form). */
  invalid?: number;
  /** menu, gather: times the caller let the timer run out here without input. */
  timeouts?: number;
  /** asr: the digits the recognizer heard (also when rejected) and its confidence, 0..1. */
  recognised?: string;
  confidence?: number;
  /** asr: "recognised", or why speech gave nothing usable (AsrMiss). */
  speech?: 'recognised' | AsrMiss;
  /** asr: the caller was asked for (or pressed) keys instead of speaking. */
  dtmfFallback?: boolean;
}

export interface FlowRunOptions {
  /** Epoch milliseconds now (business hours). */
  now?: () => number;
  /** Company holidays, local dates "YYYY-MM-DD" (ACD-03 calendar). */
  holidays?: Iterable<string>;
  /** Variables set before the first node, e.g. the caller's number. */
  variables?: Record<string, string>;
}

type RunState =
  'idle' | 'prompting' | 'awaiting_input' | 'looking_up' | 'asr' | 'language' | 'tasking' | 'done';

/** Instant moves (set, condition, hours) in a row before the run gives up and hangs up. */
export const maxHops = 100;

function numeric(s: string): number | null {
  const n = Number(s);
  return s.trim() !== '' && Number.isFinite(n) ? n : null;
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false; // validation refuses such patterns; a stored one never matches
  }
}

/** condition: numbers compare as numbers; lt…ge with a non-number are false. */
export function compareValues(op: NodeOf<'condition'>['op'], left: string, right: string): boolean {
  switch (op) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'prefix':
      return left.startsWith(right);
    case 'matches':
      return fullMatch(right, left);
    default: {
      const a = numeric(left);
      const b = numeric(right);
      if (a === null || b === null) return false;
      return op === 'lt' ? a < b : op === 'le' ? a <= b : op === 'gt' ? a > b : a >= b;
    }
  }
}

export class FlowRun {
  private state: RunState = 'idle';
  private nodeId: string;
  private attempts = 0;
  private digits = '';
  private hops = 0;
  /** The asr node running now (state 'asr'). */
  private asr: AsrNodeRun | null = null;
  private language: LanguageNodeRun | null = null;
  private now: () => number;
  private holidays: ReadonlySet<string>;
  /** Flow variables: gather input, set values, and what the call brought (caller, dnis). */
  readonly variables: Record<string, string>;
  /** The path the caller took, for the CDR (CC-09 "IVR path"). */
  readonly path: PathStep[] = [];

  constructor(
    private readonly flow: FlowDocument,
    options: FlowRunOptions = {},
  ) {
    this.nodeId = flow.start;
    this.now = options.now ?? Date.now;
    this.holidays = new Set(options.holidays ?? []);
    this.variables = { ...options.variables };
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  /** Whether any node uses `verb` (e.g. to load the holiday calendar only for `hours`). */
  uses(verb: FlowNode['verb']): boolean {
    return Object.values(this.flow.nodes).some((n) => n.verb === verb);
  }

  /** Enter the start node; `context` adds to what the constructor was given (clock, calendar, variables). */
  start(context: FlowRunOptions = {}): IvrAction[] {
    if (context.now) this.now = context.now;
    if (context.holidays) this.holidays = new Set(context.holidays);
    Object.assign(this.variables, context.variables);
    this.hops = 0;
    return this.enter(this.flow.start);
  }

  onDigit(digit: string): IvrAction[] {
    if (this.state === 'asr') return this.afterAsr(this.asr!.onDigit(digit));
    if (this.state === 'language') return this.afterLanguage(this.language!.onDigit(digit));
    if (this.state !== 'prompting' && this.state !== 'awaiting_input') return [];
    const node = this.current();
    if (node.verb !== 'menu' && node.verb !== 'gather') return [];
    this.hops = 0;
    const last = this.path[this.path.length - 1];
    if (last) last.input = (last.input ?? '') + digit;
    const stop: IvrAction[] =
      this.state === 'prompting' ? [{ type: 'stop_playback' }] : [{ type: 'cancel_timer' }];
    if (node.verb === 'gather') return [...stop, ...this.gatherDigit(node, digit)];
    const target = node.choices[digit];
    if (target) return [...stop, ...this.enter(target)];
    return [...stop, ...this.retry(node, true)];
  }

  onPlaybackDone(): IvrAction[] {
    if (this.state === 'asr') return this.afterAsr(this.asr!.onPlaybackDone());
    if (this.state === 'language') return this.afterLanguage(this.language!.onPlaybackDone());
    if (this.state !== 'prompting') return [];
    this.hops = 0;
    const node = this.current();
    switch (node.verb) {
      case 'menu':
      case 'gather':
        this.state = 'awaiting_input';
        return [{ type: 'start_timer', ms: node.timeoutSec * 1000 }];
      case 'play':
      case 'say':
        return this.enter(node.next);
      case 'hangup':
        return this.finish([{ type: 'hangup' }]);
      default:
        return [];
    }
  }

  onTimeout(): IvrAction[] {
    if (this.state === 'asr') return this.afterAsr(this.asr!.onTimeout());
    if (this.state === 'language') return this.afterLanguage(this.language!.onTimeout());
    if (this.state !== 'awaiting_input') return [];
    this.hops = 0;
    const node = this.current();
    if (node.verb === 'menu') return this.retry(node, false);
    if (node.verb === 'gather')
      return this.digits === '' ? this.retry(node, false) : this.gatherComplete(node);
    return [];
  }

  /**
   * The data source answered the lookup now running: its variables (found), or null (nothing
   * matched, failed, timed out). Ignored when no lookup waits (e.g. a late answer).
   */
  onLookupResult(found: Readonly<Record<string, string>> | null): IvrAction[] {
    if (this.state !== 'looking_up') return [];
    const node = this.current();
    if (node.verb !== 'lookup') return [];
    this.hops = 0;
    const last = this.path[this.path.length - 1];
    if (last) last.branch = found ? 'found' : 'notFound';
    if (found) Object.assign(this.variables, found);
    return this.enter(found ? node.found : node.notFound);
  }

  /** The recognizer's answer to a `listen` (null: nothing usable; `miss` says why). */
  onSpeechResult(result: SpeechResult | null, miss?: AsrMiss): IvrAction[] {
    if (this.state !== 'asr' || !this.asr?.listening) return [];
    return this.afterAsr(this.asr.onSpeech(result, miss));
  }

  /** The runner carried out the task of the node now running (ignored when none waits). */
  onTaskResult(result: TaskResult): IvrAction[] {
    if (this.state !== 'tasking') return [];
    const node = this.current();
    if (!isTaskNode(node)) return [];
    this.hops = 0;
    const last = this.path[this.path.length - 1];
    if (last) last.branch = result.ok ? 'ok' : 'failed';
    if (result.variables) Object.assign(this.variables, result.variables);
    const after = afterTask(node, result.ok);
    if (after === 'done') return this.finish([]);
    return after === 'hangup' ? this.finish([{ type: 'hangup' }]) : this.enter(after);
  }

  private afterLanguage(step: LanguageStep): IvrAction[] {
    const node = this.current();
    if (!step.chosen || node.verb !== 'language') return step.actions;
    this.hops = 0;
    this.language = null;
    this.variables.language = step.chosen;
    return [...step.actions, ...this.enter(node.next)];
  }

  private afterAsr(outcome: AsrStepOutcome): IvrAction[] {
    this.hops = 0;
    const node = this.current();
    if (!outcome.done || node.verb !== 'asr') return outcome.actions;
    this.asr = null;
    if (outcome.done === 'failed')
      return [
        ...outcome.actions,
        ...(node.noInput ? this.enter(node.noInput) : this.finish([{ type: 'hangup' }])),
      ];
    this.variables[node.into] = outcome.done.value;
    return [...outcome.actions, ...this.enter(node.next)];
  }

  private gatherDigit(node: NodeOf<'gather'>, digit: string): IvrAction[] {
    this.state = 'awaiting_input';
    if (node.terminator !== undefined && digit === node.terminator) return this.gatherComplete(node);
    this.digits += digit;
    if (this.digits.length >= node.maxLength) return this.gatherComplete(node);
    return [{ type: 'start_timer', ms: node.interDigitSec * 1000 }];
  }

  private gatherComplete(node: NodeOf<'gather'>): IvrAction[] {
    const value = this.digits;
    this.digits = '';
    const fits =
      value.length >= node.minLength &&
      value.length <= node.maxLength &&
      (node.pattern === undefined || fullMatch(node.pattern, value)) &&
      (node.checkDigit === undefined || checkDigitsValid(node.checkDigit, value));
    if (!fits) return this.retry(node, true);
    this.variables[node.variable] = value;
    return this.enter(node.next);
  }

  private retry(node: NodeOf<'menu'> | NodeOf<'gather'>, invalid: boolean): IvrAction[] {
    // Counted on the step for the IVR metrics (DTMF errors and timeouts per node).
    const step = this.path[this.path.length - 1];
    if (step && invalid) step.invalid = (step.invalid ?? 0) + 1;
    else if (step) step.timeouts = (step.timeouts ?? 0) + 1;
    this.attempts += 1;
    this.digits = '';
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
    this.hops += 1;
    if (this.hops > maxHops) return this.finish([{ type: 'hangup' }]);
    this.nodeId = id;
    this.attempts = 0;
    this.digits = '';
    const step: PathStep = { node: id, verb: node.verb };
    this.path.push(step);
    switch (node.verb) {
      case 'menu':
      case 'gather':
      case 'play':
        this.state = 'prompting';
        return [{ type: 'play', prompts: node.prompt }];
      case 'say': {
        // A language the caller chose (language node) wins over the node's own.
        const lang = callLanguage(this.variables) ?? node.lang;
        const text = renderTemplate(node.text, this.variables, lang).trim();
        // Nothing to say (every variable empty): go on rather than ask TTS for silence.
        if (text === '') return this.enter(node.next);
        this.state = 'prompting';
        return [{ type: 'play', prompts: [{ tts: text, lang }] }];
      }
      case 'asr':
        this.state = 'asr';
        this.asr = new AsrNodeRun(id, node, step);
        return this.afterAsr(this.asr.start());
      case 'set':
        this.variables[node.variable] = renderTemplate(node.value, this.variables);
        return this.enter(node.next);
      case 'condition': {
        // A pattern is taken as written: its braces are quantifiers, not placeholders.
        const value = node.op === 'matches' ? node.value : renderTemplate(node.value, this.variables);
        const yes = compareValues(node.op, this.variables[node.variable] ?? '', value);
        step.branch = yes ? 'then' : 'else';
        return this.enter(yes ? node.then : node.else);
      }
      case 'hours': {
        const open = isOpen(node, this.now(), this.holidays);
        step.branch = open ? 'open' : 'closed';
        return this.enter(open ? node.open : node.closed);
      }
      case 'lookup': {
        this.state = 'looking_up';
        const key = node.input ?? (node.source === 'caller_shipments' ? 'caller' : '');
        const input = this.variables[key] ?? '';
        return [{ type: 'lookup', node: id, source: node.source, input, timeoutMs: node.timeoutSec * 1000 }];
      }
      case 'queue':
        return this.finish([{ type: 'queue', group: node.group, priority: node.priority }]);
      case 'language':
        this.state = 'language';
        this.language = new LanguageNodeRun(node, step);
        return this.afterLanguage(this.language.start());
      case 'voicemail':
      case 'sms':
      case 'email':
      case 'fax':
      case 'webhook':
      case 'transfer': {
        const task = verbTask(node, this.variables, callLanguage(this.variables));
        if ('queue' in task)
          return this.finish([{ type: 'queue', group: task.queue, priority: task.priority }]);
        this.state = 'tasking';
        return [{ type: 'task', node: id, task }];
      }
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
