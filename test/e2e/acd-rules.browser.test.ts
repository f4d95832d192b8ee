/**
 * Acceptance in Chromium for caller-number routing and work items: a supervisor adds a prefix rule
 * (010 → general, priority 2) on the routing page and it is stored in E.164 form; an agent on the
 * desk is offered a chat the supervisor queued, accepts it and completes it in the browser.
 */
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { ApiClient, type SystemUnderTest } from '../support/system-under-test.ts';

interface PrefixRule {
  prefix: string;
  label: string;
  priority: number | null;
  group: string | null;
}

interface WorkItem {
  id: string;
  status: string;
  agentId: string | null;
}

let sut: SystemUnderTest;
let browser: Browser;
let sup: ApiClient;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));
beforeAll(async () => {
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
});

const logIn = (username: string): Promise<Page> => signIn(browser, sut.baseUrl, username);

describe('routing rules and work items in Chromium', () => {
  it('saves a prefix rule from the routing page, stored as E.164', async () => {
    const page = await logIn('supervisor');
    await page.goto(`${sut.baseUrl}/routing`);
    await page.getByTestId('routing-form').waitFor();
    expect(await page.getByTestId('prefix-row').count()).toBe(0);

    await page.getByTestId('btn-add-prefix').click();
    const row = page.getByTestId('prefix-row').last();
    await row.getByTestId('prefix-input').fill('010');
    await row.getByTestId('prefix-label').fill('北京');
    await row.getByTestId('prefix-priority').fill('2');
    await row.getByTestId('prefix-group').click();
    await page.getByTestId('prefix-group-option-general').click();
    await page.getByTestId('routing-save').click();

    await expect
      .poll(
        async () => (await sup.json<{ prefixes: PrefixRule[] }>('GET', '/api/acd/caller-rules')).prefixes,
        {
          timeout: 10_000,
        },
      )
      .toEqual([{ prefix: '+8610', label: '北京', priority: 2, group: 'general' }]);
    const rules = await sup.json<{ updatedAt: string | null }>('GET', '/api/acd/caller-rules');
    expect(rules.updatedAt).not.toBeNull();
    // The form now shows what is stored, and when it was saved.
    await expect.poll(() => row.getByTestId('prefix-input').inputValue(), { timeout: 5_000 }).toBe('+8610');
    await expect
      .poll(() => page.getByTestId('routing-updated').getAttribute('data-updated-at'))
      .toBe(rules.updatedAt);
    await page.close();
  });

  it('offers a chat to a ready agent, who accepts and completes it on the desk', async () => {
    const page = await logIn('1008');
    await page.getByTestId('work-items').waitFor();
    await expect
      .poll(() => page.getByTestId('cti-status').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('open');
    await page.getByTestId('btn-ready').click();
    await expect
      .poll(() => page.getByTestId('agent-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('ready');

    const created = await sup.json<WorkItem>('POST', '/api/work-items', {
      channel: 'chat',
      queue: 'general',
      subject: '运单 SF1234567890 何时送达？',
      fromAddress: 'wx:o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
    });
    const item = page.locator(`[data-testid="work-item"][data-item-id="${created.id}"]`);
    await item.waitFor({ timeout: 10_000 });
    expect(await item.getAttribute('data-status')).toBe('offered');
    expect(await item.getByTestId('work-item-subject').textContent()).toContain('SF1234567890');

    await item.getByTestId('btn-accept-work').click();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 10_000 }).toBe('accepted');
    await item.getByTestId('btn-complete-work').click();
    await item.waitFor({ state: 'detached', timeout: 10_000 });

    const done = await sup.json<{ items: WorkItem[] }>('GET', '/api/work-items?status=completed');
    const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
    const agentId = agents.find((a) => a.extension === '1008')?.agentId;
    expect(done.items).toContainEqual(
      expect.objectContaining({ id: created.id, status: 'completed', agentId }),
    );
    await page.close();
  }, 60_000);
});
