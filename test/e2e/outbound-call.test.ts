/**
 * Acceptance (issue #4, CC-01, CC-08) with real SIP peers: an agent clicks to dial a customer; the
 * agent's phone rings first, then the customer is called through the SIP trunk as an E.164 number
 * with the hotline as caller ID; both are bridged and recorded, the CDR is an answered outbound
 * call with the customer attached, and the agent goes to wrap-up afterwards. Dial restrictions
 * refuse premium-rate and foreign numbers for agents before any leg is created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDesk } from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let trunkPort: number;

beforeAll(async () => {
  trunkPort = await freeSipPort(2000);
  sut = await startSystemUnderTest({ SIP_TRUNK: `127.0.0.1:${trunkPort}` });
});
afterAll(async () => {
  await sut?.stop();
});

interface Cdr {
  callId: string;
  direction: string;
  caller: string;
  dnis: string;
  agent: string | null;
  customerId: string | null;
  disposition: string;
  answeredAt: string | null;
  recordingUrl: string | null;
  hangupBy: string | null;
}

describe('click-to-dial', () => {
  it('rings the agent, then the customer through the trunk, and records an outbound CDR', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const agentPort = trunkPort + 4;
    await sippRegister(target, agentPort, '1002', 'demo1234');
    const desk = await agentDesk(sut, '1002');
    await desk.api.json('PUT', '/api/agent/state', { state: 'not_ready', reason: 'meeting' });

    const customer = runSipp({
      scenario: 'trunk-customer-answers.xml',
      target,
      localPort: trunkPort,
      mediaPort: trunkPort + 1000,
    });
    const phone = runSipp({
      scenario: 'agent-hangs-up.xml',
      target,
      localPort: agentPort,
      mediaPort: agentPort + 1000,
      vars: { talk_ms: 3000 },
    });
    const placed = await desk.api.json<{ callId: string; number: string; callerId: string }>(
      'POST',
      '/api/agent/calls',
      { number: '138-0000-0001' },
    );
    expect(placed).toMatchObject({ number: '+8613800000001', callerId: '4008001000' });
    // Busy for the ACD from the click on.
    expect((await desk.api.json<{ state: string }>('GET', '/api/agent/state')).state).toBe('on_call');
    expect((await desk.api.request('POST', '/api/agent/calls', { number: '13800000002' })).status).toBe(409);

    const [c, p] = await Promise.all([customer.done, phone.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(p.code, p.output.slice(-2000)).toBe(0);

    const sup = new ApiClient(sut.baseUrl);
    await sup.login('supervisor');
    let cdr: Cdr | undefined;
    await expect
      .poll(async () => {
        cdr = (await sup.json<Cdr[]>('GET', '/api/cdrs?limit=5')).find((x) => x.callId === placed.callId);
        return cdr?.disposition;
      })
      .toBe('answered');
    expect(cdr).toMatchObject({
      direction: 'outbound',
      caller: '4008001000',
      dnis: '+8613800000001',
      agent: '1002',
      hangupBy: 'agent',
    });
    expect(cdr!.customerId).toMatch(/^cus_/);
    expect(cdr!.recordingUrl).toBeTruthy();
    const offered = desk.events.find((e) => e.type === 'call.offered');
    expect(offered?.data).toMatchObject({
      callId: placed.callId,
      direction: 'outbound',
      customer: { name: '华东电子商贸有限公司' },
    });
    expect(desk.events.some((e) => e.type === 'call.answered' && e.data.callId === placed.callId)).toBe(true);
    await expect
      .poll(async () => (await desk.api.json<{ state: string }>('GET', '/api/agent/state')).state)
      .toBe('after_call_work');

    desk.ws.close();
    await sippRegister(target, agentPort, '1002', 'demo1234', 0);
  }, 120_000);

  it('refuses numbers the dial policy does not allow, and bad input, before dialling', async () => {
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1003');
    const premium = await agent.request('POST', '/api/agent/calls', { number: '0900-1234567' });
    expect(premium.status).toBe(403);
    const premium168 = await agent.request('POST', '/api/agent/calls', { number: '16812345678' });
    expect(premium168.status).toBe(403);
    const foreign = await agent.request('POST', '/api/agent/calls', { number: '+1 212 555 0100' });
    expect(foreign.status).toBe(403);
    const bad = await agent.request('POST', '/api/agent/calls', { number: '12345' });
    expect(bad.status).toBe(400);
    const badCid = await agent.request('POST', '/api/agent/calls', {
      number: '13800000001',
      callerId: '95555',
    });
    expect(badCid.status).toBe(400);
    // A valid request from an agent whose phone is not registered.
    expect((await agent.request('POST', '/api/agent/calls', { number: '13800000001' })).status).toBe(409);

    const admin = new ApiClient(sut.baseUrl);
    await admin.login('admin');
    const policy = await admin.json<{ allowed: { agent: string[] } }>('PUT', '/api/telephony/dial-policy', {
      allowed: { agent: ['+86', '+1'], supervisor: ['+86'], admin: ['+'] },
      blocked: ['0900'],
    });
    expect(policy).toMatchObject({ allowed: { agent: ['+86', '+1'] }, blocked: ['+86900'] });
    const sup = new ApiClient(sut.baseUrl);
    await sup.login('supervisor');
    expect((await sup.request('PUT', '/api/telephony/dial-policy', policy)).status).toBe(403);
    // Allowed by policy now, so the next refusal is about the phone, not the number.
    expect((await agent.request('POST', '/api/agent/calls', { number: '+1 212 555 0100' })).status).toBe(409);
  });
});
