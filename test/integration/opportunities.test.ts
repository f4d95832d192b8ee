import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

interface Opportunity {
  id: string;
  ownerId: string;
  stageId: string;
  status: string;
  probability: number;
  amount: number | null;
  scoreTotal: number;
  reasonId: string | null;
  closedAt: string | null;
}
interface ApiError {
  error: { code: string; fields: { field: string }[] };
}

/** Opportunities (机会管理) over HTTP with the demo sales department, on both databases. */
describe.each(systemDatabases())('opportunities on %s', (database) => {
  let sut: SystemUnderTest;
  const api: Record<string, ApiClient> = {};
  const ids: Record<string, string> = {};
  let huadong = '';
  let shenzhen = '';

  const customerId = async (name: string) =>
    (await api.admin!.json<{ id: string }[]>('GET', `/api/customers?q=${encodeURIComponent(name)}`))[0]!.id;
  const fieldOf = async (res: Response) => ((await res.json()) as ApiError).error.fields[0]?.field;

  beforeAll(async () => {
    sut = await startSystemUnderTest({}, database);
    for (const who of ['admin', 'salesmgr', 'sales1', 'sales2', '1001']) {
      api[who] = new ApiClient(sut.baseUrl);
      await api[who].login(who);
      ids[who] = (await api[who].json<{ user: { id: string } }>('GET', '/api/auth/me')).user.id;
    }
    huadong = await customerId('华东电子商贸'); // sales1's
    shenzhen = await customerId('深圳智联'); // sales2's
  }, 120_000);
  afterAll(async () => {
    await sut?.stop();
  });

  it('describes its routes in /api/openapi.json', async () => {
    const doc = (await (await fetch(`${sut.baseUrl}/api/openapi.json`)).json()) as { paths: object };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/opportunities',
        '/api/opportunities/forecast',
        '/api/opportunities/{id}/move',
        '/api/opportunities/{id}/history',
        '/api/opportunity-stages',
        '/api/opportunity-reasons',
        '/api/employee/reports',
        '/api/employee/reports/inbox',
        '/api/employee/reports/{id}/comments',
        '/api/employee/performance',
      ]),
    );
  });

  it('seeds the logistics pipeline with entry criteria and won/lost reasons', async () => {
    const stages = await api.sales1!.json<{ id: string; nameZh: string; requiredFields: string[] }[]>(
      'GET',
      '/api/opportunity-stages',
    );
    expect(stages.map((s) => s.nameZh)).toEqual(['线索', '需求确认', '方案报价', '商务谈判', '赢单', '输单']);
    expect(stages.find((s) => s.id === 'qualify')!.requiredFields).toEqual(['amount']);
    const reasons = await api.sales1!.json<{ outcome: string }[]>('GET', '/api/opportunity-reasons');
    expect(new Set(reasons.map((r) => r.outcome))).toEqual(new Set(['won', 'lost']));
    // Only admins configure the pipeline.
    const stage = { nameZh: '试运', nameEn: 'Trial shipment', probability: 60, sort: 35 };
    expect((await api.salesmgr!.request('POST', '/api/opportunity-stages', stage)).status).toBe(403);
  });

  it('enforces entry criteria, sets the stage probability, keeps history and the timeline', async () => {
    const deal = await api.sales1!.json<Opportunity>('POST', '/api/opportunities', {
      customerId: huadong,
      title: '华东—成都专线 年度合同',
      scores: { budget: 4, need: 5 },
    });
    expect(deal).toMatchObject({ stageId: 'lead', ownerId: ids.sales1, probability: 10, scoreTotal: 9 });

    const refused = await api.sales1!.request('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'qualify',
    });
    expect(refused.status).toBe(400);
    expect(await fieldOf(refused)).toBe('amount');

    await api.sales1!.json('PATCH', `/api/opportunities/${deal.id}`, { amount: 480_000 });
    const qualified = await api.sales1!.json<Opportunity>('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'qualify',
    });
    expect(qualified).toMatchObject({ stageId: 'qualify', probability: 25, amount: 480_000 });
    // The probability is overridable; a field the stage requires cannot be cleared.
    expect(
      (await api.sales1!.json<Opportunity>('PATCH', `/api/opportunities/${deal.id}`, { probability: 30 }))
        .probability,
    ).toBe(30);
    const cleared = await api.sales1!.request('PATCH', `/api/opportunities/${deal.id}`, { amount: null });
    expect(cleared.status).toBe(400);
    expect(await fieldOf(cleared)).toBe('amount');

    const proposal = await api.sales1!.request('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'proposal',
    });
    expect(await fieldOf(proposal)).toBe('expectedCloseDate');

    const history = await api.sales1!.json<
      { fromStageId: string | null; toStageId: string; movedBy: string }[]
    >('GET', `/api/opportunities/${deal.id}/history`);
    expect(history.map((h) => [h.fromStageId, h.toStageId, h.movedBy])).toEqual([
      [null, 'lead', ids.sales1],
      ['lead', 'qualify', ids.sales1],
    ]);
    const timeline = await api.sales1!.json<{ items: { kind: string; refId: string }[] }>(
      'GET',
      `/api/customers/${huadong}/timeline?kind=opportunity`,
    );
    expect(timeline.items.filter((e) => e.refId === deal.id)).toHaveLength(2);
  });

  it('wins and loses with reasons of the right outcome', async () => {
    const deal = await api.sales1!.json<Opportunity>('POST', '/api/opportunities', {
      customerId: huadong,
      title: '冷链仓配 试点',
      amount: 120_000,
      expectedCloseDate: '2026-12-31',
    });
    const noReason = await api.sales1!.request('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'won',
    });
    expect(await fieldOf(noReason)).toBe('reasonId');
    const wrongReason = await api.sales1!.request('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'won',
      reasonId: 'lost-price',
    });
    expect(await fieldOf(wrongReason)).toBe('reasonId');
    const won = await api.sales1!.json<Opportunity>('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'won',
      reasonId: 'won-coverage',
      reasonNote: '西南线路覆盖最全',
    });
    expect(won).toMatchObject({ status: 'won', probability: 100, reasonId: 'won-coverage' });
    expect(won.closedAt).not.toBeNull();

    const lost = await api.sales1!.json<Opportunity>('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'lost',
      reasonId: 'lost-competitor',
    });
    expect(lost).toMatchObject({ status: 'lost', probability: 0 });
    // Reopening clears the outcome.
    const reopened = await api.sales1!.json<Opportunity>('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'proposal',
    });
    expect(reopened).toMatchObject({ status: 'open', reasonId: null, closedAt: null, probability: 50 });
  });

  it('scopes: sales1 and sales2 see only their own deals, salesmgr both, admin all, agents none', async () => {
    const mine = await api.sales1!.json<Opportunity>('POST', '/api/opportunities', {
      customerId: huadong,
      title: 'scope test sales1',
      amount: 10_000,
    });
    const theirs = await api.sales2!.json<Opportunity>('POST', '/api/opportunities', {
      customerId: shenzhen,
      title: 'scope test sales2',
      amount: 20_000,
    });
    // A customer outside the caller's scope is an invalid field, not a leak.
    const foreign = await api.sales1!.request('POST', '/api/opportunities', {
      customerId: shenzhen,
      title: 'x',
    });
    expect(foreign.status).toBe(400);
    expect(await fieldOf(foreign)).toBe('customerId');

    const listed = async (who: string) =>
      (await api[who]!.json<Opportunity[]>('GET', '/api/opportunities?q=scope%20test&limit=500')).map(
        (o) => o.id,
      );
    expect(await listed('sales1')).toEqual([mine.id]);
    expect(await listed('sales2')).toEqual([theirs.id]);
    expect((await listed('salesmgr')).sort()).toEqual([mine.id, theirs.id].sort());
    expect((await listed('admin')).sort()).toEqual([mine.id, theirs.id].sort());
    expect(await listed('1001')).toEqual([]);

    for (const [method, path, body] of [
      ['GET', `/api/opportunities/${theirs.id}`, undefined],
      ['GET', `/api/opportunities/${theirs.id}/history`, undefined],
      ['PATCH', `/api/opportunities/${theirs.id}`, { title: 'hijack' }],
      ['POST', `/api/opportunities/${theirs.id}/move`, { stageId: 'qualify' }],
      ['DELETE', `/api/opportunities/${theirs.id}`, undefined],
    ] as const)
      expect((await api.sales1!.request(method, path, body)).status, `${method} ${path}`).toBe(404);
    expect(
      (await api['1001']!.request('POST', '/api/opportunities', { customerId: huadong, title: 'x' })).status,
    ).toBe(403);
    // Salespeople do not hand deals to others; the manager does, within the team.
    expect(
      (await api.sales1!.request('PATCH', `/api/opportunities/${mine.id}`, { ownerId: ids.sales2 })).status,
    ).toBe(403);
    const moved = await api.salesmgr!.json<Opportunity>('PATCH', `/api/opportunities/${mine.id}`, {
      ownerId: ids.sales2,
    });
    expect(moved.ownerId).toBe(ids.sales2);
    expect((await api.sales1!.request('GET', `/api/opportunities/${mine.id}`)).status).toBe(404);

    // Forecast counts only deals in the caller's scope.
    const forecast = async (who: string) =>
      api[who]!.json<{ key: string; amount: number; weighted: number }[]>(
        'GET',
        '/api/opportunities/forecast?groupBy=owner',
      );
    expect((await forecast('sales2')).map((r) => r.key)).toEqual([ids.sales2]);
    const team = await forecast('salesmgr');
    expect(team.map((r) => r.key)).toContain(ids.sales2);
    expect(team.every((r) => r.weighted <= r.amount)).toBe(true);

    await api.sales2!.json('GET', `/api/opportunities/${mine.id}`);
    expect((await api.sales2!.request('DELETE', `/api/opportunities/${mine.id}`)).status).toBe(204);
    expect((await api.salesmgr!.request('GET', `/api/opportunities/${mine.id}`)).status).toBe(404);
  });

  it('admins configure stages: entry criteria apply at once, a used stage is only deactivated', async () => {
    const stage = await api.admin!.json<{ id: string; requiredFields: string[] }>(
      'POST',
      '/api/opportunity-stages',
      {
        id: 'trial',
        nameZh: '试运',
        nameEn: 'Trial shipment',
        sort: 35,
        probability: 60,
        requiredFields: ['scores'],
      },
    );
    expect(stage.requiredFields).toEqual(['scores']);
    const bad = await api.admin!.request('POST', '/api/opportunity-stages', {
      nameZh: 'x',
      nameEn: 'x',
      probability: 101,
    });
    expect(await fieldOf(bad)).toBe('body.probability');

    const deal = await api.sales1!.json<Opportunity>('POST', '/api/opportunities', {
      customerId: huadong,
      title: '试运 测试',
      scores: { budget: 3, authority: 3, need: 4 },
    });
    const refused = await api.sales1!.request('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'trial',
    });
    expect(await fieldOf(refused)).toBe('scores');
    await api.sales1!.json('PATCH', `/api/opportunities/${deal.id}`, { scores: { timing: 2 } });
    const moved = await api.sales1!.json<Opportunity>('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'trial',
    });
    expect(moved).toMatchObject({ stageId: 'trial', probability: 60, scoreTotal: 12 });

    expect((await api.admin!.request('DELETE', '/api/opportunity-stages/trial')).status).toBe(409);
    await api.admin!.json('PATCH', '/api/opportunity-stages/trial', { active: false });
    const back = await api.sales1!.request('POST', `/api/opportunities/${deal.id}/move`, {
      stageId: 'trial',
    });
    expect(await fieldOf(back)).toBe('stageId');
  });
});
