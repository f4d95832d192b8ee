/**
 * Acceptance (CC-02) in Chromium with real SIP peers: an agent on the desk blind-transfers a
 * connected caller to another skill group picked in the transfer dialog (where consultation is
 * not offered for a group); the group's agent, signed in on a desk of their own, gets the screen
 * pop and takes the call. Asserted on both desks, through the agent states and the CDR's chain.
 */
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentPhone, finishedCdr, waitingCaller } from '../support/acd-fixtures.ts';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { freeSipPort } from '../support/ports.ts';
import { sippRegister } from '../support/sipp.ts';
import { ApiClient, type SystemUnderTest } from '../support/system-under-test.ts';

interface Cdr {
  callId: string;
  queue: string | null;
  agent: string | null;
  disposition: string;
  chain: { action: string; by?: string | null; group?: string; target?: string }[];
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

/** An agent's desk in its own browser context, signed in and ready. */
async function readyDesk(username: string): Promise<Page> {
  const page = await signIn(browser, sut.baseUrl, username);
  await expect
    .poll(() => page.getByTestId('cti-status').getAttribute('data-status'), { timeout: 10_000 })
    .toBe('open');
  await page.getByTestId('btn-ready').click();
  await expect.poll(() => page.getByTestId('agent-state').getAttribute('data-state')).toBe('ready');
  return page;
}

describe('transfer to a skill group in Chromium', () => {
  it('an agent transfers a caller to another group from the desk; that group’s agent gets the screen pop', async () => {
    // The hotline's group has 1001 only; "vip" has 1002 only, so the call can reach 1002 by the transfer alone.
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
    const target = `127.0.0.1:${sut.sipPort}`;
    const p1 = await freeSipPort();
    const p2 = p1 + 4;
    const pCaller = p1 + 8;
    await sippRegister(target, p1, '1001', 'demo1234');
    await sippRegister(target, p2, '1002', 'demo1234');

    const [desk1, desk2] = await Promise.all([readyDesk('1001'), readyDesk('1002')]);
    const phone1 = agentPhone(target, p1);
    // Long enough a conversation to see the pop in the "answered" state before 1002 hangs up.
    const phone2 = agentPhone(target, p2, 'agent-hangs-up.xml', { talk_ms: 4000 });
    const caller = waitingCaller(target, pCaller, '13800000031');

    const pop1 = desk1.getByTestId('screen-pop');
    await expect.poll(() => pop1.getAttribute('data-call-status'), { timeout: 20_000 }).toBe('answered');
    const callId = (await pop1.getAttribute('data-call-id')) ?? '';
    expect(callId).not.toBe('');
    await desk1.getByTestId('call-parties').getByTestId('party-agent').waitFor();
    // 1002 saw nothing of the call so far.
    expect(await desk2.getByTestId('screen-pop-empty').count()).toBe(1);

    await desk1.getByTestId('btn-transfer').click();
    // Published IVR flows are offered too (blind only); the transfer itself is asserted over the API
    // in call-transfer.test.ts. Look, then go on with the group.
    await desk1.getByTestId('target-kind-flow').click();
    expect(
      await desk1.locator('[data-testid="target-form"] input[type="radio"][value="attended"]').isDisabled(),
    ).toBe(true);
    await desk1.getByTestId('target-flow').click();
    await expect
      .poll(() => desk1.locator('[data-testid^="target-flow-option-"]').allTextContents())
      .toContain('客服热线主菜单');
    // Close the list by picking nothing: a second click on the select folds it (Escape would close the dialog).
    await desk1.getByTestId('target-flow').click();
    await desk1.getByTestId('target-kind-group').click();
    // A group takes blind transfers only: consultation is switched off, blind is selected.
    const attended = desk1.locator('[data-testid="target-form"] input[type="radio"][value="attended"]');
    expect(await attended.isDisabled()).toBe(true);
    expect(
      await desk1.locator('[data-testid="target-form"] input[type="radio"][value="blind"]').isChecked(),
    ).toBe(true);
    await desk1.getByTestId('target-group').click();
    const option = desk1.getByTestId('target-group-option-vip');
    await expect.poll(() => option.textContent()).toContain('1/1');
    // Agents may not read the group admin API; the desk still names the group as people know it.
    expect(await option.textContent()).toContain('大客户组');
    await option.click();
    await desk1.getByTestId('btn-target-submit').click();

    // 1001 leaves at once; the caller waits in the "vip" queue and the ACD offers the call to 1002.
    await expect.poll(() => pop1.getAttribute('data-call-status'), { timeout: 10_000 }).toBe('ended');
    await desk1.getByTestId('target-form').waitFor({ state: 'detached' });
    const pop2 = desk2.locator(`[data-testid="screen-pop"][data-call-id="${callId}"]`);
    await pop2.waitFor({ timeout: 15_000 });
    expect(await pop2.getByTestId('screen-pop-caller').textContent()).toContain('13800000031');
    await expect.poll(() => pop2.getAttribute('data-call-status'), { timeout: 10_000 }).toBe('answered');
    await expect
      .poll(() => desk2.getByTestId('agent-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('on_call');
    await expect
      .poll(() => desk1.getByTestId('agent-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('after_call_work');

    // 1002 talks 4 s and hangs up, which ends the call.
    const [c, a1, a2] = await Promise.all([caller.done, phone1.done, phone2.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a1.code, a1.output.slice(-2000)).toBe(0);
    expect(a2.code, a2.output.slice(-2000)).toBe(0);
    await expect.poll(() => pop2.getAttribute('data-call-status'), { timeout: 10_000 }).toBe('ended');

    const cdr = await finishedCdr<Cdr>(sup, callId);
    expect(cdr).toMatchObject({ disposition: 'answered', agent: '1002', queue: 'general' });
    expect(cdr.chain.map((e) => e.action)).toEqual(['answered', 'blind_transfer', 'answered', 'left']);
    expect(cdr.chain[1]).toMatchObject({ by: ids['1001'], group: 'vip', target: '大客户组' });
    await desk1.close();
    await desk2.close();
    await sippRegister(target, p1, '1001', 'demo1234', 0);
    await sippRegister(target, p2, '1002', 'demo1234', 0);
  }, 120_000);
});
