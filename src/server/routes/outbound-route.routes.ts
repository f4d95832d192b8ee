/**
 * Outbound routes (issue #4, CC-08 dial plan). Contract: `GET/POST /api/outbound-routes`,
 * `PUT/DELETE /api/outbound-routes/{id}` (admin writes; supervisors and admins read). The longest
 * matching prefix picks the route, then the lowest priority; the route sets the trunk, the dial
 * format (stripPrefix, then prepend) and the caller ID (null keeps the one the call asks for).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { outboundRouteInput, type OutboundRouteView } from '../../calls/trunks.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

export const outboundRouteView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  trunkId: z.string(),
  priority: z.number(),
  callerId: z.string().nullable(),
  stripPrefix: z.string().nullable(),
  prepend: z.string().nullable(),
  maxChannels: z.number().nullable(),
  createdAt: z.string(),
});

function auditDetail(r: OutboundRouteView): Record<string, unknown> {
  const { id: _id, createdAt: _createdAt, ...rest } = r;
  return rest;
}

export const outboundRouteRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const admin = requireUser('admin');
    const params = z.object({ id: z.string().max(40) });

    app.get(
      '/api/outbound-routes',
      {
        preValidation: requireUser('supervisor', 'admin'),
        schema: {
          tags: ['telephony'],
          summary: 'Outbound routes (prefix → trunk, dial format, caller ID)',
          response: { 200: z.array(outboundRouteView) },
        },
      },
      async () => deps.trunks.listRoutes(),
    );

    app.post(
      '/api/outbound-routes',
      {
        preValidation: admin,
        schema: {
          tags: ['telephony'],
          summary: 'Add an outbound route',
          body: outboundRouteInput,
          response: { 201: outboundRouteView },
        },
      },
      async (req, reply) => {
        const route = await deps.trunks.createRoute(req.body);
        await audit(deps, req, 'outbound-route.create', route.id, auditDetail(route));
        return reply.status(201).send(route);
      },
    );

    app.put(
      '/api/outbound-routes/:id',
      {
        preValidation: admin,
        schema: {
          tags: ['telephony'],
          summary: 'Replace an outbound route',
          params,
          body: outboundRouteInput,
          response: { 200: outboundRouteView },
        },
      },
      async (req) => {
        const route = await deps.trunks.updateRoute(req.params.id, req.body);
        await audit(deps, req, 'outbound-route.update', route.id, auditDetail(route));
        return route;
      },
    );

    app.delete(
      '/api/outbound-routes/:id',
      {
        preValidation: admin,
        schema: { tags: ['telephony'], summary: 'Delete an outbound route', params },
      },
      async (req, reply) => {
        const route = await deps.trunks.removeRoute(req.params.id);
        await audit(deps, req, 'outbound-route.delete', route.id, { name: route.name, prefix: route.prefix });
        return reply.status(204).send();
      },
    );
  };
