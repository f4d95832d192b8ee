/**
 * Acceptance (issue #3) with real SIP peers: caller-number rules (主叫号码排队, ACD-05) set by a
 * supervisor over the API route live calls — a Beijing landline (area code 010) calling the
 * general hotline is sent to the regional group, a number on a VIP list gets the list's group and
 * the CDR names the rules; after the call the agent extends after-call work, ends it early, and
 * the state report shows the time spent in each state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDesk, answeredCdr } from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let sup: ApiClient;
let ids: Record<string, string>;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  ids = Object.fromEntries(agents.map((a) => [a.extension, a.agentId]));
  await sup.json('POST', '/api/acd/groups', {
    name: 'north',
    displayName: '华北区域组',
    wrapUpSeconds: 20,
    members: [{ agentId: ids['1007'], level: 1 }],
  });
});
afterAll(async () => {
  await sut?.stop();
});

interface RoutedCdr {
  callId: string;
  queue: string | null;
  agent: string | null;
  routing: string[];
}

describe('caller-number rules on live calls', () => {
  it('routes by area code and VIP list, then lets the agent extend and end wrap-up', async () => {
    const rules = await sup.json<{ prefixes: { prefix: string }[]; vipLists: { numbers: string[] }[] }>(
      'PUT',
      '/api/acd/caller-rules',
      {
        prefixes: [{ prefix: '010', label: '北京', group: 'north' }],
        vipLists: [{ name: '金牌客户', numbers: ['139 0000 0009'], priority: 5, group: 'north' }],
      },
    );
    expect(rules.prefixes[0]?.prefix).toBe('+8610');
    expect(rules.vipLists[0]?.numbers).toEqual(['+8613900000009']);

    const target = `127.0.0.1:${sut.sipPort}`;
    const p7 = await freeSipPort();
    const pCaller = p7 + 4;
    await sippRegister(target, p7, '1007', 'demo1234');
    const desk = await agentDesk(sut, '1007');
    await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });

    const callOnce = async (caller: string) => {
      const agent = runSipp({
        scenario: 'agent-answer.xml',
        target,
        localPort: p7,
        mediaPort: p7 + 1000,
        vars: { answer_delay: 300 },
      });
      const call = runSipp({
        scenario: 'caller-dtmf.xml',
        target,
        localPort: pCaller,
        mediaPort: pCaller + 1100,
        service: '4008001000',
        vars: { caller, bridge_wait_ms: 2000, talk_ms: 1000 },
      });
      const [c, a] = await Promise.all([call.done, agent.done]);
      expect(c.code, c.output.slice(-2000)).toBe(0);
      expect(a.code, a.output.slice(-2000)).toBe(0);
    };

    // 1. A Beijing landline: only 1007 (north) may take it, nobody in general is ready.
    await callOnce('01065528888');
    const first = (await answeredCdr(sup)) as unknown as RoutedCdr;
    expect(first).toMatchObject({ queue: 'north', agent: '1007', routing: ['prefix:+8610'] });

    // 2. After-call work: extend by 60 s, then end it early.
    await expect
      .poll(async () => (await desk.api.json<{ state: string }>('GET', '/api/agent/state')).state)
      .toBe('after_call_work');
    const before = await desk.api.json<{ wrapUpEndsAt: string }>('GET', '/api/agent/state');
    const extended = await desk.api.json<{ state: string; wrapUpEndsAt: string }>(
      'POST',
      '/api/agent/wrap-up/extend',
      { seconds: 60 },
    );
    expect(Date.parse(extended.wrapUpEndsAt) - Date.parse(before.wrapUpEndsAt)).toBe(60_000);
    await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });
    expect((await desk.api.request('POST', '/api/agent/wrap-up/extend', { seconds: 30 })).status).toBe(409);

    // 3. A VIP mobile as carriers present it (86…), written differently in the list, also goes to north.
    await callOnce('8613900000009');
    const second = (await answeredCdr(sup, first.callId)) as unknown as RoutedCdr;
    expect(second).toMatchObject({ queue: 'north', agent: '1007', routing: ['vip:金牌客户'] });

    // 4. The state report has talk and wrap-up time for 1007 today.
    const report = await sup.json<{
      agents: { extension: string; states: Record<string, number>; loggedInSec: number }[];
    }>('GET', '/api/acd/agent-states');
    const row = report.agents.find((a) => a.extension === '1007');
    expect(row?.states.on_call).toBeGreaterThanOrEqual(1);
    expect(Object.keys(row?.states ?? {})).toEqual(
      expect.arrayContaining(['ready', 'on_call', 'after_call_work']),
    );
    expect(row?.loggedInSec).toBeGreaterThan(0);

    desk.ws.close();
    await sippRegister(target, p7, '1007', 'demo1234', 0);
  }, 120_000);
});
