/**
 * What the IVR's self-service verbs use beyond the call itself (issue #5): the messaging
 * interface, the customer timeline, voicemail storage and the callback task a voicemail creates.
 * One instance for the contact center; each call gets an IvrTasks on top of it.
 */
import { asc, eq } from 'drizzle-orm';
import { ivrSessionEntry, type IvrSessionFacts, type TimelineWriter } from '../crm/timeline/index.ts';
import type { Messaging } from '../messaging/index.ts';
import type { Logger } from '../shared/index.ts';
import { tables, type Db } from '../store/index.ts';
import { VoicemailRepository } from './voicemail.repository.ts';
import type { VoicemailRecording } from './voicemail-recorder.ts';

export interface CallbackTaskInput {
  queue: string;
  subject: string;
  fromAddress: string;
  customerId: string | null;
}

export interface IvrServicesOptions {
  db: Db;
  /** Absent: sms/email/fax nodes take their failure branch. */
  messaging: Messaging | null;
  timeline: TimelineWriter;
  recordingsDir: string;
  /** ACD-08: the callback task a voicemail leaves for its group. */
  createCallbackTask(input: CallbackTaskInput): Promise<{ id: string }>;
  log: Pick<Logger, 'info' | 'warn'>;
}

export class IvrServices {
  readonly voicemails: VoicemailRepository;

  constructor(private readonly o: IvrServicesOptions) {
    this.voicemails = new VoicemailRepository(o.db);
  }

  get messaging(): Messaging | null {
    return this.o.messaging;
  }

  get recordingsDir(): string {
    return this.o.recordingsDir;
  }

  get log(): Pick<Logger, 'info' | 'warn'> {
    return this.o.log;
  }

  /** The first e-mail address on file for the customer's contacts, if any. */
  async customerEmail(customerId: string): Promise<string | null> {
    const [row] = await this.o.db
      .select({ email: tables.contactEmails.email })
      .from(tables.contactEmails)
      .where(eq(tables.contactEmails.customerId, customerId))
      .orderBy(asc(tables.contactEmails.id))
      .limit(1);
    return row?.email ?? null;
  }

  /**
   * A recorded voicemail: its row, the callback task for the group, and — when the caller is a
   * known customer — a timeline item pointing at it.
   */
  async saveVoicemail(v: {
    id: string;
    callId: string;
    caller: string;
    customerId: string | null;
    queue: string;
    recording: VoicemailRecording;
  }): Promise<{ workItemId: string | null }> {
    let workItemId: string | null = null;
    try {
      const seconds = Math.round(v.recording.durationMs / 1000);
      const task = await this.o.createCallbackTask({
        queue: v.queue,
        subject: `Voicemail ${seconds}s: call back ${v.caller}`,
        fromAddress: v.caller,
        customerId: v.customerId,
      });
      workItemId = task.id;
    } catch (err) {
      this.o.log.warn({ err, voicemail: v.id, queue: v.queue }, 'voicemail saved without a callback task');
    }
    await this.voicemails.insert({
      id: v.id,
      callId: v.callId,
      caller: v.caller,
      customerId: v.customerId,
      queue: v.queue,
      file: v.recording.rel,
      durationMs: v.recording.durationMs,
      workItemId,
    });
    if (v.customerId) {
      await this.o.timeline.append({
        customerId: v.customerId,
        kind: 'voicemail',
        refId: v.id,
        title: `Voicemail (${Math.round(v.recording.durationMs / 1000)} s) for ${v.queue}`,
        detail: {
          callId: v.callId,
          durationMs: v.recording.durationMs,
          queue: v.queue,
          workItemId,
          audio: `/api/voicemails/${v.id}/audio`,
        },
      });
    }
    return { workItemId };
  }

  /** A call of an identified customer that went through the IVR: its timeline entry. */
  async ivrSessionEnded(facts: IvrSessionFacts): Promise<void> {
    if (facts.path.length === 0) return;
    try {
      await this.o.timeline.append(ivrSessionEntry(facts));
    } catch (err) {
      this.o.log.warn({ err, call: facts.callId }, 'IVR session not added to the timeline');
    }
  }
}
