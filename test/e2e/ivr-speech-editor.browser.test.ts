/**
 * Acceptance (issue #5, IVR-04) in Chromium: the flow editor's form for an `asr` node. An
 * administrator opens a hotline whose first node listens for a spoken waybill number, sets a
 * minimum length above the maximum — validation names the node's minDigits field — puts it back,
 * and runs a test call whose typed digits stand in for speech: the step shows what was "heard".
 */
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WAYBILLS } from '../../src/cli/demo-shipments.ts';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { ApiClient, type SystemUnderTest } from '../support/system-under-test.ts';

const HOTLINE = '4008001000';
const WAYBILL = DEMO_WAYBILLS.delivered;

const speechFlow = {
  name: '语音查件',
  start: 'ask',
  nodes: {
    ask: {
      verb: 'asr',
      prompt: [{ tts: 'Please say your waybill number.', lang: 'en' }],
      into: 'waybill',
      minDigits: 9,
      maxDigits: 12,
      next: 'find',
      noInput: 'bye',
    },
    find: { verb: 'lookup', source: 'waybill', input: 'waybill', found: 'bye', notFound: 'bye' },
    bye: { verb: 'hangup', prompt: [{ tts: 'Goodbye.', lang: 'en' }] },
  },
};

let sut: SystemUnderTest;
let browser: Browser;
let flowId: string;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));
beforeAll(async () => {
  const admin = new ApiClient(sut.baseUrl);
  await admin.login('admin');
  const flows = await admin.json<{ id: string; serviceNumbers: string[] }[]>('GET', '/api/ivr/flows');
  flowId = flows.find((f) => f.serviceNumbers.includes(HOTLINE))!.id;
  await admin.json('POST', '/api/ivr/flows', { id: flowId, document: speechFlow });
  await admin.json('POST', `/api/ivr/flows/${flowId}/publish`, {});
});

const logIn = (username: string): Promise<Page> =>
  signIn(browser, sut.baseUrl, username, { width: 1500, height: 1000 });

describe('asr node in the IVR editor', () => {
  it('edits an asr node in its form, shows a range error at minDigits, and test-calls it with typed digits', async () => {
    const page = await logIn('admin');
    await page.getByRole('menuitem', { name: '语音导航' }).click();
    await page.getByTestId(`open-flow-${flowId}`).click();
    await page.getByTestId('flow-editor').waitFor();
    await page.getByTestId('graph-node-ask').click();
    await page.getByTestId('node-form').waitFor();
    expect(await page.getByTestId('node-into').inputValue()).toBe('waybill');

    await page.getByTestId('node-minDigits').fill('13');
    await page.getByTestId('flow-validate').click();
    const error = page.getByTestId('field-error-minDigits');
    await error.waitFor();
    expect(await error.textContent()).toContain('minDigits (13) must not be greater than maxDigits (12)');

    await page.getByTestId('node-minDigits').fill('9');
    await page.getByTestId('flow-validate').click();
    await page.getByText('流程有效').first().waitFor();

    await page.getByTestId('test-digits').fill(WAYBILL);
    await page.getByTestId('test-run').click();
    await page.getByTestId('test-outcome').waitFor();
    expect(await page.getByTestId('test-step-0').getAttribute('data-node')).toBe('ask');
    expect(await page.getByTestId('test-step-0').textContent()).toContain(`识别为 ${WAYBILL}`);
    await page.close();
  });
});
