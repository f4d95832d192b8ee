/**
 * The message log (issue #5): every SMS, e-mail and fax sent, with its outcome and the reason it
 * failed, newest first. Recipients are personal data: supervisors and administrators only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MessageLog } from '../../messaging/index.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const messageView = z.object({
  id: z.string(),
  channel: z.enum(['sms', 'email', 'fax']),
  recipient: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  status: z.enum(['queued', 'sent', 'failed']),
  error: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  customerId: z.string().nullable(),
  callId: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const messageRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const log = new MessageLog(deps.database.db);
    app.get(
      '/api/messages',
      {
        preValidation: requireUser('admin', 'supervisor'),
        schema: {
          tags: ['messaging'],
          summary:
            'SMS, e-mails and faxes sent, newest first, by channel, status or customer; with the total',
          querystring: z.object({
            channel: z.enum(['sms', 'email', 'fax']).optional(),
            status: z.enum(['queued', 'sent', 'failed']).optional(),
            customerId: z.string().max(60).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: { 200: z.object({ items: z.array(messageView), total: z.number() }) },
        },
      },
      async (req) => {
        const { rows, total } = await log.page(req.query);
        return {
          total,
          items: rows.map((r) => ({
            ...r,
            createdAt: r.createdAt.toISOString(),
            sentAt: r.sentAt ? r.sentAt.toISOString() : null,
          })),
        };
      },
    );
  };
