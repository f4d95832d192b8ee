/**
 * Opportunities (机会管理, CRM-05): REST for deals, the kanban move with entry criteria, forecast
 * totals and stage history. Every route reads and writes within the caller's `opportunity` data
 * scope (404 outside it); lists paginate, sort and filter on the server (total in X-Total-Count).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createOpportunityInput,
  forecastQuery,
  forecastRow,
  historyView,
  moveInput,
  opportunityQuery,
  OpportunityService,
  opportunityView,
  updateOpportunityInput,
} from '../../crm/opportunities/index.ts';
import { TimelineService } from '../../crm/timeline/index.ts';
import { audit } from '../audit.ts';
import { requireUser, type SessionUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { opportunityStageRoutes } from './opportunity-stage.routes.ts';

const idParams = z.object({ id: z.string().max(40) });
const me = (user: SessionUser | null) => ({ id: user!.id, role: user!.role });

export const opportunityRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const db = deps.database.db;
    const deals = new OpportunityService(db, new TimelineService(db));
    const anyUser = requireUser();
    const sellers = requireUser('admin', 'supervisor', 'sales_manager', 'sales');

    await app.register(opportunityStageRoutes(deps, deals.stages));

    app.get(
      '/api/opportunities',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            'Opportunities in your data scope; filter by customer, owner, stage, status, title (`q`), expected close date; sorted; total in X-Total-Count',
          querystring: opportunityQuery,
          response: { 200: z.array(opportunityView) },
        },
      },
      async (req, reply) => {
        const page = await deals.page(req.query, me(req.user));
        void reply.header('X-Total-Count', String(page.total));
        return page.items;
      },
    );

    app.get(
      '/api/opportunities/forecast',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            'Forecast of the open deals in your scope per stage or per owner: count, Σ amount and Σ amount × probability (CNY)',
          querystring: forecastQuery,
          response: { 200: z.array(forecastRow) },
        },
      },
      async (req) => deals.forecast(req.query.groupBy, req.query.ownerId, me(req.user)),
    );

    app.post(
      '/api/opportunities',
      {
        preValidation: sellers,
        schema: {
          tags: ['crm'],
          summary:
            "Create an opportunity for a customer in your scope (first open stage unless `stageId`; the stage's entry criteria apply); lands on the customer's timeline",
          body: createOpportunityInput,
          response: { 201: opportunityView },
        },
      },
      async (req, reply) => reply.status(201).send(await deals.create(req.body, me(req.user))),
    );

    app.get(
      '/api/opportunities/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'One opportunity (404 outside your scope)',
          params: idParams,
          response: { 200: opportunityView },
        },
      },
      async (req) => deals.get(req.params.id, me(req.user)),
    );

    app.get(
      '/api/opportunities/:id/history',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Stage history of an opportunity: who moved it from which stage to which, when',
          params: idParams,
          response: { 200: z.array(historyView) },
        },
      },
      async (req) => deals.history(req.params.id, me(req.user)),
    );

    app.patch(
      '/api/opportunities/:id',
      {
        preValidation: sellers,
        schema: {
          tags: ['crm'],
          summary:
            "Change an opportunity's fields, probability or owner (edit scope; a field the current stage requires cannot be cleared)",
          params: idParams,
          body: updateOpportunityInput,
          response: { 200: opportunityView },
        },
      },
      async (req) => {
        const before = await deals.get(req.params.id, me(req.user));
        const view = await deals.update(req.params.id, req.body, me(req.user));
        if (view.ownerId !== before.ownerId)
          await audit(deps, req, 'opportunity.owner', view.id, { from: before.ownerId, to: view.ownerId });
        return view;
      },
    );

    app.post(
      '/api/opportunities/:id/move',
      {
        preValidation: sellers,
        schema: {
          tags: ['crm'],
          summary:
            "Move to another stage (kanban): 400 naming the first entry criterion not met, or `reasonId` when entering won/lost without a reason of that outcome; sets the stage's probability",
          params: idParams,
          body: moveInput,
          response: { 200: opportunityView },
        },
      },
      async (req) => deals.move(req.params.id, req.body, me(req.user)),
    );

    app.delete(
      '/api/opportunities/:id',
      {
        preValidation: sellers,
        schema: {
          tags: ['crm'],
          summary: 'Delete an opportunity (delete scope; audited)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const view = await deals.remove(req.params.id, me(req.user));
        await audit(deps, req, 'opportunity.delete', view.id, {
          title: view.title,
          customerId: view.customerId,
        });
        return reply.status(204).send(null);
      },
    );
  };
