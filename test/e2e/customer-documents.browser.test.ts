/**
 * Issue #6 in Chromium: sales1 opens a customer's documents tab, uploads a PDF quote, previews its
 * first page (rendered on the server), and uploads a second version.
 */
import { execFileSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { makePdf } from '../support/pdf-fixture.ts';
import { type SystemUnderTest } from '../support/system-under-test.ts';

const hasPdftoppm = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let sut: SystemUnderTest;
let browser: Browser;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));

describe('customer documents in Chromium', () => {
  it.skipIf(!hasPdftoppm)(
    'sales1 uploads a quote, previews it and adds a version',
    async () => {
      const page = await signIn(browser, sut.baseUrl, 'sales1');
      const row = page.getByTestId('customer-row').filter({ hasText: '华东电子商贸' });
      await row.locator('.ant-table-row-expand-icon').click();
      await page.getByTestId('tab-documents').click();
      const tab = page.getByTestId('customer-documents');
      await tab
        .locator('input[type=file]')
        .first()
        .setInputFiles({
          name: '华东报价.pdf',
          mimeType: 'application/pdf',
          buffer: makePdf(2),
        });
      await tab.getByText('华东报价.pdf').waitFor();
      // antd spaces out two-character Chinese button labels (预 览).
      await tab
        .getByRole('button', { name: /预\s?览/ })
        .first()
        .click();
      const img = page.getByTestId('document-preview');
      await img.waitFor();
      await expect
        .poll(() => img.evaluate((el) => (el as unknown as { naturalHeight: number }).naturalHeight))
        .toBe(1200);

      await page.keyboard.press('Escape');
      await tab
        .locator('.ant-table-row input[type=file]')
        .first()
        .setInputFiles({
          name: 'quote-v2.pdf',
          mimeType: 'application/pdf',
          buffer: makePdf(1),
        });
      await tab.getByText('v2').first().waitFor();
    },
    60_000,
  );
});
