/**
 * Starts the whole system as `npm start` does — real SIP switch, media engine, database, HTTP —
 * on loopback with free ports and a temporary data directory, for acceptance tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/cli/config.ts';
import { startSystem, type RunningSystem } from '../../src/server/system.ts';
import { createThrowawayDatabase, postgresServerUrl } from './databases.ts';
import { freeSipPort, freeUdpRange } from './ports.ts';

export interface SystemUnderTest {
  system: RunningSystem;
  baseUrl: string;
  sipPort: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** Databases the system suites run on: embedded PGlite always, PostgreSQL when DATABASE_URL is set. */
export function systemDatabases(): ('pglite' | 'postgres')[] {
  return postgresServerUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

export async function startSystemUnderTest(
  env: Record<string, string> = {},
  database: 'pglite' | 'postgres' = 'pglite',
): Promise<SystemUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-sut-'));
  const server = database === 'postgres' ? postgresServerUrl() : null;
  if (database === 'postgres' && !server) throw new Error('postgres requested but DATABASE_URL is not set');
  const throwaway = server ? await createThrowawayDatabase(server) : null;
  const sipPort = await freeSipPort();
  const [rtpMin, rtpMax] = await freeUdpRange(40);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SIP_HOST: '127.0.0.1',
    SIP_PORT: String(sipPort),
    RTP_PORTS: `${rtpMin}-${rtpMax}`,
    SWITCHYARD_DATA: dataDir,
    DATABASE_URL: throwaway?.url ?? 'memory://',
    LOG_LEVEL: process.env.SY_TEST_LOG ?? 'warn',
    ...env,
  });
  const system = await startSystem(config, { quiet: true });
  return {
    system,
    baseUrl: `http://127.0.0.1:${system.httpPort}`,
    sipPort,
    dataDir,
    stop: async () => {
      await system.stop();
      await throwaway?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A minimal cookie-keeping HTTP client for the REST API. */
export class ApiClient {
  private cookie = '';

  constructor(readonly baseUrl: string) {}

  async login(username: string, password = 'demo1234'): Promise<void> {
    const res = await this.request('POST', '/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  }

  get cookieHeader(): string {
    return this.cookie;
  }

  async request(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
    return res;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}
