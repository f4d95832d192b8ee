/**
 * Acceptance (issue #4, CC-08) with real SIP peers: a blacklisted number is refused with SIP 603
 * before the IVR, a blacklisted prefix with an announcement, both kept as `blocked` CDRs with the
 * entry's counter raised; an expired or removed entry blocks nothing. Contract: POST/GET/DELETE
 * /api/blacklist and `disposition: 'blocked'`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeSipPort } from '../support/ports.ts';
import { runSipp } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

interface Entry {
  id: string;
  number: string;
  match: string;
  action: string;
  active: boolean;
  blockedCalls: number;
}
interface Cdr {
  callId: string;
  caller: string;
  disposition: string;
  ivrAt: string | null;
  queue: string | null;
}

let sut: SystemUnderTest;
let sup: ApiClient;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
});
afterAll(async () => {
  await sut?.stop();
});

async function newestCdr(caller: string): Promise<Cdr> {
  let cdr: Cdr | undefined;
  await expect
    .poll(async () => {
      cdr = (await sup.json<Cdr[]>('GET', '/api/cdrs?limit=20')).find((c) => c.caller === caller);
      return cdr && cdr.disposition !== 'in_progress' ? cdr.disposition : 'waiting';
    })
    .not.toBe('waiting');
  return cdr!;
}

describe('blacklist API', () => {
  it('validates, normalises and refuses duplicates; only supervisors and admins may use it', async () => {
    const bad = await sup.request('POST', '/api/blacklist', { number: 'abc', reason: 'x' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: { field: string }[] } }).error.fields[0]?.field).toBe(
      'number',
    );
    const past = await sup.request('POST', '/api/blacklist', {
      number: '13900000001',
      reason: 'x',
      expiresAt: '2020-01-01T00:00:00+08:00',
    });
    expect(past.status).toBe(400);
    const noReason = await sup.request('POST', '/api/blacklist', { number: '13900000001' });
    expect(noReason.status).toBe(400);

    const entry = await sup.json<Entry>('POST', '/api/blacklist', {
      number: '139 0000 0001',
      reason: '骚扰电话',
    });
    expect(entry).toMatchObject({ number: '+8613900000001', match: 'exact', action: 'reject', active: true });
    expect(
      (await sup.request('POST', '/api/blacklist', { number: '+8613900000001', reason: 'again' })).status,
    ).toBe(409);
    const found = await sup.json<{ items: Entry[]; total: number }>('GET', '/api/blacklist?q=1390000');
    expect(found.items.map((e) => e.id)).toEqual([entry.id]);

    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1001');
    expect((await agent.request('GET', '/api/blacklist')).status).toBe(403);
    expect(
      (await agent.request('POST', '/api/blacklist', { number: '13900000002', reason: 'x' })).status,
    ).toBe(403);
    expect((await agent.request('DELETE', `/api/blacklist/${entry.id}`)).status).toBe(403);
  });
});

describe('blocked calls', () => {
  it('declines a blacklisted number with 603 before the IVR and records a blocked CDR', async () => {
    const port = await freeSipPort();
    const call = runSipp({
      scenario: 'caller-rejected.xml',
      target: `127.0.0.1:${sut.sipPort}`,
      localPort: port,
      service: '4008001000',
      vars: { caller: '13900000001' },
    });
    const r = await call.done;
    expect(r.code, r.output.slice(-2000)).toBe(0);
    const cdr = await newestCdr('13900000001');
    expect(cdr).toMatchObject({ disposition: 'blocked', ivrAt: null, queue: null });
    const list = await sup.json<{ items: Entry[] }>('GET', '/api/blacklist');
    expect(list.items.find((e) => e.number === '+8613900000001')?.blockedCalls).toBe(1);
  });

  it('plays the refusal notice to a blocked prefix, and lets the caller through once unblocked', async () => {
    const prefix = await sup.json<Entry>('POST', '/api/blacklist', {
      number: '0592*',
      reason: '诈骗来源号段',
      action: 'announce',
    });
    expect(prefix).toMatchObject({ number: '+86592', match: 'prefix' });
    const port = await freeSipPort();
    const target = `127.0.0.1:${sut.sipPort}`;
    const announced = runSipp({
      scenario: 'caller-hears-refusal.xml',
      target,
      localPort: port,
      mediaPort: port + 1100,
      service: '4008001000',
      vars: { caller: '05925551234' },
    });
    const r = await announced.done;
    expect(r.code, r.output.slice(-2000)).toBe(0);
    expect(await newestCdr('05925551234')).toMatchObject({ disposition: 'blocked', ivrAt: null });

    const del = await sup.request('DELETE', `/api/blacklist/${prefix.id}`);
    expect(del.status).toBe(204);
    expect((await sup.request('DELETE', `/api/blacklist/${prefix.id}`)).status).toBe(404);
    const through = runSipp({
      scenario: 'caller-hangup-in-ivr.xml',
      target,
      localPort: port + 2,
      mediaPort: port + 1102,
      service: '4008001000',
      vars: { caller: '05925559999', listen_ms: 1000 },
    });
    const t = await through.done;
    expect(t.code, t.output.slice(-2000)).toBe(0);
    const cdr = await newestCdr('05925559999');
    expect(cdr.disposition).toBe('ivr');
    expect(cdr.ivrAt).not.toBeNull();
  });
});
