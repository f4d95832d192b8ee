/**
 * The IVR flow API (issue #5, IVR-05) on the running system with its real database: the seeded
 * hotline is version 1, published; validation names node and field; writing a version changes
 * nothing live until it is published; publishing (or rolling back) changes the version the call
 * path reads at once; only supervisors and administrators write; every write is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryRepository } from '../../src/directory/index.ts';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

interface FlowError {
  node: string | null;
  field: string | null;
  message: string;
}
interface FlowSummary {
  id: string;
  name: string;
  publishedVersion: number | null;
  latestVersion: number;
  versionCount: number;
  versions: { version: number; published: boolean; createdBy: string | null; publishedAt: string | null }[];
  serviceNumbers: string[];
  updatedAt: string;
}
interface FlowDetail extends FlowSummary {
  versions: (FlowSummary['versions'][number] & {
    document: { name: string; nodes: Record<string, unknown> };
  })[];
}
interface InvalidBody {
  valid: false;
  errors: FlowError[];
  error: { code: string; fields: { field: string; message: string }[] };
}

const HOTLINE = '4008001000';

function simpleFlow(name: string, group = 'general', prompt = '您好，人工服务请按零。') {
  return {
    name,
    start: 'welcome',
    nodes: {
      welcome: { verb: 'menu', prompt: [{ tts: prompt }], choices: { '0': 'agent' }, noInput: 'agent' },
      agent: { verb: 'queue', group },
    },
  };
}

describe.each(systemDatabases())('flows API on %s', (database) => {
  let sut: SystemUnderTest;
  let admin: ApiClient;
  let sup: ApiClient;

  beforeAll(async () => {
    sut = await startSystemUnderTest({}, database);
    admin = new ApiClient(sut.baseUrl);
    await admin.login('admin');
    sup = new ApiClient(sut.baseUrl);
    await sup.login('supervisor');
  });
  afterAll(async () => {
    await sut?.stop();
  });

  async function hotline(): Promise<FlowSummary> {
    const flows = await admin.json<FlowSummary[]>('GET', '/api/ivr/flows');
    return flows.find((f) => f.serviceNumbers.includes(HOTLINE))!;
  }

  it('lists the seeded hotline flow as version 1, published', async () => {
    const flow = await hotline();
    expect(flow).toMatchObject({
      id: expect.stringMatching(/^ivf_/),
      name: '客服热线主菜单',
      publishedVersion: 1,
      latestVersion: 1,
      versionCount: 1,
      versions: [{ version: 1, published: true, createdBy: null }],
    });
    expect(flow.versions[0]!.publishedAt).toBeTruthy();
    const detail = await sup.json<FlowDetail>('GET', `/api/ivr/flows/${flow.id}`);
    expect(detail.versions[0]!.document).toMatchObject({
      name: '客服热线主菜单',
      nodes: { welcome: { verb: 'menu' } },
    });
    expect((await sup.request('GET', '/api/ivr/flows/ivf_nosuch')).status).toBe(404);
  });

  it('publishes the JSON Schema of a flow document, generated from the zod schema', async () => {
    const schema = await sup.json<Record<string, unknown>>('GET', '/api/ivr/flows/schema');
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['name', 'start', 'nodes']),
    });
    const verbs = JSON.stringify(schema).match(/"const":"(\w+)"/g) ?? [];
    for (const verb of ['menu', 'play', 'say', 'gather', 'set', 'condition', 'hours', 'queue', 'hangup'])
      expect(verbs).toContain(`"const":"${verb}"`);
  });

  it('validates a document: valid, or every problem with its node and field', async () => {
    expect(await sup.json('POST', '/api/ivr/flows/validate', simpleFlow('ok'))).toEqual({
      valid: true,
      errors: [],
    });
    const bad = simpleFlow('bad', 'nosuch');
    (bad.nodes.welcome as Record<string, unknown>).choices = { '0': 'agent', '7': 'ghost' };
    (bad.nodes.welcome as Record<string, unknown>).timeoutSec = 99;
    const first = await sup.json<{ valid: boolean; errors: FlowError[] }>(
      'POST',
      '/api/ivr/flows/validate',
      bad,
    );
    expect(first.valid).toBe(false);
    expect(first.errors).toContainEqual({
      node: 'welcome',
      field: 'timeoutSec',
      message: 'timeoutSec must be at most 60.',
    });
    (bad.nodes.welcome as Record<string, unknown>).timeoutSec = 10;
    const second = await sup.json<{ valid: boolean; errors: FlowError[] }>(
      'POST',
      '/api/ivr/flows/validate',
      bad,
    );
    expect(second.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ node: 'welcome', field: 'choices.7' })]),
    );
    // The group is checked against the database once the structure holds.
    const third = await sup.json<{ errors: FlowError[] }>(
      'POST',
      '/api/ivr/flows/validate',
      simpleFlow('g', 'nosuch'),
    );
    expect(third.errors).toEqual([
      { node: 'agent', field: 'group', message: 'Skill group "nosuch" does not exist.' },
    ]);
  });

  it('writes versions of a new flow without making them live, and refuses invalid ones with both error shapes', async () => {
    const created = await sup.request('POST', '/api/ivr/flows', simpleFlow('售后热线'));
    expect(created.status).toBe(201);
    const v1 = (await created.json()) as { id: string; version: number; publishedVersion: number | null };
    expect(v1).toMatchObject({ id: expect.stringMatching(/^ivf_/), version: 1, publishedVersion: null });
    const v2 = await sup.json<{ id: string; version: number }>('POST', '/api/ivr/flows', {
      ...simpleFlow('售后热线', 'general', '售后服务请按零。'),
      id: v1.id,
    });
    expect(v2).toMatchObject({ id: v1.id, version: 2 });

    const invalid = await sup.request('POST', '/api/ivr/flows', {
      id: v1.id,
      document: { ...simpleFlow('售后热线'), start: 'nowhere' },
    });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as InvalidBody;
    expect(body.valid).toBe(false);
    expect(body.errors).toEqual([
      { node: null, field: 'start', message: 'The start node "nowhere" does not exist.' },
    ]);
    expect(body.error.code).toBe('validation');
    expect(body.error.fields).toEqual([
      { field: 'start', message: 'The start node "nowhere" does not exist.' },
    ]);
    const nodeLevel = (await (
      await sup.request('POST', '/api/ivr/flows', {
        ...simpleFlow('x'),
        nodes: { ...simpleFlow('x').nodes, agent: { verb: 'queue', group: 'general', priority: 12 } },
      })
    ).json()) as InvalidBody;
    expect(nodeLevel.errors[0]).toMatchObject({ node: 'agent', field: 'priority' });
    expect(nodeLevel.error.fields[0]!.field).toBe('nodes.agent.priority');

    const detail = await sup.json<FlowDetail>('GET', `/api/ivr/flows/${v1.id}`);
    expect(detail).toMatchObject({ publishedVersion: null, latestVersion: 2, versionCount: 2 });
    expect(detail.versions.map((v) => [v.version, v.published])).toEqual([
      [2, false],
      [1, false],
    ]);
    expect(detail.versions[0]!.createdBy).toMatch(/^usr_/);
    expect(
      (await sup.request('POST', '/api/ivr/flows', { ...simpleFlow('y'), id: 'ivf_nosuch' })).status,
    ).toBe(404);
  });

  it('publishes the latest version by default, an earlier one to roll back; the call path reads it at once', async () => {
    const flow = await hotline();
    const directory = new DirectoryRepository(sut.system.database.db);
    const v2doc = simpleFlow('客服热线主菜单', 'general', '新版菜单：人工服务请按零。');
    expect(
      (await admin.json<{ version: number }>('POST', '/api/ivr/flows', { id: flow.id, document: v2doc }))
        .version,
    ).toBe(2);
    // Written, not live.
    expect((await directory.serviceNumber(HOTLINE))?.flowVersion).toBe(1);

    const published = await admin.json('POST', `/api/ivr/flows/${flow.id}/publish`, {});
    expect(published).toEqual({
      id: flow.id,
      name: '客服热线主菜单',
      publishedVersion: 2,
      previousVersion: 1,
    });
    const live = await directory.serviceNumber(HOTLINE);
    expect(live).toMatchObject({
      flowId: flow.id,
      flowVersion: 2,
      flow: { nodes: { welcome: { prompt: [{ tts: '新版菜单：人工服务请按零。' }] } } },
    });

    const rolledBack = await admin.json('POST', `/api/ivr/flows/${flow.id}/publish`, { version: 1 });
    expect(rolledBack).toMatchObject({ publishedVersion: 1, previousVersion: 2 });
    expect((await directory.serviceNumber(HOTLINE))?.flowVersion).toBe(1);
    expect((await hotline()).versions.map((v) => [v.version, v.published])).toEqual([
      [2, false],
      [1, true],
    ]);
    expect((await admin.request('POST', `/api/ivr/flows/${flow.id}/publish`, { version: 9 })).status).toBe(
      404,
    );
    expect((await admin.request('POST', '/api/ivr/flows/ivf_nosuch/publish', {})).status).toBe(404);
  });

  it('checks a version again when it is published: a queue whose group was deleted is refused', async () => {
    await admin.json('POST', '/api/acd/groups', { name: 'seasonal', displayName: '旺季临时组' });
    const { id } = await admin.json<{ id: string }>('POST', '/api/ivr/flows', simpleFlow('旺季', 'seasonal'));
    expect((await admin.request('DELETE', '/api/acd/groups/seasonal')).status).toBe(204);
    const res = await admin.request('POST', `/api/ivr/flows/${id}/publish`, {});
    expect(res.status).toBe(400);
    expect(((await res.json()) as InvalidBody).errors).toEqual([
      { node: 'agent', field: 'group', message: 'Skill group "seasonal" does not exist.' },
    ]);
    expect((await admin.json<FlowDetail>('GET', `/api/ivr/flows/${id}`)).publishedVersion).toBeNull();
  });

  it('is closed to agents (403) and to anonymous callers (401)', async () => {
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1001');
    const { id } = await hotline();
    expect((await agent.request('POST', '/api/ivr/flows', simpleFlow('agent'))).status).toBe(403);
    expect((await agent.request('POST', `/api/ivr/flows/${id}/publish`, {})).status).toBe(403);
    expect((await agent.request('POST', '/api/ivr/flows/validate', simpleFlow('agent'))).status).toBe(403);
    expect((await agent.request('GET', '/api/ivr/flows')).status).toBe(403);
    expect((await agent.request('GET', `/api/ivr/flows/${id}`)).status).toBe(403);
    const anonymous = new ApiClient(sut.baseUrl);
    expect((await anonymous.request('GET', '/api/ivr/flows')).status).toBe(401);
    expect((await anonymous.request('POST', '/api/ivr/flows', simpleFlow('anon'))).status).toBe(401);
    expect((await hotline()).latestVersion).toBe(2); // nothing was written by them
  });

  it('audits every version written and every publish, with who did it', async () => {
    const { id } = await hotline();
    const { items } = await admin.json<{
      items: { action: string; username: string | null; target: string; detail: Record<string, unknown> }[];
    }>('GET', `/api/audit?target=${id}`);
    expect(items.map((i) => [i.action, i.username, i.detail.version])).toEqual([
      ['ivr-flow.publish', 'admin', 1],
      ['ivr-flow.publish', 'admin', 2],
      ['ivr-flow.create', 'admin', 2],
    ]);
    expect(items[0]!.detail).toMatchObject({ previousVersion: 2, rollback: true });
    const all = await admin.json<{ items: { action: string; username: string | null }[] }>(
      'GET',
      '/api/audit?action=ivr-flow.create',
    );
    expect(all.items.filter((i) => i.username === 'supervisor').length).toBe(2);
  });
});
