/**
 * Carries out the IVR's task verbs on one call (issue #5): voicemail (prompt, beep, record,
 * store), sms/email/fax through the messaging interface, webhook, and transfer (through the
 * session). Each returns the outcome FlowRun branches on; nothing here throws at the caller.
 */
import { maskPhone } from '../crm/index.ts';
import type { MessageResult } from '../messaging/index.ts';
import type { PromptItem, TaskResult, VerbTask } from '../ivr/index.ts';
import type { CallLeg } from '../telephony/call-leg.ts';
import type { IvrServices } from './ivr-services.ts';
import { beepFile, VoicemailRecorder, voicemailFile, type StartTap } from './voicemail-recorder.ts';
import { callWebhook } from './webhook-call.ts';

export interface IvrCallFacts {
  callId: string;
  /** The caller's number as received. */
  caller: string;
  callerE164: string | null;
  /** The customer the caller's number identified (exactly one match), if any. */
  customerId: string | null;
}

export interface IvrTaskHooks {
  /** Plays prompts (TTS or files) the way the runner does; resolves when they end. */
  playPrompts(prompts: PromptItem[]): Promise<'finished' | 'stopped'>;
  /** Sends the caller to an extension or an outside number; true once someone answered. */
  transfer?(kind: 'number' | 'extension', target: string): Promise<boolean>;
}

export class IvrTasks {
  private recorder: VoicemailRecorder | null = null;
  private beep: string | null = null;

  constructor(
    private readonly services: IvrServices,
    private readonly leg: CallLeg,
    private readonly facts: () => IvrCallFacts,
    private readonly tap: StartTap,
  ) {}

  /** A key while a task runs: # ends a voicemail. True when the task took it. */
  digit(digit: string): boolean {
    if (!this.recorder) return false;
    if (digit === '#') this.recorder.stop('key');
    return true;
  }

  /** The call ended: a running recording is kept up to here. */
  stop(): void {
    this.recorder?.stop('hangup');
  }

  async run(task: VerbTask, hooks: IvrTaskHooks): Promise<TaskResult> {
    const log = this.services.log;
    const f = this.facts();
    try {
      switch (task.verb) {
        case 'voicemail':
          return await this.voicemail(task, hooks, f);
        case 'sms':
        case 'email':
        case 'fax':
          return await this.message(task, f);
        case 'webhook': {
          const out = await callWebhook(task);
          const url = new URL(task.url);
          const where = `${url.origin}${url.pathname}`;
          if (out.ok) log.info({ call: f.callId, url: where, status: out.status }, 'ivr webhook');
          else log.warn({ call: f.callId, url: where, reason: out.reason }, 'ivr webhook failed: fallback');
          return { ok: out.ok, variables: out.variables };
        }
        case 'transfer': {
          if (!hooks.transfer) return { ok: false };
          const ok = await hooks.transfer(task.kind, task.target);
          log.info({ call: f.callId, kind: task.kind, ok }, 'ivr transfer');
          return { ok };
        }
      }
    } catch (err) {
      log.warn({ err, call: f.callId, verb: task.verb }, 'ivr task failed');
      return { ok: false };
    }
  }

  private async voicemail(
    task: Extract<VerbTask, { verb: 'voicemail' }>,
    hooks: IvrTaskHooks,
    f: IvrCallFacts,
  ): Promise<TaskResult> {
    if (task.prompt && (await hooks.playPrompts(task.prompt)) === 'stopped') return { ok: false };
    if (task.beep) {
      this.beep ??= beepFile(this.services.recordingsDir);
      if ((await this.leg.play([this.beep])) === 'stopped') return { ok: false };
    }
    const id = this.services.voicemails.newId();
    const file = voicemailFile(this.services.recordingsDir, id, new Date());
    this.recorder = new VoicemailRecorder(this.leg, this.tap);
    let recording;
    try {
      recording = await this.recorder.record(file, task.maxSeconds);
    } finally {
      this.recorder = null;
    }
    const caller = f.callerE164 ?? f.caller;
    const { workItemId } = await this.services.saveVoicemail({
      id,
      callId: f.callId,
      caller,
      customerId: f.customerId,
      queue: task.group,
      recording,
    });
    this.services.log.info(
      { call: f.callId, voicemail: id, ms: recording.durationMs, end: recording.end, workItemId },
      'voicemail recorded',
    );
    return { ok: true };
  }

  private async message(task: Extract<VerbTask, { verb: 'sms' | 'email' | 'fax' }>, f: IvrCallFacts) {
    const messaging = this.services.messaging;
    if (!messaging) return { ok: false };
    const context = { callId: f.callId, customerId: f.customerId };
    let to: string | null = task.to;
    if (task.to === 'caller') to = f.callerE164 ?? f.caller;
    else if (task.to === 'customer')
      to =
        task.verb === 'email'
          ? f.customerId
            ? await this.services.customerEmail(f.customerId)
            : null
          : f.customerId
            ? (f.callerE164 ?? f.caller)
            : null;
    if (!to) {
      this.services.log.warn({ call: f.callId, verb: task.verb }, 'ivr message: no recipient on file');
      return { ok: false };
    }
    let result: MessageResult;
    if (task.verb === 'sms') result = await messaging.sendSms({ ...context, to, text: task.text });
    else if (task.verb === 'email')
      result = await messaging.sendEmail({ ...context, to, subject: task.subject ?? '', text: task.text });
    else
      result = await messaging.sendFax({
        ...context,
        to,
        subject: task.subject ?? undefined,
        text: task.text,
      });
    this.services.log.info(
      {
        call: f.callId,
        verb: task.verb,
        to: task.verb === 'email' ? undefined : maskPhone(to),
        status: result.status,
      },
      'ivr message',
    );
    return { ok: result.status === 'sent' };
  }
}
