/**
 * GET /api/customers/{id}/timeline (CRM-13, issue #5) on the running system: newest first with a
 * total, paginated, filtered by kind; any signed-in user (as for reading customers); 404 for an
 * unknown customer, 401 without a session, 400 naming the field for a bad page size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimelineService } from '../../src/crm/timeline/index.ts';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

interface Page {
  total: number;
  items: { id: string; kind: string; title: string; refId: string | null; occurredAt: string }[];
}

describe.each(systemDatabases())('customer timeline API on %s', (database) => {
  let sut: SystemUnderTest;
  let agent: ApiClient;
  let customerId: string;

  beforeAll(async () => {
    sut = await startSystemUnderTest({}, database);
    agent = new ApiClient(sut.baseUrl);
    await agent.login('1001');
    const [c] = await agent.json<{ id: string }[]>('GET', '/api/customers?phone=13800000001');
    customerId = c!.id;
    const timeline = new TimelineService(sut.system.database.db);
    const at = (min: number) => new Date(Date.UTC(2026, 10, 20, 9, min));
    await timeline.append({ customerId, kind: 'call', title: 'first call', occurredAt: at(0) });
    await timeline.append({
      customerId,
      kind: 'ivr_session',
      refId: 'call-2',
      title: 'IVR self-service: ivr',
      detail: { summary: 'welcome (input 1) → track (found)' },
      occurredAt: at(5),
    });
    await timeline.append({
      customerId,
      kind: 'voicemail',
      refId: 'vm_1',
      title: 'Voicemail',
      occurredAt: at(9),
    });
  }, 60_000);
  afterAll(async () => {
    await sut?.stop();
  });

  it('lists the entries newest first with the total, a page at a time', async () => {
    const all = await agent.json<Page>('GET', `/api/customers/${customerId}/timeline`);
    expect(all.total).toBe(3);
    expect(all.items.map((i) => i.kind)).toEqual(['voicemail', 'ivr_session', 'call']);
    expect(all.items[1]).toMatchObject({ refId: 'call-2', occurredAt: '2026-11-20T09:05:00.000Z' });
    const second = await agent.json<Page>('GET', `/api/customers/${customerId}/timeline?limit=1&offset=1`);
    expect(second).toMatchObject({ total: 3, items: [{ kind: 'ivr_session' }] });
    const vms = await agent.json<Page>('GET', `/api/customers/${customerId}/timeline?kind=voicemail`);
    expect(vms).toMatchObject({ total: 1, items: [{ refId: 'vm_1' }] });
  });

  it('answers 404 for an unknown customer, 401 without a session, 400 for a bad limit', async () => {
    expect((await agent.request('GET', '/api/customers/cus_nobody/timeline')).status).toBe(404);
    const anonymous = new ApiClient(sut.baseUrl);
    expect((await anonymous.request('GET', `/api/customers/${customerId}/timeline`)).status).toBe(401);
    const bad = await agent.request('GET', `/api/customers/${customerId}/timeline?limit=0`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('limit');
  });
});
