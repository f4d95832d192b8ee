/**
 * SIP trunks (issue #4) and their monitor (CC-15). Contract: `GET/POST /api/trunks`,
 * `PUT/DELETE /api/trunks/{id}` (admin writes; supervisors and admins read); the password is
 * write-only (views say `hasPassword`), and a trunk a route still uses cannot be deleted (409).
 * `GET /api/monitor/trunks`: registration and channels in use per trunk, channels per route.
 * Every change applies to the running switch at once (routing, registration).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { trunkInput, type TrunkView } from '../../calls/trunks.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

export const trunkView = z.object({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  port: z.number(),
  transport: z.enum(['udp', 'tcp']),
  register: z.boolean(),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  domain: z.string().nullable().describe('null: the host'),
  registerExpires: z.number(),
  maxChannels: z.number().nullable(),
  enabled: z.boolean(),
  createdAt: z.string(),
});

const monitorView = z.object({
  trunks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      host: z.string(),
      port: z.number(),
      transport: z.enum(['udp', 'tcp']),
      register: z.boolean(),
      enabled: z.boolean(),
      registered: z.boolean(),
      lastError: z.string().nullable(),
      expiresAt: z.string().nullable(),
      lastRegisteredAt: z.string().nullable(),
      channelsInUse: z.number(),
      maxChannels: z.number().nullable(),
      refused: z.number().describe('outbound calls refused since start because the trunk was full'),
    }),
  ),
  routes: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      prefix: z.string(),
      trunkId: z.string(),
      channelsInUse: z.number(),
      maxChannels: z.number().nullable(),
      refused: z.number().describe('outbound calls refused since start because the route was full'),
    }),
  ),
});

/** What the audit trail keeps of a trunk: never the password, only whether it changed. */
function auditDetail(t: TrunkView, passwordChanged: boolean): Record<string, unknown> {
  return {
    name: t.name,
    host: t.host,
    port: t.port,
    transport: t.transport,
    register: t.register,
    username: t.username,
    domain: t.domain,
    maxChannels: t.maxChannels,
    enabled: t.enabled,
    passwordChanged,
  };
}

export const trunkRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const readers = requireUser('supervisor', 'admin');
    const admin = requireUser('admin');
    const params = z.object({ id: z.string().max(40) });

    app.get(
      '/api/trunks',
      {
        preValidation: readers,
        schema: { tags: ['telephony'], summary: 'SIP trunks', response: { 200: z.array(trunkView) } },
      },
      async () => deps.trunks.listTrunks(),
    );

    app.post(
      '/api/trunks',
      {
        preValidation: admin,
        schema: {
          tags: ['telephony'],
          summary: 'Add a SIP trunk (register: true REGISTERs with username/password)',
          body: trunkInput,
          response: { 201: trunkView },
        },
      },
      async (req, reply) => {
        const trunk = await deps.trunks.createTrunk(req.body);
        await audit(deps, req, 'trunk.create', trunk.id, auditDetail(trunk, req.body.password != null));
        return reply.status(201).send(trunk);
      },
    );

    app.put(
      '/api/trunks/:id',
      {
        preValidation: admin,
        schema: {
          tags: ['telephony'],
          summary: 'Replace a trunk’s settings (password omitted: unchanged; null: removed)',
          params,
          body: trunkInput,
          response: { 200: trunkView },
        },
      },
      async (req) => {
        const trunk = await deps.trunks.updateTrunk(req.params.id, req.body);
        await audit(deps, req, 'trunk.update', trunk.id, auditDetail(trunk, req.body.password !== undefined));
        return trunk;
      },
    );

    app.delete(
      '/api/trunks/:id',
      {
        preValidation: admin,
        schema: {
          tags: ['telephony'],
          summary: 'Delete a trunk (409 while a route uses it); a registration is removed',
          params,
        },
      },
      async (req, reply) => {
        const trunk = await deps.trunks.removeTrunk(req.params.id);
        await audit(deps, req, 'trunk.delete', trunk.id, { name: trunk.name, host: trunk.host });
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/monitor/trunks',
      {
        preValidation: readers,
        schema: {
          tags: ['telephony'],
          summary: 'Trunk registration and channels in use, per trunk and per outbound route (CC-15)',
          response: { 200: monitorView },
        },
      },
      async () => {
        const m = deps.trunks.monitor();
        return {
          trunks: m.trunks.map((t) => ({
            ...t,
            expiresAt: t.expiresAt?.toISOString() ?? null,
            lastRegisteredAt: t.lastRegisteredAt?.toISOString() ?? null,
          })),
          routes: m.routes,
        };
      },
    );
  };
