import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

interface ContactRecord {
  id: string;
  customerId: string;
  authorId: string;
  status: string;
  summary: string;
  reviewComment: string | null;
  reviewerName: string | null;
  outingId: string | null;
}
interface Notifications {
  items: { id: string; kind: string; refId: string | null; body: string; read: boolean }[];
  unread: number;
}
interface Outing {
  id: string;
  status: string;
  plannedDate: string;
  contactRecordId: string | null;
  departLocation: string | null;
}

/** Contact records (联系记录) with review (批复) and outings over HTTP with the demo sales department. */
describe.each(systemDatabases())('contact records and outings on %s', (database) => {
  let sut: SystemUnderTest;
  const api: Record<string, ApiClient> = {};
  const ids: Record<string, string> = {};
  let huadong = '';
  let shenzhen = '';

  const customerId = async (name: string) =>
    (await api.admin!.json<{ id: string }[]>('GET', `/api/customers?q=${encodeURIComponent(name)}`))[0]!.id;

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

  it('sales1 writes, salesmgr reviews from the inbox, sales1 is notified; the record is frozen', async () => {
    const record = await api.sales1!.json<ContactRecord>('POST', '/api/contact-records', {
      customerId: huadong,
      kind: 'visit',
      occurredAt: '2026-11-20T09:30:00+08:00',
      result: 'follow_up',
      summary: '拜访采购部，对华东—成都专线报价有兴趣',
      nextStep: '发送报价单',
      nextStepDate: '2026-11-25',
    });
    expect(record).toMatchObject({ status: 'pending', authorId: ids.sales1, customerId: huadong });

    const inbox = await api.salesmgr!.json<ContactRecord[]>('GET', '/api/contact-records/inbox?limit=200');
    expect(inbox.map((r) => r.id)).toContain(record.id);
    expect(inbox.every((r) => r.status === 'pending')).toBe(true);
    // Neither a peer nor the author reviews.
    const reply = { comment: '先确认运量，再报阶梯价' };
    for (const who of ['sales2', 'sales1'])
      expect(
        (await api[who]!.request('POST', `/api/contact-records/${record.id}/review`, reply)).status,
      ).toBe(who === 'sales2' ? 404 : 403);
    expect((await api.sales1!.json<ContactRecord[]>('GET', '/api/contact-records/inbox')).length).toBe(0);

    const before = await api.sales1!.json<Notifications>('GET', '/api/notifications?unread=true');
    const reviewed = await api.salesmgr!.json<ContactRecord>(
      'POST',
      `/api/contact-records/${record.id}/review`,
      reply,
    );
    expect(reviewed).toMatchObject({ status: 'reviewed', reviewComment: reply.comment });
    expect(reviewed.reviewerName).toBeTruthy();
    expect(
      (await api.salesmgr!.request('POST', `/api/contact-records/${record.id}/review`, reply)).status,
    ).toBe(409);
    expect(
      (await api.salesmgr!.json<ContactRecord[]>('GET', '/api/contact-records/inbox?limit=200')).map(
        (r) => r.id,
      ),
    ).not.toContain(record.id);

    const after = await api.sales1!.json<Notifications>('GET', '/api/notifications?unread=true');
    expect(after.unread).toBe(before.unread + 1);
    const note = after.items.find((n) => n.refId === record.id)!;
    expect(note).toMatchObject({ kind: 'contact_record.reviewed', body: reply.comment, read: false });
    // Notifications are private: another user cannot mark it.
    expect((await api.sales2!.request('POST', `/api/notifications/${note.id}/read`)).status).toBe(404);
    expect((await api.sales1!.request('POST', `/api/notifications/${note.id}/read`)).status).toBe(204);
    expect((await api.sales1!.json<Notifications>('GET', '/api/notifications')).unread).toBe(
      after.unread - 1,
    );

    // Reviewed records are frozen.
    expect(
      (await api.sales1!.request('PATCH', `/api/contact-records/${record.id}`, { summary: 'x' })).status,
    ).toBe(409);
    expect((await api.sales1!.request('DELETE', `/api/contact-records/${record.id}`)).status).toBe(409);

    // And on the customer's timeline with the reply.
    const timeline = await api.sales1!.json<{
      items: { kind: string; refId: string; detail: { reviewComment?: string } }[];
    }>('GET', `/api/customers/${huadong}/timeline?kind=contact_record`);
    const entry = timeline.items.find((i) => i.refId === record.id)!;
    expect(entry.detail.reviewComment).toBe(reply.comment);
  });

  it('scopes: sales2 cannot see or change sales1 records; the manager and admin can', async () => {
    const record = await api.sales1!.json<ContactRecord>('POST', '/api/contact-records', {
      customerId: huadong,
      kind: 'call',
      occurredAt: '2026-11-21T10:00:00Z',
      result: 'interested',
      summary: '电话回访',
    });
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { summary: 'changed' }],
      ['DELETE', undefined],
    ] as const)
      expect((await api.sales2!.request(method, `/api/contact-records/${record.id}`, body)).status).toBe(404);
    const sales2List = await api.sales2!.json<ContactRecord[]>('GET', '/api/contact-records?limit=200');
    expect(sales2List.every((r) => r.authorId === ids.sales2)).toBe(true);
    expect((await api.salesmgr!.request('GET', `/api/contact-records/${record.id}`)).status).toBe(200);
    expect((await api.admin!.request('GET', `/api/contact-records/${record.id}`)).status).toBe(200);
    const res = await api.sales1!.request('GET', `/api/contact-records?customerId=${huadong}&limit=1`);
    expect(Number(res.headers.get('x-total-count'))).toBeGreaterThanOrEqual(2);
    // A customer outside the caller's scope cannot get a record; bad input names the field.
    const bad = await api.sales1!.request('POST', '/api/contact-records', {
      customerId: shenzhen,
      kind: 'call',
      occurredAt: '2026-11-21T10:00:00Z',
      result: 'interested',
      summary: 'x',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('customerId');
    const badKind = await api.sales1!.request('POST', '/api/contact-records', {
      customerId: huadong,
      kind: 'fax',
      occurredAt: '2026-11-21T10:00:00Z',
      result: 'interested',
      summary: 'x',
    });
    expect(badKind.status).toBe(400);
    expect(await badKind.text()).toContain('kind');
    const badCall = await api.sales1!.request('PATCH', `/api/contact-records/${record.id}`, {
      cdrId: 'cdr_nonexistent',
    });
    expect(badCall.status).toBe(400);
    expect(await badCall.text()).toContain('cdrId');
    // Pending records are editable by the author.
    const edited = await api.sales1!.json<ContactRecord>('PATCH', `/api/contact-records/${record.id}`, {
      summary: '电话回访，约下周拜访',
    });
    expect(edited.summary).toBe('电话回访，约下周拜访');
    expect((await api.sales1!.request('GET', '/api/contact-records')).status).toBe(200);
    expect((await new ApiClient(sut.baseUrl).request('GET', '/api/contact-records')).status).toBe(401);
  });

  it('outings: plan for the week, depart, return, link the contact record; scoped by user', async () => {
    const outing = await api.sales1!.json<Outing>('POST', '/api/outings', {
      customerId: huadong,
      plannedDate: '2026-11-26',
      purpose: '签订年度运输合同',
    });
    expect(outing.status).toBe('planned');
    const bad = await api.sales1!.request('POST', '/api/outings', {
      customerId: huadong,
      plannedDate: '26.11.2026',
      purpose: 'x',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('plannedDate');
    expect((await api.sales1!.request('POST', `/api/outings/${outing.id}/return`, {})).status).toBe(409);
    const out = await api.sales1!.json<Outing>('POST', `/api/outings/${outing.id}/depart`, {
      at: '2026-11-26T01:00:00Z',
      location: '公司',
    });
    expect(out).toMatchObject({ status: 'out', departLocation: '公司' });
    expect((await api.sales2!.request('POST', `/api/outings/${outing.id}/return`, {})).status).toBe(404);
    const back = await api.sales1!.json<Outing>('POST', `/api/outings/${outing.id}/return`, {
      at: '2026-11-26T06:00:00Z',
    });
    expect(back.status).toBe('returned');
    const record = await api.sales1!.json<ContactRecord>('POST', '/api/contact-records', {
      customerId: huadong,
      kind: 'visit',
      occurredAt: '2026-11-26T03:00:00Z',
      result: 'deal',
      summary: '合同已签',
      outingId: outing.id,
    });
    expect(record.outingId).toBe(outing.id);
    const week = await api.sales1!.json<{ from: string; to: string; items: Outing[] }>(
      'GET',
      '/api/outings?week=2026-11-26',
    );
    expect(week).toMatchObject({ from: '2026-11-23', to: '2026-11-29' });
    expect(week.items.find((o) => o.id === outing.id)?.contactRecordId).toBe(record.id);
    const mgrWeek = await api.salesmgr!.json<{ items: Outing[] }>('GET', '/api/outings?week=2026-11-23');
    expect(mgrWeek.items.map((o) => o.id)).toContain(outing.id);
    const peerWeek = await api.sales2!.json<{ items: Outing[] }>('GET', '/api/outings?week=2026-11-23');
    expect(peerWeek.items.map((o) => o.id)).not.toContain(outing.id);
    // sales2 cannot tie a record to sales1's outing.
    const foreign = await api.sales2!.request('POST', '/api/contact-records', {
      customerId: shenzhen,
      kind: 'visit',
      occurredAt: '2026-11-26T03:00:00Z',
      result: 'deal',
      summary: 'x',
      outingId: outing.id,
    });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('outingId');
  });
});
