/** `GET /api/screen-pop?number=…`: the customer card for a ringing number (CC-12, CRM-13). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { customerCard, DataScopes } from '../../crm/index.ts';
import { ScreenPopService } from '../../crm/screen-pop/screen-pop.service.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { actorOf } from './customer.routes.ts';

const screenPop = z.object({
  e164: z.string().nullable(),
  matches: z.array(
    customerCard.extend({
      matchedContactId: z.string().nullable(),
      openTasks: z.array(
        z.object({
          id: z.string(),
          channel: z.string(),
          subject: z.string(),
          status: z.string(),
          createdAt: z.string(),
        }),
      ),
      recent: z.array(z.object({ kind: z.string(), title: z.string(), occurredAt: z.string() })),
    }),
  ),
});

export const screenPopRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const service = new ScreenPopService(deps.database.db, deps.customers, new DataScopes(deps.database.db));
    app.get(
      '/api/screen-pop',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['crm'],
          summary:
            'Customers owning a phone number in any written form, within your data scope, with contacts, open tasks and the latest timeline entries',
          querystring: z.object({ number: z.string().trim().min(1).max(40) }),
          response: { 200: screenPop },
        },
      },
      async (req) => service.lookup(req.query.number, actorOf(req.user)),
    );
  };
