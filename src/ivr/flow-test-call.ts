/**
 * A test call without a phone (issue #5): runs the real FlowRun on a flow document with typed
 * digits, as a caller who listens to every prompt to its end and then presses the next digit.
 * Each step is a node the walk entered, with the digits it took, the branch it went and the
 * prompts (TTS text or file) that would be played. Lookups take the answers `lookup` gives (the
 * server's test call reads the real data sources), else their `notFound` branch. When the digits run out while a node waits
 * for input, the walk stops there — unless `noInputTimeouts` lets the timer fire that many times.
 * An asr node hears typed digits as speech (up to a `#` or its maxDigits, confidence 1); a `#`
 * first stands for silence, so the digits after it are keyed in at the DTMF fallback.
 */
import { spokenTestDigits } from './asr-test-call.ts';
import { FlowRun, type IvrAction, type PathStep } from './flow-run.ts';
import type { FlowDocument, LookupSource, PromptItem } from './flow-schema.ts';

export interface TestCallStep extends PathStep {
  /** What the caller would hear in this node, in order (a menu's retries add to it). */
  prompts: PromptItem[];
}

export type TestCallOutcome =
  | { type: 'queued'; node: string; group: string; priority: number }
  | { type: 'hangup'; node: string }
  | { type: 'waiting'; node: string; verb: PathStep['verb'] }
  | { type: 'step_limit'; node: string };

export interface TestCallResult {
  steps: TestCallStep[];
  outcome: TestCallOutcome;
  /** Digits typed but never taken (the call ended before them). */
  unusedDigits: string;
  variables: Record<string, string>;
}

export interface TestCallOptions {
  digits: string;
  /** Timer expiries to simulate once the digits run out (0: stop at the first wait). */
  noInputTimeouts?: number;
  /** Events fed to the run before giving up (a loop through prompts would never end). */
  maxSteps?: number;
  variables?: Record<string, string>;
  now?: () => number;
  /**
   * Answers lookups synchronously (null: not found); absent, every lookup is notFound. The data
   * sources are asynchronous: flow-test-call-data.ts walks again once it has each answer.
   */
  lookup?: (source: LookupSource, input: string) => Record<string, string> | null;
}

export function runTestCall(flow: FlowDocument, options: TestCallOptions): TestCallResult {
  const run = new FlowRun(flow, { variables: options.variables, now: options.now });
  const prompts = new Map<PathStep, PromptItem[]>();
  const digits = [...options.digits];
  let timeouts = options.noInputTimeouts ?? 0;
  const maxSteps = options.maxSteps ?? 200;
  let outcome: TestCallOutcome | null = null;

  const currentNode = () => run.path[run.path.length - 1];
  /** Carries out the actions; says what the run waits for next. */
  let listen: Extract<IvrAction, { type: 'listen' }> | null = null;
  let lookup = null as Extract<IvrAction, { type: 'lookup' }> | null;
  const apply = (actions: IvrAction[]): 'playback' | 'lookup' | 'speech' | 'task' | 'input' => {
    let waitFor: 'playback' | 'lookup' | 'speech' | 'task' | 'input' = 'input';
    for (const action of actions) {
      const step = currentNode();
      switch (action.type) {
        case 'play':
          if (step) prompts.set(step, [...(prompts.get(step) ?? []), ...action.prompts]);
          waitFor = 'playback';
          break;
        case 'lookup':
          lookup = action;
          waitFor = 'lookup';
          break;
        case 'task':
          // Nothing is sent, recorded or called in a test call: the task counts as done.
          waitFor = 'task';
          break;
        case 'listen':
          listen = action;
          waitFor = 'speech';
          break;
        case 'queue':
          outcome = {
            type: 'queued',
            node: step?.node ?? flow.start,
            group: action.group,
            priority: action.priority,
          };
          break;
        case 'hangup':
          outcome = { type: 'hangup', node: step?.node ?? flow.start };
          break;
        default:
          break;
      }
    }
    return waitFor;
  };

  let actions = run.start();
  for (let i = 0; i < maxSteps; i++) {
    const waitFor = apply(actions);
    if (run.finished) break;
    if (waitFor === 'lookup')
      actions = run.onLookupResult(
        lookup && options.lookup ? options.lookup(lookup.source, lookup.input) : null,
      );
    else if (waitFor === 'speech' && listen) actions = spokenTestDigits(run, listen, digits);
    else if (waitFor === 'playback') actions = run.onPlaybackDone();
    else if (waitFor === 'task') actions = run.onTaskResult({ ok: true });
    else if (digits.length > 0) actions = run.onDigit(digits.shift()!);
    else if (timeouts > 0) {
      timeouts -= 1;
      actions = run.onTimeout();
    } else {
      const step = currentNode();
      outcome = { type: 'waiting', node: step?.node ?? flow.start, verb: step?.verb ?? 'menu' };
      break;
    }
  }
  const last = currentNode();
  return {
    steps: run.path.map((step) => ({ ...step, prompts: prompts.get(step) ?? [] })),
    outcome: outcome ?? { type: 'step_limit', node: last?.node ?? flow.start },
    unusedDigits: digits.join(''),
    variables: { ...run.variables },
  };
}
