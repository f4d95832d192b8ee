/**
 * A service number's IVR flow (CC-01) carried out on the caller's leg: prompts (files or TTS),
 * digit timeouts, and the flow's verdict — queue for a group, or hang up. The flow decides; this
 * only plays, times and reports.
 */
import type { FlowRun, IvrAction, PromptItem } from '../ivr/index.ts';
import type { CallLeg } from '../telephony/call-leg.ts';
import type { TextToSpeech } from '../telephony/speech/index.ts';

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
}

export class IvrRunner {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flow: FlowRun,
    private readonly o: IvrRunnerOptions,
  ) {}

  /** The path the caller took, for the CDR (CC-09). */
  get path(): FlowRun['path'] {
    return this.flow.path;
  }

  start(): void {
    this.apply(this.flow.start());
  }

  digit(digit: string): void {
    this.apply(this.flow.onDigit(digit));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private apply(actions: IvrAction[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'play':
          void this.playPrompts(action.prompts).then((result) => {
            if (result === 'finished' && this.o.inIvr()) this.apply(this.flow.onPlaybackDone());
          });
          break;
        case 'stop_playback':
          void this.o.leg.stopPlayback();
          break;
        case 'start_timer':
          this.stop();
          this.timer = setTimeout(() => this.apply(this.flow.onTimeout()), action.ms);
          break;
        case 'cancel_timer':
          this.stop();
          break;
        case 'queue':
          this.o.queue(action.group, action.priority);
          break;
        case 'hangup':
          void this.o.leg.hangup().then(() => this.o.hungUp());
          break;
      }
    }
  }

  private async playPrompts(prompts: PromptItem[]): Promise<'finished' | 'stopped'> {
    const files = await Promise.all(
      prompts.map((p) => ('file' in p ? p.file : this.o.tts.prompt(p.lang, p.tts))),
    );
    if (this.o.ended()) return 'stopped';
    return this.o.leg.play(files);
  }
}
