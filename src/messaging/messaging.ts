/**
 * The messaging interface (issue #5 self-service replies): the IVR and the CRM ask for an SMS, an
 * e-mail or a fax and get the logged outcome back; which gateway carries it is configuration.
 */
export type MessageChannel = 'sms' | 'email' | 'fax';
export type MessageStatus = 'queued' | 'sent' | 'failed';

/** What a message is about, for the log and the customer's timeline. */
export interface MessageContext {
  customerId?: string | null;
  callId?: string | null;
}

export interface SmsRequest extends MessageContext {
  /** A phone number in any written form; sent as E.164 digits. */
  to: string;
  text: string;
}

export interface EmailAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
}

export interface EmailRequest extends MessageContext {
  to: string;
  subject: string;
  text: string;
  attachments?: EmailAttachment[];
}

export interface FaxRequest extends MessageContext {
  /** The fax machine's number. */
  to: string;
  /** Cover text: the e-mail body the gateway prints as the first page. */
  text: string;
  subject?: string;
  /** The pages to fax (PDF or TIFF); a text-only fax sends the cover text alone. */
  document?: EmailAttachment;
}

/** One logged message as returned to the caller of the interface. */
export interface MessageResult {
  id: string;
  channel: MessageChannel;
  status: MessageStatus;
  /** Why it failed (e.g. which setting to configure); null when sent. */
  error: string | null;
  providerMessageId: string | null;
}

export interface Messaging {
  sendSms(request: SmsRequest): Promise<MessageResult>;
  sendEmail(request: EmailRequest): Promise<MessageResult>;
  sendFax(request: FaxRequest): Promise<MessageResult>;
}

/** A gateway that carries one kind of message; throws with a readable reason when it cannot. */
export interface SmsTransport {
  send(to: string, text: string): Promise<{ providerMessageId: string | null }>;
  close(): Promise<void>;
}

export interface MailTransport {
  send(mail: {
    to: string;
    subject: string;
    text: string;
    attachments?: EmailAttachment[];
  }): Promise<{ providerMessageId: string | null }>;
  close(): Promise<void>;
}
