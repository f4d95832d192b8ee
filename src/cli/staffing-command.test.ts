import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

function cli(args: string[]) {
  return spawnSync(process.execPath, ['bin/switchyard.js', ...args], { encoding: 'utf8', timeout: 60_000 });
}

const dir = mkdtempSync(join(tmpdir(), 'sy-staffing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('switchyard staffing', () => {
  it('prints the smallest agent count for the target (Erlang C)', () => {
    const r = cli([
      'staffing',
      '--calls-per-hour',
      '200',
      '--aht',
      '180',
      '--target-sl',
      '0.8',
      '--sl-seconds',
      '20',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, number | string>;
    expect(out.agents).toBe(14);
    expect(out.model).toBe('erlang-c');
    expect(out.serviceLevel).toBeCloseTo(0.8884, 4);
    for (const key of ['asa', 'pWait', 'occupancy']) expect(typeof out[key], key).toBe('number');
    expect(out.occupancy).toBeCloseTo(10 / 14, 9);
  });

  it('uses Erlang A with --patience', () => {
    const r = cli([
      'staffing',
      '--calls-per-hour',
      '200',
      '--aht',
      '180',
      '--target-sl',
      '0.8',
      '--sl-seconds',
      '20',
      '--patience',
      '120',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, number | string>;
    expect(out.model).toBe('erlang-a');
    expect(out.agents).toBe(12);
    expect(out.serviceLevelOffered as number).toBeGreaterThanOrEqual(0.8);
    expect(out.pAbandon as number).toBeGreaterThan(0);
  });

  it('plans intervals from a forecast file with shrinkage', () => {
    const forecast = join(dir, 'forecast.json');
    writeFileSync(
      forecast,
      JSON.stringify([
        { start: '08:00', callsPerInterval: 100 },
        { start: '08:30', callsPerInterval: 0 },
      ]),
    );
    const r = cli(['staffing', '--forecast', forecast, '--aht', '180', '--shrinkage', '0.3', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { rows: { agents: number; scheduled: number }[] };
    expect(plan.rows.map((row) => [row.agents, row.scheduled])).toEqual([
      [14, 20],
      [0, 0],
    ]);
  });

  it('exits 2 and names the flag on bad input', () => {
    for (const [args, flag] of [
      [['--aht', '180'], '--calls-per-hour'],
      [['--calls-per-hour', '200', '--aht', '180', '--target-sl', '80'], '--target-sl'],
      [['--calls-per-hour', '-1', '--aht', '180'], '--calls-per-hour'],
      [['--calls-per-hour', '200', '--aht', '180', '--max-abandon', '0.05'], '--max-abandon'],
    ] as const) {
      const r = cli(['staffing', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(flag);
    }
  });
});
