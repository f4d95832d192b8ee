import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.ts';
import { DirectoryRepository, verifyPassword } from '../../src/directory/index.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sy-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[]) {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return spawnSync(process.execPath, ['bin/switchyard.js', ...args], {
    env: { ...env, SWITCHYARD_DATA: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('switchyard CLI', () => {
  it('--help lists the environment settings', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const name of [
      'PORT',
      'SIP_PORT',
      'RTP_PORTS',
      'SWITCHYARD_DATA',
      'DATABASE_URL',
      'SWITCHYARD_DEMO_PASSWORD',
    ]) {
      expect(r.stdout).toContain(name);
    }
  });

  it('init creates the first administrator once, and refuses weak input', async () => {
    expect(cli(['init', '--username', 'boss']).status).toBe(2);
    const first = cli(['init', '--username', 'boss', '--password', 'correct horse']);
    expect(first.status, first.stderr).toBe(0);
    const again = cli(['init', '--username', 'other', '--password', 'correct horse']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already has users');

    const database = await openDatabase({ dataDir: join(dataDir, 'pg') });
    try {
      const user = await new DirectoryRepository(database.db).userByUsername('boss');
      expect(user?.role).toBe('admin');
      expect(await verifyPassword(user!.passwordHash, 'correct horse')).toBe(true);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('rejects bad configuration with the variable named', () => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const r = spawnSync(process.execPath, ['bin/switchyard.js', 'start'], {
      env: { ...env, SWITCHYARD_DATA: dataDir, RTP_PORTS: 'lots' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('RTP_PORTS');
  });
});
