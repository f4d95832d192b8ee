/**
 * `switchyard import customers FILE` (issue #6). When a Switchyard server answers on the
 * configured address the file goes through its API (so the server's permissions, audit and
 * caches apply); otherwise the command opens the database itself, which also works with the
 * server stopped. Contract: `--json` prints exactly `{created, updated, skipped, errors: [{line,
 * message}]}` with line numbers as in the file (header = line 1).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportProgress, ImportResult } from '../crm/import/index.ts';
import { loadConfig } from './config.ts';

export const importUsage = `Usage: switchyard import customers FILE [options]
  FILE                       .xlsx or .csv; line 1 is the header. Recognised without mapping:
                             name, contact, phone, email, region / 客户名称, 联系人, 手机, 邮箱, 地区
                             (also title, industry, tier, relationship, stage, credit code, external id)
  --on-duplicate POLICY      skip | update | create   rows matching a stored customer or an earlier
                             row (name, phone, e-mail, credit code) — default skip; a stored
                             external id is always updated (upsert)
  --dry-run                  check and count only, write nothing
  --map "HEADER=FIELD"       map an unrecognised column, repeatable (e.g. --map "公司全称=name")
  --json                     print {created, updated, skipped, errors: [{line, message}]}
  --url URL                  server to use (default http://HOST:PORT from the environment, or
                             SWITCHYARD_URL); with no server answering, the database is used directly
  --username NAME            account for the server's API (or SWITCHYARD_USERNAME)
  --password PASS            its password (or SWITCHYARD_PASSWORD)

With the server stopped the import runs on the database from SWITCHYARD_DATA / DATABASE_URL,
recorded as run by "cli". Every import can be undone: POST /api/customers/import/{id}/undo.
`;

const policies = ['skip', 'update', 'create'] as const;
type Policy = (typeof policies)[number];

interface Args {
  file: string;
  policy: Policy;
  dryRun: boolean;
  json: boolean;
  mapping: Record<string, string>;
  url: string | undefined;
  username: string | undefined;
  password: string | undefined;
}

class UsageError extends Error {}

function parse(argv: string[]): Args | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'on-duplicate': { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      map: { type: 'string', multiple: true },
      url: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals[0] !== 'customers') throw new UsageError(`unknown import "${positionals[0] ?? ''}"`);
  const file = positionals[1];
  if (!file) throw new UsageError('FILE is required');
  if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
  const policy = values['on-duplicate'] ?? 'skip';
  if (!(policies as readonly string[]).includes(policy))
    throw new UsageError(`--on-duplicate must be skip, update or create, got "${policy}"`);
  const mapping: Record<string, string> = {};
  for (const m of values.map ?? []) {
    const at = m.lastIndexOf('=');
    if (at <= 0) throw new UsageError(`--map needs HEADER=FIELD, got "${m}"`);
    mapping[m.slice(0, at).trim()] = m.slice(at + 1).trim();
  }
  return {
    file,
    policy: policy as Policy,
    dryRun: values['dry-run'] ?? false,
    json: values.json ?? false,
    mapping,
    url: values.url ?? process.env.SWITCHYARD_URL,
    username: values.username ?? process.env.SWITCHYARD_USERNAME,
    password: values.password ?? process.env.SWITCHYARD_PASSWORD,
  };
}

export async function runImportCommand(argv: string[]): Promise<number> {
  let args: Args | 'help';
  try {
    args = parse(argv);
  } catch (err) {
    process.stderr.write(`switchyard import: ${(err as Error).message}\n\n${importUsage}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(importUsage);
    return 0;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(args.file);
  } catch (err) {
    process.stderr.write(`switchyard import: cannot read ${args.file}: ${(err as Error).message}\n`);
    return 1;
  }
  const config = loadConfig();
  const url = (
    args.url ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`
  ).replace(/\/$/, '');
  let result: ImportResult;
  if (await serverAnswers(url)) {
    if (!args.username || !args.password) {
      process.stderr.write(
        `switchyard import: a server answers at ${url}; give --username and --password (or SWITCHYARD_USERNAME and SWITCHYARD_PASSWORD)\n`,
      );
      return 2;
    }
    result = await importThroughApi(url, args, bytes);
  } else {
    result = await importOnDatabase(config, args, bytes);
  }
  const { created, updated, skipped, errors } = result;
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ created, updated, skipped, errors })}\n`);
    return 0;
  }
  const lines = [
    `${args.dryRun ? 'dry run: would create' : 'created'} ${created}, updated ${updated}, skipped ${skipped}, errors ${errors.length}`,
    ...errors.slice(0, 50).map((e) => `  line ${e.line}: ${e.message}`),
    ...(errors.length > 50 ? [`  … and ${errors.length - 50} more (use --json for all)`] : []),
    ...(result.batchId
      ? [`batch ${result.batchId} (undo: POST /api/customers/import/${result.batchId}/undo)`]
      : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function serverAnswers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1500) });
    return true;
  } catch {
    return false;
  }
}

class ApiError extends Error {}

async function importThroughApi(url: string, args: Args, bytes: Buffer): Promise<ImportResult> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: args.username, password: args.password }),
  });
  if (!login.ok) throw new ApiError(`login as ${args.username} failed (HTTP ${login.status})`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const query = new URLSearchParams({
    fileName: basename(args.file),
    onDuplicate: args.policy,
    dryRun: String(args.dryRun),
  });
  if (Object.keys(args.mapping).length > 0) query.set('mapping', JSON.stringify(args.mapping));
  const res = await fetch(`${url}/api/customers/import?${query}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  const body = (await res.json()) as ImportResult & { error?: { message: string } };
  if (!res.ok) throw new ApiError(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

async function importOnDatabase(
  config: ReturnType<typeof loadConfig>,
  args: Args,
  bytes: Buffer,
): Promise<ImportResult> {
  const { openDatabase } = await import('../store/index.ts');
  const { CustomerImportService } = await import('../crm/import/index.ts');
  const database = await openDatabase({ url: config.databaseUrl, dataDir: `${config.dataDir}/pg` });
  try {
    return await new CustomerImportService(database.db).importFile(bytes, {
      fileName: basename(args.file),
      policy: args.policy,
      dryRun: args.dryRun,
      mapping: args.mapping,
      username: 'cli',
      onProgress: process.stderr.isTTY ? showProgress : undefined,
    });
  } finally {
    await database.close();
  }
}

function showProgress(p: ImportProgress): void {
  const text =
    p.phase === 'writing' ? `writing ${p.done}/${p.total}` : p.phase === 'done' ? 'done' : `${p.phase}…`;
  process.stderr.write(`\r${text.padEnd(30)}${p.phase === 'done' ? '\n' : ''}`);
}
