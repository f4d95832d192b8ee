/**
 * Pipeline configuration (CRM-05): everyone signed in reads the stages and won/lost reasons; only
 * admins change them (audited).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  reasonInput,
  reasonPatch,
  reasonView,
  stageInput,
  stagePatch,
  type StageService,
  stageView,
} from '../../crm/opportunities/index.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const idParams = z.object({ id: z.string().max(40) });

export const opportunityStageRoutes =
  (deps: ServerDeps, stages: StageService): FastifyPluginAsyncZod =>
  async (app) => {
    const anyUser = requireUser();
    const admin = requireUser('admin');

    app.get(
      '/api/opportunity-stages',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Pipeline stages in order, with default probability and entry criteria',
          response: { 200: z.array(stageView) },
        },
      },
      async () => stages.stages(),
    );

    app.post(
      '/api/opportunity-stages',
      {
        preValidation: admin,
        schema: {
          tags: ['crm'],
          summary: 'Add a stage (admin)',
          body: stageInput,
          response: { 201: stageView },
        },
      },
      async (req, reply) => {
        const stage = await stages.createStage(req.body);
        await audit(deps, req, 'opportunity_stage.create', stage.id);
        return reply.status(201).send(stage);
      },
    );

    app.patch(
      '/api/opportunity-stages/:id',
      {
        preValidation: admin,
        schema: {
          tags: ['crm'],
          summary: 'Change a stage: names, order, default probability, entry criteria, active (admin)',
          params: idParams,
          body: stagePatch,
          response: { 200: stageView },
        },
      },
      async (req) => {
        const stage = await stages.updateStage(req.params.id, req.body);
        await audit(deps, req, 'opportunity_stage.update', stage.id, { ...req.body });
        return stage;
      },
    );

    app.delete(
      '/api/opportunity-stages/:id',
      {
        preValidation: admin,
        schema: {
          tags: ['crm'],
          summary: 'Delete an unused stage (409 while it holds opportunities; admin)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await stages.deleteStage(req.params.id);
        await audit(deps, req, 'opportunity_stage.delete', req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/opportunity-reasons',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Won and lost reasons',
          response: { 200: z.array(reasonView) },
        },
      },
      async () => stages.reasons(),
    );

    app.post(
      '/api/opportunity-reasons',
      {
        preValidation: admin,
        schema: {
          tags: ['crm'],
          summary: 'Add a won/lost reason (admin)',
          body: reasonInput,
          response: { 201: reasonView },
        },
      },
      async (req, reply) => {
        const reason = await stages.createReason(req.body);
        await audit(deps, req, 'opportunity_reason.create', reason.id);
        return reply.status(201).send(reason);
      },
    );

    app.patch(
      '/api/opportunity-reasons/:id',
      {
        preValidation: admin,
        schema: {
          tags: ['crm'],
          summary: 'Change or deactivate a won/lost reason (admin)',
          params: idParams,
          body: reasonPatch,
          response: { 200: reasonView },
        },
      },
      async (req) => {
        const reason = await stages.updateReason(req.params.id, req.body);
        await audit(deps, req, 'opportunity_reason.update', reason.id);
        return reason;
      },
    );
  };
