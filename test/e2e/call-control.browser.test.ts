/**
 * Acceptance (issue #4: CC-02…CC-05, CC-11) in Chromium with real SIP peers: an agent on the desk
 * blind-transfers a connected caller to a ready colleague picked in the transfer dialog; a
 * supervisor on the wallboard names the phone to ring, barges in on a live call and then
 * force-releases it. Asserted through the supervisor's REST view and the CDR's chain.
 */
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentDesk } from '../support/acd-fixtures.ts';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, type SystemUnderTest } from '../support/system-under-test.ts';

interface Party {
  id: string;
  role: string;
  mode: string | null;
  state: string;
}
interface LiveCall {
  callId: string;
  agentExtension: string | null;
  parties: Party[];
}
interface Cdr {
  callId: string;
  agent: string | null;
  disposition: string;
  chain: { action: string; mode?: string; result?: string }[];
}

let sut: SystemUnderTest;
let browser: Browser;
let sup: ApiClient;
let ids: Record<string, string>;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));
beforeAll(async () => {
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  ids = Object.fromEntries(agents.map((a) => [a.extension, a.agentId]));
});

const signInAs = (username: string): Promise<Page> => signIn(browser, sut.baseUrl, username);

/** Only `ext` takes calls from the demo hotline's group. */
async function onlyAgentInGeneral(ext: string): Promise<void> {
  await sup.json('PUT', '/api/acd/groups/general', {
    displayName: '综合业务组',
    members: [{ agentId: ids[ext], level: 1 }],
  });
}

/** The call's CDR once the call is over. */
async function finishedCdr(callId: string): Promise<Cdr> {
  let cdr: Cdr | undefined;
  await expect
    .poll(
      async () => {
        cdr = (await sup.json<Cdr[]>('GET', '/api/cdrs?limit=20')).find((c) => c.callId === callId);
        return cdr?.disposition ?? 'missing';
      },
      { timeout: 15_000 },
    )
    .not.toMatch(/^(in_progress|missing)$/);
  return cdr!;
}

describe('call control in Chromium', () => {
  it('an agent blind-transfers a caller to a ready colleague from the desk', async () => {
    await onlyAgentInGeneral('1005');
    const target = `127.0.0.1:${sut.sipPort}`;
    const p5 = await freeSipPort();
    const p6 = p5 + 4;
    const pCaller = p5 + 8;
    await sippRegister(target, p5, '1005', 'demo1234');
    await sippRegister(target, p6, '1006', 'demo1234');

    const page = await signInAs('1005');
    await page.getByTestId('btn-ready').click();
    await expect.poll(() => page.getByTestId('agent-state').getAttribute('data-state')).toBe('ready');

    const phone5 = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: p5,
      mediaPort: p5 + 1000,
      vars: { answer_delay: 200 },
    });
    const phone6 = runSipp({
      scenario: 'agent-hangs-up.xml',
      target,
      localPort: p6,
      mediaPort: p6 + 1000,
      vars: { talk_ms: 1500 },
    });
    const caller = runSipp({
      scenario: 'caller-waits-for-bye.xml',
      target,
      localPort: pCaller,
      mediaPort: pCaller + 1100,
      service: '4008001000',
      vars: { caller: '13800000021' },
      timeoutSec: 60,
    });

    const pop = page.getByTestId('screen-pop');
    await expect.poll(() => pop.getAttribute('data-call-status'), { timeout: 20_000 }).toBe('answered');
    const callId = (await pop.getAttribute('data-call-id')) ?? '';
    expect(callId).not.toBe('');
    const parties = page.getByTestId('call-parties');
    await parties.getByTestId('party-customer').waitFor();
    await parties.getByTestId('party-agent').waitFor();

    // The colleague becomes ready only now, so the call itself could not have gone to them.
    const colleague = new ApiClient(sut.baseUrl);
    await colleague.login('1006');
    await colleague.json('PUT', '/api/agent/state', { state: 'ready' });

    await page.getByTestId('btn-transfer').click();
    await page.getByTestId('target-agent').click();
    await page.getByTestId('target-agent-option-1006').click();
    await page.getByTestId('transfer-mode-blind').click();
    await page.getByTestId('btn-target-submit').click();

    // 1005 leaves at once; 1006 answers, talks 1.5 s and hangs up, which ends the call.
    const [c, a5, a6] = await Promise.all([caller.done, phone5.done, phone6.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a5.code, a5.output.slice(-2000)).toBe(0);
    expect(a6.code, a6.output.slice(-2000)).toBe(0);

    const cdr = await finishedCdr(callId);
    expect(cdr.agent).toBe('1006');
    expect(cdr.chain.map((e) => e.action)).toContain('blind_transfer');
    await expect.poll(() => pop.getAttribute('data-call-status')).toBe('ended');
    await page.close();
    await sippRegister(target, p5, '1005', 'demo1234', 0);
    await sippRegister(target, p6, '1006', 'demo1234', 0);
  }, 120_000);

  it('a supervisor barges in on a live call from the wallboard and force-releases it', async () => {
    await onlyAgentInGeneral('1007');
    const target = `127.0.0.1:${sut.sipPort}`;
    const p7 = await freeSipPort(100);
    const pSup = p7 + 4;
    const pCaller = p7 + 8;
    await sippRegister(target, p7, '1007', 'demo1234');
    await sippRegister(target, pSup, '1010', 'demo1234');
    const d7 = await agentDesk(sut, '1007');
    const agentPhone = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: p7,
      mediaPort: p7 + 1000,
      vars: { answer_delay: 200 },
    });
    const supPhone = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: pSup,
      mediaPort: pSup + 1000,
      vars: { answer_delay: 200 },
    });
    const caller = runSipp({
      scenario: 'caller-waits-for-bye.xml',
      target,
      localPort: pCaller,
      mediaPort: pCaller + 1100,
      service: '4008001000',
      vars: { caller: '13800000022' },
      timeoutSec: 60,
    });
    await d7.api.json('PUT', '/api/agent/state', { state: 'ready' });
    let callId = '';
    await expect
      .poll(
        () => {
          const answered = d7.events.find((e) => e.type === 'call.answered');
          callId = (answered?.data.callId as string | undefined) ?? '';
          return callId;
        },
        { timeout: 20_000 },
      )
      .not.toBe('');

    const page = await signInAs('supervisor');
    const panel = page.getByTestId('live-calls');
    await panel.waitFor();
    const row = panel.locator(`tr[data-call-id="${callId}"][data-agent-extension="1007"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-testid')).toBe(`live-call-${callId.replace(/[^A-Za-z0-9_-]/g, '_')}`);

    await page.getByTestId('supervisor-extension').fill('1010');
    await row.getByTestId('btn-barge').click();
    await expect
      .poll(
        async () => {
          const live = await sup.json<LiveCall[]>('GET', '/api/supervisor/calls');
          const party = live
            .find((call) => call.callId === callId)
            ?.parties.find((p) => p.role === 'supervisor');
          return party ? `${party.mode}/${party.state}` : 'none';
        },
        { timeout: 15_000 },
      )
      .toBe('barge/connected');
    await expect.poll(() => row.getAttribute('data-my-mode'), { timeout: 10_000 }).toBe('barge');
    // The phone to ring is remembered for the next visit.
    expect(await page.evaluate('Object.values(window.localStorage)')).toContain('1010');

    await row.getByTestId('btn-release').click();
    await page.getByTestId('btn-release-confirm').click();
    const [c, a, s] = await Promise.all([caller.done, agentPhone.done, supPhone.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a.code, a.output.slice(-2000)).toBe(0);
    expect(s.code, s.output.slice(-2000)).toBe(0);

    const cdr = await finishedCdr(callId);
    expect(cdr.chain.at(-1)?.action).toBe('force_release');
    expect(cdr.chain.map((e) => e.mode ?? e.action)).toContain('barge');
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    await page.close();
    d7.ws.close();
    await sippRegister(target, p7, '1007', 'demo1234', 0);
    await sippRegister(target, pSup, '1010', 'demo1234', 0);
  }, 120_000);
});
