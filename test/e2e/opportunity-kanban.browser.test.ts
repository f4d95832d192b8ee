/**
 * Issue #6 in Chromium: sales1 drags a lead to 需求确认 on the kanban board, the server refuses it
 * (the stage requires an amount) and the board says which field is missing; sales1 fills the amount
 * on the card and drags it again, and the card lands in the column.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let browser: Browser;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));

describe('opportunity kanban in Chromium', () => {
  it('a drag refused for a missing amount succeeds once the amount is filled', async () => {
    const page = await signIn(browser, sut.baseUrl, 'sales1');
    const customers = (await (
      await page.request.get(`${sut.baseUrl}/api/customers?q=${encodeURIComponent('华东电子商贸')}`)
    ).json()) as { id: string }[];
    const created = await page.request.post(`${sut.baseUrl}/api/opportunities`, {
      data: { customerId: customers[0]!.id, title: '看板测试：华东—重庆零担' },
    });
    expect(created.status()).toBe(201);
    const deal = (await created.json()) as { id: string };

    await page.goto(`${sut.baseUrl}/opportunities`);
    const card = page.getByTestId(`card-${deal.id}`);
    await card.waitFor();
    expect(await page.getByTestId('column-lead').getByTestId(`card-${deal.id}`).count()).toBe(1);

    await card.dragTo(page.getByTestId('column-qualify'));
    const error = page.getByTestId('move-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('预计金额');
    expect(await page.getByTestId('column-lead').getByTestId(`card-${deal.id}`).count()).toBe(1);

    await card.click();
    await page.getByLabel('预计金额（元）').fill('360000');
    await page.getByTestId('btn-save-opportunity').click();
    await page.locator('.ant-modal').waitFor({ state: 'detached' });

    await card.dragTo(page.getByTestId('column-qualify'));
    await page.getByTestId('column-qualify').getByTestId(`card-${deal.id}`).waitFor();
    await expect.poll(() => page.getByTestId('move-error').count()).toBe(0);
    expect(await page.getByTestId(`card-${deal.id}`).innerText()).toContain('25%');
  }, 120_000);
});
