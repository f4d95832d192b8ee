/**
 * Acceptance (issue #5) in Chromium: an administrator opens the hotline flow in the IVR editor,
 * adds menu choice 9 to a node that does not exist yet — validation shows the error at that node
 * and field and marks the node in the graph — then adds the hangup node with a goodbye prompt,
 * validates cleanly, saves version 2, publishes it and runs a test call with "9" that ends at the
 * new hangup node. The API confirms the published version and its document; publishing version 1
 * again (after confirming) rolls back.
 */
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { ApiClient, type SystemUnderTest } from '../support/system-under-test.ts';

const HOTLINE = '4008001000';
const GOODBYE = '感谢您的来电，再见！';

interface FlowDetail {
  id: string;
  publishedVersion: number | null;
  latestVersion: number;
  serviceNumbers: string[];
  versions: { version: number; document: { nodes: Record<string, Record<string, unknown>> } }[];
}

let sut: SystemUnderTest;
let browser: Browser;
let admin: ApiClient;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));
beforeAll(async () => {
  admin = new ApiClient(sut.baseUrl);
  await admin.login('admin');
});

const logIn = (username: string): Promise<Page> =>
  signIn(browser, sut.baseUrl, username, { width: 1500, height: 1000 });

async function hotline(): Promise<FlowDetail> {
  const flows = await admin.json<FlowDetail[]>('GET', '/api/ivr/flows');
  const id = flows.find((f) => f.serviceNumbers.includes(HOTLINE))!.id;
  return admin.json<FlowDetail>('GET', `/api/ivr/flows/${id}`);
}

describe('IVR flow editor in Chromium', () => {
  it('an admin edits the hotline menu, validates, saves, publishes, test-calls and rolls back', async () => {
    const before = await hotline();
    expect(before.publishedVersion).toBe(1);
    const page = await logIn('admin');

    await page.getByRole('menuitem', { name: '语音导航' }).click();
    await page.getByTestId('ivr-flows-page').waitFor();
    await page.getByTestId(`open-flow-${before.id}`).click();
    await page.getByTestId('flow-editor').waitFor();
    expect(await page.getByTestId('flow-published-version').textContent()).toContain('v1');
    // The graph draws every node and labels the menu's edges by key.
    await page.getByTestId('graph-node-track').waitFor();
    expect(await page.getByTestId('edge-welcome-choices.1').textContent()).toBe('1');

    // Choice 9 to a node that is not there yet: the error names node welcome and field choices.9.
    await page.getByTestId('graph-node-welcome').click();
    await page.getByTestId('new-choice-key').fill('9');
    await page.getByTestId('new-choice-target').fill('goodbye');
    await page.getByTestId('add-choice').click();
    await page.getByTestId('choice-9').waitFor();
    await page.getByTestId('flow-validate').click();
    const fieldError = page.getByTestId('field-error-choices');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain('choices.9 points to node "goodbye"');
    expect(await page.getByTestId('graph-node-welcome').getAttribute('data-error')).toBe('true');
    expect(await page.getByTestId('graph-node-track').getAttribute('data-error')).toBe('false');

    // Add the hangup node with its goodbye prompt; validation now passes.
    await page.getByTestId('new-node-id').fill('goodbye');
    await page.getByTestId('add-node').click();
    await page.getByTestId('graph-node-goodbye').waitFor();
    await page.getByTestId('node-prompt-add-tts').click();
    await page.getByTestId('node-prompt-tts-0').fill(GOODBYE);
    await page.getByTestId('flow-validate').click();
    await page.getByText('流程有效').first().waitFor();
    expect(await page.getByTestId('graph-node-welcome').getAttribute('data-error')).toBe('false');
    expect(await page.getByTestId('flow-error-count').count()).toBe(0);

    // Save as version 2, then publish it (confirmed).
    await page.getByTestId('flow-save').click();
    await page.getByTestId('version-row-2').waitFor();
    expect((await hotline()).publishedVersion).toBe(1);
    await page.getByTestId('flow-publish').click();
    await page.getByTestId('publish-latest-confirm').click();
    await expect.poll(() => page.getByTestId('flow-published-version').textContent()).toContain('v2');

    // Test call: 9 walks welcome → goodbye and hangs up after the goodbye prompt.
    await page.getByTestId('test-digits').fill('9');
    await page.getByTestId('test-run').click();
    const outcome = page.getByTestId('test-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-outcome')).toBe('hangup');
    expect(await outcome.getAttribute('data-node')).toBe('goodbye');
    expect(await page.getByTestId('test-step-0').getAttribute('data-node')).toBe('welcome');
    expect(await page.getByTestId('test-step-0').textContent()).toContain('按键 9');
    expect(await page.getByTestId('test-step-1').textContent()).toContain(GOODBYE);

    // The API agrees: version 2 is live, with the new choice and node.
    const after = await hotline();
    expect(after.publishedVersion).toBe(2);
    const v2 = after.versions.find((v) => v.version === 2)!.document;
    expect(v2.nodes.welcome!.choices).toMatchObject({ '9': 'goodbye', '1': 'track', '0': 'agent' });
    expect(v2.nodes.goodbye).toEqual({ verb: 'hangup', prompt: [{ tts: GOODBYE, lang: 'zh' }] });

    // Publishing version 1 again is a rollback, after confirming.
    await page.getByTestId('publish-version-1').click();
    await page.getByTestId('publish-confirm').click();
    await expect.poll(() => page.getByTestId('flow-published-version').textContent()).toContain('v1');
    expect((await hotline()).publishedVersion).toBe(1);
    await page.close();
  });
});
