/** Debian Chromium driven by playwright-core (no downloaded browser builds). */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startSystemUnderTest, type SystemUnderTest } from './system-under-test.ts';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A signed-in page in its own browser context (so several users keep separate sessions), in
 * Chinese, after the layout shows who is signed in. Every demo user's password is demo1234.
 */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  username: string,
  viewport: { width: number; height: number } = { width: 1400, height: 900 },
): Promise<Page> {
  const page = await browser.newPage({ locale: 'zh-CN', viewport });
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('demo1234');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

/**
 * A browser test file's fixtures: one system under test (with `env`) and one Chromium, started
 * together before the file's other beforeAll hooks and stopped after its tests. `assign` hands
 * them to the file's variables.
 */
export function useBrowserSystem(
  assign: (sut: SystemUnderTest, browser: Browser) => void,
  env: Record<string, string> = {},
): void {
  let sut: SystemUnderTest | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [sut, browser] = await Promise.all([startSystemUnderTest(env), launchChromium()]);
    assign(sut, browser);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sut?.stop();
  });
}
