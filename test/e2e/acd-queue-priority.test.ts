/**
 * Acceptance (issue #3, ACD-06) with real SIP peers: a supervisor sees the callers waiting in a
 * queue in order, raises the second caller's priority while both wait, and that caller is offered
 * to the next free agent first; two agents then take both calls, in the new order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDesk } from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

interface WaitingCall {
  callId: string;
  caller: string;
  group: string;
  priority: number | null;
  position: number | null;
  state: string;
}

let sut: SystemUnderTest;
let sup: ApiClient;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  await sup.json('PUT', '/api/acd/groups/general', {
    displayName: '综合业务组',
    wrapUpSeconds: 0,
    members: [{ agentId: agents.find((a) => a.extension === '1004')!.agentId, level: 1 }],
  });
});
afterAll(async () => {
  await sut?.stop();
});

describe('queue order under supervisor control', () => {
  it('lists waiting callers and serves a caller first after the supervisor raises their priority', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const pAgent = await freeSipPort();
    const pA = pAgent + 4;
    const pB = pAgent + 8;
    const waitingCaller = (port: number, caller: string) =>
      runSipp({
        scenario: 'caller-waits-for-bye.xml',
        target,
        localPort: port,
        mediaPort: port + 1100,
        service: '4008001000',
        vars: { caller },
        timeoutSec: 60,
      });
    const callerA = waitingCaller(pA, '13700000001');
    await expect
      .poll(async () => (await sup.json<WaitingCall[]>('GET', '/api/acd/calls')).length, { timeout: 15_000 })
      .toBe(1);
    const callerB = waitingCaller(pB, '13700000002');
    let waiting: WaitingCall[] = [];
    await expect
      .poll(
        async () => {
          waiting = await sup.json<WaitingCall[]>('GET', '/api/acd/calls');
          return waiting.map((c) => [c.caller, c.position, c.priority]);
        },
        { timeout: 15_000 },
      )
      .toEqual([
        ['+8613700000001', 1, 0],
        ['+8613700000002', 2, 0],
      ]);
    const [a, b] = waiting as [WaitingCall, WaitingCall];

    const raised = await sup.json<WaitingCall>(
      'PUT',
      `/api/acd/calls/${encodeURIComponent(b.callId)}/priority`,
      {
        priority: 5,
      },
    );
    expect(raised).toMatchObject({ callId: b.callId, priority: 5, position: 1, group: 'general' });
    expect(
      (await sup.json<WaitingCall[]>('GET', '/api/acd/calls')).find((c) => c.callId === a.callId)?.position,
    ).toBe(2);
    expect((await sup.request('PUT', '/api/acd/calls/nosuch/priority', { priority: 1 })).status).toBe(404);
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1004');
    expect((await agent.request('GET', '/api/acd/calls')).status).toBe(403);

    // The one agent takes both calls, hanging up each after a moment: B first, then A.
    await sippRegister(target, pAgent, '1004', 'demo1234');
    const desk = await agentDesk(sut, '1004');
    const phone = runSipp({
      scenario: 'agent-hangs-up.xml',
      target,
      localPort: pAgent,
      mediaPort: pAgent + 1000,
      vars: { talk_ms: 500 },
      calls: 2,
      timeoutSec: 60,
    });
    await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const [p, ra, rb] = await Promise.all([phone.done, callerA.done, callerB.done]);
    expect(p.code, p.output.slice(-2000)).toBe(0);
    expect(ra.code, ra.output.slice(-2000)).toBe(0);
    expect(rb.code, rb.output.slice(-2000)).toBe(0);
    const offered = desk.events.filter((e) => e.type === 'call.offered').map((e) => e.data.callId);
    expect(offered).toEqual([b.callId, a.callId]);
    expect(await sup.json<WaitingCall[]>('GET', '/api/acd/calls')).toEqual([]);
    desk.ws.close();
    await sippRegister(target, pAgent, '1004', 'demo1234', 0);
  }, 120_000);
});
