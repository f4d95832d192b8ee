import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMessagingConfig, MessagingService } from '../../src/messaging/index.ts';
import { dbTargets } from '../support/databases.ts';
import { startTestSmsc, type TestSmsc } from '../support/test-smsc.ts';
import { startTestSmtp, type TestSmtp } from '../support/test-smtp.ts';

describe.each(dbTargets())('messaging on $name', (target) => {
  let db: Awaited<ReturnType<typeof target.open>>;
  let smsc: TestSmsc;
  let smtp: TestSmtp;
  let messaging: MessagingService;
  const sentFor: string[] = [];

  beforeAll(async () => {
    db = await target.open();
    smsc = await startTestSmsc();
    smtp = await startTestSmtp({ rejectRecipient: /^nobody@/ });
    const config = loadMessagingConfig({
      SMPP_URL: smsc.url,
      SMPP_SOURCE_ADDR: '95338',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'service@switchyard.test',
      FAX_GATEWAY_DOMAIN: 'fax.switchyard.test',
    });
    messaging = MessagingService.fromConfig(db.db, config, {
      onSent: (m) => void sentFor.push(m.customerId),
    });
  });
  afterAll(async () => {
    await messaging.close();
    await smsc.close();
    await smtp.close();
    await db.drop();
  });

  it('delivers a Chinese SMS to the SMSC as UCS-2 and logs it sent with the SMSC id', async () => {
    const result = await messaging.sendSms({
      to: '138 0000 0001',
      text: '您的运单SF1001已签收。',
      callId: 'cdr_1',
    });
    expect(result).toMatchObject({
      status: 'sent',
      error: null,
      providerMessageId: expect.stringMatching(/^smsc-/),
    });
    const [sms] = await smsc.waitFor(1);
    expect(sms).toMatchObject({
      to: '8613800000001',
      from: '95338',
      text: '您的运单SF1001已签收。',
      dataCoding: 8,
    });
    const row = await messaging.messages.get(result.id);
    expect(row).toMatchObject({
      channel: 'sms',
      recipient: '+8613800000001',
      status: 'sent',
      callId: 'cdr_1',
    });
    expect(row?.sentAt).toBeInstanceOf(Date);
  });

  it('splits a long Chinese SMS into concatenated parts the SMSC reassembles', async () => {
    const text = '尊敬的客户，您的包裹正在派送途中，'.repeat(6);
    const result = await messaging.sendSms({ to: '+8613800000002', text });
    const ascii = await messaging.sendSms({ to: '13800000003', text: 'Mail us: help@switchyard.test' });
    expect(ascii.status).toBe('sent');
    expect(result.status).toBe('sent');
    const [sms, plain] = await smsc.waitFor(2);
    expect(sms!.parts).toBeGreaterThan(1);
    expect(sms!.text).toBe(text);
    expect(plain).toMatchObject({ text: 'Mail us: help@switchyard.test', dataCoding: 1, parts: 1 });
  });

  it('sends an e-mail through the SMTP server and tells the timeline listener about the customer', async () => {
    const result = await messaging.sendEmail({
      to: 'wang@example.com',
      subject: '运单状态',
      text: '运单SF1001：已签收',
      customerId: 'cus_x',
    });
    expect(result.status).toBe('sent');
    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelopeTo).toEqual(['wang@example.com']);
    expect(mail!.mail.subject).toBe('运单状态');
    expect(mail!.mail.text?.trim()).toBe('运单SF1001：已签收');
    expect(mail!.mail.from?.text).toBe('service@switchyard.test');
    expect(sentFor).toContain('cus_x');
  });

  it('faxes a document as an attachment to number@gateway-domain', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% test page\n');
    const result = await messaging.sendFax({
      to: '020-8888 6666',
      text: 'POD for SF1001',
      document: { filename: 'pod.pdf', content: pdf, contentType: 'application/pdf' },
    });
    expect(result.status).toBe('sent');
    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelopeTo).toEqual(['862088886666@fax.switchyard.test']);
    expect(mail!.mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['pod.pdf', 'application/pdf'],
    ]);
    expect(mail!.mail.attachments[0]!.content.equals(pdf)).toBe(true);
  });

  it('logs a message the mail server refuses as failed with its reason', async () => {
    const result = await messaging.sendEmail({ to: 'nobody@example.com', subject: 's', text: 't' });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/550|nobody/);
    expect(await messaging.messages.get(result.id)).toMatchObject({ status: 'failed', error: result.error });
  });

  it('fails clearly on bad recipients and unconfigured channels', async () => {
    expect((await messaging.sendSms({ to: 'abc', text: 'x' })).error).toMatch(/not a phone number/);
    expect((await messaging.sendEmail({ to: 'no-at-sign', subject: 's', text: 'x' })).error).toMatch(
      /not an e-mail address/,
    );
    const bare = MessagingService.fromConfig(db.db, loadMessagingConfig({}));
    const sms = await bare.sendSms({ to: '13800000001', text: 'x' });
    expect(sms).toMatchObject({ status: 'failed', error: expect.stringContaining('SMPP_URL') });
    expect((await bare.sendEmail({ to: 'a@b.cn', subject: 's', text: 'x' })).error).toContain('SMTP_URL');
    expect((await bare.sendFax({ to: '02088886666', text: 'x' })).error).toContain('FAX_GATEWAY_DOMAIN');
    expect(await bare.messages.get(sms.id)).toMatchObject({ status: 'failed', recipient: '+8613800000001' });
  });

  it('binds again after the SMSC dropped the session', async () => {
    expect((await messaging.sendSms({ to: '13800000004', text: 'before' })).status).toBe('sent');
    smsc.dropSessions();
    await new Promise((r) => setTimeout(r, 100));
    expect((await messaging.sendSms({ to: '13800000004', text: 'after' })).status).toBe('sent');
    expect((await smsc.waitFor(2)).map((m) => m.text)).toEqual(['before', 'after']);
  });

  it('fails an SMS whose SMSC refuses the bind, naming the reason', async () => {
    const wrong = MessagingService.fromConfig(
      db.db,
      loadMessagingConfig({ SMPP_URL: `smpp://switchyard:wrong@127.0.0.1:${smsc.port}` }),
    );
    const r = await wrong.sendSms({ to: '13800000001', text: 'x' });
    await wrong.close();
    expect(r).toMatchObject({ status: 'failed', error: expect.stringContaining('bind_transmitter') });
  });
});
