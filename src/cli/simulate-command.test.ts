import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

function cli(args: string[]) {
  return spawnSync(process.execPath, ['bin/switchyard.js', ...args], { encoding: 'utf8', timeout: 60_000 });
}

const dir = mkdtempSync(join(tmpdir(), 'sy-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('switchyard simulate', () => {
  const args = ['simulate', '--agents', '12', '--calls-per-hour', '200', '--aht', '180', '--hours', '24'];

  it('prints one JSON object with the contract fields, reproducible by seed', () => {
    const r = cli([...args, '--seed', '3', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ['offered', 'answered', 'abandoned', 'serviceLevel', 'asa', 'pWait', 'occupancy'])
      expect(typeof out[key], key).toBe('number');
    expect(out.answered).toBe(out.offered);
    expect(out.abandoned).toBe(0);
    expect(out.serviceLevel as number).toBeGreaterThan(0);
    expect(out.serviceLevel as number).toBeLessThanOrEqual(1);
    expect(out.slSeconds).toBe(20);
    expect(cli([...args, '--seed', '3', '--json']).stdout).toBe(r.stdout);
  });

  it('simulates abandonment, a strategy name and a volume profile', () => {
    const profile = join(dir, 'profile.json');
    writeFileSync(
      profile,
      JSON.stringify([
        { start: '09:00', callsPerInterval: 150 },
        { start: '09:30', callsPerInterval: 50 },
      ]),
    );
    const r = cli([
      'simulate',
      '--agents',
      '8',
      '--profile',
      profile,
      '--aht',
      '180',
      '--patience',
      '60',
      '--strategy',
      'round-robin',
      '--sl-seconds',
      '15',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.abandoned as number).toBeGreaterThan(0);
    expect(out.strategy).toEqual({ requested: 'round_robin', applied: 'round_robin' });
    expect(out.slSeconds).toBe(15);
  });

  it('prints a readable summary without --json', () => {
    const r = cli(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('service level 服务水平');
    expect(r.stdout).toContain('occupancy 占用率');
  });

  it('exits 2 and names the flag on bad input', () => {
    for (const [bad, flag] of [
      [['--agents', '0'], '--agents'],
      [['--aht', 'long'], '--aht'],
      [['--strategy', 'telepathy'], '--strategy'],
      [['--bogus', '1'], '--bogus'],
    ] as const) {
      const r = cli(['simulate', '--agents', '5', '--calls-per-hour', '100', '--aht', '180', ...bad]);
      expect(r.status, bad.join(' ')).toBe(2);
      expect(r.stderr).toContain(flag);
    }
  });
});
