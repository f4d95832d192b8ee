/**
 * Outing registration (外出登记, CRM-03): plan visits for the week, register departure and return.
 * Scoped by the outing's user (`outing` data scope); an outing outside it answers 404.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createOutingInput,
  movementInput,
  OutingService,
  outingQuery,
  outingView,
  updateOutingInput,
} from '../../crm/activities/index.ts';
import { requireUser, type SessionUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const idParams = z.object({ id: z.string().max(40) });
const me = (user: SessionUser | null) => ({ id: user!.id, role: user!.role });

export const outingRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const outings = new OutingService(deps.database.db);
    const anyUser = requireUser();

    app.get(
      '/api/outings',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            'Week view: outings in your scope planned in the week (Monday–Sunday) holding `week` (default this week), by date',
          querystring: outingQuery,
          response: {
            200: z.object({
              from: z.string(),
              to: z.string(),
              items: z.array(outingView),
              total: z.number(),
            }),
          },
        },
      },
      async (req) => outings.week(req.query, me(req.user)),
    );

    app.post(
      '/api/outings',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Plan a visit to a customer in your scope on a date',
          body: createOutingInput,
          response: { 201: outingView },
        },
      },
      async (req, reply) => reply.status(201).send(await outings.create(req.body, me(req.user))),
    );

    app.get(
      '/api/outings/:id',
      {
        preValidation: anyUser,
        schema: { tags: ['crm'], summary: 'One outing', params: idParams, response: { 200: outingView } },
      },
      async (req) => outings.get(req.params.id, me(req.user)),
    );

    app.patch(
      '/api/outings/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Move or re-word a planned outing (409 once departed)',
          params: idParams,
          body: updateOutingInput,
          response: { 200: outingView },
        },
      },
      async (req) => outings.update(req.params.id, req.body, me(req.user)),
    );

    for (const [verb, summary] of [
      ['depart', 'Register the departure (time defaults to now, optional location note)'],
      ['return', 'Register the return (after the departure)'],
      ['cancel', 'Cancel a planned outing'],
    ] as const)
      app.post(
        `/api/outings/:id/${verb}`,
        {
          preValidation: anyUser,
          schema: {
            tags: ['crm'],
            summary,
            params: idParams,
            body: movementInput.optional(),
            response: { 200: outingView },
          },
        },
        async (req) => {
          const actor = me(req.user);
          const body = req.body ?? {};
          if (verb === 'depart') return outings.depart(req.params.id, body, actor);
          if (verb === 'return') return outings.return(req.params.id, body, actor);
          return outings.cancel(req.params.id, actor);
        },
      );
  };
