/**
 * Acceptance (issue #2): a real SIP caller (SIPp) dials the hotline, presses 0 as RFC 4733 events,
 * is queued, and is bridged to agent 1001 — another SIPp registered with digest auth. They exchange
 * RTP for about 5 s and the caller hangs up. The agent's CTI socket gets the screen pop before the
 * phone is answered; the CDR and a stereo recording with audio on both channels land.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeWav } from '../support/wav-analysis.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';
import { connectCti } from '../support/cti.ts';
import { freeSipPort } from '../support/ports.ts';

interface Cdr {
  id: string;
  callId: string;
  caller: string;
  dnis: string;
  queue: string | null;
  agent: string | null;
  offeredAt: string;
  ivrAt: string | null;
  queuedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  disposition: string;
  customerId: string | null;
  ivrPath: { node: string; input?: string }[];
  recordingUrl: string | null;
}

let sut: SystemUnderTest;
beforeAll(async () => {
  sut = await startSystemUnderTest();
});
afterAll(async () => {
  await sut?.stop();
});

describe('inbound call through IVR, queue and agent', () => {
  it('bridges caller and agent, pops the customer first, writes the CDR and a stereo recording', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const agentPort = await freeSipPort();
    const callerPort = agentPort + 2;
    await sippRegister(target, agentPort, '1001', 'demo1234');

    const api = new ApiClient(sut.baseUrl);
    await api.login('1001');
    const { ws, events } = await connectCti(api);
    await expect
      .poll(async () => (await api.json<{ registered: boolean }>('GET', '/api/agent/state')).registered)
      .toBe(true);
    await api.json('PUT', '/api/agent/state', { state: 'ready' });

    const agent = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: agentPort,
      mediaPort: agentPort + 1000,
      vars: { answer_delay: 800 },
      timeoutSec: 60,
    });
    const caller = runSipp({
      scenario: 'caller-dtmf.xml',
      target,
      localPort: callerPort,
      mediaPort: callerPort + 1100,
      service: '4008001000',
      vars: { caller: '13800000001', bridge_wait_ms: 2500, talk_ms: 5000 },
      timeoutSec: 60,
    });
    const callerResult = await caller.done;
    expect(callerResult.code, callerResult.output.slice(-3000)).toBe(0);
    const agentResult = await agent.done;
    expect(agentResult.code, agentResult.output.slice(-3000)).toBe(0);

    // Screen pop: call.offered with the demo customer, before call.answered.
    const offered = events.find((e) => e.type === 'call.offered');
    const answered = events.find((e) => e.type === 'call.answered');
    expect(offered?.data).toMatchObject({
      dnis: '4008001000',
      queue: 'general',
      customer: { name: '华东电子商贸有限公司' },
    });
    expect(answered).toBeDefined();
    expect(offered!.receivedAt).toBeLessThanOrEqual(answered!.receivedAt);
    expect(Date.parse(offered!.at)).toBeLessThanOrEqual(Date.parse(answered!.at));

    // CDR, once the session has written its last update.
    let cdr: Cdr | undefined;
    await expect
      .poll(async () => {
        cdr = (await api.json<Cdr[]>('GET', '/api/cdrs?limit=1'))[0];
        return cdr?.disposition;
      })
      .toBe('answered');
    expect(cdr).toMatchObject({ caller: '13800000001', dnis: '4008001000', queue: 'general', agent: '1001' });
    expect(cdr!.customerId).toMatch(/^cus_/);
    for (const field of ['offeredAt', 'ivrAt', 'queuedAt', 'answeredAt', 'endedAt'] as const)
      expect(cdr![field]).toBeTruthy();
    const order = [cdr!.offeredAt, cdr!.ivrAt!, cdr!.queuedAt!, cdr!.answeredAt!, cdr!.endedAt!].map(
      Date.parse,
    );
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(cdr!.ivrPath[0]).toMatchObject({ node: 'welcome', input: '0' });
    expect(cdr!.recordingUrl).toBe(`/api/recordings/${cdr!.id}.wav`);

    // Recording: served to a logged-in user, stereo, ~5 s, audio on both channels.
    const rec = await api.request('GET', cdr!.recordingUrl!);
    expect(rec.status).toBe(200);
    expect(rec.headers.get('content-type')).toBe('audio/wav');
    const anon = await fetch(sut.baseUrl + cdr!.recordingUrl!);
    expect(anon.status).toBe(401);
    const file = join(
      sut.dataDir,
      'recordings',
      new Date(cdr!.answeredAt!).toISOString().slice(0, 10).replaceAll('-', '/'),
      `${cdr!.id}.wav`,
    );
    const wav = analyzeWav(file);
    expect(wav.channels).toBe(2);
    expect(wav.sampleRate).toBe(8000);
    expect(wav.durationSec).toBeGreaterThan(3.5);
    expect(wav.durationSec).toBeLessThan(7.5);
    expect(wav.activeShare[0]).toBeGreaterThan(0.3);
    expect(wav.activeShare[1]).toBeGreaterThan(0.3);

    // The agent went into after-call work and comes back to ready.
    const states = events.filter((e) => e.type === 'agent.state').map((e) => e.data.state);
    expect(states).toEqual(expect.arrayContaining(['reserved', 'on_call', 'after_call_work']));
    expect(events.find((e) => e.type === 'call.ended')?.data).toMatchObject({ disposition: 'answered' });
    await api.json('PUT', '/api/agent/state', { state: 'ready' });
    expect((await api.json<{ state: string }>('GET', '/api/agent/state')).state).toBe('ready');
    ws.close();
    await sippRegister(target, agentPort, '1001', 'demo1234', 0);
  }, 90_000);
});

describe('agent hangs up first, caller unknown', () => {
  it('ends the caller leg, writes the CDR with no customer, and wrap-up returns the agent to ready', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const agentPort = await freeSipPort();
    const callerPort = agentPort + 2;
    await sippRegister(target, agentPort, '1002', 'demo1234');
    const api = new ApiClient(sut.baseUrl);
    await api.login('1002');
    const { ws, events } = await connectCti(api);
    await expect
      .poll(async () => (await api.json<{ registered: boolean }>('GET', '/api/agent/state')).registered)
      .toBe(true);
    await api.json('PUT', '/api/agent/state', { state: 'ready' });

    const agent = runSipp({
      scenario: 'agent-hangs-up.xml',
      target,
      localPort: agentPort,
      mediaPort: agentPort + 1000,
      vars: { talk_ms: 2000 },
    });
    const caller = runSipp({
      scenario: 'caller-waits-for-bye.xml',
      target,
      localPort: callerPort,
      mediaPort: callerPort + 1100,
      service: '4008001000',
      vars: { caller: '13999990000' },
    });
    const [c, a] = await Promise.all([caller.done, agent.done]);
    expect(a.code, a.output.slice(-3000)).toBe(0);
    expect(c.code, c.output.slice(-3000)).toBe(0);

    const offered = events.find((e) => e.type === 'call.offered');
    expect(offered?.data).toMatchObject({ caller: '+8613999990000', customer: null, matches: [] });

    let cdr: Cdr | undefined;
    await expect
      .poll(async () => {
        cdr = (await api.json<Cdr[]>('GET', '/api/cdrs?limit=1'))[0];
        return cdr?.disposition;
      })
      .toBe('answered');
    expect(cdr).toMatchObject({ caller: '13999990000', agent: '1002', customerId: null });
    expect((cdr as unknown as { hangupBy: string }).hangupBy).toBe('agent');

    // The demo group's wrap-up is 10 s; the agent returns to ready on its own.
    await expect
      .poll(async () => (await api.json<{ state: string }>('GET', '/api/agent/state')).state, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe('ready');
    const states = events.filter((e) => e.type === 'agent.state').map((e) => e.data.state);
    expect(states.slice(-2)).toEqual(['after_call_work', 'ready']);
    ws.close();
    await sippRegister(target, agentPort, '1002', 'demo1234', 0);
  }, 90_000);
});
