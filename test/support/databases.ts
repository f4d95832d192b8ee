/**
 * The database contract: integration suites run once on embedded PGlite and, when DATABASE_URL
 * points at a Postgres server, again on a throwaway database created on that server.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/store/index.ts';

export interface DbTarget {
  name: 'pglite' | 'postgres';
  open(): Promise<Database & { drop(): Promise<void> }>;
}

export function dbTargets(): DbTarget[] {
  const targets: DbTarget[] = [
    {
      name: 'pglite',
      open: async () => {
        const d = await openDatabase({ url: 'memory://' });
        return { ...d, drop: () => d.close() };
      },
    },
  ];
  const serverUrl = postgresServerUrl();
  if (serverUrl) {
    targets.push({
      name: 'postgres',
      open: async () => {
        const throwaway = await createThrowawayDatabase(serverUrl);
        const d = await openDatabase({ url: throwaway.url });
        return {
          ...d,
          drop: async () => {
            await d.close();
            await throwaway.drop();
          },
        };
      },
    });
  }
  return targets;
}

/** The PostgreSQL server the suites may use (CI sets DATABASE_URL), or null. */
export function postgresServerUrl(): string | null {
  const url = process.env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : null;
}

/** A fresh database on the server, for one suite; `drop` removes it. */
export async function createThrowawayDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const dbName = `sy_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`drop database if exists ${dbName}`);
      await a.end();
    },
  };
}
