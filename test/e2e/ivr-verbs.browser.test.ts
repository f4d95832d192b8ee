/**
 * Acceptance (issue #5) in Chromium: the IVR editor's form for a webhook node. An administrator
 * adds one behind menu key 7 and fills its form; an ftp address is refused at field "url" and a
 * fallback equal to next at field "fallback"; with an https address and another fallback the flow
 * validates and the node's JSON holds what the form wrote (the mapped response field included).
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { ApiClient, type SystemUnderTest } from '../support/system-under-test.ts';

const HOTLINE = '4008001000';

let sut: SystemUnderTest;
let browser: Browser;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));

/** Choose in an Ant Design select by typing (its option list is virtual: not every option is drawn). */
async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(option);
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
  // The list fades out after the choice: wait until it is gone, or the next pick sees two lists.
  await page.waitForFunction(
    "!document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')",
  );
}

describe('IVR editor forms for the issue #5 verbs', () => {
  it('an admin adds a webhook node through its form and validates it', async () => {
    const admin = new ApiClient(sut.baseUrl);
    await admin.login('admin');
    const flows = await admin.json<{ id: string; serviceNumbers: string[] }[]>('GET', '/api/ivr/flows');
    const id = flows.find((f) => f.serviceNumbers.includes(HOTLINE))!.id;

    const page = await signIn(browser, sut.baseUrl, 'admin', { width: 1500, height: 1000 });
    page.setDefaultTimeout(10_000);
    await page.goto(`${sut.baseUrl}/ivr/${id}`);
    await page.getByTestId('flow-editor').waitFor();
    await page.getByTestId('graph-node-welcome').click();
    await page.getByTestId('new-choice-key').fill('7');
    await page.getByTestId('new-choice-target').fill('hook');
    await page.getByTestId('add-choice').click();

    await page.getByTestId('new-node-id').fill('hook');
    await pick(page, 'new-node-verb', 'webhook');
    await page.getByTestId('add-node').click();
    await page.getByTestId('graph-node-hook').waitFor();
    await page.getByTestId('node-url').fill('ftp://files.example.com/eta');
    await page.getByTestId('node-map').fill('eta=data.eta');
    await pick(page, 'node-next', 'agent');
    await pick(page, 'node-fallback', 'agent');
    await page.getByTestId('flow-validate').click();
    const urlError = page.getByTestId('field-error-url');
    await urlError.waitFor();
    expect(await urlError.textContent()).toContain('is not an http:// or https:// address');
    // next and fallback lead to the same node: refused at field fallback too.
    expect(await page.getByTestId('field-error-fallback').textContent()).toContain('same node as next');

    await page.getByTestId('node-url').fill('https://api.example.com/eta?caller={caller}');
    await pick(page, 'node-fallback', 'track');
    await page.getByTestId('flow-validate').click();
    await page.getByText('流程有效').first().waitFor();

    await page.getByRole('tab', { name: 'JSON' }).click();
    const json = JSON.parse(await page.getByTestId('node-json').inputValue()) as Record<string, unknown>;
    expect(json).toMatchObject({
      verb: 'webhook',
      url: 'https://api.example.com/eta?caller={caller}',
      method: 'POST',
      timeoutMs: 3000,
      map: { eta: 'data.eta' },
      next: 'agent',
      fallback: 'track',
    });
    await page.close();
  }, 90_000);
});
