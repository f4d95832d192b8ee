/**
 * Acceptance (issue #3) with real SIP peers: a call to the VIP line waits in the "vip" group, which
 * has nobody ready, and overflows to "general" after 3 s (ACD-04); the same caller calling again is
 * offered first to the agent who served them (sticky agent, CC-13) although another agent has been
 * idle longer. Asserted through CDRs and CTI events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIP_LINE, agentDesk, answeredCdr, installVipLine } from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let sup: ApiClient;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  await installVipLine(sut);
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  await sup.json('POST', '/api/acd/groups', {
    name: 'vip',
    displayName: '大客户组',
    overflow: [{ when: 'wait_exceeds', threshold: 3, to: 'general' }],
    members: [{ agentId: agents.find((a) => a.extension === '1001')!.agentId, level: 1 }],
  });
});
afterAll(async () => {
  await sut?.stop();
});

describe('ACD routing with real calls', () => {
  it('overflows from a group with nobody ready after 3 s, then sticks the repeat caller to the same agent', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const p1001 = await freeSipPort();
    const p1002 = p1001 + 4;
    const pCaller = p1001 + 8;
    await sippRegister(target, p1001, '1001', 'demo1234');
    await sippRegister(target, p1002, '1002', 'demo1234');
    const d1001 = await agentDesk(sut, '1001');
    const d1002 = await agentDesk(sut, '1002');

    // 1. VIP line: 1001 (the only vip member) is not ready; 1002 serves general.
    await d1002.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const agent2 = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: p1002,
      mediaPort: p1002 + 1000,
      vars: { answer_delay: 300 },
    });
    const call1 = runSipp({
      scenario: 'caller-dtmf.xml',
      target,
      localPort: pCaller,
      mediaPort: pCaller + 1100,
      service: VIP_LINE,
      vars: { caller: '13500000005', bridge_wait_ms: 6000, talk_ms: 1000 },
    });
    const [c1, a2] = await Promise.all([call1.done, agent2.done]);
    expect(c1.code, c1.output.slice(-2000)).toBe(0);
    expect(a2.code, a2.output.slice(-2000)).toBe(0);
    const first = await answeredCdr(sup);
    expect(first).toMatchObject({ dnis: VIP_LINE, queue: 'general', agent: '1002' });
    expect(d1002.events.find((e) => e.type === 'call.offered')?.data).toMatchObject({
      queue: 'general',
      customer: { name: '杭州丝路服饰有限公司' },
    });

    // 2. Same caller on the hotline: 1001 has been ready longer, but 1002 served this caller.
    await d1001.api.json('PUT', '/api/agent/state', { state: 'ready' });
    await new Promise((r) => setTimeout(r, 300));
    await d1002.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const agent1 = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: p1001,
      mediaPort: p1001 + 1000,
      vars: { answer_delay: 300 },
      timeoutSec: 25,
    });
    const agent2b = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: p1002,
      mediaPort: p1002 + 1000,
      vars: { answer_delay: 300 },
    });
    const call2 = runSipp({
      scenario: 'caller-dtmf.xml',
      target,
      localPort: pCaller,
      mediaPort: pCaller + 1100,
      service: '4008001000',
      vars: { caller: '13500000005', bridge_wait_ms: 1500, talk_ms: 1000 },
    });
    const [c2, b2] = await Promise.all([call2.done, agent2b.done]);
    expect(c2.code, c2.output.slice(-2000)).toBe(0);
    expect(b2.code, b2.output.slice(-2000)).toBe(0);
    agent1.kill();
    const second = await answeredCdr(sup);
    expect(second.callId).not.toBe(first.callId);
    expect(second).toMatchObject({ queue: 'general', agent: '1002' });
    expect(d1001.events.some((e) => e.type === 'call.offered')).toBe(false);

    d1001.ws.close();
    d1002.ws.close();
    await sippRegister(target, p1001, '1001', 'demo1234', 0);
    await sippRegister(target, p1002, '1002', 'demo1234', 0);
  }, 120_000);

  it('ring_all rings every free agent, the first to answer wins and the other phone is cancelled', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
    const id = (ext: string) => agents.find((a) => a.extension === ext)!.agentId;
    await sup.json('PUT', '/api/acd/groups/vip', {
      displayName: '大客户组',
      strategy: 'ring_all',
      members: [
        { agentId: id('1003'), level: 1 },
        { agentId: id('1004'), level: 1 },
      ],
    });
    const p1003 = await freeSipPort();
    const p1004 = p1003 + 4;
    const pCaller = p1003 + 8;
    await sippRegister(target, p1003, '1003', 'demo1234');
    await sippRegister(target, p1004, '1004', 'demo1234');
    const d1003 = await agentDesk(sut, '1003');
    const d1004 = await agentDesk(sut, '1004');
    await d1003.api.json('PUT', '/api/agent/state', { state: 'ready' });
    await d1004.api.json('PUT', '/api/agent/state', { state: 'ready' });

    const answers = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: p1003,
      mediaPort: p1003 + 1000,
      vars: { answer_delay: 1500 },
    });
    const rings = runSipp({
      scenario: 'agent-rings-only.xml',
      target,
      localPort: p1004,
      mediaPort: p1004 + 1000,
    });
    const call = runSipp({
      scenario: 'caller-dtmf.xml',
      target,
      localPort: pCaller,
      mediaPort: pCaller + 1100,
      service: VIP_LINE,
      vars: { caller: '18600000006', bridge_wait_ms: 2500, talk_ms: 1000 },
    });
    const [c, a, r] = await Promise.all([call.done, answers.done, rings.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a.code, a.output.slice(-2000)).toBe(0);
    expect(r.code, r.output.slice(-2000)).toBe(0);
    expect(await answeredCdr(sup)).toMatchObject({ queue: 'vip', agent: '1003' });
    expect(d1003.events.find((e) => e.type === 'call.offered')?.data).toMatchObject({ queue: 'vip' });
    expect(d1004.events.find((e) => e.type === 'call.offered')?.data).toMatchObject({ queue: 'vip' });
    expect(d1004.events.find((e) => e.type === 'call.ended')?.data).toMatchObject({
      disposition: 'answered_elsewhere',
    });
    // The losing agent was released, not paused for a missed call.
    const state1004 = d1004.events.filter((e) => e.type === 'agent.state').map((e) => e.data.state);
    expect(state1004.slice(-2)).toEqual(['reserved', 'ready']);

    d1003.ws.close();
    d1004.ws.close();
    await sippRegister(target, p1003, '1003', 'demo1234', 0);
    await sippRegister(target, p1004, '1004', 'demo1234', 0);
  }, 120_000);
});
