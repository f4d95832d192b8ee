/**
 * Acceptance (issue #2) in a real browser: agent 1001 logs in, clicks Ready, a SIPp call from a
 * demo customer's number arrives, and the screen pop shows the customer's name before the agent's
 * phone answers; after hangup the call is in the call records list and its recording plays.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSystem } from '../support/browser.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let browser: Browser;
useBrowserSystem((s, b) => ([sut, browser] = [s, b]));

describe('agent desk in Chromium', () => {
  it('logs in, goes ready, pops the caller’s customer card, and lists the call afterwards', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const agentPort = await freeSipPort();
    await sippRegister(target, agentPort, '1001', 'demo1234');

    const page = await browser.newPage({ locale: 'zh-CN' });
    await page.goto(`${sut.baseUrl}/login`);
    await page.getByTestId('login-username').fill('1001');
    await page.getByTestId('login-password').fill('demo1234');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('btn-ready').click();
    await expect.poll(() => page.getByTestId('agent-state').getAttribute('data-state')).toBe('ready');

    // The agent's phone waits 3 s before answering, so the card must be on screen while it rings.
    const agent = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: agentPort,
      mediaPort: agentPort + 1000,
      vars: { answer_delay: 3000 },
    });
    const callerPort = agentPort + 2;
    const caller = runSipp({
      scenario: 'caller-dtmf.xml',
      target,
      localPort: callerPort,
      mediaPort: callerPort + 1100,
      service: '4008001000',
      vars: { caller: '+8613900000002', bridge_wait_ms: 4000, talk_ms: 2000 },
    });
    await page.getByTestId('screen-pop-name').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('screen-pop-name').textContent()).toContain('成都天府食品有限公司');
    const stateWhilePopped = await page.getByTestId('agent-state').getAttribute('data-state');
    expect(['reserved', 'ready']).toContain(stateWhilePopped);

    const [c, a] = await Promise.all([caller.done, agent.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a.code, a.output.slice(-2000)).toBe(0);
    await expect
      .poll(() => page.getByTestId('agent-state').getAttribute('data-state'))
      .toBe('after_call_work');

    await page.goto(`${sut.baseUrl}/cdrs`);
    const row = page.getByTestId('cdr-row').first();
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('13900000002');

    // The recording plays in the page (CC-10): the audio element loads the WAV and advances.
    const audio = row.getByTestId('cdr-recording');
    /** The parts of HTMLAudioElement used here (the test runs in Node, without DOM types). */
    type AudioElement = { muted: boolean; play(): Promise<void>; currentTime: number; duration: number };
    await audio.evaluate((el: AudioElement) => {
      el.muted = true;
      return el.play();
    });
    await expect
      .poll(() => audio.evaluate((el: AudioElement) => el.currentTime), { timeout: 10_000 })
      .toBeGreaterThan(0.5);
    expect(await audio.evaluate((el: AudioElement) => el.duration)).toBeGreaterThan(1);
    await sippRegister(target, agentPort, '1001', 'demo1234', 0);
  }, 90_000);
});
