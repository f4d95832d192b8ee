/**
 * Acceptance (issue #5, IVR-05): flows are loaded without a restart. A caller sits in the hotline
 * menu of version 1 while version 2 — where 0 says goodbye and hangs up instead of queueing — is
 * published; a second caller arrives after the publish. Real SIPp callers press 0 as RFC 4733
 * events. The live call still queues (version 1), the new call is hung up by the IVR (version 2),
 * and publishing version 1 again (rollback) makes 0 queue the next call once more. The CDRs'
 * IVR paths and dispositions say which version each call ran. A business-hours node (IVR-06)
 * follows the ACD holiday calendar on a live call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSipp } from '../support/sipp.ts';
import { freeSipPort } from '../support/ports.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

interface Cdr {
  callId: string;
  caller: string;
  queue: string | null;
  ivrAt: string | null;
  queuedAt: string | null;
  endedAt: string | null;
  disposition: string;
  hangupBy: string | null;
  ivrPath: { node: string; verb: string; input?: string; branch?: string }[];
}
interface FlowSummary {
  id: string;
  publishedVersion: number | null;
  latestVersion: number;
  serviceNumbers: string[];
}
interface FlowDetail extends FlowSummary {
  versions: { version: number; document: { nodes: Record<string, Record<string, unknown>> } }[];
}

const HOTLINE = '4008001000';
let sut: SystemUnderTest;
let admin: ApiClient;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  admin = new ApiClient(sut.baseUrl);
  await admin.login('admin');
});
afterAll(async () => {
  await sut?.stop();
});

/** The newest CDR of `caller` once `ready` holds for it. */
async function cdrOf(caller: string, ready: (c: Cdr) => boolean, timeout = 20_000): Promise<Cdr> {
  let found: Cdr | undefined;
  await expect
    .poll(
      async () => {
        const rows = await admin.json<Cdr[]>('GET', '/api/cdrs?limit=20');
        found = rows.find((c) => c.caller === caller);
        return found !== undefined && ready(found);
      },
      { timeout, interval: 200 },
    )
    .toBe(true);
  return found!;
}

/** A caller who waits in the menu, presses 0 after `dtmfAfterMs`, and hangs up `holdMs` later. */
function lateCaller(port: number, caller: string, dtmfAfterMs: number, holdMs: number) {
  return runSipp({
    scenario: 'caller-menu-late-dtmf.xml',
    target: `127.0.0.1:${sut.sipPort}`,
    localPort: port,
    mediaPort: port + 1100,
    service: HOTLINE,
    vars: { caller, dtmf_after_ms: dtmfAfterMs, hold_ms: holdMs },
    timeoutSec: 60,
  });
}

describe('IVR flow hot reload', () => {
  it('keeps a live call on the version it started with; the next call runs the published one; rollback works', async () => {
    const [hotline] = (await admin.json<FlowSummary[]>('GET', '/api/ivr/flows')).filter((f) =>
      f.serviceNumbers.includes(HOTLINE),
    );
    expect(hotline).toMatchObject({ publishedVersion: 1, latestVersion: 1 });
    const detail = await admin.json<FlowDetail>('GET', `/api/ivr/flows/${hotline!.id}`);
    const v1 = detail.versions.find((v) => v.version === 1)!.document;

    // Version 2, written but not live yet: 0 now leads to a goodbye and a hang-up.
    const v2 = {
      ...v1,
      nodes: {
        ...v1.nodes,
        // The other choices stay (their nodes would be unreachable otherwise); 0 changes.
        welcome: {
          ...v1.nodes.welcome,
          choices: { ...(v1.nodes.welcome!.choices as object), '0': 'closed' },
        },
        closed: { verb: 'hangup', prompt: [{ tts: '本热线暂停人工服务，再见。', lang: 'zh' }] },
      },
    };
    const created = await admin.json<{ version: number }>('POST', '/api/ivr/flows', {
      id: hotline!.id,
      document: v2,
    });
    expect(created.version).toBe(2);

    // Caller A reaches the menu of version 1 and stays there for 7 s before pressing 0.
    const portA = await freeSipPort();
    const callerA = lateCaller(portA, '13800000101', 7000, 2000);
    await cdrOf('13800000101', (c) => c.ivrAt !== null);

    // Version 2 goes live while A is in the menu.
    const published = await admin.json<{ publishedVersion: number; previousVersion: number }>(
      'POST',
      `/api/ivr/flows/${hotline!.id}/publish`,
      {},
    );
    expect(published).toMatchObject({ publishedVersion: 2, previousVersion: 1 });
    const publishedAt = Date.now();

    // Caller B arrives after the publish, presses 0 and waits: version 2 hangs up on them.
    const portB = await freeSipPort();
    const callerB = runSipp({
      scenario: 'caller-waits-for-bye.xml',
      target: `127.0.0.1:${sut.sipPort}`,
      localPort: portB,
      mediaPort: portB + 1100,
      service: HOTLINE,
      vars: { caller: '13800000102' },
      timeoutSec: 60,
    });
    const [a, b] = await Promise.all([callerA.done, callerB.done]);
    expect(b.code, b.output.slice(-3000)).toBe(0);
    expect(a.code, a.output.slice(-3000)).toBe(0);

    // A pressed 0 after version 2 was live, and was still queued as version 1 says.
    const cdrA = await cdrOf('13800000101', (c) => c.endedAt !== null);
    expect(cdrA).toMatchObject({ queue: 'general', disposition: 'abandoned', hangupBy: 'caller' });
    expect(cdrA.ivrPath).toEqual([
      { node: 'welcome', verb: 'menu', input: '0' },
      { node: 'agent', verb: 'queue' },
    ]);
    expect(Date.parse(cdrA.queuedAt!)).toBeGreaterThan(publishedAt);

    // B ran version 2: 0 led to the goodbye and the IVR hung up; never queued.
    const cdrB = await cdrOf('13800000102', (c) => c.endedAt !== null);
    expect(cdrB).toMatchObject({ queue: null, queuedAt: null, disposition: 'ivr', hangupBy: 'system' });
    expect(cdrB.ivrPath).toEqual([
      { node: 'welcome', verb: 'menu', input: '0' },
      { node: 'closed', verb: 'hangup' },
    ]);

    // Rollback: version 1 again, and the next caller's 0 queues.
    const rolledBack = await admin.json<{ publishedVersion: number }>(
      'POST',
      `/api/ivr/flows/${hotline!.id}/publish`,
      { version: 1 },
    );
    expect(rolledBack.publishedVersion).toBe(1);
    const callerC = lateCaller(await freeSipPort(), '13800000103', 1500, 1500);
    const c = await callerC.done;
    expect(c.code, c.output.slice(-3000)).toBe(0);
    const cdrC = await cdrOf('13800000103', (r) => r.endedAt !== null);
    expect(cdrC).toMatchObject({ queue: 'general', disposition: 'abandoned' });
    expect(cdrC.ivrPath.map((s) => s.node)).toEqual(['welcome', 'agent']);
  }, 120_000);

  it('runs a business-hours node against the ACD holiday calendar on a live call (IVR-06)', async () => {
    const [hotline] = (await admin.json<FlowSummary[]>('GET', '/api/ivr/flows')).filter((f) =>
      f.serviceNumbers.includes(HOTLINE),
    );
    const allWeek = { days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' };
    const { version } = await admin.json<{ version: number }>('POST', '/api/ivr/flows', {
      id: hotline!.id,
      name: '营业时间',
      start: 'office',
      nodes: {
        office: { verb: 'hours', windows: [allWeek], open: 'agent', closed: 'closed' },
        agent: { verb: 'queue', group: 'general' },
        closed: { verb: 'hangup', prompt: [{ tts: '今天是公司假日，再见。', lang: 'zh' }] },
      },
    });
    await admin.json('POST', `/api/ivr/flows/${hotline!.id}/publish`, { version });

    // Open around the clock, except on a holiday: make today one (Asia/Shanghai).
    while (new Date().toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai' }).startsWith('23:59'))
      await new Promise((r) => setTimeout(r, 1000));
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await admin.json('PUT', '/api/acd/holidays', [{ date: today, name: '公司假日' }]);
    const portD = await freeSipPort();
    const holiday = runSipp({
      scenario: 'caller-waits-for-bye.xml',
      target: `127.0.0.1:${sut.sipPort}`,
      localPort: portD,
      mediaPort: portD + 1100,
      service: HOTLINE,
      vars: { caller: '13800000104' },
      timeoutSec: 60,
    });
    const d = await holiday.done;
    expect(d.code, d.output.slice(-3000)).toBe(0);
    const cdrD = await cdrOf('13800000104', (r) => r.endedAt !== null);
    expect(cdrD).toMatchObject({ disposition: 'ivr', queue: null });
    expect(cdrD.ivrPath).toEqual([
      { node: 'office', verb: 'hours', branch: 'closed' },
      { node: 'closed', verb: 'hangup' },
    ]);

    // Holiday over: the same flow is open and queues the caller.
    await admin.json('PUT', '/api/acd/holidays', []);
    const open = lateCaller(await freeSipPort(), '13800000105', 1000, 1500);
    const e = await open.done;
    expect(e.code, e.output.slice(-3000)).toBe(0);
    const cdrE = await cdrOf('13800000105', (r) => r.endedAt !== null);
    expect(cdrE).toMatchObject({ queue: 'general', disposition: 'abandoned' });
    expect(cdrE.ivrPath).toEqual([
      { node: 'office', verb: 'hours', branch: 'open' },
      { node: 'agent', verb: 'queue' },
    ]);
  }, 90_000);
});
