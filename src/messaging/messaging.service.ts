/**
 * The messaging façade: every request becomes a `messages` row (queued), goes to its gateway and
 * ends sent or failed with the reason. It never throws for a delivery problem — the IVR branches
 * on the result — and logs phone numbers masked.
 */
import { maskPhone, normalizePhone } from '../crm/index.ts';
import type { Logger } from '../shared/index.ts';
import type { Db } from '../store/index.ts';
import { MessageRepository } from './message.repository.ts';
import type { MessagingConfig } from './messaging-config.ts';
import type {
  EmailRequest,
  FaxRequest,
  MailTransport,
  MessageChannel,
  MessageContext,
  MessageResult,
  Messaging,
  SmsRequest,
  SmsTransport,
} from './messaging.ts';
import { SmppTransport } from './smpp-transport.ts';
import { SmtpTransport } from './smtp-transport.ts';

/** Told about each message that reached its gateway for a known customer (their timeline). */
export type MessageSentListener = (message: {
  id: string;
  channel: MessageChannel;
  customerId: string;
  callId: string | null;
  recipient: string;
  subject: string | null;
  body: string;
}) => Promise<void> | void;

export interface MessagingServiceOptions {
  sms?: SmsTransport | null;
  mail?: MailTransport | null;
  faxDomain?: string | null;
  log?: Pick<Logger, 'info' | 'warn'>;
  onSent?: MessageSentListener;
}

const emailPattern = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function maskAddress(channel: MessageChannel, recipient: string): string {
  if (channel !== 'email') return maskPhone(recipient);
  const [user = '', domain = ''] = recipient.split('@');
  return `${user.slice(0, 1)}***@${domain}`;
}

export class MessagingService implements Messaging {
  private readonly repo: MessageRepository;

  constructor(
    db: Db,
    private readonly o: MessagingServiceOptions,
  ) {
    this.repo = new MessageRepository(db);
  }

  /** Gateways as configured; a channel without one fails its messages with the setting to add. */
  static fromConfig(
    db: Db,
    config: MessagingConfig,
    extra: Pick<MessagingServiceOptions, 'log' | 'onSent'> = {},
  ): MessagingService {
    return new MessagingService(db, {
      ...extra,
      sms: config.smpp ? new SmppTransport(config.smpp) : null,
      mail: config.smtp ? new SmtpTransport(config.smtp) : null,
      faxDomain: config.faxDomain,
    });
  }

  get messages(): MessageRepository {
    return this.repo;
  }

  async sendSms(r: SmsRequest): Promise<MessageResult> {
    const phone = normalizePhone(r.to);
    const recipient = phone?.e164 ?? r.to;
    return this.deliver('sms', recipient, null, r.text, r, async () => {
      if (!phone) throw new Error(`not a phone number: ${maskPhone(r.to)}`);
      if (!this.o.sms)
        throw new Error('SMS is not configured: set SMPP_URL (smpp://system_id:password@host:port)');
      return this.o.sms.send(phone.e164, r.text);
    });
  }

  async sendEmail(r: EmailRequest): Promise<MessageResult> {
    const to = r.to.trim();
    return this.deliver('email', to, r.subject, r.text, r, async () => {
      if (!emailPattern.test(to)) throw new Error(`not an e-mail address: ${to}`);
      if (!this.o.mail)
        throw new Error('e-mail is not configured: set SMTP_URL (smtp://user:pass@host:port)');
      return this.o.mail.send({ to, subject: r.subject, text: r.text, attachments: r.attachments });
    });
  }

  async sendFax(r: FaxRequest): Promise<MessageResult> {
    const phone = normalizePhone(r.to);
    const recipient = phone?.e164 ?? r.to;
    const subject = r.subject ?? 'Fax';
    return this.deliver('fax', recipient, subject, r.text, r, async () => {
      if (!phone) throw new Error(`not a fax number: ${maskPhone(r.to)}`);
      if (!this.o.faxDomain) throw new Error('fax is not configured: set FAX_GATEWAY_DOMAIN and SMTP_URL');
      if (!this.o.mail) throw new Error('fax is not configured: set SMTP_URL for the e-mail-to-fax gateway');
      // Gateways address a fax machine by its digits (national or international) in the local part.
      const to = `${phone.e164.replace(/^\+/, '')}@${this.o.faxDomain}`;
      return this.o.mail.send({ to, subject, text: r.text, attachments: r.document ? [r.document] : [] });
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.o.sms?.close(), this.o.mail?.close()]);
  }

  private async deliver(
    channel: MessageChannel,
    recipient: string,
    subject: string | null,
    body: string,
    context: MessageContext,
    send: () => Promise<{ providerMessageId: string | null }>,
  ): Promise<MessageResult> {
    const customerId = context.customerId ?? null;
    const callId = context.callId ?? null;
    const id = await this.repo.queue({ channel, recipient, subject, body, customerId, callId });
    const masked = maskAddress(channel, recipient);
    try {
      const { providerMessageId } = await send();
      await this.repo.finish(id, { status: 'sent', error: null, providerMessageId });
      this.o.log?.info({ id, channel, to: masked, callId }, 'message sent');
      if (customerId && this.o.onSent) {
        try {
          await this.o.onSent({ id, channel, customerId, callId, recipient, subject, body });
        } catch (err) {
          this.o.log?.warn({ err, id }, 'message sent but not added to the timeline');
        }
      }
      return { id, channel, status: 'sent', error: null, providerMessageId };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await this.repo.finish(id, { status: 'failed', error, providerMessageId: null });
      this.o.log?.warn({ id, channel, to: masked, callId, error }, 'message failed');
      return { id, channel, status: 'failed', error, providerMessageId: null };
    }
  }
}
