/**
 * Who may call each route, as declared, for the authorisation matrix test and for operators.
 * `requireUser(...)` guards carry their roles (session-auth.ts); this module records, as routes
 * are registered, which guard each route has. A route with no guard must be listed in
 * PUBLIC_ROUTES: anything else is a route that forgot its check.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { accessOf, type RouteAccess } from './auth/session-auth.ts';

export interface RouteEntry {
  method: string;
  url: string;
  /** Declared access; null when the route has no requireUser guard. */
  access: RouteAccess | null;
}

/** Routes meant to be reachable without a session (exact method + path). */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/health',
  'POST /api/auth/login',
  'GET /api/openapi.json',
  'GET /metrics',
  // Ends the caller's own session, if any; harmless without one.
  'POST /api/auth/logout',
]);

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Starts recording the routes registered on `app` from now on. */
export function recordRoutes(app: FastifyInstance): void {
  const entries: RouteEntry[] = [];
  tables.set(app, entries);
  app.addHook('onRoute', (route: RouteOptions) => {
    const hooks = route.preValidation;
    const list = Array.isArray(hooks) ? hooks : hooks ? [hooks] : [];
    let access: RouteAccess | null = null;
    for (const hook of list) access = accessOf(hook) ?? access;
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (method === 'HEAD') continue;
      entries.push({ method, url: route.url, access });
    }
  });
}

export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return tables.get(app) ?? [];
}
