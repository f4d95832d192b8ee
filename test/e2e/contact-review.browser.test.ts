/**
 * Issue #6 in Chromium: sales1 logs a contact record on his customer from the customers page;
 * salesmgr finds it in his review inbox and replies (批复); sales1 sees the notification badge and
 * the reply on the record.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let browser: Browser;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));

describe('contact record review in Chromium', () => {
  it('sales1 logs a record, salesmgr reviews it from the inbox, sales1 sees the reply', async () => {
    const summary = '浏览器测试：拜访华东电子商贸，讨论冷链线路';
    const guidance = '下周带上运价表再访';

    const sales1 = await signIn(browser, sut.baseUrl, 'sales1');
    const row = sales1.getByTestId('customer-row').filter({ hasText: '华东电子商贸' });
    await row.getByTestId('btn-customer-activities').click();
    await sales1.locator('.ant-drawer').getByTestId('btn-new-record').click();
    await sales1.getByTestId('record-summary').fill(summary);
    await sales1.getByTestId('btn-save-record').click();
    const drawerRecord = sales1.locator('.ant-drawer').getByTestId('record-row').filter({ hasText: summary });
    await drawerRecord.waitFor();
    expect(await drawerRecord.innerText()).toContain('待批复');

    const manager = await signIn(browser, sut.baseUrl, 'salesmgr');
    await manager.goto(`${sut.baseUrl}/contact-records`);
    const inboxRow = manager.getByTestId('record-row').filter({ hasText: summary });
    await inboxRow.waitFor();
    expect(await inboxRow.innerText()).toContain('华东电子商贸');
    await inboxRow.getByTestId('btn-review').click();
    await manager.getByTestId('review-comment').fill(guidance);
    await manager.getByTestId('btn-submit-review').click();
    await inboxRow.waitFor({ state: 'detached' });

    await sales1.reload();
    await sales1.getByTestId('current-user').waitFor();
    // The demo seed's reviewed record is unread too: two in the badge, the newest is this reply.
    await expect.poll(() => sales1.getByTestId('notification-badge').innerText()).toContain('2');
    await sales1.getByTestId('notification-badge').locator('button').click();
    expect(await sales1.getByTestId('notification-item').first().innerText()).toContain(guidance);
    await sales1.goto(`${sut.baseUrl}/contact-records`);
    const mine = sales1.getByTestId('record-row').filter({ hasText: summary });
    await mine.waitFor();
    expect(await mine.innerText()).toContain('已批复');
    expect(await mine.getByTestId('record-review-comment').innerText()).toContain(guidance);
  }, 120_000);
});
