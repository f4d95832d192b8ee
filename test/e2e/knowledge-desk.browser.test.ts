/**
 * Issue #6 in Chromium: agent 1001 searches the knowledge panel on the desk in Chinese and reads
 * the answer; the article with the exact title comes first, drafts never show.
 */
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { ApiClient, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let browser: Browser;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));
beforeAll(async () => {
  const supervisor = new ApiClient(sut.baseUrl);
  await supervisor.login('supervisor');
  const write = (title: string, body: string, status = 'published') =>
    supervisor.json('POST', '/api/knowledge/articles', { title, body, status });
  await write('运费', '首重 1 公斤 12 元，续重每公斤 3 元。');
  await write('超长件的处理', '超过三米的货物另收运费附加费。');
  await write('运费调整（草稿）', '未发布的内容', 'draft');
}, 60_000);

describe('knowledge panel on the agent desk', () => {
  it('agent 1001 searches 运费 and opens the best match', async () => {
    const page = await signIn(browser, sut.baseUrl, '1001');
    const panel = page.getByTestId('knowledge-panel');
    await panel.waitFor();
    // Before any search the panel suggests published articles.
    await panel.getByTestId('kb-result').first().waitFor();

    const box = panel.getByTestId('kb-search').locator('input');
    await box.fill('运费');
    await box.press('Enter');
    await expect.poll(() => panel.getByTestId('kb-result').first().textContent()).toBe('运费');
    const titles = await panel.getByTestId('kb-result').allTextContents();
    expect(titles).toContain('运费查询与计算'); // from the demo knowledge base
    expect(titles).not.toContain('运费调整（草稿）');

    await panel.getByTestId('kb-result').first().click();
    await panel.getByText('续重每公斤 3 元').waitFor();
  });
});
