/**
 * A service number's IVR flow (CC-01) carried out on the caller's leg: prompts (files or TTS),
 * digit timeouts, and the flow's verdict — queue for a group, or hang up. The flow decides; this
 * only plays, times and reports.
 */
import {
  callLanguage,
  type FlowRun,
  type IvrAction,
  type IvrDataSource,
  type PromptItem,
} from '../ivr/index.ts';
import type { Logger } from '../shared/index.ts';
import type { CallLeg } from '../telephony/call-leg.ts';
import type { TextToSpeech } from '../telephony/speech/index.ts';
import type { SpeechRecognizer } from '../telephony/speech/asr.ts';
import { listenForDigits, type Listening, type StartListening } from '../telephony/speech/listen.ts';
import type { IvrTaskHooks, IvrTasks } from './ivr-tasks.ts';
import { languageVariant } from './prompt-language.ts';

export interface IvrRunnerOptions {
  leg: CallLeg;
  tts: TextToSpeech;
  /** Still in the IVR: a finished prompt moves the flow on only then. */
  inIvr(): boolean;
  /** The call is over: prompts still being rendered are not played. */
  ended(): boolean;
  queue(group: string, priority: number): void;
  /** The flow hung up (the leg is already hung up). */
  hungUp(): void;
  /** The company holiday calendar for `hours` nodes (IVR-06); read once, when a flow uses one. */
  holidays?(): Promise<Iterable<string>>;
  /** Epoch milliseconds for `hours` nodes (the session's clock); default the system clock. */
  now?(): number;
  /** Answers `lookup` nodes (IVR-02); without it every lookup takes its notFound branch. */
  data?: IvrDataSource;
  log?: Pick<Logger, 'info' | 'warn'>;
  /** asr nodes (IVR-04): the caller's audio and the digits recognizer; without them the keypad is asked. */
  listen?(leg: CallLeg, listener: Parameters<StartListening>[0]): ReturnType<StartListening>;
  recognizer?: SpeechRecognizer;
  /** Voicemail, messages, webhooks and transfers (issue #5); without them those nodes fail over. */
  tasks?: IvrTasks;
  transfer?: IvrTaskHooks['transfer'];
}

export class IvrRunner {
  private timer: NodeJS.Timeout | null = null;
  /** Only the latest prompt's end moves the flow on (an earlier one may end as a new one starts). */
  private playing = 0;
  /** The asr listening now; only the latest one's answer moves the flow on. */
  private listening: Listening | null = null;

  constructor(
    private readonly flow: FlowRun,
    private readonly o: IvrRunnerOptions,
  ) {}

  /** The path the caller took, for the CDR (CC-09). */
  get path(): FlowRun['path'] {
    return this.flow.path;
  }

  start(): void {
    // The flow's variables start with the call's numbers, e.g. for a condition on the caller.
    const variables = { caller: this.o.leg.fromUser, dnis: this.o.leg.toUser };
    const now = this.o.now ? () => this.o.now!() : undefined;
    if (!this.o.holidays || !this.flow.uses('hours')) {
      this.apply(this.flow.start({ variables, now }));
      return;
    }
    void this.o
      .holidays()
      .catch(() => [] as string[]) // no calendar: weekly hours still apply
      .then((dates) => {
        if (!this.o.ended()) this.apply(this.flow.start({ variables, now, holidays: dates }));
      });
  }

  digit(digit: string): void {
    if (this.o.tasks?.digit(digit)) return; // e.g. # ends a voicemail
    this.apply(this.flow.onDigit(digit));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listening?.cancel();
    this.listening = null;
    this.o.tasks?.stop();
  }

  private apply(actions: IvrAction[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'play': {
          const seq = ++this.playing;
          void this.playPrompts(action.prompts).then((result) => {
            if (result === 'finished' && seq === this.playing && this.o.inIvr())
              this.apply(this.flow.onPlaybackDone());
          });
          break;
        }
        case 'stop_playback':
          void this.o.leg.stopPlayback();
          break;
        case 'start_timer':
          if (this.timer) clearTimeout(this.timer);
          this.timer = setTimeout(() => this.apply(this.flow.onTimeout()), action.ms);
          break;
        case 'cancel_timer':
          if (this.timer) clearTimeout(this.timer);
          this.timer = null;
          break;
        case 'listen':
          this.listen(action);
          break;
        case 'stop_listening':
          this.listening?.cancel();
          this.listening = null;
          break;
        case 'queue':
          this.o.queue(action.group, action.priority);
          break;
        case 'hangup':
          void this.o.leg.hangup().then(() => this.o.hungUp());
          break;
        case 'lookup':
          void this.lookup(action).then((found) => {
            if (!this.o.ended() && this.o.inIvr()) this.apply(this.flow.onLookupResult(found));
          });
          break;
        case 'task': {
          const hooks = { playPrompts: (p: PromptItem[]) => this.playPrompts(p), transfer: this.o.transfer };
          const run = this.o.tasks ? this.o.tasks.run(action.task, hooks) : Promise.resolve({ ok: false });
          void run.then((result) => {
            if (!this.o.ended() && this.o.inIvr()) this.apply(this.flow.onTaskResult(result));
          });
          break;
        }
      }
    }
  }

  private listen(a: Extract<IvrAction, { type: 'listen' }>): void {
    this.listening?.cancel();
    const tap = this.o.listen;
    const listening = listenForDigits(tap ? (l) => tap(this.o.leg, l) : undefined, this.o.recognizer, a);
    this.listening = listening;
    void listening.outcome.then((out) => {
      if (this.listening !== listening || this.o.ended() || !this.o.inIvr()) return;
      this.listening = null;
      if (out.type === 'cancelled') return;
      this.o.log?.info({ node: a.node, ...out }, 'ivr asr');
      if (out.type === 'recognised') this.apply(this.flow.onSpeechResult(out.result));
      else this.apply(this.flow.onSpeechResult(null, out.type));
    });
  }

  /** The data source's answer, or null when it has none, fails or is slower than the node allows. */
  private async lookup(a: Extract<IvrAction, { type: 'lookup' }>): Promise<Record<string, string> | null> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), a.timeoutMs);
    });
    const query = this.o.data ? this.o.data.lookup(a.source, a.input) : Promise.resolve(null);
    try {
      const result = await Promise.race([query, timeout]);
      const ms = Date.now() - started;
      if (result === 'timeout') {
        this.o.log?.warn({ node: a.node, source: a.source, ms }, 'ivr lookup timed out: notFound');
        return null;
      }
      this.o.log?.info({ node: a.node, source: a.source, found: result !== null, ms }, 'ivr lookup');
      return result;
    } catch (err) {
      this.o.log?.warn({ err, node: a.node, source: a.source }, 'ivr lookup failed: notFound');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private async playPrompts(prompts: PromptItem[]): Promise<'finished' | 'stopped'> {
    // A prompt that cannot be rendered (no TTS engine, no shipped recording) is skipped: the
    // flow goes on rather than leaving the caller in silence.
    const language = callLanguage(this.flow.variables);
    const files = await Promise.all(
      prompts.map((p) =>
        'file' in p ? languageVariant(p.file, language) : this.o.tts.prompt(p.lang, p.tts).catch(() => null),
      ),
    );
    if (this.o.ended()) return 'stopped';
    const playable = files.filter((f): f is string => f !== null);
    if (playable.length === 0) return 'finished';
    return this.o.leg.play(playable);
  }
}
