import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

interface Customer {
  id: string;
  name: string;
  ownerId: string | null;
  region: string | null;
}

/** Data scopes over HTTP with the demo sales department: salesmgr → sales1, sales2. */
describe.each(systemDatabases())('customer data scopes on %s', (database) => {
  let sut: SystemUnderTest;
  const api: Record<string, ApiClient> = {};
  const ids: Record<string, string> = {};

  const names = async (who: string, query = '') =>
    (await api[who]!.json<Customer[]>('GET', `/api/customers?limit=200${query}`)).map((c) => c.name).sort();
  const idOf = async (name: string) =>
    (await api.admin!.json<Customer[]>('GET', `/api/customers?q=${encodeURIComponent(name)}`))[0]!.id;

  beforeAll(async () => {
    sut = await startSystemUnderTest({}, database);
    for (const who of ['admin', 'salesmgr', 'sales1', 'sales2', '1001']) {
      api[who] = new ApiClient(sut.baseUrl);
      await api[who].login(who);
      ids[who] = (await api[who].json<{ user: { id: string } }>('GET', '/api/auth/me')).user.id;
    }
  }, 120_000);
  afterAll(async () => {
    await sut?.stop();
  });

  it('lists only what each role may see: own, own + subordinates, all', async () => {
    expect(await names('sales1')).toEqual(['华东电子商贸有限公司', '成都天府食品有限公司'].sort());
    expect(await names('sales2')).toEqual(['杭州丝路服饰有限公司', '深圳智联科技有限公司'].sort());
    expect(await names('salesmgr')).toHaveLength(4);
    expect((await names('admin')).length).toBeGreaterThanOrEqual(6);
    const res = await api.sales1!.request('GET', '/api/customers?limit=1');
    expect(res.headers.get('x-total-count')).toBe('2');
    // Search never reaches outside the scope either.
    expect(await names('sales1', `&q=${encodeURIComponent('深圳')}`)).toEqual([]);
    expect(await names('sales1', '&phone=13700000003')).toEqual([]);
    expect(await names('1001', '&phone=13700000003')).toEqual(['深圳智联科技有限公司']);
  });

  it('get, update and delete by id answer 404 outside the scope', async () => {
    const other = await idOf('深圳智联');
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { region: '深圳' }],
      ['DELETE', undefined],
    ] as const) {
      expect((await api.sales1!.request(method, `/api/customers/${other}`, body)).status).toBe(404);
    }
    expect((await api.salesmgr!.request('GET', `/api/customers/${other}`)).status).toBe(200);
    const patched = await api.salesmgr!.json<Customer>('PATCH', `/api/customers/${other}`, {
      region: '南山',
    });
    expect(patched.region).toBe('南山');
    expect((await api.admin!.request('GET', `/api/customers/${other}`)).status).toBe(200);
    // A salesperson may not hand his customers to someone else; his manager may.
    const own = await idOf('华东电子商贸');
    const handOver = { ownerId: ids.sales2 };
    expect((await api.sales1!.request('PATCH', `/api/customers/${own}`, handOver)).status).toBe(403);
    expect((await api.sales1!.request('GET', `/api/customers/${own}`)).status).toBe(200);
  });

  it('a salesperson owns what he creates; duplicates come back as candidates', async () => {
    const created = await api.sales1!.json<Customer>('POST', '/api/customers', {
      name: '苏州园区精密机械有限公司',
      region: '苏州',
      contacts: [{ name: '周工', phones: ['0512-6666 1234-8'], emails: ['zhou@szjm.cn'] }],
    });
    expect(created.ownerId).toBe(ids.sales1);
    expect((await api.sales2!.request('GET', `/api/customers/${created.id}`)).status).toBe(404);
    expect((await api.salesmgr!.request('GET', `/api/customers/${created.id}`)).status).toBe(200);
    const dup = await api.sales1!.request('POST', '/api/customers', {
      name: '苏州园区精密机械',
      contacts: [{ name: '周工', phones: ['051266661234'] }],
    });
    expect(dup.status).toBe(409);
    const body = (await dup.json()) as { candidates: { id: string; reasons: string[] }[] };
    expect(body.candidates[0]).toMatchObject({ id: created.id });
    expect(body.candidates[0]?.reasons.sort()).toEqual(['name', 'phone']);
  });

  it('imports through the API as the caller, and undoes the batch', async () => {
    const csv = 'name,contact,phone,email,region\n太仓港务物流,钱七,13912340001,,太仓\n,x,1,,\n';
    const res = await fetch(`${sut.baseUrl}/api/customers/import?fileName=t.csv&onDuplicate=skip`, {
      method: 'POST',
      headers: { cookie: api.sales1!.cookieHeader, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { created: number; batchId: string; errors: { line: number }[] };
    expect(result).toMatchObject({ created: 1, errors: [{ line: 3 }] });
    expect(await names('sales1')).toContain('太仓港务物流');
    expect(await names('sales2')).not.toContain('太仓港务物流');
    expect((await api.sales2!.request('GET', `/api/customers/import/${result.batchId}`)).status).toBe(404);
    expect(
      (await api['1001']!.request('POST', '/api/customers/import?fileName=t.csv', undefined)).status,
    ).toBe(403);
    // The same through multipart/form-data, options as form fields: a dry run writes nothing.
    const form = new FormData();
    form.append('onDuplicate', 'update');
    form.append('dryRun', 'true');
    form.append('file', new Blob([csv], { type: 'text/csv' }), '客户.csv');
    const multipart = await fetch(`${sut.baseUrl}/api/customers/import`, {
      method: 'POST',
      headers: { cookie: api.sales1!.cookieHeader },
      body: form,
    });
    expect(multipart.status).toBe(200);
    expect(await multipart.json()).toMatchObject({ dryRun: true, batchId: null, updated: 1, created: 0 });
    const undone = await api.sales1!.json<{ status: string }>(
      'POST',
      `/api/customers/import/${result.batchId}/undo`,
    );
    expect(undone.status).toBe('undone');
    expect(await names('sales1')).not.toContain('太仓港务物流');
  });

  it('the CLI imports through the running server as the given user', async () => {
    const file = join(sut.dataDir, 'cli.csv');
    writeFileSync(file, '客户名称,联系人,手机,邮箱,地区\n昆山电子物流,孙八,0512-5777 8888,,昆山\n');
    // Asynchronous: the server under test runs in this process and must keep answering.
    const run = (extra: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const { SWITCHYARD_USERNAME: _u, SWITCHYARD_PASSWORD: _p, DATABASE_URL: _d, ...env } = process.env;
        const child = spawn(
          process.execPath,
          ['bin/switchyard.js', 'import', 'customers', file, '--json', ...extra],
          { env: { ...env, SWITCHYARD_URL: sut.baseUrl, SWITCHYARD_DATA: join(sut.dataDir, 'cli') } },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const anonymous = await run([]);
    expect(anonymous.status).toBe(2);
    expect(anonymous.stderr).toContain('--username');
    const r = await run(['--username', 'sales2', '--password', 'demo1234']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ created: 1, updated: 0, skipped: 0, errors: [] });
    expect(await names('sales2')).toContain('昆山电子物流');
  }, 120_000);

  it('contacts are added and removed within the edit scope', async () => {
    const own = await idOf('成都天府');
    const other = await idOf('深圳智联');
    const contact = { name: '吴经理', phones: ['028-8555 1234-12'], emails: ['wu@tianfu.cn'] };
    expect((await api.sales1!.request('POST', `/api/customers/${other}/contacts`, contact)).status).toBe(404);
    const bad = await api.sales1!.request('POST', `/api/customers/${own}/contacts`, {
      name: '吴',
      phones: ['xx'],
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: { field: string }[] } }).error.fields[0]?.field).toBe(
      'phones.0',
    );
    const updated = await api.sales1!.json<{ contacts: { id: string; name: string; emails: string[] }[] }>(
      'POST',
      `/api/customers/${own}/contacts`,
      contact,
    );
    const added = updated.contacts.find((c) => c.name === '吴经理')!;
    expect(added.emails).toEqual(['wu@tianfu.cn']);
    expect((await api.sales2!.request('DELETE', `/api/customers/${own}/contacts/${added.id}`)).status).toBe(
      404,
    );
    expect((await api.sales1!.request('DELETE', `/api/customers/${own}/contacts/${added.id}`)).status).toBe(
      204,
    );
  });

  it('scopes and departments are data an administrator changes', async () => {
    const matrix = await api.admin!.json<{ role: string; action: string; scope: string }[]>(
      'GET',
      '/api/crm/scopes',
    );
    expect(matrix).toContainEqual({ role: 'sales', object: 'customer', action: 'view', scope: 'own' });
    expect(matrix).toContainEqual({
      role: 'sales_manager',
      object: 'customer',
      action: 'view',
      scope: 'own_and_subordinates',
    });
    const widen = { role: 'sales', object: 'customer', action: 'view', scope: 'department' };
    expect((await api.salesmgr!.request('PUT', '/api/crm/scopes', widen)).status).toBe(403);
    await api.admin!.json('PUT', '/api/crm/scopes', widen);
    expect(await names('sales1')).toContain('深圳智联科技有限公司');
    await api.admin!.json('PUT', '/api/crm/scopes', { ...widen, scope: 'own' });
    expect(await names('sales1')).not.toContain('深圳智联科技有限公司');

    const [sales] = await api.admin!.json<{ id: string; name: string; managerUserId: string }[]>(
      'GET',
      '/api/departments',
    );
    expect(sales).toMatchObject({ name: '销售部', managerUserId: ids.salesmgr });
    await api.admin!.json('PUT', `/api/users/${ids.sales2}/department`, { departmentId: null });
    expect(await names('salesmgr')).not.toContain('深圳智联科技有限公司');
    await api.admin!.json('PUT', `/api/users/${ids.sales2}/department`, { departmentId: sales!.id });
    expect(await names('salesmgr')).toContain('深圳智联科技有限公司');
  });

  it('exports only the export scope, in a file that imports again', async () => {
    const csv = await fetch(`${sut.baseUrl}/api/customers/export?format=csv`, {
      headers: { cookie: api.sales1!.cookieHeader },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="customers-.*\.csv"/);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toContain('客户名称,联系人');
    expect(text).toContain('华东电子商贸有限公司');
    expect(text).not.toContain('深圳智联科技有限公司');
    const again = await fetch(`${sut.baseUrl}/api/customers/import?fileName=export.csv&dryRun=true`, {
      method: 'POST',
      headers: { cookie: api.sales1!.cookieHeader, 'content-type': 'text/csv' },
      body: text,
    });
    const result = (await again.json()) as { created: number; skipped: number; errors: unknown[] };
    expect(result).toMatchObject({ created: 0, errors: [] });
    // Every row (one per contact) is a duplicate of what was exported.
    expect(result.skipped).toBe(text.trim().split('\r\n').length - 1);

    const xlsx = await fetch(`${sut.baseUrl}/api/customers/export?format=xlsx`, {
      headers: { cookie: api.admin!.cookieHeader },
    });
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
    expect(Number(xlsx.headers.get('x-total-count'))).toBeGreaterThanOrEqual(6);
  });

  it('transfers in bulk: the first salesperson can no longer see the customers', async () => {
    expect(
      (
        await api.sales1!.request('POST', '/api/customers/transfer', {
          fromOwnerId: ids.sales1,
          toOwnerId: ids.sales2,
        })
      ).status,
    ).toBe(403);
    const moved = await api.admin!.json<{ transferred: number }>('POST', '/api/customers/transfer', {
      fromOwnerId: ids.sales1,
      toOwnerId: ids.sales2,
    });
    expect(moved.transferred).toBe(3);
    expect(await names('sales1')).toEqual([]);
    expect(await names('sales2')).toContain('华东电子商贸有限公司');
    // A manager deletes a subordinate's customer; it is gone for everyone (soft delete).
    const target = await idOf('杭州丝路');
    expect((await api.salesmgr!.request('DELETE', `/api/customers/${target}`)).status).toBe(204);
    expect((await api.admin!.request('GET', `/api/customers/${target}`)).status).toBe(404);
  });
});
