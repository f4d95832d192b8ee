/**
 * IVR metrics per flow and node (issue #5): entries, exits, DTMF errors, timeouts, transfers to
 * agents, hang-ups in the IVR and the containment rate, computed from the CDRs' IVR paths of the
 * calls offered in [from, to). Definitions: src/ivr/flow-metrics.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FlowMetricsRepository } from '../../calls/ivr-metrics.repository.ts';
import { invalid, notFound } from '../../shared/index.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const count = z.number();
const metricsView = z.object({
  flowId: z.string(),
  version: z.number().nullable(),
  from: z.string(),
  to: z.string(),
  entries: count,
  exits: z.object({ queued: count, transferred: count, callerHangup: count, flowHangup: count }),
  invalid: count,
  timeouts: count,
  abandonedAtFirstPrompt: count,
  contained: count,
  containmentRate: z.number().nullable(),
  nodes: z.array(
    z.object({
      node: z.string(),
      verb: z.string(),
      entries: count,
      exits: count,
      invalid: count,
      timeouts: count,
      queued: count,
      callerHangups: count,
      branches: z.record(z.string(), count),
    }),
  ),
});

const weekMs = 7 * 24 * 3600 * 1000;

export const ivrMetricsRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const repo = new FlowMetricsRepository(deps.database.db);
    app.get(
      '/api/ivr/flows/:id/metrics',
      {
        preValidation: requireUser('supervisor', 'admin'),
        schema: {
          tags: ['ivr'],
          summary: 'Per-flow and per-node IVR metrics and containment over calls offered in [from, to)',
          params: z.object({ id: z.string().min(1).max(40) }),
          querystring: z.object({
            from: z.iso.datetime({ offset: true }).optional().describe('Default: a week before `to`'),
            to: z.iso.datetime({ offset: true }).optional().describe('Default: now'),
            version: z.coerce.number().int().min(1).optional().describe('Only calls that ran this version'),
          }),
          response: { 200: metricsView },
        },
      },
      async (req) => {
        const flow = await deps.flows.repository.get(req.params.id);
        if (!flow) throw notFound('IVR flow');
        const to = req.query.to ? new Date(req.query.to) : new Date();
        const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - weekMs);
        if (from.getTime() >= to.getTime()) throw invalid('from', 'must be before to');
        const m = await repo.metrics(flow.id, from, to, req.query.version ?? null);
        return { ...m, from: from.toISOString(), to: to.toISOString() };
      },
    );
  };
