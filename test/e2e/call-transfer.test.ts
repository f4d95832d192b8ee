/**
 * Acceptance (issue #4: CC-02, CC-03) with real SIP peers, the real switch and database: an agent
 * blind-transfers a caller to another skill group, whose queue holds the caller until one of its
 * agents is ready and the ACD offers the call (screen pop included); an agent blind-transfers a
 * caller to the hotline's IVR flow, where the caller's 0 (RFC 4733) queues them for a colleague;
 * an agent's phone consults a colleague on a call of its own (an internal call with its own CDR)
 * and hands the customer over with REFER/Replaces (RFC 3891, RFC 5589 §7), and a Replaces naming
 * no call of the phone fails without dropping the customer. Asserted through the REST API, CTI
 * events, agent states and the CDRs' chains and IVR paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentDesk,
  agentPhone,
  connectedCall,
  finishedCdr,
  flowIdOf,
  installDirectLine,
  waitingCaller,
} from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

interface ChainEntry {
  action: string;
  by?: string | null;
  target?: string;
  group?: string;
  flow?: string;
  mode?: string;
  via?: string;
  result?: string;
}
interface Cdr {
  id: string;
  callId: string;
  direction: string;
  caller: string;
  dnis: string;
  queue: string | null;
  agent: string | null;
  agentId: string | null;
  disposition: string;
  hangupBy: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  talkSec: number | null;
  ivrPath: { node: string; verb: string; input?: string; flow?: string }[];
  chain: ChainEntry[];
}
interface LiveCall {
  callId: string;
  agentExtension: string | null;
  parties: { role: string; label: string }[];
}
interface ErrorBody {
  error: { code: string; fields: { field: string }[] };
}

let sut: SystemUnderTest;
let sup: ApiClient;
let ids: Record<string, string>;
let target: string;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  ids = Object.fromEntries(agents.map((a) => [a.extension, a.agentId]));
  target = `127.0.0.1:${sut.sipPort}`;
});
afterAll(async () => {
  await sut?.stop();
});

const cdrOf = (callId: string) => finishedCdr<Cdr>(sup, callId);
const stateOf = async (desk: { api: ApiClient }) =>
  (await desk.api.json<{ state: string }>('GET', '/api/agent/state')).state;
const liveCall = async (callId: string) =>
  (await sup.json<LiveCall[]>('GET', '/api/supervisor/calls')).find((c) => c.callId === callId);

describe('transfer to a skill group (CC-02)', () => {
  it('queues the caller in the target group until its agent is ready, then the ACD offers the call', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [{ agentId: ids['1001'], level: 1 }],
    });
    await sup.json('POST', '/api/acd/groups', {
      name: 'vip',
      displayName: '大客户组',
      wrapUpSeconds: 10,
      members: [{ agentId: ids['1002'], level: 1 }],
    });
    const p1 = await freeSipPort();
    const p2 = p1 + 4;
    const pCaller = p1 + 8;
    await sippRegister(target, p1, '1001', 'demo1234');
    await sippRegister(target, p2, '1002', 'demo1234');
    const d1 = await agentDesk(sut, '1001');
    const d2 = await agentDesk(sut, '1002');
    const phone1 = agentPhone(target, p1);
    const phone2 = agentPhone(target, p2, 'agent-hangs-up.xml', { talk_ms: 1500 });
    const caller = waitingCaller(target, pCaller, '13800000011');
    await d1.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callId = await connectedCall(d1);
    const path = `/api/agent/calls/${encodeURIComponent(callId)}`;

    // An unknown group is a 400 naming the field; a group is a blind-transfer target only.
    const unknown = await d1.api.request('POST', `${path}/transfer`, {
      mode: 'blind',
      target: { group: 'no-such-group' },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).error.fields.map((f) => f.field)).toEqual(['target.group']);
    for (const [verb, body] of [
      ['transfer', { mode: 'attended', target: { group: 'vip' } }],
      ['conference', { target: { group: 'vip' } }],
    ] as const) {
      const res = await d1.api.request('POST', `${path}/${verb}`, body);
      expect(res.status, verb).toBe(400);
      expect(((await res.json()) as ErrorBody).error.fields[0]?.field).toBe('target.group');
    }
    // Only the agent on the call may transfer it.
    expect(
      (await d2.api.request('POST', `${path}/transfer`, { mode: 'blind', target: { group: 'vip' } })).status,
    ).toBe(404);

    // Nobody in "vip" is ready: the caller waits in its queue like any queued call.
    expect(
      await d1.api.json('POST', `${path}/transfer`, { mode: 'blind', target: { group: 'vip' } }),
    ).toEqual({});
    await expect
      .poll(async () => {
        const waiting = await sup.json<{ callId: string; group: string; state: string }[]>(
          'GET',
          '/api/acd/calls',
        );
        return waiting.find((c) => c.callId === callId);
      })
      .toMatchObject({ group: 'vip', state: 'queued' });
    expect((await d1.api.request('GET', `${path}/parties`)).status).toBe(404);
    expect(d1.events.find((e) => e.type === 'call.ended')?.data).toMatchObject({
      callId,
      disposition: 'left',
    });
    const a1 = await phone1.done; // the transferring agent's phone was hung up
    expect(a1.code, a1.output.slice(-2000)).toBe(0);
    await expect.poll(() => stateOf(d1)).toBe('after_call_work');

    // The target group's agent gets ready: the ACD offers the call, with the screen pop.
    await d2.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const [c, a2] = await Promise.all([caller.done, phone2.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a2.code, a2.output.slice(-2000)).toBe(0);
    expect(d2.events.find((e) => e.type === 'call.offered')?.data).toMatchObject({ callId, queue: 'vip' });
    expect(d2.events.some((e) => e.type === 'call.answered' && e.data.callId === callId)).toBe(true);

    const cdr = await cdrOf(callId);
    // The record keeps the queue the caller came through and their first answer; the chain tells the rest.
    expect(cdr).toMatchObject({ disposition: 'answered', agent: '1002', queue: 'general' });
    expect(cdr.chain.map((e) => e.action)).toEqual(['answered', 'blind_transfer', 'answered', 'left']);
    expect(cdr.chain[1]).toMatchObject({ by: ids['1001'], group: 'vip', target: '大客户组' });
    expect(cdr.chain[2]).toMatchObject({ by: ids['1002'] });
    await expect.poll(() => stateOf(d2)).toBe('after_call_work');
    d1.ws.close();
    d2.ws.close();
    await sippRegister(target, p1, '1001', 'demo1234', 0);
    await sippRegister(target, p2, '1002', 'demo1234', 0);
  }, 120_000);
});

describe('transfer to an IVR flow (CC-02)', () => {
  it('plays the flow to the caller from its start; their 0 queues them for a colleague', async () => {
    const directLine = '4008002222';
    await installDirectLine(sut, directLine, 'general');
    const hotlineFlow = await flowIdOf(sut);
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [
        { agentId: ids['1001'], level: 1 },
        { agentId: ids['1002'], level: 1 },
      ],
    });
    const p1 = await freeSipPort();
    const p2 = p1 + 4;
    const pCaller = p1 + 8;
    await sippRegister(target, p1, '1001', 'demo1234');
    await sippRegister(target, p2, '1002', 'demo1234');
    const d1 = await agentDesk(sut, '1001');
    const d2 = await agentDesk(sut, '1002');
    await d2.api.json('PUT', '/api/agent/state', { state: 'not_ready', reason: 'other' });
    const phone1 = agentPhone(target, p1);
    const phone2 = agentPhone(target, p2, 'agent-hangs-up.xml', { talk_ms: 1500 });
    // The direct line queues at once; the caller presses 0 once, 8 s after the answer: by then
    // the agent has sent them to the hotline's menu, and only a 0 there reaches an agent (the
    // menu would queue a silent caller only after three rounds of its prompt).
    const caller = runSipp({
      scenario: 'caller-presses-0-later.xml',
      target,
      localPort: pCaller,
      mediaPort: pCaller + 1100,
      service: directLine,
      vars: { caller: '13800000014', press_ms: 8000 },
      timeoutSec: 90,
    });
    await d1.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callId = await connectedCall(d1);
    const path = `/api/agent/calls/${encodeURIComponent(callId)}`;

    // An unknown flow is a 400 naming the field; a flow is a blind-transfer target only.
    const unknown = await d1.api.request('POST', `${path}/transfer`, {
      mode: 'blind',
      target: { flow: 'ivf_no_such_flow' },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).error.fields.map((f) => f.field)).toEqual(['target.flow']);
    for (const [verb, body] of [
      ['transfer', { mode: 'attended', target: { flow: hotlineFlow } }],
      ['conference', { target: { flow: hotlineFlow } }],
    ] as const) {
      const res = await d1.api.request('POST', `${path}/${verb}`, body);
      expect(res.status, verb).toBe(400);
      expect(((await res.json()) as ErrorBody).error.fields.map((f) => f.field)).toEqual(['target.flow']);
    }
    // Still connected to 1001 after the refusals.
    expect((await liveCall(callId))?.agentExtension).toBe('1001');

    expect(
      await d1.api.json('POST', `${path}/transfer`, { mode: 'blind', target: { flow: hotlineFlow } }),
    ).toEqual({});
    // The caller is in the IVR now, no longer connected; the agent leaves to wrap-up as for any
    // transfer (then takes a break, so only 1002 can get the call back from the queue).
    await expect
      .poll(async () => (await sup.json<{ ivr: number }>('GET', '/api/monitor/channels')).ivr)
      .toBe(1);
    expect(await liveCall(callId)).toBeUndefined();
    expect((await d1.api.request('GET', `${path}/parties`)).status).toBe(404);
    await expect
      .poll(() => d1.events.find((e) => e.type === 'call.ended')?.data)
      .toMatchObject({ callId, disposition: 'left' });
    const a1 = await phone1.done;
    expect(a1.code, a1.output.slice(-2000)).toBe(0);
    await expect.poll(() => stateOf(d1), { timeout: 10_000 }).toBe('after_call_work');
    await d1.api.json('PUT', '/api/agent/state', { state: 'not_ready', reason: 'other' });

    // The caller's 0 in the hotline menu queues them in "general" again (its own decision).
    await expect
      .poll(
        async () => {
          const waiting = await sup.json<{ callId: string; group: string; state: string }[]>(
            'GET',
            '/api/acd/calls',
          );
          return waiting.find((c) => c.callId === callId);
        },
        { timeout: 20_000 },
      )
      .toMatchObject({ group: 'general', state: 'queued' });
    await d2.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const [c, a2] = await Promise.all([caller.done, phone2.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a2.code, a2.output.slice(-2000)).toBe(0);
    expect(d2.events.find((e) => e.type === 'call.offered')?.data).toMatchObject({
      callId,
      queue: 'general',
    });
    expect(d2.events.some((e) => e.type === 'call.answered' && e.data.callId === callId)).toBe(true);

    const cdr = await cdrOf(callId);
    expect(cdr).toMatchObject({ disposition: 'answered', agent: '1002', queue: 'general', dnis: directLine });
    expect(cdr.chain.map((e) => e.action)).toEqual(['answered', 'blind_transfer', 'answered', 'left']);
    expect(cdr.chain[1]).toMatchObject({ by: ids['1001'], flow: hotlineFlow, target: '客服热线主菜单' });
    expect(cdr.chain[2]).toMatchObject({ by: ids['1002'] });
    // The direct line's one step, then the hotline's, marked with its flow id.
    expect(cdr.ivrPath).toEqual([
      { node: 'agent', verb: 'queue' },
      { node: 'welcome', verb: 'menu', input: '0', flow: hotlineFlow },
      { node: 'agent', verb: 'queue', flow: hotlineFlow },
    ]);
    await expect.poll(() => stateOf(d2), { timeout: 10_000 }).toBe('after_call_work');
    d1.ws.close();
    d2.ws.close();
    await sippRegister(target, p1, '1001', 'demo1234', 0);
    await sippRegister(target, p2, '1002', 'demo1234', 0);
  }, 120_000);
});

describe('attended transfer from the phone with REFER/Replaces (CC-03)', () => {
  it('connects the customer with the colleague the phone consulted and releases both of its calls', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [{ agentId: ids['1003'], level: 1 }],
    });
    const p3 = await freeSipPort();
    const p4 = p3 + 4;
    const pCaller = p3 + 8;
    await sippRegister(target, p3, '1003', 'demo1234');
    await sippRegister(target, p4, '1004', 'demo1234');
    const d3 = await agentDesk(sut, '1003');
    const d4 = await agentDesk(sut, '1004');
    await d4.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const phone3 = agentPhone(target, p3, 'agent-consults-then-refers.xml', {
      agent_ext: '1003',
      consult_to: '1004',
      consult_delay: 1000,
      refer_delay: 2000,
    });
    const phone4 = agentPhone(target, p4, 'agent-hangs-up.xml', { talk_ms: 8000 });
    const caller = waitingCaller(target, pCaller, '13800000012');
    await d3.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callId = await connectedCall(d3);

    // While the phones talk on their own call the colleague is busy for the ACD.
    await expect.poll(() => stateOf(d4), { timeout: 5_000 }).toBe('on_call');
    // After the REFER the customer's call is the colleague's: two parties, owned by 1004.
    await expect
      .poll(
        async () => {
          const call = await liveCall(callId);
          return call && { agent: call.agentExtension, roles: call.parties.map((p) => p.role) };
        },
        { timeout: 10_000 },
      )
      .toEqual({ agent: '1004', roles: ['customer', 'agent'] });
    // The colleague's desk pops the customer's card once they have the call.
    expect(d4.events.find((e) => e.type === 'call.offered' && e.data.callId === callId)).toBeDefined();
    expect(d4.events.some((e) => e.type === 'call.answered' && e.data.callId === callId)).toBe(true);
    const a3 = await phone3.done; // 202, NOTIFY 200, then a BYE for each of its two calls
    expect(a3.code, a3.output.slice(-2000)).toBe(0);
    await expect.poll(() => stateOf(d3)).toBe('after_call_work');

    const [c, a4] = await Promise.all([caller.done, phone4.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a4.code, a4.output.slice(-2000)).toBe(0);
    const cdr = await cdrOf(callId);
    expect(cdr).toMatchObject({ disposition: 'answered', agent: '1004' });
    expect(cdr.chain.map((e) => e.action)).toEqual(['answered', 'transfer', 'left']);
    expect(cdr.chain[1]).toMatchObject({ by: ids['1003'], mode: 'attended', via: 'refer' });
    expect(cdr.chain[1]!.target).toContain('1004');
    expect(cdr.chain[1]!.result).toBeUndefined();
    // The consultation was an internal call with a record of its own (CC-07), ended by the
    // handover; both phones' agents see it among their calls.
    let consultation: Cdr | undefined;
    await expect
      .poll(async () => {
        consultation = (await d3.api.json<Cdr[]>('GET', '/api/cdrs?direction=internal'))[0];
        return consultation?.disposition;
      })
      .toBe('answered');
    expect(consultation).toMatchObject({
      caller: '1003',
      dnis: '1004',
      agent: '1004',
      agentId: ids['1004'],
      hangupBy: 'caller',
    });
    expect(consultation!.answeredAt).not.toBeNull();
    expect(consultation!.endedAt).not.toBeNull();
    expect(consultation!.chain).toEqual([
      expect.objectContaining({ action: 'transfer', by: ids['1003'], mode: 'attended', via: 'refer' }),
    ]);
    const seenBy4 = await d4.api.json<Cdr[]>('GET', '/api/cdrs?direction=internal');
    expect(seenBy4.map((r) => r.id)).toEqual([consultation!.id]);
    await expect.poll(() => stateOf(d4)).toBe('after_call_work');
    d3.ws.close();
    d4.ws.close();
    await sippRegister(target, p3, '1003', 'demo1234', 0);
    await sippRegister(target, p4, '1004', 'demo1234', 0);
  }, 120_000);

  it('answers a Replaces naming no call of the phone with a failure NOTIFY; the call goes on', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [{ agentId: ids['1005'], level: 1 }],
    });
    const p5 = await freeSipPort();
    const pCaller = p5 + 8;
    await sippRegister(target, p5, '1005', 'demo1234');
    const d5 = await agentDesk(sut, '1005');
    const phone5 = agentPhone(target, p5, 'agent-refers-unknown-dialog.xml', {
      refer_delay: 1000,
      refer_to: '1006',
    });
    const caller = waitingCaller(target, pCaller, '13800000013');
    await d5.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callId = await connectedCall(d5);

    let chain: ChainEntry[] = [];
    await expect
      .poll(
        async () => {
          const cdrs = await sup.json<Cdr[]>('GET', '/api/cdrs?limit=20');
          chain = cdrs.find((r) => r.callId === callId)?.chain ?? [];
          return chain.find((e) => e.action === 'transfer');
        },
        { timeout: 10_000 },
      )
      .toMatchObject({ by: ids['1005'], mode: 'attended', via: 'refer', result: 'failed' });
    // Still the customer and the same agent, who also stays on_call.
    const call = await liveCall(callId);
    expect({ agent: call?.agentExtension, roles: call?.parties.map((p) => p.role) }).toEqual({
      agent: '1005',
      roles: ['customer', 'agent'],
    });
    expect(await stateOf(d5)).toBe('on_call');

    expect(
      (await sup.request('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/release`)).status,
    ).toBe(204);
    const [c, a5] = await Promise.all([caller.done, phone5.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a5.code, a5.output.slice(-2000)).toBe(0);
    const cdr = await cdrOf(callId);
    expect(cdr).toMatchObject({ agent: '1005' });
    expect(cdr.chain.map((e) => e.action)).toEqual(['answered', 'transfer', 'force_release']);
    d5.ws.close();
    await sippRegister(target, p5, '1005', 'demo1234', 0);
  }, 120_000);
});
