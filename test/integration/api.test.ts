import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

describe.each(systemDatabases())('HTTP API contracts on %s', (database) => {
  let sut: SystemUnderTest;

  beforeAll(async () => {
    sut = await startSystemUnderTest({}, database);
  });
  afterAll(async () => {
    await sut?.stop();
  });

  it('GET /healthz is 200 when switch, database and web are up', async () => {
    const res = await fetch(`${sut.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', sip: true });
  });

  it('serves Prometheus metrics with agent gauges', async () => {
    const text = await (await fetch(`${sut.baseUrl}/metrics`)).text();
    expect(text).toMatch(/switchyard_agents\{state="logged_out"\} \d+/);
    expect(text).toContain('switchyard_queue_waiting{group="general"} 0');
  });

  it('describes every API route in /api/openapi.json', async () => {
    const doc = (await (await fetch(`${sut.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/api/auth/login',
      '/api/auth/me',
      '/api/agent/state',
      '/api/cdrs',
      '/api/customers',
      '/api/cti',
      '/healthz',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it('refuses API calls without a session and wrong passwords', async () => {
    const anon = new ApiClient(sut.baseUrl);
    expect((await anon.request('GET', '/api/cdrs')).status).toBe(401);
    expect(
      (await anon.request('POST', '/api/auth/login', { username: 'admin', password: 'wrong' })).status,
    ).toBe(401);
    expect(
      (await anon.request('POST', '/api/auth/login', { username: 'nobody', password: 'demo1234' })).status,
    ).toBe(401);
  });

  it('logs in the demo accounts and reports who is logged in', async () => {
    for (const [username, role, extension] of [
      ['admin', 'admin', null],
      ['supervisor', 'supervisor', null],
      ['1001', 'agent', '1001'],
      ['1010', 'agent', '1010'],
    ] as const) {
      const api = new ApiClient(sut.baseUrl);
      await api.login(username);
      expect(api.cookieHeader).toMatch(/^sy_session=/);
      const me = await api.json<{ user: { role: string; extension: string | null } }>('GET', '/api/auth/me');
      expect(me.user).toMatchObject({ role, extension });
    }
  });

  it('creates customers and finds them by any written form of a phone; bad data names the field', async () => {
    const api = new ApiClient(sut.baseUrl);
    await api.login('supervisor');
    const res = await api.request('POST', '/api/customers', {
      name: '西部冷链运输有限公司',
      contacts: [{ name: '孙经理', phones: ['138 0000 0777'] }],
    });
    expect(res.status).toBe(201);
    const found = await api.json<{ name: string }[]>(
      'GET',
      `/api/customers?phone=${encodeURIComponent('+86-138-0000-0777')}`,
    );
    expect(found.map((c) => c.name)).toEqual(['西部冷链运输有限公司']);

    const bad = await api.request('POST', '/api/customers', {
      name: '',
      contacts: [{ name: 'x', phones: ['12'] }],
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { fields: { field: string }[] } };
    expect(body.error.fields.map((f) => f.field)).toContain('body.name');
  });

  it('demo data: a caller number finds its demo customer with contacts', async () => {
    const api = new ApiClient(sut.baseUrl);
    await api.login('1002');
    const found = await api.json<{ name: string; contacts: { name: string }[] }[]>(
      'GET',
      '/api/customers?phone=8613800000001',
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.name).toBe('华东电子商贸有限公司');
    expect(found[0]?.contacts[0]?.name).toBe('王建国');
  });

  it('sets agent state over REST and over the CTI WebSocket, with events to the agent', async () => {
    const api = new ApiClient(sut.baseUrl);
    await api.login('1003');
    const ws = new WebSocket(`${sut.baseUrl.replace('http', 'ws')}/api/cti`, {
      headers: { cookie: api.cookieHeader },
    });
    const events: { type: string; data: { state?: string; reason?: string | null } }[] = [];
    ws.on('message', (m: Buffer) => events.push(JSON.parse(m.toString())));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const ready = await api.json<{ state: string; registered: boolean }>('PUT', '/api/agent/state', {
      state: 'ready',
    });
    expect(ready).toMatchObject({ state: 'ready', registered: false });
    ws.send(JSON.stringify({ type: 'agent.setState', data: { state: 'not_ready', reason: 'meal' } }));
    await expect
      .poll(() => events.filter((e) => e.type === 'agent.state').map((e) => e.data.state))
      .toContain('not_ready');
    expect(events.find((e) => e.data.state === 'not_ready')?.data.reason).toBe('meal');
    const bad = await api.request('PUT', '/api/agent/state', { state: 'on_call' });
    expect(bad.status).toBe(400);
    ws.close();
  });

  it('refuses the CTI WebSocket without a session', async () => {
    const ws = new WebSocket(`${sut.baseUrl.replace('http', 'ws')}/api/cti`);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(401);
  });

  it('lists CDRs newest first with the contract fields', async () => {
    const api = new ApiClient(sut.baseUrl);
    await api.login('admin');
    const rows = await api.json<unknown[]>('GET', '/api/cdrs?limit=5');
    expect(Array.isArray(rows)).toBe(true);
  });
});
