/** The signed-in user's notifications (reviews of their contact records, credit decisions). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotificationService, notificationQuery, notificationView } from '../../crm/activities/index.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

export const notificationRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const notifications = new NotificationService(deps.database.db);
    const anyUser = requireUser();

    app.get(
      '/api/notifications',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Your notifications, newest first (`unread=true`: unread only); `unread` counts them',
          querystring: notificationQuery,
          response: {
            200: z.object({ items: z.array(notificationView), total: z.number(), unread: z.number() }),
          },
        },
      },
      async (req) => notifications.list(req.user!.id, req.query),
    );

    app.post(
      '/api/notifications/:id/read',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Mark one of your notifications read',
          params: z.object({ id: z.string().max(40) }),
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await notifications.markRead(req.user!.id, req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/notifications/read-all',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Mark all your notifications read',
          response: { 200: z.object({ marked: z.number() }) },
        },
      },
      async (req) => ({ marked: await notifications.markAllRead(req.user!.id) }),
    );
  };
