/** E-mail (and e-mail-to-fax) through an SMTP server with nodemailer. */
import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpConfig } from './messaging-config.ts';
import type { MailTransport } from './messaging.ts';

export class SmtpTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(
    private readonly config: SmtpConfig,
    timeoutMs = 15_000,
  ) {
    this.transporter = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(mail: Parameters<MailTransport['send']>[0]): Promise<{ providerMessageId: string | null }> {
    const info = await this.transporter.sendMail({
      from: this.config.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      attachments: mail.attachments?.map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.contentType,
      })),
    });
    const rejected = (info.rejected ?? []).length > 0;
    if (rejected) throw new Error(`mail server rejected ${mail.to}`);
    return { providerMessageId: typeof info.messageId === 'string' ? info.messageId : null };
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
