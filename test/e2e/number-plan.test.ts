/**
 * Acceptance (issue #4, CC-07) with real SIP peers: calls from the company's own ranges and from
 * its extensions are recognised as internal — the CDR's direction is "internal", the agent's card
 * shows the colleague instead of a customer lookup, and caller-number rules leave them alone. A
 * call from one extension straight to another leaves an internal CDR too, which both agents (and
 * no other) see in their call records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDesk } from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

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

interface Cdr {
  id: string;
  callId: string;
  caller: string;
  dnis: string;
  direction: string;
  agent: string | null;
  agentId: string | null;
  queue: string | null;
  customerId: string | null;
  routing: string[];
  disposition: string;
  hangupBy: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  talkSec: number | null;
}

describe('internal numbers', () => {
  it('marks calls from company ranges and extensions internal on the card and in the CDR', async () => {
    const plan = await admin.json<{ internalRanges: { prefix: string; label: string }[] }>(
      'PUT',
      '/api/telephony/number-plan',
      { internalRanges: [{ prefix: '0571-8888', label: '杭州总部' }] },
    );
    expect(plan.internalRanges).toEqual([{ prefix: '+865718888', label: '杭州总部' }]);
    const bad = await admin.request('PUT', '/api/telephony/number-plan', {
      internalRanges: [{ prefix: 'x' }],
    });
    expect(bad.status).toBe(400);
    // A prefix rule that would catch 0571 callers if they were customers.
    await admin.json('PUT', '/api/acd/caller-rules', { prefixes: [{ prefix: '0571', priority: 3 }] });

    const target = `127.0.0.1:${sut.sipPort}`;
    const pAgent = await freeSipPort();
    const pCaller = pAgent + 4;
    await sippRegister(target, pAgent, '1006', 'demo1234');
    const desk = await agentDesk(sut, '1006');
    await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });

    const callFrom = async (caller: string) => {
      const agent = runSipp({
        scenario: 'agent-answer.xml',
        target,
        localPort: pAgent,
        mediaPort: pAgent + 1000,
        vars: { answer_delay: 200 },
      });
      const call = runSipp({
        scenario: 'caller-dtmf.xml',
        target,
        localPort: pCaller,
        mediaPort: pCaller + 1100,
        service: '4008001000',
        vars: { caller, bridge_wait_ms: 1500, talk_ms: 500 },
      });
      const [c, a] = await Promise.all([call.done, agent.done]);
      expect(c.code, c.output.slice(-2000)).toBe(0);
      expect(a.code, a.output.slice(-2000)).toBe(0);
      let cdr: Cdr | undefined;
      await expect
        .poll(async () => {
          cdr = (await admin.json<Cdr[]>('GET', '/api/cdrs?limit=10')).find((x) => x.caller === caller);
          return cdr?.disposition;
        })
        .toBe('answered');
      await expect
        .poll(async () => (await desk.api.json<{ state: string }>('GET', '/api/agent/state')).state, {
          timeout: 20_000,
        })
        .not.toBe('on_call');
      await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });
      return cdr!;
    };

    const fromRange = await callFrom('057188881234');
    expect(fromRange).toMatchObject({ direction: 'internal', customerId: null, routing: [] });
    const fromExtension = await callFrom('1009');
    expect(fromExtension.direction).toBe('internal');
    const outside = await callFrom('057155550000');
    expect(outside).toMatchObject({ direction: 'inbound', routing: ['prefix:+86571'] });

    const offers = desk.events.filter((e) => e.type === 'call.offered').map((e) => e.data);
    expect(offers[0]).toMatchObject({
      direction: 'internal',
      customer: null,
      internal: { range: '杭州总部', name: null },
    });
    expect(offers[1]).toMatchObject({ direction: 'internal', internal: { extension: '1009' } });
    expect((offers[1] as { internal: { name: string } }).internal.name).toBeTruthy();
    expect(offers[2]).toMatchObject({ direction: 'inbound', internal: null });
    desk.ws.close();
    await sippRegister(target, pAgent, '1006', 'demo1234', 0);
  }, 120_000);

  it('writes an internal CDR for a call between two extensions, seen by both agents only', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const p7 = await freeSipPort();
    const p8 = p7 + 4;
    const pCaller = p7 + 8;
    await sippRegister(target, p7, '1007', 'demo1234');
    await sippRegister(target, p8, '1008', 'demo1234');
    const d7 = await agentDesk(sut, '1007');
    const d8 = await agentDesk(sut, '1008');
    const other = await agentDesk(sut, '1005');
    await d8.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const agents = await admin.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
    const id8 = agents.find((a) => a.extension === '1008')!.agentId;

    // 1007's phone (played from another port) dials extension 1008, which answers; 1007 hangs up.
    const callee = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: p8,
      mediaPort: p8 + 1000,
      vars: { answer_delay: 200 },
    });
    const call = runSipp({
      scenario: 'caller-dtmf.xml',
      target,
      localPort: pCaller,
      mediaPort: pCaller + 1100,
      service: '1008',
      vars: { caller: '1007', bridge_wait_ms: 500, talk_ms: 1500 },
    });
    const [c, a] = await Promise.all([call.done, callee.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a.code, a.output.slice(-2000)).toBe(0);

    let cdr: Cdr | undefined;
    await expect
      .poll(async () => {
        cdr = (await admin.json<Cdr[]>('GET', '/api/cdrs?direction=internal')).find(
          (x) => x.caller === '1007',
        );
        return cdr?.disposition;
      })
      .toBe('answered');
    expect(cdr).toMatchObject({
      direction: 'internal',
      caller: '1007',
      dnis: '1008',
      agent: '1008',
      agentId: id8,
      queue: null,
      customerId: null,
      hangupBy: 'caller',
    });
    expect(cdr!.answeredAt).not.toBeNull();
    expect(cdr!.endedAt).not.toBeNull();
    // Answered, then 1.5 s before the DTMF, 0.5 s and 1.5 s of talk before the caller's BYE.
    expect(cdr!.talkSec).toBeGreaterThanOrEqual(3);

    // Both ends see it in their own records (1007 placed it, 1008 answered it); others do not.
    const mine = async (desk: typeof d7) =>
      (await desk.api.json<Cdr[]>('GET', '/api/cdrs?direction=internal')).map((r) => r.id);
    expect(await mine(d7)).toContain(cdr!.id);
    expect(await mine(d8)).toContain(cdr!.id);
    expect(await mine(other)).not.toContain(cdr!.id);
    expect((await d7.api.request('GET', `/api/cdrs/${cdr!.id}`)).status).toBe(200);
    expect((await other.api.request('GET', `/api/cdrs/${cdr!.id}`)).status).toBe(404);
    // The called agent is back to how they were.
    await expect
      .poll(async () => (await d8.api.json<{ state: string }>('GET', '/api/agent/state')).state)
      .toBe('ready');
    for (const d of [d7, d8, other]) d.ws.close();
    await sippRegister(target, p7, '1007', 'demo1234', 0);
    await sippRegister(target, p8, '1008', 'demo1234', 0);
  }, 120_000);
});
