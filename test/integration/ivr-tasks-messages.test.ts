/**
 * The IVR's sms/email/fax verbs through the messaging interface (issue #5), against a real SMTP
 * server and SMSC and the real database: "customer" resolves to the identified customer's e-mail
 * on file, "caller" to the calling number; what was sent is logged and lands on the timeline; a
 * recipient the call does not have fails the node (its onFailure branch).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IvrServices } from '../../src/calls/ivr-services.ts';
import { IvrTasks, type IvrCallFacts } from '../../src/calls/ivr-tasks.ts';
import { CustomerService } from '../../src/crm/index.ts';
import { TimelineService } from '../../src/crm/timeline/index.ts';
import { loadMessagingConfig, MessagingService } from '../../src/messaging/index.ts';
import { newId, tables } from '../../src/store/index.ts';
import type { CallLeg } from '../../src/telephony/call-leg.ts';
import { dbTargets } from '../support/databases.ts';
import { startTestSmsc, type TestSmsc } from '../support/test-smsc.ts';
import { startTestSmtp, type TestSmtp } from '../support/test-smtp.ts';

const quiet = { info: () => undefined, warn: () => undefined };
const noPlayback = { playPrompts: async () => 'finished' as const };

describe.each(dbTargets())('IVR message verbs on $name', (target) => {
  let db: Awaited<ReturnType<typeof target.open>>;
  let smtp: TestSmtp;
  let smsc: TestSmsc;
  let messaging: MessagingService;
  let timeline: TimelineService;
  let services: IvrServices;
  let customerId: string;
  const dir = mkdtempSync(join(tmpdir(), 'sy-ivr-tasks-'));

  beforeAll(async () => {
    db = await target.open();
    smtp = await startTestSmtp();
    smsc = await startTestSmsc();
    timeline = new TimelineService(db.db);
    messaging = MessagingService.fromConfig(
      db.db,
      loadMessagingConfig({ SMTP_URL: smtp.url, SMPP_URL: smsc.url, FAX_GATEWAY_DOMAIN: 'fax.example.cn' }),
      {
        onSent: async (m) => {
          await timeline.append({ customerId: m.customerId, kind: 'message', refId: m.id, title: m.channel });
        },
      },
    );
    services = new IvrServices({
      db: db.db,
      messaging,
      timeline,
      recordingsDir: dir,
      createCallbackTask: async () => ({ id: 'wki_unused' }),
      log: quiet,
    });
    const customer = await new CustomerService(db.db).create({
      name: '顺达物流有限公司',
      contacts: [{ name: '王经理', phones: ['13800000009'] }],
    });
    customerId = customer.id;
    const [contact] = await db.db
      .select({ id: tables.contacts.id })
      .from(tables.contacts)
      .where(eq(tables.contacts.customerId, customerId));
    await db.db.insert(tables.contactEmails).values({
      id: newId('eml'),
      contactId: contact!.id,
      customerId,
      email: 'wang@shunda.example.cn',
      emailLower: 'wang@shunda.example.cn',
    });
  });
  afterAll(async () => {
    await messaging.close();
    await smtp.close();
    await smsc.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  // Message verbs never touch the call's audio, so the leg and the tap are never used.
  const tasksFor = (facts: IvrCallFacts) =>
    new IvrTasks(
      services,
      {} as CallLeg,
      () => facts,
      async () => async () => undefined,
    );
  const known: IvrCallFacts = {
    callId: 'call-1',
    caller: '13800000009',
    callerE164: '+8613800000009',
    customerId: '',
  };

  it('e-mails the identified customer at the address on file, logged and on the timeline', async () => {
    const tasks = tasksFor({ ...known, customerId });
    const result = await tasks.run(
      { verb: 'email', to: 'customer', subject: '签收回单', text: '运单SF1001已签收。' },
      noPlayback,
    );
    expect(result).toEqual({ ok: true });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelopeTo).toEqual(['wang@shunda.example.cn']);
    expect(mail!.mail.subject).toBe('签收回单');
    const page = await timeline.list(customerId, { limit: 10, offset: 0 });
    expect(page.items.map((i) => i.kind)).toEqual(['message']);
    const [logged] = await db.db.select().from(tables.messages).where(eq(tables.messages.callId, 'call-1'));
    expect(logged).toMatchObject({ channel: 'email', status: 'sent', customerId });
  });

  it('texts the calling number, and faxes a literal number through the gateway', async () => {
    const tasks = tasksFor({ ...known, customerId });
    expect(
      await tasks.run({ verb: 'sms', to: 'caller', subject: null, text: 'SF1001 delivered' }, noPlayback),
    ).toEqual({
      ok: true,
    });
    expect((await smsc.waitFor(1))[0]).toMatchObject({ to: '8613800000009', text: 'SF1001 delivered' });
    expect(
      await tasks.run({ verb: 'fax', to: '010-6552 8888', subject: 'POD', text: '回单' }, noPlayback),
    ).toEqual({
      ok: true,
    });
    expect((await smtp.waitFor(1))[0]!.envelopeTo).toEqual(['861065528888@fax.example.cn']);
  });

  it('fails the node when an unknown caller asks for the customer’s e-mail', async () => {
    const tasks = tasksFor({
      callId: 'call-2',
      caller: '13999999999',
      callerE164: '+8613999999999',
      customerId: null,
    });
    expect(await tasks.run({ verb: 'email', to: 'customer', subject: 's', text: 't' }, noPlayback)).toEqual({
      ok: false,
    });
  });
});
