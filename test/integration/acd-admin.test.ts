import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

interface AgentRow {
  agentId: string;
  extension: string;
  state: string;
  groups: { name: string; level: number }[];
}
interface Group {
  name: string;
  strategy: string;
  members: { agentId: string; extension: string; level: number }[];
}

let sut: SystemUnderTest;
let sup: ApiClient;
let agents: AgentRow[];
const byExt = (ext: string) => agents.find((a) => a.extension === ext)!.agentId;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  agents = await sup.json<AgentRow[]>('GET', '/api/agents');
});
afterAll(async () => {
  await sut?.stop();
});

describe('skill group administration (ACD-02…ACD-05)', () => {
  it('is for supervisors and admins only', async () => {
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1001');
    expect((await agent.request('GET', '/api/acd/groups')).status).toBe(403);
    expect((await agent.request('GET', '/api/acd/metrics')).status).toBe(403);
    expect((await agent.request('POST', '/api/acd/groups', { name: 'x', displayName: 'x' })).status).toBe(
      403,
    );
  });

  it('shows agents the groups they may transfer a caller to, without the admin view', async () => {
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1001');
    const groups = await agent.json<{ name: string; displayName: string; members: number; ready: number }[]>(
      'GET',
      '/api/agent/transfer-groups',
    );
    const general = groups.find((g) => g.name === 'general');
    // Nobody has a registered phone here, so no member counts as ready.
    expect(general).toEqual({ name: 'general', displayName: '综合业务组', members: 10, ready: 0 });
    expect(Object.keys(general ?? {}).sort()).toEqual(['displayName', 'members', 'name', 'ready']);
    expect((await new ApiClient(sut.baseUrl).request('GET', '/api/agent/transfer-groups')).status).toBe(401);
    // Published IVR flows are transfer targets too: the demo hotline menu.
    const flows = await agent.json<{ id: string; name: string }[]>('GET', '/api/agent/transfer-flows');
    expect(flows.map((f) => f.name)).toContain('客服热线主菜单');
    expect(Object.keys(flows[0] ?? {}).sort()).toEqual(['id', 'name']);
  });

  it('lists the demo group with its ten agents', async () => {
    const groups = await sup.json<Group[]>('GET', '/api/acd/groups');
    const general = groups.find((g) => g.name === 'general');
    expect(general?.members.map((m) => m.extension)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(1001 + i)),
    );
  });

  it('creates a group with levels and overflow, and the running ACD sees it at once', async () => {
    const res = await sup.request('POST', '/api/acd/groups', {
      name: 'vip',
      displayName: '大客户组',
      strategy: 'agent_priority',
      overflow: [{ when: 'wait_exceeds', threshold: 30, to: 'general' }],
      escalation: [{ afterSeconds: 20, maxLevel: 2 }],
      members: [
        { agentId: byExt('1001'), level: 1 },
        {
          agentId: byExt('1002'),
          level: 2,
          schedule: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }],
        },
      ],
    });
    expect(res.status).toBe(201);
    const rows = await sup.json<AgentRow[]>('GET', '/api/agents');
    expect(rows.find((a) => a.extension === '1002')?.groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'vip', level: 2 }),
        expect.objectContaining({ name: 'general', level: 1 }),
      ]),
    );
    const metrics = await sup.json<{ groups: { name: string; waiting: number }[] }>(
      'GET',
      '/api/acd/metrics',
    );
    expect(metrics.groups.map((g) => g.name)).toEqual(expect.arrayContaining(['general', 'vip']));
  });

  it('refuses bad configuration with the fields named, and changes nothing', async () => {
    const bad = await sup.request('POST', '/api/acd/groups', {
      name: 'south',
      displayName: '华南组',
      overflow: [{ when: 'wait_exceeds', threshold: null, to: 'nowhere' }],
      members: [{ agentId: 'agt_missing', level: 1 }],
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { fields: { field: string }[] } };
    expect(body.error.fields.map((f) => f.field)).toContain('body.overflow.0.threshold');

    const unknownRefs = await sup.request('POST', '/api/acd/groups', {
      name: 'south',
      displayName: '华南组',
      overflow: [{ when: 'all_busy', to: 'nowhere' }],
      members: [{ agentId: 'agt_missing', level: 1 }],
    });
    expect(unknownRefs.status).toBe(400);
    const fields = (
      (await unknownRefs.json()) as { error: { fields: { field: string }[] } }
    ).error.fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['members.0.agentId', 'overflow.0.to']));
    expect((await sup.json<Group[]>('GET', '/api/acd/groups')).map((g) => g.name)).not.toContain('south');
    expect((await sup.request('POST', '/api/acd/groups', { name: 'vip', displayName: 'dup' })).status).toBe(
      409,
    );
  });

  it('replaces strategy and members with PUT, applied without a restart', async () => {
    const res = await sup.request('PUT', '/api/acd/groups/vip', {
      displayName: '大客户组',
      strategy: 'round_robin',
      members: [{ agentId: byExt('1003'), level: 1 }],
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Group).strategy).toBe('round_robin');
    const rows = await sup.json<AgentRow[]>('GET', '/api/agents');
    expect(rows.find((a) => a.extension === '1003')?.groups).toContainEqual(
      expect.objectContaining({ name: 'vip', level: 1 }),
    );
    expect(rows.find((a) => a.extension === '1001')?.groups).not.toContainEqual(
      expect.objectContaining({ name: 'vip' }),
    );
    expect((await sup.request('PUT', '/api/acd/groups/nothere', { displayName: 'x' })).status).toBe(404);
  });

  it('deletes a group only as admin and not while another group overflows to it', async () => {
    expect((await sup.request('DELETE', '/api/acd/groups/vip')).status).toBe(403);
    const admin = new ApiClient(sut.baseUrl);
    await admin.login('admin');
    await admin.json('POST', '/api/acd/groups', {
      name: 'backup',
      displayName: '后备组',
      overflow: [{ when: 'all_busy', to: 'vip' }],
    });
    expect((await admin.request('DELETE', '/api/acd/groups/vip')).status).toBe(409);
    expect((await admin.request('DELETE', '/api/acd/groups/backup')).status).toBe(204);
    expect((await admin.request('DELETE', '/api/acd/groups/vip')).status).toBe(204);
    expect((await sup.json<Group[]>('GET', '/api/acd/groups')).map((g) => g.name)).toEqual(['general']);
  });
});
