/** A customer's timeline (CRM-13): IVR sessions, voicemails, messages and calls, newest first. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { timelinePage, timelineQuery, TimelineService } from '../../crm/timeline/index.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

export const timelineRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const timeline = new TimelineService(deps.database.db);
    app.get(
      '/api/customers/:id/timeline',
      {
        // Whoever may read customers may read their timeline (GET /api/customers).
        preValidation: requireUser(),
        schema: {
          tags: ['crm'],
          summary: "The customer's timeline, newest first; `total` counts every entry (CRM-13)",
          params: z.object({ id: z.string().min(1).max(60) }),
          querystring: timelineQuery,
          response: { 200: timelinePage },
        },
      },
      async (req) => timeline.list(req.params.id, req.query),
    );
  };
