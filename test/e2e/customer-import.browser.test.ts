/**
 * Issue #6 in Chromium: a salesperson (no phone extension) lands on the customers page and sees
 * only the customers he owns; he previews an import (errors by line), imports, finds the new
 * customer in the list, and undoes the import; the export button downloads his list.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let browser: Browser;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));

describe('customer import in Chromium', () => {
  it('sales1 previews, imports and undoes a CSV on the customers page', async () => {
    const page = await signIn(browser, sut.baseUrl, 'sales1');
    await page.getByTestId('customer-row').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/customers');
    expect(await page.getByTestId('customer-row').count()).toBe(2);

    await page.getByTestId('btn-import-customers').click();
    const csv =
      '客户名称,联系人,手机,邮箱,地区\n常熟纺织物流,沈九,0512-5288 9999,,常熟\n,缺名,13800009999,,\n';
    await page
      .locator('.ant-modal input[type=file]')
      .setInputFiles({ name: '客户.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-preview').click();
    const counts = page.getByTestId('import-counts');
    await counts.waitFor();
    expect(await counts.locator('.ant-statistic-content-value').allInnerTexts()).toEqual([
      '1',
      '0',
      '0',
      '1',
    ]);
    await expect.poll(() => page.getByTestId('import-errors').innerText()).toContain('name: required');
    expect(await page.getByTestId('import-errors').innerText()).toContain('3');
    expect(await page.getByTestId('customer-row').count()).toBe(2);

    await page.getByTestId('import-run').click();
    await page.getByTestId('import-undo').waitFor();
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(3);
    expect(await page.getByTestId('customer-table').innerText()).toContain('常熟纺织物流');

    await page.getByTestId('import-undo').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(2);
    expect(await page.getByTestId('customer-table').innerText()).not.toContain('常熟纺织物流');

    // The export button downloads his list as a workbook.
    await page.locator('.ant-modal-close').click();
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('btn-export-customers').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^customers-.*\.xlsx$/);
  }, 120_000);
});
