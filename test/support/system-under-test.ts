/**
 * Starts the whole system as `npm start` does — real SIP switch, media engine, database, HTTP —
 * on loopback with free ports and a temporary data directory, for acceptance tests: in the test's
 * own process (`startSystemUnderTest`), or as a child process that can be killed and started
 * again on the same data directory and database (`spawnSystemUnderTest`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
    // Two media workers whatever the machine, so every system test crosses the placement code.
    MEDIA_WORKERS: '2',
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

/** The system running as `switchyard start` in a child process (its own process group). */
export interface SystemProcess {
  /** The HTTP port is picked afresh at each start, so this changes after `restart()`. */
  readonly baseUrl: string;
  readonly sipPort: number;
  readonly dataDir: string;
  /** Pid of the running server, which leads its process group (media worker threads included). */
  readonly pid: number;
  /** The end of the server's stdout and stderr (all starts), for failure messages. */
  readonly output: string;
  /** Sends `signal` to the whole process group and waits until the server has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again, same ports, data directory and database (after `kill`). */
  restart(): Promise<void>;
  /** Stops the server if it runs, drops the database and removes the data directory. */
  stop(): Promise<void>;
}

const binary = fileURLToPath(new URL('../../bin/switchyard.js', import.meta.url));

interface Launched {
  child: ChildProcess;
  baseUrl: string;
  exited: Promise<void>;
}

/** Runs `switchyard start` and waits for its start-up banner (which names the HTTP address). */
async function launch(env: Record<string, string>, log: (text: string) => void): Promise<Launched> {
  const child = spawn(process.execPath, [binary, 'start'], {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
    log(d.toString());
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 90 s:\n${output}`)), 90_000);
    const check = () => {
      const m = /Web UI and API\s+(http:\/\/[\d.]+:\d+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited during start (${child.exitCode ?? child.signalCode}):\n${output}`));
    });
  });
  return { child, baseUrl, exited };
}

export async function spawnSystemUnderTest(
  env: Record<string, string> = {},
  database: 'pglite' | 'postgres' = 'pglite',
): Promise<SystemProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-sut-'));
  const server = database === 'postgres' ? postgresServerUrl() : null;
  if (database === 'postgres' && !server) throw new Error('postgres requested but DATABASE_URL is not set');
  const throwaway = server ? await createThrowawayDatabase(server) : null;
  const sipPort = await freeSipPort();
  const [rtpMin, rtpMax] = await freeUdpRange(40);
  const fullEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    SIP_HOST: '127.0.0.1',
    SIP_PORT: String(sipPort),
    RTP_PORTS: `${rtpMin}-${rtpMax}`,
    SWITCHYARD_DATA: dataDir,
    // Empty: embedded PGlite on disk in the data directory, so it outlives the process.
    DATABASE_URL: throwaway?.url ?? '',
    LOG_LEVEL: process.env.SY_TEST_LOG ?? 'warn',
    ...env,
  };
  let output = '';
  const log = (text: string) => (output = (output + text).slice(-50_000));
  let running: Launched | null = await launch(fullEnv, log);
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const r = running;
    if (!r) return;
    try {
      process.kill(-r.child.pid!, signal);
    } catch (err) {
      // Already gone (it exited on its own, or an earlier signal got there first).
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
    await r.exited;
    running = null;
  };
  return {
    get baseUrl() {
      if (!running) throw new Error('the server is not running');
      return running.baseUrl;
    },
    get pid() {
      if (!running) throw new Error('the server is not running');
      return running.child.pid!;
    },
    get output() {
      return output;
    },
    sipPort,
    dataDir,
    kill,
    restart: async () => {
      if (running) throw new Error('the server is still running');
      log('--- restart ---\n');
      running = await launch(fullEnv, log);
    },
    stop: async () => {
      const r = running;
      if (r) {
        const force = setTimeout(() => void kill('SIGKILL'), 15_000);
        await kill('SIGTERM');
        clearTimeout(force);
      }
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
