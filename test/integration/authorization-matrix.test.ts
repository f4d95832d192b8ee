/**
 * The authorisation matrix (PLT-02, CRM-02): every route the server registers, walked with every
 * role and without a session, against what the route declares (requireUser roles, route-table.ts).
 *   - a route with no guard must be one of the few public ones;
 *   - no session → 401; a role the route does not admit → 403; an admitted role → anything but
 *     401/403 (ids in paths are made up, bodies empty: the answer is usually 400 or 404);
 *   - every list a salesperson or sales manager can read holds only records they own or that
 *     belong to their subordinates (any object with an `ownerId`).
 * Runs against the whole system with its demo organisation, routes added later included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdrRepository } from '../../src/calls/cdr.repository.ts';
import { PUBLIC_ROUTES, routeTable, type RouteEntry } from '../../src/server/route-table.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

const ROLES = {
  admin: 'admin',
  supervisor: 'supervisor',
  agent: '1001',
  sales_manager: 'salesmgr',
  sales: 'sales1',
} as const;
type RoleName = keyof typeof ROLES;

/** Not walked: they end the session or upgrade the connection. */
const NOT_WALKED = new Set(['POST /api/auth/logout', 'GET /api/cti']);

let sut: SystemUnderTest;
const clients = new Map<RoleName, ApiClient>();
const userIds = new Map<string, string>();
let routes: RouteEntry[] = [];

const key = (r: RouteEntry) => `${r.method} ${r.url}`;

/** A concrete path for a route: every parameter gets an id that names nothing. */
function pathOf(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, 'zz_missing_1');
}

function bodyOf(method: string): unknown {
  return method === 'GET' || method === 'DELETE' ? undefined : {};
}

/** Every `ownerId` anywhere in a JSON value. */
function ownerIds(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) ownerIds(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'ownerId' && typeof v === 'string') out.push(v);
      else ownerIds(v, out);
    }
  }
  return out;
}

beforeAll(async () => {
  sut = await startSystemUnderTest();
  routes = routeTable(sut.system.http).filter((r) => r.url.startsWith('/api/') || r.url === '/metrics');
  for (const [role, username] of Object.entries(ROLES) as [RoleName, string][]) {
    const c = new ApiClient(sut.baseUrl);
    await c.login(username);
    clients.set(role, c);
    const me = await c.json<{ user: { id: string } }>('GET', '/api/auth/me');
    userIds.set(username, me.user.id);
  }
  for (const username of ['sales2']) {
    const c = new ApiClient(sut.baseUrl);
    await c.login(username);
    userIds.set(username, (await c.json<{ user: { id: string } }>('GET', '/api/auth/me')).user.id);
  }
}, 120_000);

afterAll(async () => {
  await sut?.stop();
});

describe('authorisation matrix', () => {
  it('has a guard on every route except the public ones', () => {
    expect(routes.length).toBeGreaterThan(50);
    const unguarded = routes.filter(
      (r) => r.access === null && !PUBLIC_ROUTES.has(key(r)) && r.url !== '/api/*',
    );
    expect(unguarded.map(key)).toEqual([]);
  });

  it('lists hold only records in the caller’s scope (sales, sales manager)', async () => {
    const lists = routes.filter((r) => r.method === 'GET' && !r.url.includes(':') && !NOT_WALKED.has(key(r)));
    const sales1 = userIds.get('sales1')!;
    const team = new Set([userIds.get('salesmgr')!, sales1, userIds.get('sales2')!]);
    let checked = 0;
    for (const route of lists) {
      for (const [role, allowed] of [
        ['sales', new Set([sales1])],
        ['sales_manager', team],
      ] as const) {
        const res = await clients.get(role)!.request('GET', route.url);
        if (res.status !== 200 || !res.headers.get('content-type')?.includes('json')) continue;
        const owners = ownerIds(await res.json());
        checked += owners.length;
        const leaked = owners.filter((o) => !allowed.has(o));
        expect(leaked, `${role} ${key(route)}`).toEqual([]);
      }
    }
    // The demo data gives the sales department customers of its own: the check saw records.
    expect(checked).toBeGreaterThan(0);
  }, 120_000);

  it('keeps one salesperson’s customer and everything under it from another (404), not from its owner', async () => {
    const list = await clients
      .get('sales')!
      .json<{ id: string; ownerId: string | null }[]>('GET', '/api/customers');
    const mine = list.find((c) => c.ownerId === userIds.get('sales1'));
    expect(mine).toBeDefined();
    const sales2 = new ApiClient(sut.baseUrl);
    await sales2.login('sales2');
    const reads = routes.filter(
      (r) =>
        r.method === 'GET' &&
        /^\/api\/customers\/:id(\/[a-z-]+)?$/.test(r.url) &&
        r.url !== '/api/customers/:id/audio',
    );
    expect(reads.length).toBeGreaterThan(1);
    for (const route of reads) {
      const path = route.url.replace(':id', mine!.id);
      expect((await sales2.request('GET', path)).status, `sales2 ${path}`).toBe(404);
      expect((await clients.get('sales')!.request('GET', path)).status, `sales1 ${path}`).toBe(200);
    }
  });

  it('shows salespeople the calls of their own customers only (CDR list and by id)', async () => {
    const cdrRepo = new CdrRepository(sut.system.database.db);
    const customersOf = async (who: RoleName) =>
      (
        await clients.get(who)!.json<{ id: string; ownerId: string | null }[]>('GET', '/api/customers')
      ).filter((c) => c.ownerId === userIds.get(ROLES[who]));
    const sales2 = new ApiClient(sut.baseUrl);
    await sales2.login('sales2');
    const theirs = (
      await sales2.json<{ id: string; ownerId: string | null }[]>('GET', '/api/customers')
    ).filter((c) => c.ownerId === userIds.get('sales2'));
    const [mine] = await customersOf('sales');
    expect(mine && theirs[0]).toBeTruthy();
    const ids: Record<string, string> = {};
    for (const [label, customerId] of [
      ['mine', mine!.id],
      ['theirs', theirs[0]!.id],
    ] as const) {
      ids[label] = await cdrRepo.open({
        callId: `matrix-${label}`,
        caller: '13800000009',
        callerE164: '+8613800000009',
        dnis: '4008001000',
        offeredAt: new Date(),
      });
      await cdrRepo.update(ids[label]!, { customerId, disposition: 'answered' });
    }
    const seen = (await clients.get('sales')!.json<{ id: string }[]>('GET', '/api/cdrs?limit=500')).map(
      (c) => c.id,
    );
    expect(seen).toContain(ids['mine']);
    expect(seen).not.toContain(ids['theirs']);
    expect((await clients.get('sales')!.request('GET', `/api/cdrs/${ids['theirs']}`)).status).toBe(404);
    expect((await clients.get('sales')!.request('GET', `/api/cdrs/${ids['mine']}`)).status).toBe(200);
    const manager = (
      await clients.get('sales_manager')!.json<{ id: string }[]>('GET', '/api/cdrs?limit=500')
    ).map((c) => c.id);
    expect(manager).toEqual(expect.arrayContaining([ids['mine'], ids['theirs']]));
    const all = (await clients.get('supervisor')!.json<{ id: string }[]>('GET', '/api/cdrs?limit=500'))
      .length;
    expect(all).toBeGreaterThanOrEqual(manager.length);
  });

  it('answers 401 without a session, 403 to roles a route does not admit, and lets admitted roles through', async () => {
    const anonymous = new ApiClient(sut.baseUrl);
    const mismatches: string[] = [];
    // Reads first, then writes: a write's side effects cannot hide a read's answer.
    const ordered = [...routes].sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));
    for (const route of ordered) {
      if (NOT_WALKED.has(key(route)) || route.url === '/api/*') continue;
      const path = pathOf(route.url);
      const body = bodyOf(route.method);
      const open = PUBLIC_ROUTES.has(key(route));
      const anon = (await anonymous.request(route.method, path, body)).status;
      if (!open && anon !== 401) mismatches.push(`${key(route)} anonymous → ${anon}, want 401`);
      if (open || !route.access) continue;
      for (const [role, client] of clients) {
        // Desk routes (the agent's own calls and state) admit users with an extension: here the agent.
        const admitted =
          (route.access.roles === 'any' || route.access.roles.includes(role)) &&
          (!route.access.desk || role === 'agent');
        const status = (await client.request(route.method, path, body)).status;
        if (admitted && (status === 401 || status === 403))
          mismatches.push(`${key(route)} ${role} → ${status}, want admitted`);
        if (!admitted && status !== 403) mismatches.push(`${key(route)} ${role} → ${status}, want 403`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});
