/**
 * Acceptance (issue #5, IVR-02 and the IVR metrics): road conditions and branch information by
 * voice on the demo hotline, with real SIPp callers pressing RFC 4733 digits and the real database
 * seeded with the demo data. A caller presses 2 then 1 and hears the road conditions to 成都; one
 * presses 3 then 4 and hears the 成都 branches; one presses a key the menu lacks, then 0 for an
 * agent; one hangs up during the welcome. The CDRs' IVR paths say which branch each call took, and
 * the flow's metrics, computed from those CDRs, count what these calls did.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSipp } from '../support/sipp.ts';
import { freeSipPort } from '../support/ports.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

interface Step {
  node: string;
  verb: string;
  input?: string;
  branch?: string;
  invalid?: number;
}
interface Cdr {
  caller: string;
  queue: string | null;
  endedAt: string | null;
  disposition: string;
  hangupBy: string | null;
  ivrPath: Step[];
}
interface NodeMetrics {
  node: string;
  entries: number;
  exits: number;
  invalid: number;
  queued: number;
  callerHangups: number;
  branches: Record<string, number>;
}
interface Metrics {
  entries: number;
  exits: Record<'queued' | 'transferred' | 'callerHangup' | 'flowHangup', number>;
  invalid: number;
  timeouts: number;
  abandonedAtFirstPrompt: number;
  contained: number;
  containmentRate: number | null;
  nodes: NodeMetrics[];
}

const HOTLINE = '4008001000';
let sut: SystemUnderTest;
let admin: ApiClient;
const startedAt = new Date(Date.now() - 1000).toISOString();

beforeAll(async () => {
  sut = await startSystemUnderTest();
  admin = new ApiClient(sut.baseUrl);
  await admin.login('admin');
});
afterAll(async () => {
  await sut?.stop();
});

async function endedCdrOf(caller: string): Promise<Cdr> {
  let found: Cdr | undefined;
  await expect
    .poll(
      async () => {
        const rows = await admin.json<Cdr[]>('GET', '/api/cdrs?limit=20');
        found = rows.find((c) => c.caller === caller);
        return found?.endedAt ?? null;
      },
      { timeout: 20_000, interval: 200 },
    )
    .not.toBeNull();
  return found!;
}

async function call(caller: string, scenario: string, vars: Record<string, number>): Promise<Cdr> {
  const port = await freeSipPort();
  const run = runSipp({
    scenario,
    target: `127.0.0.1:${sut.sipPort}`,
    localPort: port,
    mediaPort: port + 1100,
    service: HOTLINE,
    vars: { caller, ...vars },
    timeoutSec: 60,
  });
  const result = await run.done;
  expect(result.code, result.output.slice(-3000)).toBe(0);
  return endedCdrOf(caller);
}

const route = (cdr: Cdr) => cdr.ivrPath.map((s) => [s.node, s.branch ?? s.input ?? null]);

describe('road conditions and branches by voice, and the flow metrics of those calls', () => {
  const cdrs: Record<string, Cdr> = {};

  it('reads the road conditions to 成都 after 2, then 1', async () => {
    const cdr = await call('13800000301', 'caller-road-conditions.xml', {
      menu_after_ms: 1500,
      listen_ms: 3000,
    });
    cdrs.road = cdr;
    expect(cdr).toMatchObject({ queue: null, disposition: 'ivr', hangupBy: 'caller' });
    expect(route(cdr).slice(0, 5)).toEqual([
      ['welcome', '2'],
      ['road_menu', '1'],
      ['road_cd', null],
      ['road_find', 'found'],
      ['road_status', null],
    ]);
  }, 60_000);

  it('reads the branches in 成都 after 3, then 4', async () => {
    const cdr = await call('13800000302', 'caller-branches.xml', { menu_after_ms: 1500, listen_ms: 3000 });
    cdrs.branch = cdr;
    expect(cdr).toMatchObject({ queue: null, disposition: 'ivr' });
    expect(route(cdr).slice(0, 5)).toEqual([
      ['welcome', '3'],
      ['branch_menu', '4'],
      ['branch_cd', null],
      ['branch_find', 'found'],
      ['branch_info', null],
    ]);
  }, 60_000);

  it('counts a key the menu lacks on the path, then queues the caller who presses 0', async () => {
    const cdr = await call('13800000303', 'caller-invalid-then-agent.xml', {
      menu_after_ms: 1500,
      listen_ms: 1500,
    });
    cdrs.agent = cdr;
    expect(cdr.queue).toBe('general');
    expect(cdr.ivrPath).toEqual([
      { node: 'welcome', verb: 'menu', input: '70', invalid: 1 },
      { node: 'agent', verb: 'queue' },
    ]);
  }, 60_000);

  it('records a caller who hangs up during the welcome', async () => {
    const port = await freeSipPort();
    const run = runSipp({
      scenario: 'caller-hangup-in-ivr.xml',
      target: `127.0.0.1:${sut.sipPort}`,
      localPort: port,
      mediaPort: port + 1100,
      service: HOTLINE,
      vars: { caller: '13800000304', listen_ms: 1500 },
      timeoutSec: 60,
    });
    expect((await run.done).code).toBe(0);
    const cdr = await endedCdrOf('13800000304');
    cdrs.abandoned = cdr;
    expect(cdr.ivrPath).toEqual([{ node: 'welcome', verb: 'menu' }]);
  }, 60_000);

  it('computes entries, exits, DTMF errors, transfers to agents and containment from those CDRs', async () => {
    const flows = await admin.json<{ id: string; serviceNumbers: string[] }[]>('GET', '/api/ivr/flows');
    const hotline = flows.find((f) => f.serviceNumbers.includes(HOTLINE))!.id;
    const to = new Date(Date.now() + 1000).toISOString();
    const url = `/api/ivr/flows/${hotline}/metrics?from=${startedAt}&to=${to}`;
    const m = await admin.json<Metrics>('GET', url);
    const node = (id: string) => m.nodes.find((n) => n.node === id);

    expect(m.entries).toBe(4);
    expect(m.exits).toEqual({ queued: 1, transferred: 0, callerHangup: 3, flowHangup: 0 });
    expect(m.invalid).toBe(1);
    expect(m.abandonedAtFirstPrompt).toBe(1);
    // Road conditions and branches were served in the IVR; the agent call and the abandon were not.
    expect(m.contained).toBe(2);
    expect(m.containmentRate).toBe(0.5);
    expect(node('welcome')).toMatchObject({ entries: 4, invalid: 1, exits: 1, callerHangups: 1 });
    expect(node('agent')).toMatchObject({ entries: 1, exits: 1, queued: 1 });
    expect(node('road_find')?.branches).toEqual({ found: 1 });
    expect(node('branch_find')?.branches).toEqual({ found: 1 });
    // Each call's exit is the node its path ended at.
    const lastNodes = Object.values(cdrs).map((c) => c.ivrPath[c.ivrPath.length - 1]!.node);
    for (const id of new Set(lastNodes))
      expect(node(id)?.exits).toBe(lastNodes.filter((n) => n === id).length);

    const v1 = await admin.json<Metrics>('GET', `${url}&version=1`);
    expect(v1.entries).toBe(4);
    expect((await admin.json<Metrics>('GET', `${url}&version=2`)).entries).toBe(0);

    const sup = new ApiClient(sut.baseUrl);
    await sup.login('supervisor');
    expect((await sup.request('GET', url)).status).toBe(200);
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1001');
    expect((await agent.request('GET', url)).status).toBe(403);
    const backwards = await admin.request(
      'GET',
      `/api/ivr/flows/${hotline}/metrics?from=${to}&to=${startedAt}`,
    );
    expect(backwards.status).toBe(400);
    expect((await admin.request('GET', `/api/ivr/flows/ivf_nosuch/metrics`)).status).toBe(404);
  }, 30_000);
});
