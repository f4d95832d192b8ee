/**
 * `npm run bench -- crm` (issue #6): the CRM at scale through its HTTP API, on embedded PGlite and
 * on a PostgreSQL server.
 *
 * For each database the whole system starts with its demo organisation, then BENCH_CRM_CUSTOMERS
 * generated customers (default 1,000,000; a third each owned by sales1, by sales2, by nobody) with
 * three contacts each, one mobile number per contact, are written in batches of 50,000 by SQL
 * (generate_series; indexes as in production). Then, signed in over HTTP:
 *   - screen pop: `GET /api/screen-pop?number=` for random existing numbers in a national written
 *     form, as an agent — sequential requests for p50/p99 latency, then BENCH_CRM_CONCURRENCY
 *     parallel clients for requests per second;
 *   - global search: `GET /api/customers?q=` with a name fragment or 7+ phone digits, p50/p99;
 *   - import: a 10,000-row CSV with new customers through `POST /api/customers/import`, rows/s.
 * Postgres: DATABASE_URL, or postgres@127.0.0.1:5432 when it answers; a throwaway database is
 * created and dropped. BENCH_CRM_DATABASES=pglite,postgres picks. Figures are for this machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../src/cli/config.ts';
import { startSystem, type RunningSystem } from '../src/server/system.ts';
import { createThrowawayDatabase } from '../test/support/databases.ts';
import { percentile, type BenchOutcome } from './bench-result.ts';

const customers = Number(process.env.BENCH_CRM_CUSTOMERS ?? 1_000_000);
const concurrency = Number(process.env.BENCH_CRM_CONCURRENCY ?? 16);
const popRequests = Number(process.env.BENCH_CRM_POPS ?? 2000);
const databases = (process.env.BENCH_CRM_DATABASES ?? 'pglite,postgres').split(',').map((s) => s.trim());
const BATCH = 50_000;
const IMPORT_ROWS = 10_000;

const round = (n: number, d = 2): number => Number(n.toFixed(d));
const log = (msg: string): void => void process.stderr.write(`crm bench: ${msg}\n`);

/** The mobile number of contact k (1–3) of generated customer g: unique, 11 digits. */
const mobile = (g: number, k: number): string => String(13_000_000_000 + g * 3 + k);

class Http {
  private cookie = '';
  constructor(readonly base: string) {}

  async login(username: string): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'demo1234' }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  async get(path: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(this.base + path, { headers: { cookie: this.cookie } });
    return { status: res.status, body: await res.json() };
  }

  async post(path: string, body: string, type: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { cookie: this.cookie, 'content-type': type },
      body,
    });
    return { status: res.status, body: await res.json() };
  }
}

async function userId(system: RunningSystem, username: string): Promise<string> {
  const rows = await system.database.db.execute<{ id: string }>(
    sql`select id from users where username = ${username}`,
  );
  const id = (rows as unknown as { rows?: { id: string }[] }).rows?.[0]?.id;
  if (!id) throw new Error(`no demo user ${username}`);
  return id;
}

async function generate(system: RunningSystem): Promise<number> {
  const db = system.database.db;
  const [sales1, sales2] = [await userId(system, 'sales1'), await userId(system, 'sales2')];
  const t0 = performance.now();
  for (let from = 1; from <= customers; from += BATCH) {
    const to = Math.min(customers, from + BATCH - 1);
    await db.execute(sql`
      insert into customers (id, name, name_key, kind, tier, region, owner_user_id, created_at, updated_at)
      select 'cus_bench' || g, '基准' || g || '号物流有限公司', 'bench' || g, 'company',
        (array['key','ordinary','small'])[1 + g % 3], (array['上海','北京','广州','成都','武汉'])[1 + g % 5],
        case g % 3 when 0 then ${sales1} when 1 then ${sales2} else null end, now(), now()
      from generate_series(${from}::int, ${to}::int) g`);
    await db.execute(sql`
      insert into contacts (id, customer_id, name, created_at)
      select 'con_bench' || g || '_' || k, 'cus_bench' || g, '联系人' || g || '-' || k, now()
      from generate_series(${from}::int, ${to}::int) g, generate_series(1, 3) k`);
    await db.execute(sql`
      insert into contact_phones (id, contact_id, customer_id, e164, raw, digits, kind)
      select 'cph_bench' || g || '_' || k, 'con_bench' || g || '_' || k, 'cus_bench' || g,
        '+86' || (13000000000::bigint + g * 3 + k)::text, (13000000000::bigint + g * 3 + k)::text,
        (13000000000::bigint + g * 3 + k)::text, 'mobile'
      from generate_series(${from}::int, ${to}::int) g, generate_series(1, 3) k`);
    if (to % 200_000 === 0 || to === customers) log(`${to} customers written`);
  }
  await db.execute(sql`analyze`);
  return (performance.now() - t0) / 1000;
}

function randomCustomer(): number {
  return 1 + Math.floor(Math.random() * customers);
}

async function timed(fn: () => Promise<void>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

async function screenPop(http: Http): Promise<Record<string, number>> {
  const pop = async (): Promise<void> => {
    const g = randomCustomer();
    const m = mobile(g, 1 + (g % 3));
    // A national written form: the switch normalises any of them.
    const res = await http.get(`/api/screen-pop?number=${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`);
    const matches = (res.body as { matches?: unknown[] }).matches;
    if (res.status !== 200 || !matches || matches.length !== 1)
      throw new Error(`screen pop ${m}: ${res.status}`);
  };
  await timed(pop, 50); // warm-up
  const lat = await timed(pop, popRequests);
  let done = 0;
  const until = performance.now() + 5000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await pop();
        done++;
      }
    }),
  );
  return {
    p50Ms: round(percentile(lat, 50)),
    p99Ms: round(percentile(lat, 99)),
    requestsPerSecond: round(done / ((performance.now() - t0) / 1000), 0),
  };
}

async function search(http: Http): Promise<Record<string, number>> {
  const lat = await timed(async () => {
    const g = randomCustomer();
    const q = Math.random() < 0.5 ? `基准${g}号` : mobile(g, 1).slice(0, 9);
    const res = await http.get(`/api/customers?q=${encodeURIComponent(q)}&limit=20`);
    if (res.status !== 200) throw new Error(`search ${q}: ${res.status}`);
  }, 100);
  return { p50Ms: round(percentile(lat, 50)), p99Ms: round(percentile(lat, 99)) };
}

async function importRows(http: Http): Promise<Record<string, number>> {
  const stamp = Date.now() % 1_000_000;
  const lines = ['name,contact,phone,email,region'];
  for (let i = 0; i < IMPORT_ROWS; i++)
    lines.push(
      `导入${stamp}-${i}号商贸公司,王${i},+86 150${String(stamp * 10_000 + i)
        .padStart(8, '0')
        .slice(-8)},i${i}@bench.example,上海`,
    );
  const t0 = performance.now();
  const res = await http.post(
    '/api/customers/import?fileName=bench.csv&onDuplicate=skip',
    lines.join('\n'),
    'text/csv',
  );
  const seconds = (performance.now() - t0) / 1000;
  const r = res.body as { created?: number; errors?: unknown[] };
  if (res.status !== 200) throw new Error(`import: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return {
    rows: IMPORT_ROWS,
    created: r.created ?? 0,
    seconds: round(seconds),
    rowsPerSecond: round(IMPORT_ROWS / seconds, 0),
  };
}

async function postgresServer(): Promise<string | null> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!/^postgres(ql)?:\/\//.test(url)) return null;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    return null;
  }
}

async function runOn(kind: string): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-crm-'));
  let throwaway: Awaited<ReturnType<typeof createThrowawayDatabase>> | null = null;
  if (kind === 'postgres') {
    const server = await postgresServer();
    if (!server) return { skipped: 'no PostgreSQL server (DATABASE_URL or 127.0.0.1:5432)' };
    throwaway = await createThrowawayDatabase(server);
  }
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SIP_HOST: '127.0.0.1',
    SIP_PORT: String(27000 + (process.pid % 500) * 2),
    RTP_PORTS: '18000-18099',
    SWITCHYARD_DATA: dataDir,
    ...(throwaway ? { DATABASE_URL: throwaway.url } : {}),
    LOG_LEVEL: 'error',
  });
  const system = await startSystem(config, { quiet: true });
  try {
    log(`${kind}: generating ${customers} customers, ${customers * 3} contacts`);
    const generateSeconds = await generate(system);
    const http = new Http(`http://127.0.0.1:${system.httpPort}`);
    await http.login('1001');
    log(`${kind}: screen pop`);
    const pop = await screenPop(http);
    log(`${kind}: search`);
    const found = await search(http);
    const admin = new Http(http.base);
    await admin.login('admin');
    log(`${kind}: import`);
    const imported = await importRows(admin);
    return {
      customers,
      contacts: customers * 3,
      generateSeconds: round(generateSeconds, 1),
      screenPop: pop,
      search: found,
      import: imported,
    };
  } finally {
    await system.stop();
    await throwaway?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchOutcome> {
  const result: Record<string, unknown> = { customers, concurrency };
  const parts: string[] = [];
  for (const kind of databases) {
    const r = await runOn(kind);
    result[kind] = r;
    const pop = r.screenPop as Record<string, number> | undefined;
    const s = r.search as Record<string, number> | undefined;
    const imp = r.import as Record<string, number> | undefined;
    parts.push(
      pop && s && imp
        ? `${kind}: screen pop p50 ${pop.p50Ms} ms p99 ${pop.p99Ms} ms ${pop.requestsPerSecond}/s, search p99 ${s.p99Ms} ms, import ${imp.rowsPerSecond} rows/s`
        : `${kind}: ${String(r.skipped ?? 'no result')}`,
    );
  }
  return {
    summary: `crm at ${customers} customers / ${customers * 3} contacts over HTTP — ${parts.join('; ')} (2 cores)`,
    result,
  };
}
