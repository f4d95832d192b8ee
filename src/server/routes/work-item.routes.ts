/**
 * Work items besides voice (ACD-08): chats, e-mails, SMS and tasks queued to skill groups and
 * offered to agents with free capacity. Supervisors (and integrations acting as them) create and
 * cancel items; agents accept, decline and complete the items offered to them.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../shared/index.ts';
import { audit } from '../audit.ts';
import { requireDesk, requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const channel = z.enum(['chat', 'email', 'sms', 'task']);
const status = z.enum(['queued', 'offered', 'accepted', 'completed', 'cancelled']);

export const workItemView = z.object({
  id: z.string(),
  channel,
  queue: z.string(),
  priority: z.number(),
  subject: z.string(),
  fromAddress: z.string().nullable(),
  customerId: z.string().nullable(),
  status,
  agentId: z.string().nullable(),
  createdAt: z.string(),
  offeredAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  offerExpiresAt: z.string().nullable(),
  declines: z.number(),
});

const idParam = z.object({ id: z.string().max(40) });
const page = z.object({ items: z.array(workItemView), total: z.number() });

export const workItemRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const staff = requireUser('supervisor', 'admin');
    const myAgent = (userId: string) => {
      const agentId = deps.desk.agentIdForUser(userId);
      if (!agentId) throw new AppError('forbidden', 'this user is not an agent');
      return agentId;
    };
    const desk = requireDesk((userId) => deps.desk.agentIdForUser(userId));

    app.post(
      '/api/work-items',
      {
        preValidation: staff,
        schema: {
          tags: ['work'],
          summary: 'Queue a chat, e-mail, SMS or task to a skill group',
          body: z.object({
            channel,
            queue: z.string().min(1).max(40),
            subject: z.string().trim().min(1).max(200),
            priority: z.number().int().min(0).max(100).default(0),
            fromAddress: z.string().trim().max(200).nullable().default(null),
            customerId: z.string().max(40).nullable().default(null),
          }),
          response: { 201: workItemView },
        },
      },
      async (req, reply) => reply.status(201).send(await deps.work.create(req.body, req.user!.id)),
    );

    app.get(
      '/api/work-items',
      {
        preValidation: staff,
        schema: {
          tags: ['work'],
          summary: 'Work items, newest first, by status, queue or agent',
          querystring: z.object({
            status: z
              .string()
              .optional()
              .transform((s) => (s ? s.split(',') : undefined))
              .pipe(z.array(status).optional()),
            queue: z.string().max(40).optional(),
            agentId: z.string().max(40).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: { 200: page },
        },
      },
      async (req) => deps.work.list(req.query),
    );

    app.post(
      '/api/work-items/:id/cancel',
      {
        preValidation: staff,
        schema: {
          tags: ['work'],
          summary: 'Withdraw an item',
          params: idParam,
          response: { 200: workItemView },
        },
      },
      async (req) => {
        const item = await deps.work.cancel(req.params.id);
        await audit(deps, req, 'work-item.cancel', item.id);
        return item;
      },
    );

    app.get(
      '/api/agent/work-items',
      {
        preValidation: desk,
        schema: {
          tags: ['agent'],
          summary: 'Items offered to or held by the logged-in agent',
          response: { 200: page },
        },
      },
      async (req) =>
        deps.work.list({
          agentId: myAgent(req.user!.id),
          status: ['offered', 'accepted'],
          limit: 200,
          offset: 0,
        }),
    );

    for (const action of ['accept', 'decline', 'complete'] as const) {
      app.post(
        `/api/agent/work-items/:id/${action}`,
        {
          preValidation: desk,
          schema: {
            tags: ['agent'],
            summary: `${action[0]!.toUpperCase()}${action.slice(1)} a work item`,
            params: idParam,
            response: { 200: workItemView },
          },
        },
        async (req) => deps.work[action](myAgent(req.user!.id), req.params.id),
      );
    }
  };
