/**
 * Credit (资信, CRM-10): a customer's rating and limit, changed by request and approval, with the
 * full history. The `credit` data scope hides the fields from roles it does not reach (agents by
 * default); requests and decisions are audited.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotificationService } from '../../crm/activities/index.ts';
import {
  CreditService,
  creditDecisionInput,
  creditRequestInput,
  creditRequestQuery,
  creditRequestView,
  creditView,
} from '../../crm/credit/index.ts';
import { TimelineService } from '../../crm/timeline/index.ts';
import { audit } from '../audit.ts';
import { requireUser, type SessionUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const me = (user: SessionUser | null) => ({ id: user!.id, role: user!.role });

export const creditRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const db = deps.database.db;
    const credit = new CreditService(db, new TimelineService(db), new NotificationService(db));
    const anyUser = requireUser();
    const customerParams = z.object({ id: z.string().max(40) });

    app.get(
      '/api/customers/:id/credit',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            "The customer's credit rating and limit; `hidden: true` with null fields when your credit scope does not reach it",
          params: customerParams,
          response: { 200: creditView },
        },
      },
      async (req) => credit.get(req.params.id, me(req.user)),
    );

    app.post(
      '/api/customers/:id/credit/requests',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Request a credit change (credit edit scope; one pending request per customer)',
          params: customerParams,
          body: creditRequestInput,
          response: { 201: creditRequestView },
        },
      },
      async (req, reply) => {
        const created = await credit.request(req.params.id, req.body, me(req.user));
        await audit(deps, req, 'credit.request', req.params.id, {
          requestId: created.id,
          rating: created.rating,
          limitAmount: created.limitAmount,
        });
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/api/credit/requests',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            'Credit requests and decisions (the history) in your credit scope, newest first; total in X-Total-Count',
          querystring: creditRequestQuery,
          response: { 200: z.array(creditRequestView) },
        },
      },
      async (req, reply) => {
        const page = await credit.page(req.query, me(req.user));
        void reply.header('X-Total-Count', String(page.total));
        return page.items;
      },
    );

    for (const verb of ['approve', 'reject'] as const)
      app.post(
        `/api/credit/requests/:id/${verb}`,
        {
          preValidation: requireUser('admin', 'supervisor', 'sales_manager'),
          schema: {
            tags: ['crm'],
            summary: `${verb === 'approve' ? 'Approve' : 'Reject'} a pending credit request (a manager other than the requester; audited)`,
            params: z.object({ id: z.string().max(40) }),
            body: creditDecisionInput.optional(),
            response: { 200: creditRequestView },
          },
        },
        async (req) => {
          const view = await credit.decide(
            req.params.id,
            verb === 'approve',
            req.body?.comment,
            me(req.user),
          );
          await audit(deps, req, `credit.${verb}`, view.customerId, {
            requestId: view.id,
            rating: view.rating,
            limitAmount: view.limitAmount,
          });
          return view;
        },
      );
  };
