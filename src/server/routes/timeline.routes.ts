/** A customer's timeline (CRM-13): IVR sessions, voicemails, messages and calls, newest first. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { timelinePage, timelineQuery, TimelineService } from '../../crm/timeline/index.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { actorOf } from './customer.routes.ts';

export const timelineRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const timeline = new TimelineService(deps.database.db);
    app.get(
      '/api/customers/:id/timeline',
      {
        // Whoever may read the customer may read its timeline (GET /api/customers/{id}).
        preValidation: requireUser(),
        schema: {
          tags: ['crm'],
          summary: "The customer's timeline, newest first; `total` counts every entry (CRM-13)",
          params: z.object({ id: z.string().min(1).max(60) }),
          querystring: timelineQuery,
          response: { 200: timelinePage },
        },
      },
      async (req) => {
        // 404 for a customer outside the caller's data scope, exactly as GET /api/customers/{id}.
        await deps.customers.get(req.params.id, actorOf(req.user));
        return timeline.list(req.params.id, req.query);
      },
    );
  };
