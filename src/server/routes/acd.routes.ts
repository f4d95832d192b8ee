/**
 * Supervisor side of the ACD (ACD-02…ACD-05, CC-15): skill groups with members, levels and
 * schedules; agents with live states; real-time queue metrics. Changes apply without a restart.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { skillGroupInput, skillGroupView } from '../../directory/index.ts';
import { notFound } from '../../shared/index.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { agentStateView } from './agent.routes.ts';

const agentRow = agentStateView.extend({
  displayName: z.string(),
  groups: z.array(z.object({ name: z.string(), level: z.number() })),
});

const stateCounts = z.object({
  logged_out: z.number(),
  ready: z.number(),
  not_ready: z.number(),
  reserved: z.number(),
  on_call: z.number(),
  after_call_work: z.number(),
});

export const queueMetricsView = z.object({
  at: z.string(),
  groups: z.array(
    z.object({
      name: z.string(),
      displayName: z.string(),
      waiting: z.number(),
      oldestWaitSec: z.number().nullable(),
      agents: stateCounts,
      offeredToday: z.number(),
      answeredToday: z.number(),
      abandonedToday: z.number(),
      shortAbandonedToday: z.number(),
      serviceLevelToday: z.number().nullable(),
      slSeconds: z.number(),
      asaSec: z.number().nullable(),
      ewtSec: z.number().nullable(),
    }),
  ),
  agents: z.array(agentRow),
});

const nameParam = z.object({ name: z.string().max(40) });

export const acdRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const staff = requireUser('supervisor', 'admin');

    app.get(
      '/api/agents',
      {
        preHandler: staff,
        schema: {
          tags: ['acd'],
          summary: 'Agents with live states and group levels',
          response: { 200: z.array(agentRow) },
        },
      },
      async () => deps.acd.agentRows(),
    );

    app.get(
      '/api/acd/metrics',
      {
        preHandler: staff,
        schema: {
          tags: ['acd'],
          summary: 'Real-time queue metrics per skill group (also pushed as queue.metrics on /api/cti)',
          response: { 200: queueMetricsView },
        },
      },
      async () => deps.acd.metrics(),
    );

    app.get(
      '/api/acd/groups',
      {
        preHandler: staff,
        schema: {
          tags: ['acd'],
          summary: 'Skill groups with members',
          response: { 200: z.array(skillGroupView) },
        },
      },
      async () => deps.skillGroups.list(),
    );

    app.get(
      '/api/acd/groups/:name',
      {
        preHandler: staff,
        schema: {
          tags: ['acd'],
          summary: 'One skill group',
          params: nameParam,
          response: { 200: skillGroupView },
        },
      },
      async (req) => {
        const group = await deps.skillGroups.get(req.params.name);
        if (!group) throw notFound('skill group');
        return group;
      },
    );

    app.post(
      '/api/acd/groups',
      {
        preHandler: staff,
        schema: {
          tags: ['acd'],
          summary: 'Create a skill group',
          body: skillGroupInput,
          response: { 201: skillGroupView },
        },
      },
      async (req, reply) => {
        const saved = await deps.skillGroups.save(req.body, 'create');
        await deps.acd.reload();
        return reply.status(201).send(saved);
      },
    );

    app.put(
      '/api/acd/groups/:name',
      {
        preHandler: staff,
        schema: {
          tags: ['acd'],
          summary: 'Replace a skill group’s configuration and members (applies at once)',
          params: nameParam,
          body: skillGroupInput.omit({ name: true }).extend({ name: z.string().optional() }),
          response: { 200: skillGroupView },
        },
      },
      async (req) => {
        const saved = await deps.skillGroups.save({ ...req.body, name: req.params.name }, 'replace');
        await deps.acd.reload();
        return saved;
      },
    );

    app.delete(
      '/api/acd/groups/:name',
      {
        preHandler: requireUser('admin'),
        schema: { tags: ['acd'], summary: 'Delete a skill group', params: nameParam },
      },
      async (req, reply) => {
        await deps.skillGroups.remove(req.params.name);
        await deps.acd.reload();
        return reply.status(204).send();
      },
    );
  };
