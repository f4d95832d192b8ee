/** The audit trail for administrators (PLT-02). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const entry = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});

export const auditRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/audit',
      {
        preValidation: requireUser('admin'),
        schema: {
          tags: ['admin'],
          summary: 'Audit trail of sensitive actions, newest first',
          querystring: z.object({
            action: z.string().max(60).optional(),
            target: z.string().max(200).optional(),
            userId: z.string().max(40).optional(),
            from: z.iso
              .datetime({ offset: true })
              .transform((s) => new Date(s))
              .optional(),
            to: z.iso
              .datetime({ offset: true })
              .transform((s) => new Date(s))
              .optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: { 200: z.object({ items: z.array(entry), total: z.number() }) },
        },
      },
      async (req) => deps.audit.list(req.query),
    );
  };
