/**
 * Acceptance (issue #5, "Voicemail and self-service replies"): real SIPp callers on the hotline,
 * whose published flow has a voicemail (key 2) and an SMS status reply (key 1), with a real SMSC
 * (the smpp package's server side) behind SMPP_URL. The demo customer's contact leaves a voicemail:
 * the WAV holds their speech, a callback task waits in the group, the customer's timeline shows
 * the voicemail and the IVR session, and the audio is served to a supervisor but not to an agent
 * without the task. Asking for an SMS lands the text at the SMSC, logged as sent. Key 3 transfers
 * the caller to extension 1001 (a SIPp phone), which answers: the CDR is answered.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../../src/store/index.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';
import { startTestSmsc, type TestSmsc } from '../support/test-smsc.ts';
import { analyzeWav } from '../support/wav-analysis.ts';

const HOTLINE = '4008001000';
/** 华东电子商贸有限公司's contact 王建国 (demo seed). */
const CUSTOMER_PHONE = '13800000001';

interface TimelineItem {
  kind: string;
  refId: string | null;
  title: string;
  detail: Record<string, unknown>;
}

const selfService = {
  name: '自助服务热线',
  start: 'welcome',
  nodes: {
    welcome: {
      verb: 'menu',
      prompt: [{ tts: '短信查询请按1，留言请按2。' }],
      choices: { '1': 'sms', '2': 'leave', '3': 'front' },
      timeoutSec: 10,
    },
    sms: {
      verb: 'sms',
      to: 'caller',
      text: '您好，来电号码{caller}的运单状态：运输中。',
      next: 'sent',
      onFailure: 'bye',
    },
    // The caller hangs up while this waits (an IVR hangup would race the scenario's BYE).
    sent: {
      verb: 'menu',
      prompt: [{ tts: '短信已发送。返回请按0。' }],
      choices: { '0': 'welcome' },
      timeoutSec: 30,
    },
    leave: { verb: 'voicemail', beep: true, maxSeconds: 30, group: 'general', next: 'bye' },
    front: { verb: 'transfer', kind: 'extension', target: '1001', onFailure: 'bye' },
    bye: { verb: 'hangup' },
  },
};

interface CdrRow {
  caller: string;
  disposition: string;
  answeredAt: string | null;
  endedAt: string | null;
  ivrPath: { node: string; verb: string; input?: string; branch?: string }[];
}

let sut: SystemUnderTest;
let smsc: TestSmsc;
let admin: ApiClient;

beforeAll(async () => {
  smsc = await startTestSmsc();
  sut = await startSystemUnderTest({ SMPP_URL: smsc.url, SMPP_SOURCE_ADDR: '95338' });
  admin = new ApiClient(sut.baseUrl);
  await admin.login('admin');
  const flows = await admin.json<{ id: string; serviceNumbers: string[] }[]>('GET', '/api/ivr/flows');
  const hotline = flows.find((f) => f.serviceNumbers.includes(HOTLINE))!;
  const v = await admin.json<{ version: number }>('POST', '/api/ivr/flows', {
    id: hotline.id,
    document: selfService,
  });
  await admin.json('POST', `/api/ivr/flows/${hotline.id}/publish`, { version: v.version });
}, 60_000);
afterAll(async () => {
  await sut?.stop();
  await smsc?.close();
});

async function call(scenario: string, vars: Record<string, string | number>, port?: number): Promise<void> {
  port ??= await freeSipPort();
  const run = runSipp({
    scenario,
    target: `127.0.0.1:${sut.sipPort}`,
    localPort: port,
    mediaPort: port + 1100,
    service: HOTLINE,
    vars: { caller: CUSTOMER_PHONE, ...vars },
    timeoutSec: 60,
  });
  const result = await run.done;
  expect(result.code, result.output.slice(-3000)).toBe(0);
}

async function customerId(): Promise<string> {
  const found = await admin.json<{ id: string }[]>('GET', `/api/customers?phone=${CUSTOMER_PHONE}`);
  return found[0]!.id;
}

async function timeline(id: string): Promise<TimelineItem[]> {
  return (await admin.json<{ items: TimelineItem[] }>('GET', `/api/customers/${id}/timeline`)).items;
}

describe('voicemail and self-service replies (issue #5)', () => {
  it('records a voicemail with the caller’s speech, a callback task and timeline items', async () => {
    await call('caller-leaves-voicemail.xml', { record_after_ms: 2500 });
    const cus = await customerId();
    let items: TimelineItem[] = [];
    await expect
      .poll(
        async () => {
          items = await timeline(cus);
          return items.map((i) => i.kind).sort();
        },
        { timeout: 15_000, interval: 200 },
      )
      .toEqual(['ivr_session', 'voicemail']);
    const vm = items.find((i) => i.kind === 'voicemail')!;
    expect(vm.refId).toMatch(/^vm_/);
    const session = items.find((i) => i.kind === 'ivr_session')!;
    // The caller hung up while recording: the flow never went past the voicemail node.
    expect(session.detail.path).toEqual([
      { node: 'welcome', verb: 'menu', input: '2' },
      { node: 'leave', verb: 'voicemail' },
    ]);

    const [row] = await sut.system.database.db.select().from(tables.voicemails);
    expect(row).toMatchObject({ id: vm.refId, customerId: cus, queue: 'general', caller: '+8613800000001' });
    const wav = analyzeWav(join(sut.dataDir, 'recordings', row!.file));
    expect(wav).toMatchObject({ channels: 1, sampleRate: 8000 });
    expect(wav.durationSec).toBeGreaterThan(4);
    expect(wav.activeShare[0]).toBeGreaterThan(0.3); // g711a.pcap is speech, not silence

    const tasks = await admin.json<{
      items: { id: string; channel: string; queue: string; customerId: string | null }[];
    }>('GET', '/api/work-items');
    expect(tasks.items.find((t) => t.id === row!.workItemId)).toMatchObject({
      channel: 'task',
      queue: 'general',
      customerId: cus,
    });

    const sup = new ApiClient(sut.baseUrl);
    await sup.login('supervisor');
    const audio = await sup.request('GET', `/api/voicemails/${row!.id}/audio`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(44 + 8000 * 2 * 4);
    const listed = await sup.json<{ id: string; audioUrl: string }[]>(
      'GET',
      `/api/voicemails?workItemId=${row!.workItemId}`,
    );
    expect(listed).toEqual([
      expect.objectContaining({ id: row!.id, audioUrl: `/api/voicemails/${row!.id}/audio` }),
    ]);
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1002');
    expect(await agent.json('GET', '/api/voicemails')).toEqual([]);
    expect((await agent.request('GET', `/api/voicemails/${row!.id}/audio`)).status).toBe(404);
    expect((await new ApiClient(sut.baseUrl).request('GET', `/api/voicemails/${row!.id}/audio`)).status).toBe(
      401,
    );
  }, 90_000);

  it('sends the status by SMS to the caller through the SMSC, logged as sent', async () => {
    await call('caller-asks-sms.xml', { listen_ms: 3000 });
    const [sms] = await smsc.waitFor(1, 15_000);
    expect(sms).toMatchObject({
      to: '8613800000001',
      from: '95338',
      text: '您好，来电号码13800000001的运单状态：运输中。',
      dataCoding: 8,
    });
    const logged = await sut.system.database.db.select().from(tables.messages);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ channel: 'sms', recipient: '+8613800000001', status: 'sent' });
    const sup = new ApiClient(sut.baseUrl);
    await sup.login('supervisor');
    const log = await sup.json<{
      total: number;
      items: { id: string; status: string; callId: string | null }[];
    }>('GET', '/api/messages?channel=sms');
    expect(log).toMatchObject({ total: 1, items: [{ id: logged[0]!.id, status: 'sent' }] });
    expect(log.items[0]!.callId).toBeTruthy();
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1003');
    expect((await agent.request('GET', '/api/messages')).status).toBe(403);
    await expect
      .poll(async () => (await timeline(await customerId())).filter((i) => i.kind === 'message').length, {
        timeout: 10_000,
      })
      .toBe(1);
  }, 90_000);

  it('transfers the caller to an extension, which answers and talks with them', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const phonePort = await freeSipPort();
    await sippRegister(target, phonePort, '1001', 'demo1234');
    const phone = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: phonePort,
      mediaPort: phonePort + 1000,
      vars: { answer_delay: 500 },
      timeoutSec: 60,
    });
    await call('caller-asks-transfer.xml', { caller: '13800000301', listen_ms: 5000 }, phonePort + 2);
    const phoneResult = await phone.done;
    expect(phoneResult.code, phoneResult.output.slice(-3000)).toBe(0);
    let cdr: CdrRow | undefined;
    await expect
      .poll(
        async () => {
          cdr = (await admin.json<CdrRow[]>('GET', '/api/cdrs?limit=20')).find(
            (r) => r.caller === '13800000301',
          );
          return cdr?.endedAt ?? null;
        },
        { timeout: 15_000, interval: 200 },
      )
      .not.toBeNull();
    expect(cdr).toMatchObject({ disposition: 'answered', answeredAt: expect.any(String) });
    expect(cdr!.ivrPath).toEqual([
      { node: 'welcome', verb: 'menu', input: '3' },
      { node: 'front', verb: 'transfer', branch: 'ok' },
    ]);
  }, 90_000);
});
