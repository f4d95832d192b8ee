/**
 * ACD-06/07 and CC-15 with a real caller: with no agent ready, a SIPp caller presses 0 and waits;
 * the metrics show one caller waiting, and after they hang up, one abandoned call and a service
 * level of 0 for the day. CDR disposition is `abandoned`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freeSipPort } from '../support/ports.ts';
import { runSipp } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

interface Metrics {
  groups: {
    name: string;
    waiting: number;
    oldestWaitSec: number | null;
    abandonedToday: number;
    offeredToday: number;
    serviceLevelToday: number | null;
  }[];
}

let sut: SystemUnderTest;
beforeAll(async () => {
  sut = await startSystemUnderTest();
});
afterAll(async () => {
  await sut?.stop();
});

describe('queue metrics with a waiting caller', () => {
  it('counts the waiting caller live, then the abandoned call', async () => {
    const sup = new ApiClient(sut.baseUrl);
    await sup.login('supervisor');
    const ws = new WebSocket(`${sut.baseUrl.replace('http', 'ws')}/api/cti`, {
      headers: { cookie: sup.cookieHeader },
    });
    const pushed: Metrics[] = [];
    ws.on('message', (m: Buffer) => {
      const msg = JSON.parse(m.toString()) as { type: string; data: Metrics };
      if (msg.type === 'queue.metrics') pushed.push(msg.data);
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });

    const port = await freeSipPort();
    const caller = runSipp({
      scenario: 'caller-dtmf.xml',
      target: `127.0.0.1:${sut.sipPort}`,
      localPort: port,
      mediaPort: port + 1100,
      service: '4008001000',
      vars: { caller: '13600000004', bridge_wait_ms: 500, talk_ms: 6500 },
    });
    const general = async () =>
      (await sup.json<Metrics>('GET', '/api/acd/metrics')).groups.find((g) => g.name === 'general');
    await expect.poll(async () => (await general())?.waiting, { timeout: 10_000 }).toBe(1);
    expect((await general())?.oldestWaitSec).toBeGreaterThanOrEqual(0);
    await expect
      .poll(() => pushed.some((m) => m.groups.find((g) => g.name === 'general')?.waiting === 1), {
        timeout: 5_000,
      })
      .toBe(true);

    const r = await caller.done;
    expect(r.code, r.output.slice(-2000)).toBe(0);
    await expect.poll(async () => (await general())?.abandonedToday, { timeout: 10_000 }).toBe(1);
    expect(await general()).toMatchObject({ waiting: 0, offeredToday: 1, serviceLevelToday: 0 });
    const [cdr] = await sup.json<{ disposition: string; queue: string; answeredAt: string | null }[]>(
      'GET',
      '/api/cdrs?limit=1',
    );
    expect(cdr).toMatchObject({ disposition: 'abandoned', queue: 'general', answeredAt: null });
    ws.close();
  }, 60_000);
});
