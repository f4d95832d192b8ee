/**
 * `GET /api/screen-pop`: the card for a ringing number in any written form — customer, contacts,
 * open tasks, latest timeline entries — within the asker's data scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimelineService } from '../../src/crm/timeline/index.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
const as: Record<string, ApiClient> = {};

interface Pop {
  e164: string | null;
  matches: {
    id: string;
    name: string;
    matchedContactId: string | null;
    contacts: { id: string; name: string }[];
    openTasks: { subject: string }[];
    recent: { title: string }[];
  }[];
}

beforeAll(async () => {
  sut = await startSystemUnderTest();
  for (const user of ['1001', 'sales1', 'sales2']) {
    as[user] = new ApiClient(sut.baseUrl);
    await as[user].login(user);
  }
}, 60_000);

afterAll(async () => {
  await sut?.stop();
});

describe('GET /api/screen-pop', () => {
  it('pops a salesperson’s customer for its owner and for agents, not for another salesperson', async () => {
    const created = await as['sales1']!.json<{ id: string; contacts: { id: string }[] }>(
      'POST',
      '/api/customers',
      {
        name: '成都蓉城冷链物流有限公司',
        contacts: [{ name: '周敏', phones: ['028-8765 4321'] }],
      },
    );
    const timeline = new TimelineService(sut.system.database.db);
    for (let i = 1; i <= 7; i++)
      await timeline.append({
        customerId: created.id,
        kind: 'call',
        title: `通话 ${i}`,
        occurredAt: new Date(Date.UTC(2026, 10, i)),
      });
    const supervisor = new ApiClient(sut.baseUrl);
    await supervisor.login('supervisor');
    const task = await supervisor.request('POST', '/api/work-items', {
      channel: 'task',
      queue: 'general',
      subject: '回电：冷链报价',
      customerId: created.id,
    });
    expect(task.status, await task.clone().text()).toBeLessThan(300);

    const number = encodeURIComponent('+86 28 87654321');
    const mine = await as['sales1']!.json<Pop>('GET', `/api/screen-pop?number=${number}`);
    expect(mine.e164).toBe('+862887654321');
    expect(mine.matches.map((m) => m.name)).toEqual(['成都蓉城冷链物流有限公司']);
    const [card] = mine.matches;
    expect(card!.matchedContactId).toBe(created.contacts[0]!.id);
    expect(card!.recent.map((r) => r.title)).toEqual(['通话 7', '通话 6', '通话 5', '通话 4', '通话 3']);
    expect(card!.openTasks.map((t) => t.subject)).toEqual(['回电：冷链报价']);

    const agent = await as['1001']!.json<Pop>(
      'GET',
      `/api/screen-pop?number=${encodeURIComponent('02887654321')}`,
    );
    expect(agent.matches.map((m) => m.id)).toEqual([created.id]);
    const other = await as['sales2']!.json<Pop>('GET', `/api/screen-pop?number=${number}`);
    expect(other).toEqual({ e164: '+862887654321', matches: [] });
  });

  it('answers an unknown or unreadable number with no matches, and a missing one with 400', async () => {
    expect(await as['1001']!.json<Pop>('GET', '/api/screen-pop?number=13999999999')).toEqual({
      e164: '+8613999999999',
      matches: [],
    });
    expect(await as['1001']!.json<Pop>('GET', '/api/screen-pop?number=hello')).toEqual({
      e164: null,
      matches: [],
    });
    const missing = await as['1001']!.request('GET', '/api/screen-pop');
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('number');
  });
});
