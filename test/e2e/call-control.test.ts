/**
 * Acceptance (issue #4: CC-02…CC-05, CC-11, PLT-02) with real SIP peers: an agent holds and
 * retrieves a caller and blind-transfers them to a colleague, who takes the call over; an agent
 * adds an outside number (through the SIP trunk) to a three-way conference, a supervisor listens
 * from their phone, switches to whisper, and finally force-releases the call, which hangs up every
 * party. Asserted through the parties API, CTI events, the CDR's chain, agent states and the audit
 * trail; who hears whom in each mode is covered at the media level (src/telephony/media/media-room.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { agentDesk, agentPhone, connectedCall, finishedCdr, waitingCaller } from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

interface Party {
  id: string;
  role: string;
  label: string;
  held: boolean;
  mode: string | null;
  state: string;
}
interface Cdr {
  callId: string;
  agent: string | null;
  disposition: string;
  chain: { action: string; mode?: string; result?: string }[];
}

let sut: SystemUnderTest;
let sup: ApiClient;
let trunkPort: number;
let ids: Record<string, string>;

beforeAll(async () => {
  trunkPort = await freeSipPort(2000);
  sut = await startSystemUnderTest({ SIP_TRUNK: `127.0.0.1:${trunkPort}` });
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  ids = Object.fromEntries(agents.map((a) => [a.extension, a.agentId]));
});
afterAll(async () => {
  await sut?.stop();
});

const cdrOf = (callId: string) => finishedCdr<Cdr>(sup, callId);

describe('call control from the desktop', () => {
  it('holds, retrieves and blind-transfers a caller to a colleague', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [{ agentId: ids['1001'], level: 1 }],
    });
    const target = `127.0.0.1:${sut.sipPort}`;
    const p1 = await freeSipPort();
    const p2 = p1 + 4;
    const pCaller = p1 + 8;
    await sippRegister(target, p1, '1001', 'demo1234');
    await sippRegister(target, p2, '1002', 'demo1234');
    const d1 = await agentDesk(sut, '1001');
    const d2 = await agentDesk(sut, '1002');
    const phone1 = agentPhone(target, p1);
    const phone2 = agentPhone(target, p2, 'agent-hangs-up.xml', { talk_ms: 1500 });
    const caller = waitingCaller(target, pCaller, '13800000001');
    await d1.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callId = await connectedCall(d1);
    const path = `/api/agent/calls/${encodeURIComponent(callId)}`;

    // CC-10: pause the recording (e.g. while a card number is read out) and resume it. The
    // policy's recording starts right after the bridge, so wait until it runs.
    const pause = async (paused: boolean) =>
      (await d1.api.request('POST', `${path}/recording/pause`, { paused })).status;
    await expect.poll(() => pause(true), { timeout: 5_000 }).toBe(204);
    expect(await pause(false)).toBe(204);

    const held = await d1.api.json<Party[]>('POST', `${path}/hold`, { on: true });
    expect(held.find((p) => p.role === 'customer')?.held).toBe(true);
    const retrieved = await d1.api.json<Party[]>('POST', `${path}/hold`, { on: false });
    expect(retrieved.find((p) => p.role === 'customer')?.held).toBe(false);
    // Only a party on the call may control it.
    expect((await d2.api.request('POST', `${path}/hold`, { on: true })).status).toBe(404);
    // A colleague who is not ready cannot be a transfer target.
    const busy = await d1.api.request('POST', `${path}/transfer`, {
      mode: 'blind',
      target: { agentId: ids['1002'] },
    });
    expect(busy.status).toBe(409);

    await d2.api.json('PUT', '/api/agent/state', { state: 'ready' });
    await d1.api.json('POST', `${path}/transfer`, { mode: 'blind', target: { agentId: ids['1002'] } });
    const [c, a1, a2] = await Promise.all([caller.done, phone1.done, phone2.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a1.code, a1.output.slice(-2000)).toBe(0);
    expect(a2.code, a2.output.slice(-2000)).toBe(0);

    const cdr = await cdrOf(callId);
    expect(cdr).toMatchObject({ disposition: 'answered', agent: '1002' });
    expect(cdr.chain.map((e) => e.action)).toEqual([
      'answered',
      'recording_paused',
      'recording_resumed',
      'hold',
      'retrieve',
      'blind_transfer',
      'left',
    ]);
    expect(d1.events.find((e) => e.type === 'call.ended')?.data).toMatchObject({
      callId,
      disposition: 'left',
    });
    expect(d2.events.find((e) => e.type === 'call.offered')?.data).toMatchObject({ callId });
    expect(d2.events.some((e) => e.type === 'call.answered' && e.data.callId === callId)).toBe(true);
    await expect
      .poll(async () => (await d1.api.json<{ state: string }>('GET', '/api/agent/state')).state)
      .toBe('after_call_work');
    d1.ws.close();
    d2.ws.close();
    await sippRegister(target, p1, '1001', 'demo1234', 0);
    await sippRegister(target, p2, '1002', 'demo1234', 0);
  }, 120_000);

  it('conferences an outside number, lets a supervisor listen and whisper, then force-releases', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [{ agentId: ids['1003'], level: 1 }],
    });
    const target = `127.0.0.1:${sut.sipPort}`;
    const p3 = trunkPort + 4;
    const pSup = trunkPort + 8;
    const pCaller = trunkPort + 12;
    await sippRegister(target, p3, '1003', 'demo1234');
    await sippRegister(target, pSup, '1010', 'demo1234');
    const d3 = await agentDesk(sut, '1003');
    const phone3 = agentPhone(target, p3);
    const supPhone = agentPhone(target, pSup);
    const outside = runSipp({
      scenario: 'trunk-customer-answers.xml',
      target,
      localPort: trunkPort,
      mediaPort: trunkPort + 1000,
    });
    const caller = waitingCaller(target, pCaller, '13800000002');
    await d3.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callId = await connectedCall(d3);
    const path = `/api/agent/calls/${encodeURIComponent(callId)}`;

    const premium = await d3.api.request('POST', `${path}/conference`, {
      target: { number: '0900-1234567' },
    });
    expect(premium.status).toBe(403);
    const { partyId } = await d3.api.json<{ partyId: string }>('POST', `${path}/conference`, {
      target: { number: '13800000009' },
    });
    await expect
      .poll(
        async () =>
          (await d3.api.json<Party[]>('GET', `${path}/parties`)).find((p) => p.id === partyId)?.state,
      )
      .toBe('connected');

    // CC-15: the live channel counts see the connected call.
    expect(await sup.json('GET', '/api/monitor/channels')).toMatchObject({ connected: 1, ivr: 0, queued: 0 });
    const live = await sup.json<{ callId: string; parties: Party[] }[]>('GET', '/api/supervisor/calls');
    expect(live.find((c) => c.callId === callId)?.parties.map((p) => p.role)).toEqual([
      'customer',
      'agent',
      'conference',
    ]);
    const noPhone = await sup.request('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/monitor`, {
      mode: 'listen',
    });
    expect(noPhone.status).toBe(400);
    await sup.json('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/monitor`, {
      mode: 'listen',
      extension: '1010',
    });
    const modeOf = async () =>
      (await sup.json<{ callId: string; parties: Party[] }[]>('GET', '/api/supervisor/calls'))
        .find((c) => c.callId === callId)
        ?.parties.find((p) => p.role === 'supervisor')?.mode;
    expect(await modeOf()).toBe('listen');
    await sup.json('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/monitor`, {
      mode: 'whisper',
      extension: '1010',
    });
    expect(await modeOf()).toBe('whisper');
    // Real-time listening in the browser: PCM frames of the live conversation over a WebSocket.
    const listener = new WebSocket(
      `${sut.baseUrl.replace('http', 'ws')}/api/supervisor/calls/${encodeURIComponent(callId)}/listen`,
      { headers: { cookie: sup.cookieHeader } },
    );
    const frames: Buffer[] = [];
    let format: unknown = null;
    listener.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) frames.push(data);
      else format = JSON.parse(data.toString());
    });
    await expect.poll(() => frames.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    listener.close();
    expect(format).toEqual({ type: 'format', sampleRate: 8000, channels: 1, encoding: 's16le' });
    const pcm = Buffer.concat(frames);
    let energy = 0;
    for (let i = 0; i + 1 < pcm.length; i += 2) energy += pcm.readInt16LE(i) ** 2;
    // The agent's phone and the outside party both play speech: the mix is far from silence.
    expect(Math.sqrt(energy / (pcm.length / 2))).toBeGreaterThan(100);
    const agentOnly = new ApiClient(sut.baseUrl);
    await agentOnly.login('1004');
    const agentListen = await fetch(
      `${sut.baseUrl}/api/supervisor/calls/${encodeURIComponent(callId)}/listen`,
      {
        headers: { cookie: agentOnly.cookieHeader },
      },
    );
    expect(agentListen.status).toBe(403);
    expect(
      (await agentOnly.request('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/release`)).status,
    ).toBe(403);

    const release = await sup.request('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/release`);
    expect(release.status).toBe(204);
    const [c, a, s, o] = await Promise.all([caller.done, phone3.done, supPhone.done, outside.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a.code, a.output.slice(-2000)).toBe(0);
    expect(s.code, s.output.slice(-2000)).toBe(0);
    expect(o.code, o.output.slice(-2000)).toBe(0);

    const cdr = await cdrOf(callId);
    expect(cdr.chain.map((e) => e.mode ?? e.action)).toEqual([
      'answered',
      'conference',
      'listen',
      'whisper',
      'force_release',
    ]);
    const admin = new ApiClient(sut.baseUrl);
    await admin.login('admin');
    const log = await admin.json<{ items: { action: string }[] }>(
      'GET',
      `/api/audit?target=${encodeURIComponent(callId)}`,
    );
    expect(log.items.map((e) => e.action).reverse()).toEqual([
      'supervisor.listen',
      'supervisor.whisper',
      'supervisor.listen_browser',
      'supervisor.force_release',
    ]);
    d3.ws.close();
    await sippRegister(target, p3, '1003', 'demo1234', 0);
    await sippRegister(target, pSup, '1010', 'demo1234', 0);
  }, 120_000);

  it('consults a colleague while the caller holds, then completes the attended transfer', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [{ agentId: ids['1005'], level: 1 }],
    });
    const target = `127.0.0.1:${sut.sipPort}`;
    const p5 = await freeSipPort();
    const p6 = p5 + 4;
    const pCaller = p5 + 8;
    await sippRegister(target, p5, '1005', 'demo1234');
    await sippRegister(target, p6, '1006', 'demo1234');
    const d5 = await agentDesk(sut, '1005');
    const d6 = await agentDesk(sut, '1006');
    const phone5 = agentPhone(target, p5);
    const phone6 = agentPhone(target, p6);
    const caller = waitingCaller(target, pCaller, '13800000004');
    await d5.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callId = await connectedCall(d5);
    const path = `/api/agent/calls/${encodeURIComponent(callId)}`;
    await d6.api.json('PUT', '/api/agent/state', { state: 'ready' });
    expect((await d5.api.request('POST', `${path}/transfer/complete`)).status).toBe(409);
    const { partyId } = await d5.api.json<{ partyId: string }>('POST', `${path}/transfer`, {
      mode: 'attended',
      target: { agentId: ids['1006'] },
    });
    await expect
      .poll(async () => {
        const parties = await d5.api.json<Party[]>('GET', `${path}/parties`);
        return parties.map((p) => `${p.role}:${p.state}:${p.held}`);
      })
      .toEqual(['customer:connected:true', 'agent:connected:false', 'consult:connected:false']);
    // The consulted colleague sees the call on their desk while the customer waits.
    await expect
      .poll(() => d6.events.some((e) => e.type === 'call.answered' && e.data.callId === callId))
      .toBe(true);
    const after = await d5.api.json<Party[]>('POST', `${path}/transfer/complete`);
    expect(after.map((p) => `${p.role}:${p.held}`)).toEqual(['customer:false', `agent:false`]);
    expect(after.find((p) => p.role === 'agent')?.id).toBe(partyId);
    const phone5Done = await phone5.done;
    expect(phone5Done.code, phone5Done.output.slice(-2000)).toBe(0);
    await expect
      .poll(async () => (await d5.api.json<{ state: string }>('GET', '/api/agent/state')).state)
      .toBe('after_call_work');

    expect(
      (await sup.request('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/release`)).status,
    ).toBe(204);
    const [c, p] = await Promise.all([caller.done, phone6.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(p.code, p.output.slice(-2000)).toBe(0);
    const cdr = await cdrOf(callId);
    expect(cdr).toMatchObject({ agent: '1006' });
    expect(cdr.chain.map((e) => e.action)).toEqual([
      'answered',
      'hold',
      'consult',
      'transfer',
      'force_release',
    ]);
    d5.ws.close();
    d6.ws.close();
    await sippRegister(target, p5, '1005', 'demo1234', 0);
    await sippRegister(target, p6, '1006', 'demo1234', 0);
  }, 120_000);

  it('transfers blind when the agent’s phone sends REFER to a colleague’s extension', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [{ agentId: ids['1007'], level: 1 }],
    });
    const target = `127.0.0.1:${sut.sipPort}`;
    const p7 = await freeSipPort();
    const p8 = p7 + 4;
    const pCaller = p7 + 8;
    await sippRegister(target, p7, '1007', 'demo1234');
    await sippRegister(target, p8, '1008', 'demo1234');
    const d7 = await agentDesk(sut, '1007');
    const d8 = await agentDesk(sut, '1008');
    await d8.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const phone7 = agentPhone(target, p7, 'agent-refers.xml', { refer_delay: 1500, refer_to: '1008' });
    const phone8 = agentPhone(target, p8, 'agent-hangs-up.xml', { talk_ms: 1500 });
    const caller = waitingCaller(target, pCaller, '13800000005');
    await d7.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callId = await connectedCall(d7);
    const [c, a7, a8] = await Promise.all([caller.done, phone7.done, phone8.done]);
    expect(a7.code, a7.output.slice(-2000)).toBe(0);
    expect(a8.code, a8.output.slice(-2000)).toBe(0);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    const cdr = await cdrOf(callId);
    expect(cdr).toMatchObject({ agent: '1008', disposition: 'answered' });
    expect(cdr.chain.map((e) => e.action)).toEqual(['answered', 'blind_transfer', 'left']);
    d7.ws.close();
    d8.ws.close();
    await sippRegister(target, p7, '1007', 'demo1234', 0);
    await sippRegister(target, p8, '1008', 'demo1234', 0);
  }, 120_000);
});
