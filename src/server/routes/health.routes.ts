import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerDeps } from '../ports.ts';

export const healthRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['platform'],
          summary: 'Liveness of switch, database and web',
          response: {
            200: z.object({ status: z.literal('ok'), database: z.string(), sip: z.boolean() }),
            503: z.object({ status: z.literal('degraded'), database: z.string(), sip: z.boolean() }),
          },
        },
      },
      async (_req, reply) => {
        const dbUp = await deps.database.ping().catch(() => false);
        const sip = deps.telephonyUp();
        const body = { database: dbUp ? deps.database.kind : 'down', sip };
        return dbUp && sip
          ? reply.send({ status: 'ok', ...body })
          : reply.status(503).send({ status: 'degraded', ...body });
      },
    );
  };
