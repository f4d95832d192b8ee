/** Debian Chromium driven by playwright-core (no downloaded browser builds). */
import { chromium, type Browser, type Page } from 'playwright-core';

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
