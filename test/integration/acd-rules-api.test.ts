/**
 * The ACD administration added for caller rules, holidays, channel capacity and work items
 * (issue #3: ACD-03, ACD-05, ACD-08): validation names the field, only supervisors and admins
 * change routing, and work items reach an agent's desk over CTI and respect capacity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDesk } from '../support/acd-fixtures.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let sup: ApiClient;
let ids: Record<string, string>;

interface ErrorBody {
  error: { code: string; fields: { field: string; message: string }[] };
}
interface WorkItem {
  id: string;
  status: string;
  agentId: string | null;
  subject: string;
}

beforeAll(async () => {
  sut = await startSystemUnderTest();
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  ids = Object.fromEntries(agents.map((a) => [a.extension, a.agentId]));
});
afterAll(async () => {
  await sut?.stop();
});

async function errorOf(res: Response): Promise<ErrorBody['error']> {
  return ((await res.json()) as ErrorBody).error;
}

describe('caller rules API', () => {
  it('starts with key customers one step ahead and a 24 h sticky window', async () => {
    const rules = await sup.json<Record<string, unknown>>('GET', '/api/acd/caller-rules');
    expect(rules).toMatchObject({
      tiers: [{ tier: 'key', priority: 1, group: null }],
      vipLists: [],
      prefixes: [],
      sticky: { enabled: true, windowHours: 24, fallbackSeconds: 20 },
      updatedAt: null,
    });
  });

  it('names the bad field: an invalid number, an unknown group, a rule with no effect', async () => {
    const res = await sup.request('PUT', '/api/acd/caller-rules', {
      vipLists: [{ name: 'gold', numbers: ['13800000001', '12345'], group: 'nosuch' }],
      prefixes: [{ prefix: '0755' }],
    });
    expect(res.status).toBe(400);
    const fields = (await errorOf(res)).fields.map((f) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining(['vipLists.0.numbers.1', 'vipLists.0.group', 'prefixes.0.group']),
    );
    const bad = await sup.request('PUT', '/api/acd/caller-rules', {
      prefixes: [{ prefix: 'abc', group: 'general' }],
    });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields[0]?.field).toBe('body.prefixes.0.prefix');
    // Nothing was saved by the rejected requests.
    expect(
      (await sup.json<{ updatedAt: string | null }>('GET', '/api/acd/caller-rules')).updatedAt,
    ).toBeNull();
  });

  it('stores canonical numbers and prefixes, and records who changed them', async () => {
    const saved = await sup.json<{
      vipLists: { numbers: string[] }[];
      prefixes: { prefix: string }[];
      updatedBy: string;
    }>('PUT', '/api/acd/caller-rules', {
      vipLists: [{ name: '金牌', numbers: ['138 0000 0001', '+86-138-0000-0001', '010-6552 8888'] }],
      prefixes: [
        { prefix: '0755', priority: 2 },
        { prefix: '+8610', group: 'general' },
        { prefix: '139', priority: 1 },
      ],
    });
    expect(saved.vipLists[0]?.numbers).toEqual(['+8613800000001', '+861065528888']);
    expect(saved.prefixes.map((p) => p.prefix)).toEqual(['+86755', '+8610', '+86139']);
    expect(saved.updatedBy).toMatch(/^usr_/);
  });

  it('is for supervisors and admins only', async () => {
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1001');
    expect((await agent.request('GET', '/api/acd/caller-rules')).status).toBe(403);
    expect((await agent.request('PUT', '/api/acd/caller-rules', {})).status).toBe(403);
    expect((await agent.request('PUT', '/api/acd/holidays', [])).status).toBe(403);
    expect((await agent.request('GET', '/api/acd/agent-states')).status).toBe(403);
    expect((await agent.request('POST', '/api/work-items', {})).status).toBe(403);
    expect((await new ApiClient(sut.baseUrl).request('GET', '/api/acd/holidays')).status).toBe(401);
  });
});

describe('holiday calendar API', () => {
  it('replaces the calendar, sorted by date, and rejects impossible or repeated dates', async () => {
    const saved = await sup.json<{ date: string; name: string }[]>('PUT', '/api/acd/holidays', [
      { date: '2027-10-01', name: '国庆节' },
      { date: '2027-01-01', name: '元旦' },
    ]);
    expect(saved.map((h) => h.date)).toEqual(['2027-01-01', '2027-10-01']);
    const bad = await sup.request('PUT', '/api/acd/holidays', [{ date: '2027-02-30', name: 'x' }]);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields[0]?.field).toBe('body.0.date');
    const twice = await sup.request('PUT', '/api/acd/holidays', [
      { date: '2027-05-01', name: '劳动节' },
      { date: '2027-05-01', name: '劳动节' },
    ]);
    expect(twice.status).toBe(400);
    expect(await sup.json('GET', '/api/acd/holidays')).toHaveLength(2);
  });
});

describe('holidays on the running ACD', () => {
  it('takes a scheduled membership off duty on a holiday and back on when it is removed', async () => {
    const allWeek = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '23:59' }];
    await sup.json('POST', '/api/acd/groups', {
      name: 'weekday',
      displayName: '工作日组',
      members: [
        { agentId: ids['1010'], level: 1, schedule: allWeek },
        { agentId: ids['1009'], level: 1, schedule: null },
      ],
    });
    const duty = async () => {
      const agents = await sup.json<{ extension: string; groups: { name: string; onDuty: boolean }[] }[]>(
        'GET',
        '/api/agents',
      );
      const of = (ext: string) =>
        agents.find((a) => a.extension === ext)?.groups.find((g) => g.name === 'weekday')?.onDuty;
      return { scheduled: of('1010'), always: of('1009') };
    };
    // 23:59–00:00 is outside the window: wait for the new day rather than skip the check.
    while (new Date().toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai' }).startsWith('23:59'))
      await new Promise((r) => setTimeout(r, 1000));
    expect(await duty()).toEqual({ scheduled: true, always: true });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const calendar = await sup.json<{ date: string; name: string }[]>('GET', '/api/acd/holidays');
    await sup.json('PUT', '/api/acd/holidays', [...calendar, { date: today, name: '公司假日' }]);
    expect(await duty()).toEqual({ scheduled: false, always: true });
    await sup.json('PUT', '/api/acd/holidays', calendar);
    expect(await duty()).toEqual({ scheduled: true, always: true });
  }, 90_000);
});

describe('work items (ACD-08)', () => {
  it('offers chats to a ready agent up to the agent’s capacity, over CTI', async () => {
    await sup.json('PUT', '/api/acd/groups/general', {
      displayName: '综合业务组',
      members: [{ agentId: ids['1008'], level: 1 }],
    });
    expect(await sup.json('PUT', `/api/agents/${ids['1008']}/capacity`, { chat: 2 })).toEqual({
      voice: 1,
      chat: 2,
      email: 5,
      sms: 5,
      task: 2,
    });
    expect((await sup.request('PUT', '/api/agents/agt_nosuch/capacity', { chat: 2 })).status).toBe(404);
    const desk = await agentDesk(sut, '1008');
    const created: WorkItem[] = [];
    for (const subject of ['运单 SF100 何时到', '发票抬头修改', '投诉: 包裹破损']) {
      created.push(
        await sup.json<WorkItem>('POST', '/api/work-items', {
          channel: 'chat',
          queue: 'general',
          subject,
          fromAddress: 'wx:openid-1',
        }),
      );
    }
    expect(created.every((i) => i.status === 'queued')).toBe(true);
    const badQueue = await sup.request('POST', '/api/work-items', {
      channel: 'chat',
      queue: 'nosuch',
      subject: 'x',
    });
    expect(badQueue.status).toBe(400);
    expect((await errorOf(badQueue)).fields[0]?.field).toBe('queue');

    // Not ready: nothing offered. Ready (no SIP phone needed for chats): two of three offered.
    expect(desk.events.some((e) => e.type === 'work.offered')).toBe(false);
    await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });
    await expect.poll(() => desk.events.filter((e) => e.type === 'work.offered').length).toBe(2);
    const mine = await desk.api.json<{ items: WorkItem[] }>('GET', '/api/agent/work-items');
    expect(mine.items.map((i) => i.subject).sort()).toEqual(['发票抬头修改', '运单 SF100 何时到'].sort());

    const first = created[0]!;
    const other = new ApiClient(sut.baseUrl);
    await other.login('1009');
    expect((await other.request('POST', `/api/agent/work-items/${first.id}/accept`)).status).toBe(409);
    expect(await desk.api.json('POST', `/api/agent/work-items/${first.id}/accept`)).toMatchObject({
      status: 'accepted',
    });
    expect(await desk.api.json('POST', `/api/agent/work-items/${first.id}/complete`)).toMatchObject({
      status: 'completed',
    });
    // The freed slot goes to the third chat.
    await expect
      .poll(() =>
        desk.events.some(
          (e) => e.type === 'work.offered' && (e.data as { id?: string }).id === created[2]!.id,
        ),
      )
      .toBe(true);
    const cancelled = await sup.json<WorkItem>('POST', `/api/work-items/${created[2]!.id}/cancel`);
    expect(cancelled.status).toBe('cancelled');
    const list = await sup.json<{ items: WorkItem[]; total: number }>(
      'GET',
      '/api/work-items?status=completed,cancelled',
    );
    expect(list.total).toBe(2);
    desk.ws.close();
  });
});
