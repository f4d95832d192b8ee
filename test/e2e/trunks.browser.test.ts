/**
 * Acceptance (issue #4: CC-01, CC-08, CC-15) in Chromium: an admin manages trunks and outbound
 * routes on the trunks page. A trunk registering with a carrier (SIPp registrar checking the digest
 * for the typed password) is created after the server's field error is shown next to the field,
 * and shows as registered from the live monitor; a route is created on it with its dial format
 * and caller ID. The API confirms both; the password never comes back in any response the page
 * received; a supervisor sees the page without the editing controls; deleting asks first, a trunk
 * still used by a route is refused, and deleting the trunk unregisters it at the carrier.
 */
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn, useBrowserSystem } from '../support/browser.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp } from '../support/sipp.ts';
import { ApiClient, type SystemUnderTest } from '../support/system-under-test.ts';

const PASSWORD = 'carrier-secret';

let sut: SystemUnderTest;
let browser: Browser;
let admin: ApiClient;

useBrowserSystem((s, b) => ([sut, browser] = [s, b]));
beforeAll(async () => {
  admin = new ApiClient(sut.baseUrl);
  await admin.login('admin');
});

const logIn = (username: string): Promise<Page> => signIn(browser, sut.baseUrl, username);

/** The error antd shows under the form item that holds `testId`. */
function fieldError(page: Page, testId: string) {
  return page
    .locator('.ant-form-item')
    .filter({ has: page.getByTestId(testId) })
    .locator('.ant-form-item-explain-error');
}

describe('trunks page in Chromium', () => {
  it('an admin creates a registering trunk and a route, sees them live, and deletes them after confirming', async () => {
    const registrarPort = await freeSipPort(3000);
    const registrar = runSipp({
      scenario: 'carrier-registrar.xml',
      target: `127.0.0.1:${sut.sipPort}`,
      localPort: registrarPort,
      timeoutSec: 120,
    });

    const page = await logIn('admin');
    // Every API response the page receives, and what it sent when creating the trunk.
    const responses: Promise<{ url: string; status: number; body: string }>[] = [];
    page.on('response', (res) => {
      if (!new URL(res.url()).pathname.startsWith('/api/')) return;
      responses.push(
        res.text().then(
          (body) => ({ url: res.url(), status: res.status(), body }),
          () => ({ url: res.url(), status: res.status(), body: '' }),
        ),
      );
    });
    const trunkPosts: string[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/trunks')
        trunkPosts.push(req.postData() ?? '');
    });

    // The page is in the admin navigation.
    await page.getByRole('menuitem', { name: '中继与外呼路由' }).click();
    await page.getByTestId('trunks-page').waitFor();
    expect(new URL(page.url()).pathname).toBe('/trunks');
    await page.getByTestId('trunks-table').waitFor();
    expect(await page.getByTestId('trunk-row').count()).toBe(0);

    // A trunk with a host the server refuses: its message appears next to the host field.
    await page.getByTestId('btn-new-trunk').click();
    await page.getByTestId('trunk-form-name').fill('carrier-reg');
    await page.getByTestId('trunk-form-host').fill('not a host!');
    await page.getByTestId('trunk-form-port').fill(String(registrarPort));
    await page.getByTestId('trunk-form-register').click();
    await page.getByTestId('trunk-form-username').fill('sy-trunk-01');
    await page.getByTestId('trunk-form-password').fill(PASSWORD);
    await page.getByTestId('trunk-form-expires').fill('300');
    await page.getByTestId('trunk-form-submit').click();
    await expect
      .poll(() => fieldError(page, 'trunk-form-host').textContent(), { timeout: 10_000 })
      .toContain('a host name or IPv4 address');
    expect(await page.getByTestId('trunk-form-error').textContent()).toContain('请修正标出的字段');
    expect(await admin.json<unknown[]>('GET', '/api/trunks')).toEqual([]);

    await page.getByTestId('trunk-form-host').fill('127.0.0.1');
    await page.getByTestId('trunk-form-submit').click();
    await page.getByTestId('trunk-form').waitFor({ state: 'detached', timeout: 10_000 });
    const trunkRow = page.locator('[data-testid="trunk-row"][data-trunk-name="carrier-reg"]');
    await trunkRow.waitFor({ timeout: 10_000 });
    expect(await trunkRow.getByTestId('trunk-peer').textContent()).toBe(`127.0.0.1:${registrarPort}/UDP`);
    expect(await trunkRow.getByTestId('trunk-has-password').count()).toBe(1);

    const trunks = await admin.json<Record<string, unknown>[]>('GET', '/api/trunks');
    expect(trunks).toHaveLength(1);
    expect(trunks[0]).toMatchObject({
      name: 'carrier-reg',
      host: '127.0.0.1',
      port: registrarPort,
      transport: 'udp',
      register: true,
      username: 'sy-trunk-01',
      hasPassword: true,
      domain: null,
      registerExpires: 300,
      maxChannels: null,
      enabled: true,
    });
    const trunkId = String(trunks[0]!.id);
    expect(await trunkRow.getAttribute('data-trunk-id')).toBe(trunkId);

    // The carrier accepted the digest for the typed password; the page shows it from the live monitor.
    await expect.poll(() => trunkRow.getAttribute('data-status'), { timeout: 20_000 }).toBe('registered');
    expect(await trunkRow.getByTestId('channels').textContent()).toBe('0 / 不限');

    // Editing never shows the password: the field is empty and says the stored one stays.
    await trunkRow.getByTestId('btn-edit-trunk').click();
    const password = page.getByTestId('trunk-form-password');
    await password.waitFor();
    expect(await password.inputValue()).toBe('');
    expect(await password.getAttribute('placeholder')).toBe('不修改');
    expect(await page.getByTestId('trunk-form-username').inputValue()).toBe('sy-trunk-01');
    await page.getByTestId('trunk-form-cancel').click();
    await page.getByTestId('trunk-form').waitFor({ state: 'detached' });

    // A route on that trunk; a caller ID the server refuses is marked on its field first.
    await page.getByTestId('btn-new-route').click();
    await page.getByTestId('route-form-name').fill('国内手机');
    await page.getByTestId('route-form-prefix').fill('+86');
    await page.getByTestId('route-form-trunk').click();
    await page.getByTestId('route-trunk-option-carrier-reg').click();
    await page.getByTestId('route-form-priority').fill('5');
    await page.getByTestId('route-form-strip').fill('+86');
    await page.getByTestId('route-form-prepend').fill('0');
    // The dial format as the carrier will get it, while typing.
    await expect
      .poll(() => page.getByTestId('route-form-preview').textContent())
      .toBe('示例：+8613812345678 → 发送 013812345678');
    // A written form of the prefix is stored as E.164.
    await page.getByTestId('route-form-prefix').fill('0086');
    await page.getByTestId('route-form-caller-id').fill('hotline');
    await page.getByTestId('route-form-max-channels').fill('2');
    await page.getByTestId('route-form-submit').click();
    await expect
      .poll(() => fieldError(page, 'route-form-caller-id').textContent(), { timeout: 10_000 })
      .toContain('a phone number');
    expect(await admin.json<unknown[]>('GET', '/api/outbound-routes')).toEqual([]);
    await page.getByTestId('route-form-caller-id').fill('02812345678');
    await page.getByTestId('route-form-submit').click();
    await page.getByTestId('route-form').waitFor({ state: 'detached', timeout: 10_000 });

    const routeRow = page.locator('[data-testid="route-row"][data-route-name="国内手机"]');
    await routeRow.waitFor({ timeout: 10_000 });
    expect(await routeRow.getByTestId('route-prefix').textContent()).toBe('+86');
    expect(await routeRow.getByTestId('route-trunk').textContent()).toBe('carrier-reg');
    expect(await routeRow.getByTestId('route-dial-format').textContent()).toBe('去掉 +86，加 0');
    expect(await routeRow.getByTestId('route-caller-id').textContent()).toBe('02812345678');
    await expect.poll(() => routeRow.getByTestId('channels').textContent()).toBe('0 / 2');
    const routes = await admin.json<Record<string, unknown>[]>('GET', '/api/outbound-routes');
    expect(routes).toEqual([
      expect.objectContaining({
        name: '国内手机',
        prefix: '+86',
        trunkId,
        priority: 5,
        callerId: '02812345678',
        stripPrefix: '+86',
        prepend: '0',
        maxChannels: 2,
      }),
    ]);
    const routeId = String(routes[0]!.id);

    // A supervisor reads the same page but cannot change anything.
    const supPage = await logIn('supervisor');
    await supPage.goto(`${sut.baseUrl}/trunks`);
    await supPage
      .locator('[data-testid="route-row"][data-route-name="国内手机"]')
      .waitFor({ timeout: 10_000 });
    expect(await supPage.locator('[data-testid="trunk-row"][data-trunk-name="carrier-reg"]').count()).toBe(1);
    for (const control of [
      'btn-new-trunk',
      'btn-edit-trunk',
      'btn-delete-trunk',
      'btn-new-route',
      'btn-delete-route',
    ])
      expect(await supPage.getByTestId(control).count(), control).toBe(0);
    await supPage.close();

    // Deleting the trunk a route uses: the confirmation says so, and the server refuses.
    await trunkRow.getByTestId('btn-delete-trunk').click();
    await expect.poll(() => page.getByTestId('confirm-delete-trunk').textContent()).toContain('国内手机');
    await page.getByTestId('btn-confirm-delete-trunk').click();
    await expect
      .poll(() => page.locator('.ant-message').first().textContent(), { timeout: 10_000 })
      .toContain('删除失败');
    expect((await admin.json<unknown[]>('GET', '/api/trunks')).length).toBe(1);

    // Deleting the route asks first: nothing is gone until confirmed.
    await routeRow.getByTestId('btn-delete-route').click();
    await page.getByTestId('confirm-delete-route').waitFor();
    expect((await admin.json<{ id: string }[]>('GET', '/api/outbound-routes')).map((r) => r.id)).toEqual([
      routeId,
    ]);
    await page.getByTestId('btn-confirm-delete-route').click();
    await routeRow.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await admin.json<unknown[]>('GET', '/api/outbound-routes')).toEqual([]);

    // Now the trunk: confirmed, it is deleted and unregistered at the carrier (Expires: 0).
    await trunkRow.getByTestId('btn-delete-trunk').click();
    await expect.poll(() => page.getByTestId('confirm-delete-trunk').textContent()).toContain('注销');
    expect((await admin.json<unknown[]>('GET', '/api/trunks')).length).toBe(1);
    await page.getByTestId('btn-confirm-delete-trunk').click();
    await trunkRow.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await admin.json<unknown[]>('GET', '/api/trunks')).toEqual([]);
    const r = await registrar.done;
    expect(r.code, r.output.slice(-3000)).toBe(0);

    // The page sent the password once (on the create that succeeded, and on the one refused before it)…
    expect(trunkPosts).toHaveLength(2);
    for (const body of trunkPosts) expect(JSON.parse(body)).toMatchObject({ password: PASSWORD });
    // …and no response it received ever carried it back.
    const received = await Promise.all(responses);
    const urls = received.map((res) => `${res.status} ${new URL(res.url).pathname}`);
    expect(urls).toContain('201 /api/trunks');
    expect(urls).toContain('200 /api/trunks');
    expect(urls).toContain('200 /api/monitor/trunks');
    for (const res of received) expect(res.body, res.url).not.toContain(PASSWORD);
    await page.close();
  }, 120_000);
});
