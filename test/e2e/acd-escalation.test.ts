/**
 * Acceptance (ACD-04, ACD-06) with real SIP peers: level escalation on a live call — the only
 * ready member of the "vip" group is level 2, so a caller waits (keeping their place) until the
 * group's escalation step widens the eligible levels after 3 s, and only then is that agent
 * offered the call; and a queued callback whose first dial-out reaches a busy customer is retried
 * through the trunk and bridged on the second attempt. Asserted through CDRs, CTI events, queue
 * metrics and what the SIPp peers saw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIP_LINE, agentDesk, installVipLine } from '../support/acd-fixtures.ts';
import type { CtiMessage } from '../support/cti.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

/** The escalation step: level-2 members become eligible after this long in the group. */
const ESCALATE_AFTER_S = 3;
/** Pause between callback attempts for this suite (production default: 60 s). */
const CALLBACK_RETRY_S = 2;

interface Cdr {
  callId: string;
  queue: string | null;
  agent: string | null;
  disposition: string;
  dnis: string;
  queuedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  callbackRequestedAt: string | null;
  hangupBy: string | null;
  recordingUrl: string | null;
}

interface GroupMetrics {
  name: string;
  waiting: number;
  agents: Record<string, number>;
}

let sut: SystemUnderTest;
let sup: ApiClient;
let ids: Record<string, string>;
/** Where the system's SIP trunk points: the SIPp peer playing the customers' network. */
let trunkPort: number;

beforeAll(async () => {
  // Far from the ports the system under test picks for itself.
  trunkPort = await freeSipPort(2000);
  sut = await startSystemUnderTest({
    SIP_TRUNK: `127.0.0.1:${trunkPort}`,
    CALLBACK_RETRY_SECONDS: String(CALLBACK_RETRY_S),
  });
  await installVipLine(sut);
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  ids = Object.fromEntries(agents.map((a) => [a.extension, a.agentId]));
});
afterAll(async () => {
  await sut?.stop();
});

async function newestCdr(): Promise<Cdr | undefined> {
  return (await sup.json<Cdr[]>('GET', '/api/cdrs?limit=1'))[0];
}

/** The newest CDR once its call has ended answered. */
async function answeredCall(): Promise<Cdr> {
  let cdr: Cdr | undefined;
  await expect
    .poll(
      async () => {
        cdr = await newestCdr();
        return cdr?.disposition;
      },
      { timeout: 10_000 },
    )
    .toBe('answered');
  return cdr!;
}

const ms = (iso: string | null | undefined) => Date.parse(iso ?? 'invalid');
const ofType = (events: CtiMessage[], type: string) => events.filter((e) => e.type === type);

/** The final count of one message line on a SIPp scenario screen, e.g. `----------> INVITE   2`. */
function sippCount(output: string, pattern: RegExp): number {
  const counts = [...output.matchAll(pattern)].map((m) => Number(m[1]));
  return counts.length > 0 ? counts[counts.length - 1]! : 0;
}

describe('level escalation on a live call (ACD-04)', () => {
  it('keeps the level-2 agent out until the escalation step, then offers them the waiting call', async () => {
    await sup.json('POST', '/api/acd/groups', {
      name: 'vip',
      displayName: '大客户组',
      wrapUpSeconds: 0,
      escalation: [{ afterSeconds: ESCALATE_AFTER_S, maxLevel: 2 }],
      members: [
        { agentId: ids['1001'], level: 1 },
        { agentId: ids['1002'], level: 2 },
      ],
    });
    const target = `127.0.0.1:${sut.sipPort}`;
    const p1 = await freeSipPort();
    const p2 = p1 + 4;
    const pCaller = p1 + 8;
    await sippRegister(target, p1, '1001', 'demo1234');
    await sippRegister(target, p2, '1002', 'demo1234');
    const d1 = await agentDesk(sut, '1001');
    const d2 = await agentDesk(sut, '1002');
    // The level-1 member is logged in but paused; the level-2 member is the only one ready.
    await d1.api.json('PUT', '/api/agent/state', { state: 'not_ready', reason: 'meeting' });
    await d2.api.json('PUT', '/api/agent/state', { state: 'ready' });

    const agent2 = runSipp({
      scenario: 'agent-hangs-up.xml',
      target,
      localPort: p2,
      mediaPort: p2 + 1000,
      vars: { talk_ms: 2000 },
    });
    const caller = runSipp({
      scenario: 'caller-waits-for-bye.xml',
      target,
      localPort: pCaller,
      mediaPort: pCaller + 1100,
      service: VIP_LINE,
      vars: { caller: '13600000008' },
    });

    // While the call waits, the group has a ready agent and still does not offer it the call.
    await expect
      .poll(
        async () => {
          const m = await sup.json<{ groups: GroupMetrics[] }>('GET', '/api/acd/metrics');
          const vip = m.groups.find((g) => g.name === 'vip');
          return { waiting: vip?.waiting, ready: vip?.agents.ready, notReady: vip?.agents.not_ready };
        },
        { timeout: 15_000, interval: 100 },
      )
      .toEqual({ waiting: 1, ready: 1, notReady: 1 });
    expect(ofType(d2.events, 'call.offered')).toHaveLength(0);

    const [c, a] = await Promise.all([caller.done, agent2.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a.code, a.output.slice(-2000)).toBe(0);

    // CDR: queued in vip, kept its place there (no overflow), answered by the level-2 agent no
    // sooner than the escalation step.
    const cdr = await answeredCall();
    expect(cdr).toMatchObject({ dnis: VIP_LINE, queue: 'vip', agent: '1002', hangupBy: 'agent' });
    const queuedAt = ms(cdr.queuedAt);
    expect(Number.isFinite(queuedAt)).toBe(true);
    expect(ms(cdr.answeredAt) - queuedAt).toBeGreaterThanOrEqual(ESCALATE_AFTER_S * 1000);
    expect(ms(cdr.endedAt)).toBeGreaterThan(ms(cdr.answeredAt));
    expect(cdr.recordingUrl).toBeTruthy();

    // CTI: the level-2 agent was ready before the call queued, yet was reserved and offered the
    // call only once the step was due; one offer, then answered.
    const offers = ofType(d2.events, 'call.offered');
    expect(offers).toHaveLength(1);
    expect(offers[0]!.data).toMatchObject({ callId: cdr.callId, queue: 'vip' });
    expect(ms(offers[0]!.at) - queuedAt).toBeGreaterThanOrEqual(ESCALATE_AFTER_S * 1000);
    const states2 = ofType(d2.events, 'agent.state');
    const reservedAt = states2.findIndex((e) => e.data.state === 'reserved');
    expect(reservedAt).toBeGreaterThan(0);
    expect(states2[reservedAt - 1]!.data.state).toBe('ready');
    expect(ms(states2[reservedAt - 1]!.data.since as string)).toBeLessThan(queuedAt);
    expect(ms(states2[reservedAt]!.at) - queuedAt).toBeGreaterThanOrEqual(ESCALATE_AFTER_S * 1000);
    const answered = ofType(d2.events, 'call.answered');
    expect(answered).toHaveLength(1);
    expect(answered[0]!.data).toMatchObject({ callId: cdr.callId });
    // The paused level-1 agent never heard of the call.
    expect(ofType(d1.events, 'call.offered')).toHaveLength(0);

    d1.ws.close();
    d2.ws.close();
    await sippRegister(target, p1, '1001', 'demo1234', 0);
    await sippRegister(target, p2, '1002', 'demo1234', 0);
  }, 120_000);
});

describe('queued callback retry (ACD-06)', () => {
  it('retries a callback the customer did not answer and bridges the agent on the second attempt', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      wrapUpSeconds: 0,
      members: [{ agentId: ids['1003'], level: 1 }],
    });
    const target = `127.0.0.1:${sut.sipPort}`;
    const agentPort = trunkPort + 4;
    await sippRegister(target, agentPort, '1003', 'demo1234');
    const desk = await agentDesk(sut, '1003');

    // The caller presses 0, then 1 for a callback, hears the confirmation and is hung up on.
    const caller = await runSipp({
      scenario: 'caller-asks-callback.xml',
      target,
      localPort: trunkPort + 8,
      mediaPort: trunkPort + 1108,
      service: '4008001000',
      vars: { caller: '13900000007' },
    }).done;
    expect(caller.code, caller.output.slice(-2000)).toBe(0);
    const requested = await newestCdr();
    expect(requested).toMatchObject({ queue: 'general', disposition: 'in_progress', answeredAt: null });
    expect(requested!.callbackRequestedAt).toBeTruthy();

    // The trunk: the customer is busy for the first dial-out and answers the retry.
    const trunk = runSipp({
      scenario: 'trunk-busy-then-answers.xml',
      target,
      localPort: trunkPort,
      mediaPort: trunkPort + 1000,
      calls: 2,
      vars: { talk_ms: 2000 },
      timeoutSec: 90,
    });
    // The agent's phone rings once per attempt; the switch hangs up on them after the busy one.
    const agent = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: agentPort,
      mediaPort: agentPort + 1000,
      calls: 2,
      vars: { answer_delay: 300 },
      timeoutSec: 90,
    });
    await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const [t, a] = await Promise.all([trunk.done, agent.done]);
    expect(t.code, t.output.slice(-3000)).toBe(0);
    expect(a.code, a.output.slice(-3000)).toBe(0);
    // Two INVITEs reached the trunk: the first was refused busy, the second answered.
    expect(sippCount(t.output, /-{10}> INVITE\s+(\d+)/g)).toBe(2);
    expect(sippCount(t.output, /<-{10} 486\s+(\d+)/g)).toBe(1);
    expect(sippCount(t.output, /<-{10} 200\s+(\d+)/g)).toBe(1);
    expect(sippCount(a.output, /-{10}> INVITE\s+(\d+)/g)).toBe(2);

    // CDR: one record for the whole callback, answered by the agent after the retry; the
    // customer (the callback leg) hung up.
    const cdr = await answeredCall();
    expect(cdr).toMatchObject({
      callId: requested!.callId,
      queue: 'general',
      agent: '1003',
      hangupBy: 'caller',
      callbackRequestedAt: requested!.callbackRequestedAt,
    });
    expect(ms(cdr.answeredAt)).toBeGreaterThan(ms(cdr.callbackRequestedAt));
    expect(cdr.recordingUrl).toBeTruthy();

    // CTI: the agent was offered and took the same call twice; between the attempts they were
    // released to ready and re-reserved no sooner than the retry pause.
    const offers = ofType(desk.events, 'call.offered');
    expect(offers.map((e) => e.data.callId)).toEqual([cdr.callId, cdr.callId]);
    expect(ofType(desk.events, 'call.answered').map((e) => e.data.callId)).toEqual([cdr.callId, cdr.callId]);
    // The agent's desk is told the first attempt ended unanswered.
    expect(ofType(desk.events, 'call.ended').map((e) => e.data.disposition)).toContain('callback_no_answer');
    const states = ofType(desk.events, 'agent.state').map((e) => ({ state: e.data.state, at: ms(e.at) }));
    const path = states.map((s) => s.state);
    const first = path.indexOf('on_call');
    const second = path.indexOf('reserved', first);
    expect(path.slice(first, second + 2)).toEqual(['on_call', 'ready', 'reserved', 'on_call']);
    expect(states[second]!.at - states[first + 1]!.at).toBeGreaterThanOrEqual(CALLBACK_RETRY_S * 1000);
    // The customer answered only after the retry pause that followed the busy attempt.
    expect(ms(cdr.answeredAt) - states[first + 1]!.at).toBeGreaterThanOrEqual(CALLBACK_RETRY_S * 1000);

    desk.ws.close();
    await sippRegister(target, agentPort, '1003', 'demo1234', 0);
  }, 120_000);
});
