import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

interface Report {
  id: string;
  userId: string;
  kind: string;
  weekStart: string;
  comments: { authorId: string; body: string }[];
}
interface Performance {
  userId: string;
  contactRecords: number;
  opportunitiesCreated: number;
  opportunitiesAdvanced: number;
  opportunitiesWon: number;
  wonAmount: number;
}

/** Employee center (weekly plans, summaries, suggestions, performance) on both databases. */
describe.each(systemDatabases())('employee center on %s', (database) => {
  let sut: SystemUnderTest;
  const api: Record<string, ApiClient> = {};
  const ids: Record<string, string> = {};
  let huadong = '';

  beforeAll(async () => {
    sut = await startSystemUnderTest({}, database);
    for (const who of ['admin', 'salesmgr', 'sales1', 'sales2']) {
      api[who] = new ApiClient(sut.baseUrl);
      await api[who].login(who);
      ids[who] = (await api[who].json<{ user: { id: string } }>('GET', '/api/auth/me')).user.id;
    }
    huadong = (
      await api.admin!.json<{ id: string }[]>('GET', `/api/customers?q=${encodeURIComponent('华东电子商贸')}`)
    )[0]!.id;
  }, 120_000);
  afterAll(async () => {
    await sut?.stop();
  });

  it('a weekly plan reaches the manager, who comments; peers neither see nor comment', async () => {
    const plan = await api.sales1!.json<Report>('POST', '/api/employee/reports', {
      kind: 'plan',
      weekStart: '2026-11-26', // a Thursday: stored as that week's Monday
      title: '第48周计划',
      body: '拜访华东电子商贸，推进成都专线报价',
    });
    expect(plan).toMatchObject({ userId: ids.sales1, kind: 'plan', weekStart: '2026-11-23' });
    const bad = await api.sales1!.request('POST', '/api/employee/reports', {
      kind: 'plan',
      title: 'x',
      body: '',
    });
    expect(bad.status).toBe(400);

    const inbox = await api.salesmgr!.json<Report[]>('GET', '/api/employee/reports/inbox');
    expect(inbox.map((r) => r.id)).toContain(plan.id);
    expect((await api.sales2!.request('GET', `/api/employee/reports/${plan.id}`)).status).toBe(404);
    expect((await api.sales2!.json<Report[]>('GET', '/api/employee/reports')).map((r) => r.id)).not.toContain(
      plan.id,
    );
    expect(
      (await api.sales2!.request('POST', `/api/employee/reports/${plan.id}/comments`, { body: 'hi' })).status,
    ).toBe(404);
    expect(
      (await api.salesmgr!.request('PATCH', `/api/employee/reports/${plan.id}`, { title: 'x' })).status,
    ).toBe(403);

    const commented = await api.salesmgr!.json<Report>('POST', `/api/employee/reports/${plan.id}/comments`, {
      body: '先确认运量',
    });
    expect(commented.comments).toEqual([
      expect.objectContaining({ authorId: ids.salesmgr, body: '先确认运量' }),
    ]);
    const seen = await api.sales1!.json<Report>('GET', `/api/employee/reports/${plan.id}`);
    expect(seen.comments).toHaveLength(1);
    expect(
      (await api.admin!.json<Report[]>('GET', '/api/employee/reports?kind=plan')).map((r) => r.id),
    ).toContain(plan.id);
  });

  it('performance counts what each person did in the period, within the caller scope', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const q = `/api/employee/performance?from=${today}&to=${today}`;
    const before = await api.salesmgr!.json<Performance[]>('GET', q);
    const mine = (rows: Performance[]) => rows.find((r) => r.userId === ids.sales1)!;

    await api.sales1!.json('POST', '/api/contact-records', {
      customerId: huadong,
      kind: 'call',
      occurredAt: new Date().toISOString(),
      result: 'interested',
      summary: '电话沟通运价',
    });
    const deal = await api.sales1!.json<{ id: string }>('POST', '/api/opportunities', {
      customerId: huadong,
      title: '业绩测试',
      amount: 50_000,
    });
    await api.sales1!.json('POST', `/api/opportunities/${deal.id}/move`, { stageId: 'qualify' });
    await api.sales1!.json('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'won',
      reasonId: 'won-price',
    });

    const after = await api.salesmgr!.json<Performance[]>('GET', q);
    expect(mine(after).contactRecords - mine(before).contactRecords).toBe(1);
    expect(mine(after).opportunitiesCreated - mine(before).opportunitiesCreated).toBe(1);
    expect(mine(after).opportunitiesAdvanced - mine(before).opportunitiesAdvanced).toBe(1);
    expect(mine(after).opportunitiesWon - mine(before).opportunitiesWon).toBe(1);
    expect(mine(after).wonAmount - mine(before).wonAmount).toBe(50_000);
    expect(after.map((r) => r.userId)).toEqual(
      expect.arrayContaining([ids.sales1, ids.sales2, ids.salesmgr]),
    );

    expect((await api.sales2!.json<Performance[]>('GET', q)).map((r) => r.userId)).toEqual([ids.sales2]);
    const backwards = await api.sales1!.request(
      'GET',
      `/api/employee/performance?from=${today}&to=2000-01-01`,
    );
    expect(backwards.status).toBe(400);
  });
});
