import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService } from '../../src/crm/index.ts';
import { openDatabase } from '../../src/store/index.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sy-import-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A port nobody listens on, so the command finds no server and opens the database itself. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('switchyard import customers (server stopped)', () => {
  let port: number;
  const file = join(dataDir, '客户.csv');

  beforeAll(async () => {
    port = await closedPort();
    writeFileSync(
      file,
      [
        '客户名称,联系人,手机,邮箱,地区',
        '江南快运有限公司,孙一,+86 138 0000 1001,sun@jiangnan.cn,苏州',
        '江北仓储,李二,(021)6234 5678,,南通',
        ',王三,13800001003,,',
        '江南快运,孙一,138-0000-1004,,无锡',
        '华北冷链,赵四,not a phone,,天津',
      ].join('\n'),
    );
  });

  function cli(args: string[]) {
    const { DATABASE_URL: _ignored, SWITCHYARD_USERNAME: _u, SWITCHYARD_PASSWORD: _p, ...env } = process.env;
    return spawnSync(process.execPath, ['bin/switchyard.js', ...args], {
      env: { ...env, SWITCHYARD_DATA: dataDir, PORT: String(port), HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
  }

  it('prints exactly {created, updated, skipped, errors: [{line, message}]} with file line numbers', () => {
    const r = cli(['import', 'customers', file, '--on-duplicate', 'skip', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['created', 'updated', 'skipped', 'errors']);
    expect(out).toEqual({
      created: 2,
      updated: 0,
      skipped: 1,
      errors: [
        { line: 4, message: 'name: required' },
        { line: 6, message: 'phone: not a phone number: not a phone' },
      ],
    });
  }, 120_000);

  it('follows --on-duplicate on a second run and wrote to the database', async () => {
    const again = JSON.parse(cli(['import', 'customers', file, '--json']).stdout) as { skipped: number };
    expect(again).toMatchObject({ created: 0, updated: 0, skipped: 3 });
    const update = JSON.parse(
      cli(['import', 'customers', file, '--on-duplicate', 'update', '--json']).stdout,
    );
    expect(update).toMatchObject({ created: 0, updated: 3, skipped: 0 });

    const database = await openDatabase({ dataDir: join(dataDir, 'pg') });
    try {
      const [found] = await new CustomerService(database.db).list({ phone: '13800001004', limit: 5 });
      expect(found).toMatchObject({ name: '江南快运有限公司', region: '无锡' });
      // The known contact gains the new number rather than a namesake beside it.
      expect(found?.contacts.map((c) => [c.name, c.phones.length])).toEqual([['孙一', 2]]);
    } finally {
      await database.close();
    }
  }, 240_000);

  it('rejects a bad policy with exit 2 and documents the credentials in --help', () => {
    const bad = cli(['import', 'customers', file, '--on-duplicate', 'merge']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--on-duplicate');
    const help = cli(['import', '--help']);
    expect(help.status).toBe(0);
    for (const text of ['--username', '--password', 'SWITCHYARD_USERNAME', 'SWITCHYARD_PASSWORD', '客户名称'])
      expect(help.stdout).toContain(text);
  }, 120_000);
});
