/**
 * Acceptance (issue #3) with real SIP peers: two skill groups share two agents at opposite levels
 * (ACD-02) — each group's level-1 agent gets its calls even when the other agent has been idle
 * longer; and an agent who lets the phone ring past the group's ring timeout is skipped, the call
 * goes to the next agent, and the first agent hears that the call was missed (ACD-01).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIP_LINE, agentDesk, answeredCdr, installVipLine } from '../support/acd-fixtures.ts';
import { connectCti } from '../support/cti.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let sup: ApiClient;
let ids: Record<string, string>;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  await installVipLine(sut);
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  ids = Object.fromEntries(agents.map((a) => [a.extension, a.agentId]));
});
afterAll(async () => {
  await sut?.stop();
});

function caller(service: string, port: number, number: string) {
  return runSipp({
    scenario: 'caller-dtmf.xml',
    target: `127.0.0.1:${sut.sipPort}`,
    localPort: port,
    mediaPort: port + 1100,
    service,
    vars: { caller: number, bridge_wait_ms: 2000, talk_ms: 1000 },
  });
}

describe('levels and ring timeouts on live calls', () => {
  it('offers each group’s calls to its level-1 agent first, whoever has been idle longer', async () => {
    await sup.json('POST', '/api/acd/groups', {
      name: 'vip',
      displayName: '大客户组',
      members: [
        { agentId: ids['1005'], level: 1 },
        { agentId: ids['1006'], level: 2 },
      ],
    });
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      wrapUpSeconds: 0,
      members: [
        { agentId: ids['1006'], level: 1 },
        { agentId: ids['1005'], level: 2 },
      ],
    });
    const target = `127.0.0.1:${sut.sipPort}`;
    const p5 = await freeSipPort();
    const p6 = p5 + 4;
    await sippRegister(target, p5, '1005', 'demo1234');
    await sippRegister(target, p6, '1006', 'demo1234');
    const d5 = await agentDesk(sut, '1005');
    const d6 = await agentDesk(sut, '1006');

    // VIP: 1006 has been idle longer, but 1005 is level 1 in vip.
    await d6.api.json('PUT', '/api/agent/state', { state: 'ready' });
    await new Promise((r) => setTimeout(r, 300));
    await d5.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const a5 = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: p5,
      mediaPort: p5 + 1000,
      vars: { answer_delay: 300 },
    });
    const a6 = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: p6,
      mediaPort: p6 + 1000,
      vars: { answer_delay: 300 },
    });
    const c1 = await caller(VIP_LINE, p5 + 8, '13700000003').done;
    expect(c1.code, c1.output.slice(-2000)).toBe(0);
    expect((await a5.done).code).toBe(0);
    const vip = await answeredCdr(sup);
    expect(vip).toMatchObject({ queue: 'vip', agent: '1005' });

    // General: now 1005 has been idle longer, but 1006 is level 1 in general.
    await d5.api.json('PUT', '/api/agent/state', { state: 'ready' });
    await new Promise((r) => setTimeout(r, 300));
    await d6.api.json('PUT', '/api/agent/state', { state: 'not_ready', reason: 'meeting' });
    await d6.api.json('PUT', '/api/agent/state', { state: 'ready' });
    // A different caller: the first one would be routed to 1005 again as their sticky agent.
    const c2 = await caller('4008001000', p5 + 8, '13700000099').done;
    expect(c2.code, c2.output.slice(-2000)).toBe(0);
    expect((await a6.done).code).toBe(0);
    expect(await answeredCdr(sup, vip.callId)).toMatchObject({ queue: 'general', agent: '1006' });
    expect(d6.events.filter((e) => e.type === 'call.offered')).toHaveLength(1);

    d5.ws.close();
    d6.ws.close();
    await sippRegister(target, p5, '1005', 'demo1234', 0);
    await sippRegister(target, p6, '1006', 'demo1234', 0);
  }, 120_000);

  it('skips an agent who does not answer within the ring timeout and offers the call to the next', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      ringTimeoutSeconds: 5,
      members: [
        { agentId: ids['1007'], level: 1 },
        { agentId: ids['1008'], level: 1 },
      ],
    });
    const target = `127.0.0.1:${sut.sipPort}`;
    const p7 = await freeSipPort();
    const p8 = p7 + 4;
    await sippRegister(target, p7, '1007', 'demo1234');
    await sippRegister(target, p8, '1008', 'demo1234');
    const d7 = await agentDesk(sut, '1007');
    const d8 = await agentDesk(sut, '1008');
    await d7.api.json('PUT', '/api/agent/state', { state: 'ready' });
    await new Promise((r) => setTimeout(r, 300));
    await d8.api.json('PUT', '/api/agent/state', { state: 'ready' });

    const rings = runSipp({ scenario: 'agent-rings-only.xml', target, localPort: p7, mediaPort: p7 + 1000 });
    const answers = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: p8,
      mediaPort: p8 + 1000,
      vars: { answer_delay: 300 },
    });
    const c = runSipp({
      scenario: 'caller-dtmf.xml',
      target,
      localPort: p7 + 8,
      mediaPort: p7 + 1108,
      service: '4008001000',
      vars: { caller: '13912340000', bridge_wait_ms: 8000, talk_ms: 1000 },
    });
    const [cr, rr, ar] = await Promise.all([c.done, rings.done, answers.done]);
    expect(cr.code, cr.output.slice(-2000)).toBe(0);
    expect(rr.code, rr.output.slice(-2000)).toBe(0);
    expect(ar.code, ar.output.slice(-2000)).toBe(0);
    expect(await answeredCdr(sup)).toMatchObject({ queue: 'general', agent: '1008' });
    expect(d7.events.find((e) => e.type === 'call.ended')?.data).toMatchObject({ disposition: 'missed' });
    // One miss returns the agent to ready; pausing needs repeated misses (engine default: 2).
    expect(
      d7.events
        .filter((e) => e.type === 'agent.state')
        .map((e) => e.data.state)
        .slice(-2),
    ).toEqual(['reserved', 'ready']);

    d7.ws.close();
    d8.ws.close();
    await sippRegister(target, p7, '1007', 'demo1234', 0);
    await sippRegister(target, p8, '1008', 'demo1234', 0);
  }, 120_000);
});

describe('queued callback (ACD-06)', () => {
  let cb: SystemUnderTest;
  let customerPort: number;
  beforeAll(async () => {
    // Far from the ports the system under test picks for itself.
    customerPort = await freeSipPort(2000);
    cb = await startSystemUnderTest({ SIP_TRUNK: `127.0.0.1:${customerPort}` });
  });
  afterAll(async () => {
    await cb?.stop();
  });

  it('keeps the caller’s place after they hang up, rings the agent first, then dials the customer by the trunk', async () => {
    const target = `127.0.0.1:${cb.sipPort}`;
    const agentPort = customerPort + 4;
    await sippRegister(target, agentPort, '1001', 'demo1234');
    const api = new ApiClient(cb.baseUrl);
    await api.login('1001');
    const { ws, events } = await connectCti(api);

    const caller = await runSipp({
      scenario: 'caller-asks-callback.xml',
      target,
      localPort: customerPort + 8,
      mediaPort: customerPort + 1108,
      service: '4008001000',
      vars: { caller: '13800000001' },
    }).done;
    expect(caller.code, caller.output.slice(-2000)).toBe(0);
    const supApi = new ApiClient(cb.baseUrl);
    await supApi.login('supervisor');
    const metrics = await supApi.json<{ groups: { name: string; waiting: number }[] }>(
      'GET',
      '/api/acd/metrics',
    );
    expect(metrics.groups.find((g) => g.name === 'general')?.waiting).toBe(1);

    const customer = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: customerPort,
      mediaPort: customerPort + 1000,
      vars: { answer_delay: 300 },
    });
    const agent = runSipp({
      scenario: 'agent-hangs-up.xml',
      target,
      localPort: agentPort,
      mediaPort: agentPort + 1000,
      vars: { talk_ms: 6000 },
    });
    await api.json('PUT', '/api/agent/state', { state: 'ready' });
    const [a, c] = await Promise.all([agent.done, customer.done]);
    expect(a.code, a.output.slice(-2000)).toBe(0);
    expect(c.code, c.output.slice(-2000)).toBe(0);

    let cdr:
      | {
          disposition: string;
          agent: string;
          callbackRequestedAt: string | null;
          answeredAt: string | null;
          recordingUrl: string | null;
        }
      | undefined;
    await expect
      .poll(async () => {
        cdr = (await supApi.json<NonNullable<typeof cdr>[]>('GET', '/api/cdrs?limit=1'))[0];
        return cdr?.disposition;
      })
      .toBe('answered');
    expect(cdr).toMatchObject({ agent: '1001' });
    expect(cdr!.callbackRequestedAt).toBeTruthy();
    expect(Date.parse(cdr!.answeredAt!)).toBeGreaterThan(Date.parse(cdr!.callbackRequestedAt!));
    expect(cdr!.recordingUrl).toBeTruthy();
    expect(events.find((e) => e.type === 'call.offered')?.data).toMatchObject({
      customer: { name: '华东电子商贸有限公司' },
    });
    ws.close();
    await sippRegister(target, agentPort, '1001', 'demo1234', 0);
  }, 120_000);
});
