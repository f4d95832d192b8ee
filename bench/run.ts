/**
 * `npm run bench -- NAME` runs bench/NAME.bench.ts; `npm run bench` runs them all. Each benchmark
 * exports `run(): Promise<BenchOutcome>`; this writes bench/results/NAME.json and prints the
 * benchmark's one summary line (DESIGN §6). Not part of `npm test`.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchOutcome } from './bench-result.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const suffix = '.bench.ts';

async function main(names: string[]): Promise<number> {
  const available = readdirSync(benchDir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => f.slice(0, -suffix.length))
    .sort();
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
    return 2;
  }
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  for (const name of names.length > 0 ? names : available) {
    const module = (await import(pathToFileURL(join(benchDir, `${name}${suffix}`)).href)) as {
      run: () => Promise<BenchOutcome>;
    };
    const { summary, result } = await module.run();
    const file = join(benchDir, 'results', `${name}.json`);
    const machine = {
      node: process.version,
      platform: platform(),
      arch: arch(),
      cpu: cpus()[0]?.model ?? 'unknown',
    };
    writeFileSync(
      file,
      `${JSON.stringify({ name, at: new Date().toISOString(), machine, ...result }, null, 2)}\n`,
    );
    process.stdout.write(`${name}: ${summary}\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2).filter((a) => a !== '--'));
