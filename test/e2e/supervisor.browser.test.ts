/**
 * Acceptance (issue #3) in Chromium: a supervisor edits a skill group's strategy and membership in
 * the browser, the running ACD applies it without a restart, and the wallboard follows agent
 * state changes live over the CTI socket.
 */
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { ApiClient, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let browser: Browser;
let page: Page;
let sup: ApiClient;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));
beforeAll(async () => {
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  await sup.json('POST', '/api/acd/groups', {
    name: 'vip',
    displayName: '大客户组',
    members: [{ agentId: agents.find((a) => a.extension === '1001')!.agentId, level: 1 }],
  });
  page = await signIn(browser, sut.baseUrl, 'supervisor');
});

describe('supervisor in Chromium', () => {
  it('sees agent states change live on the wallboard', async () => {
    await page.getByTestId('wallboard').waitFor();
    const row = page.locator('[data-testid="wallboard-agent-row"][data-extension="1005"]');
    await expect
      .poll(() => row.getByTestId('wallboard-agent-state').getAttribute('data-state'))
      .toBe('logged_out');
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1005');
    await agent.json('PUT', '/api/agent/state', { state: 'not_ready', reason: 'meeting' });
    await expect
      .poll(() => row.getByTestId('wallboard-agent-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('not_ready');
    expect(await page.locator('[data-testid="wallboard-group"][data-group="vip"]').count()).toBe(1);
  });

  it('changes a group’s strategy and adds a member with a level, applied at once', async () => {
    await page.goto(`${sut.baseUrl}/groups`);
    await page.locator('[data-testid="group-row"][data-group="vip"]').getByTestId('btn-edit-group').click();
    await page.getByTestId('group-form').waitFor();
    await page.getByTestId('group-form-strategy').click();
    await page.getByTestId('strategy-option-round_robin').click();
    await page.getByTestId('btn-add-member').click();
    await page.getByTestId('member-picker').click();
    await page.getByTestId('member-option-1003').click();
    const newMember = page.locator('[data-testid="member-row"][data-extension="1003"]');
    await newMember.waitFor();
    await newMember.getByTestId('member-level').fill('2');
    await page.getByTestId('group-form-submit').click();

    await expect
      .poll(async () => (await sup.json<{ strategy: string }>('GET', '/api/acd/groups/vip')).strategy, {
        timeout: 10_000,
      })
      .toBe('round_robin');
    const group = await sup.json<{ members: { extension: string; level: number }[] }>(
      'GET',
      '/api/acd/groups/vip',
    );
    expect(group.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ extension: '1001', level: 1 }),
        expect.objectContaining({ extension: '1003', level: 2 }),
      ]),
    );
    const agents = await sup.json<{ extension: string; groups: { name: string; level: number }[] }[]>(
      'GET',
      '/api/agents',
    );
    expect(agents.find((a) => a.extension === '1003')?.groups).toContainEqual(
      expect.objectContaining({ name: 'vip', level: 2 }),
    );
  });
});
