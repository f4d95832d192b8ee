/**
 * Acceptance (issue #5, IVR-02) in Chromium: a supervisor keeps the road conditions and branches
 * the hotline reads out. The 路况 page lists the demo routes, adds a segment through the form,
 * imports a CSV whose bad line is reported by its line number while the good one lands; the 网点
 * page shows the server's refusal of a bad phone number under that field, then saves the branch;
 * the IVR flow editor shows the flow's metrics. The API confirms what the pages did.
 */
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { ApiClient, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let browser: Browser;
let api: ApiClient;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));
beforeAll(async () => {
  api = new ApiClient(sut.baseUrl);
  await api.login('supervisor');
}, 60_000);

interface Page_<T> {
  items: T[];
  total: number;
}

function fieldError(page: Page, testId: string) {
  return page
    .locator('.ant-form-item')
    .filter({ has: page.getByTestId(testId) })
    .locator('.ant-form-item-explain-error');
}

describe('road conditions and branches pages in Chromium', () => {
  it('a supervisor adds a segment and imports a sheet on the 路况 page', async () => {
    const page = await signIn(browser, sut.baseUrl, 'supervisor');
    await page.locator('.ant-menu-item').filter({ hasText: '路况' }).click();
    await page.getByTestId('road-row').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/road-conditions');
    expect(await page.getByTestId('road-row').count()).toBe(10);

    await page.getByTestId('road-new').click();
    await page.getByTestId('road-form-destination').fill('西安');
    await page.getByTestId('road-form-segment').fill('郑州—西安');
    await page.getByTestId('road-form-status').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '拥堵' }).click();
    await page.getByTestId('road-form-note').fill('连霍高速车多');
    await page.getByTestId('road-form-submit').click();
    await page.getByTestId('road-form').waitFor({ state: 'detached' });
    const xian = await api.json<Page_<{ segment: string; status: string; route: string }>>(
      'GET',
      `/api/road-conditions?destination=${encodeURIComponent('西安')}`,
    );
    expect(xian.items).toEqual([
      expect.objectContaining({ route: '上海—西安', segment: '郑州—西安', status: 'congested' }),
    ]);
    await page.locator('[data-testid="road-row"]', { hasText: '郑州—西安' }).waitFor();

    const csv = ['origin,destination,segment,status', '上海,厦门,上海—福州,slow', '上海,厦门,,normal'].join(
      '\n',
    );
    await page.locator('input[type=file]').setInputFiles({
      name: 'roads.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('第 3 行 · segment');
    const xiamen = await api.json<Page_<unknown>>(
      'GET',
      `/api/road-conditions?destination=${encodeURIComponent('厦门')}`,
    );
    expect(xiamen.total).toBe(1);
    await page.close();
  }, 60_000);

  it('a bad phone number on the 网点 page is refused under its field, then the branch is saved', async () => {
    const page = await signIn(browser, sut.baseUrl, 'supervisor');
    await page.locator('.ant-menu-item').filter({ hasText: '网点' }).click();
    await page.getByTestId('branch-row').first().waitFor();
    await page.getByTestId('branch-new').click();
    await page.getByTestId('branch-form-city').fill('西安');
    await page.getByTestId('branch-form-name').fill('西安雁塔网点');
    await page.getByTestId('branch-form-address').fill('雁塔区科技路1号');
    await page.getByTestId('branch-form-hours').fill('周一至周五 9:00-18:00');
    await page.getByTestId('branch-form-phone').fill('call us');
    await page.getByTestId('branch-form-submit').click();
    await fieldError(page, 'branch-form-phone').waitFor();
    expect(await fieldError(page, 'branch-form-phone').textContent()).toContain('phone number');
    await page.getByTestId('branch-form-phone').fill('029-88881234');
    await page.getByTestId('branch-form-submit').click();
    await page.getByTestId('branch-form').waitFor({ state: 'detached' });
    const xian = await api.json<Page_<{ name: string; phone: string }>>(
      'GET',
      `/api/branches?city=${encodeURIComponent('西安')}`,
    );
    expect(xian.items).toEqual([expect.objectContaining({ name: '西安雁塔网点', phone: '029-88881234' })]);
    await page.close();
  }, 60_000);

  it('the IVR flow editor shows the flow metrics', async () => {
    const flows = await api.json<{ id: string }[]>('GET', '/api/ivr/flows');
    const page = await signIn(browser, sut.baseUrl, 'supervisor');
    await page.goto(`${sut.baseUrl}/ivr/${flows[0]!.id}`);
    const card = page.getByTestId('flow-metrics');
    await card.waitFor();
    await card.locator('.ant-statistic').first().waitFor();
    expect(await card.textContent()).toContain('自助完成率');
    await page.close();
  }, 60_000);
});
