import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

interface Credit {
  hidden: boolean;
  rating: string | null;
  limitAmount: number | null;
  pendingRequestId: string | null;
}
interface CreditRequest {
  id: string;
  status: string;
  rating: string;
  limitAmount: number;
  previousRating: string | null;
  decidedByName: string | null;
}

/** Credit (资信): request, approval by a manager, history, field hiding and audit. */
describe.each(systemDatabases())('customer credit on %s', (database) => {
  let sut: SystemUnderTest;
  const api: Record<string, ApiClient> = {};
  let customer = '';

  beforeAll(async () => {
    sut = await startSystemUnderTest({}, database);
    for (const who of ['admin', 'salesmgr', 'sales1', 'sales2', '1001']) {
      api[who] = new ApiClient(sut.baseUrl);
      await api[who].login(who);
    }
    const found = await api.admin!.json<{ id: string }[]>(
      'GET',
      `/api/customers?q=${encodeURIComponent('成都天府食品')}`,
    );
    customer = found[0]!.id; // sales1's
  }, 120_000);
  afterAll(async () => {
    await sut?.stop();
  });

  it('a request changes nothing until a manager approves it; then it is the credit and in the history', async () => {
    const ask = { rating: 'B', limitAmount: 200000, reason: '月结客户，回款及时' };
    expect(
      (await api.sales2!.request('POST', `/api/customers/${customer}/credit/requests`, ask)).status,
    ).toBe(404);
    const bad = await api.sales1!.request('POST', `/api/customers/${customer}/credit/requests`, {
      ...ask,
      rating: 'E',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('rating');
    const req = await api.sales1!.json<CreditRequest>(
      'POST',
      `/api/customers/${customer}/credit/requests`,
      ask,
    );
    expect(req.status).toBe('pending');
    expect(
      (await api.sales1!.request('POST', `/api/customers/${customer}/credit/requests`, ask)).status,
    ).toBe(409);
    const before = await api.sales1!.json<Credit>('GET', `/api/customers/${customer}/credit`);
    expect(before).toMatchObject({ hidden: false, rating: null, pendingRequestId: req.id });

    // The salesperson cannot approve; a peer's manager scope does not reach; the manager can.
    expect((await api.sales1!.request('POST', `/api/credit/requests/${req.id}/approve`, {})).status).toBe(
      403,
    );
    const pending = await api.salesmgr!.json<CreditRequest[]>('GET', '/api/credit/requests?status=pending');
    expect(pending.map((r) => r.id)).toContain(req.id);
    const approved = await api.salesmgr!.json<CreditRequest>(
      'POST',
      `/api/credit/requests/${req.id}/approve`,
      {
        comment: '同意',
      },
    );
    expect(approved.status).toBe('approved');
    expect(approved.decidedByName).toBeTruthy();
    expect((await api.salesmgr!.request('POST', `/api/credit/requests/${req.id}/reject`, {})).status).toBe(
      409,
    );
    expect(await api.sales1!.json<Credit>('GET', `/api/customers/${customer}/credit`)).toMatchObject({
      rating: 'B',
      limitAmount: 200000,
      pendingRequestId: null,
    });

    // A rejected request leaves the credit as it was; both stay in the history.
    const second = await api.sales1!.json<CreditRequest>(
      'POST',
      `/api/customers/${customer}/credit/requests`,
      {
        rating: 'A',
        limitAmount: 1000000,
        reason: '业务量增长',
      },
    );
    expect(second.previousRating).toBe('B');
    await api.admin!.json('POST', `/api/credit/requests/${second.id}/reject`, { comment: '待观察' });
    expect((await api.sales1!.json<Credit>('GET', `/api/customers/${customer}/credit`)).rating).toBe('B');
    const history = await api.sales1!.json<CreditRequest[]>(
      'GET',
      `/api/credit/requests?customerId=${customer}`,
    );
    expect(history.map((r) => [r.id, r.status])).toEqual([
      [second.id, 'rejected'],
      [req.id, 'approved'],
    ]);
    // The requester hears about both decisions.
    const notes = await api.sales1!.json<{ items: { kind: string; refId: string }[] }>(
      'GET',
      '/api/notifications',
    );
    expect(
      notes.items
        .filter((n) => n.refId === req.id || n.refId === second.id)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['credit.approved', 'credit.rejected']);
    // On the timeline without the values, which agents read too.
    const timeline = await api['1001']!.json<{ items: { refId: string; title: string; detail: object }[] }>(
      'GET',
      `/api/customers/${customer}/timeline?kind=credit`,
    );
    const entry = timeline.items.find((i) => i.refId === req.id)!;
    expect(JSON.stringify(entry)).not.toContain('200000');
    // Audited.
    const auditRows = await api.admin!.json<{ action: string }[] | { items: { action: string }[] }>(
      'GET',
      '/api/audit?limit=200',
    );
    const actions = (Array.isArray(auditRows) ? auditRows : auditRows.items).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['credit.request', 'credit.approve', 'credit.reject']));
  });

  it('credit fields are hidden from roles without the right; the history is out of their reach', async () => {
    const agentView = await api['1001']!.json<Credit>('GET', `/api/customers/${customer}/credit`);
    expect(agentView).toEqual({
      customerId: customer,
      hidden: true,
      rating: null,
      limitAmount: null,
      updatedAt: null,
      pendingRequestId: null,
    });
    expect(
      await api['1001']!.json<CreditRequest[]>('GET', `/api/credit/requests?customerId=${customer}`),
    ).toEqual([]);
    expect(
      (
        await api['1001']!.request('POST', `/api/customers/${customer}/credit/requests`, {
          rating: 'A',
          limitAmount: 1,
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    expect((await api.sales2!.request('GET', `/api/customers/${customer}/credit`)).status).toBe(404);
    expect(
      (await api.sales2!.json<CreditRequest[]>('GET', `/api/credit/requests?customerId=${customer}`)).length,
    ).toBe(0);
  });
});
