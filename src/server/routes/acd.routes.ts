/**
 * Supervisor side of the ACD (ACD-02…ACD-05, CC-15): skill groups with members, levels and
 * schedules; agents with live states; real-time queue metrics. Changes apply without a restart.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  holidayInput,
  routingRulesInput,
  routingRulesView,
  skillGroupInput,
  skillGroupView,
} from '../../directory/index.ts';
import { invalid, notFound } from '../../shared/index.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { agentStateView } from './agent.routes.ts';

const agentRow = agentStateView.extend({
  displayName: z.string(),
  groups: z.array(z.object({ name: z.string(), level: z.number(), onDuty: z.boolean() })),
  capacity: z.record(z.string(), z.number()),
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
      serviceLevelOfAnsweredToday: z.number().nullable(),
      slSeconds: z.number(),
      asaSec: z.number().nullable(),
      ewtSec: z.number().nullable(),
    }),
  ),
  agents: z.array(agentRow),
});

const nameParam = z.object({ name: z.string().max(40) });

const capacityView = z.object({
  voice: z.number().int().min(0).max(1).optional(),
  chat: z.number().int().min(0).max(20).optional(),
  email: z.number().int().min(0).max(50).optional(),
  sms: z.number().int().min(0).max(50).optional(),
  task: z.number().int().min(0).max(50).optional(),
});

const waitingCallView = z.object({
  callId: z.string(),
  caller: z.string(),
  customerName: z.string().nullable(),
  group: z.string(),
  state: z.string(),
  priority: z.number().nullable(),
  position: z.number().nullable(),
  waitedSec: z.number(),
  ewtSec: z.number().nullable(),
});

const stateReportRow = z.object({
  agentId: z.string(),
  extension: z.string(),
  displayName: z.string(),
  states: z.record(z.string(), z.number()),
  notReadyReasons: z.record(z.string(), z.number()),
  loggedInSec: z.number(),
  occupancy: z.number().nullable(),
});

/** Midnight Asia/Shanghai of the current day, as the default start of a report. */
function chinaMidnight(now: number): Date {
  const day = Math.floor((now + 8 * 3600_000) / 86_400_000);
  return new Date(day * 86_400_000 - 8 * 3600_000);
}

export const acdRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const staff = requireUser('supervisor', 'admin');

    app.get(
      '/api/agents',
      {
        preValidation: staff,
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
        preValidation: staff,
        schema: {
          tags: ['acd'],
          summary: 'Real-time queue metrics per skill group (also pushed as queue.metrics on /api/cti)',
          response: { 200: queueMetricsView },
        },
      },
      async () => deps.acd.metrics(),
    );

    app.get(
      '/api/acd/calls',
      {
        preValidation: staff,
        schema: {
          tags: ['acd'],
          summary: 'Calls waiting for an agent (on the line or as callback requests), in queue order',
          response: { 200: z.array(waitingCallView) },
        },
      },
      async () => deps.acd.waitingCalls(),
    );

    app.put(
      '/api/acd/calls/:callId/priority',
      {
        preValidation: staff,
        schema: {
          tags: ['acd'],
          summary: 'Change a waiting call’s priority (higher is served first; FIFO within a priority)',
          params: z.object({ callId: z.string().max(200) }),
          body: z.object({ priority: z.number().int().min(0).max(100) }),
          response: { 200: waitingCallView },
        },
      },
      async (req) => {
        const call = deps.acd.changePriority(req.params.callId, req.body.priority);
        await audit(deps, req, 'call.priority', req.params.callId, { priority: req.body.priority });
        return call;
      },
    );

    app.get(
      '/api/acd/agent-states',
      {
        preValidation: staff,
        schema: {
          tags: ['acd'],
          summary: 'Time per agent state and not-ready reason over a period (default: today, Asia/Shanghai)',
          querystring: z.object({
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
          }),
          response: { 200: z.object({ from: z.string(), to: z.string(), agents: z.array(stateReportRow) }) },
        },
      },
      async (req) => {
        const now = Date.now();
        const from = req.query.from ? new Date(req.query.from) : chinaMidnight(now);
        const to = req.query.to ? new Date(req.query.to) : new Date(from.getTime() + 86_400_000);
        if (to <= from) throw invalid('querystring.to', 'must be after from');
        if (to.getTime() - from.getTime() > 92 * 86_400_000)
          throw invalid('querystring.to', 'at most 92 days');
        const agents = await deps.acd.agentStateReport(from, to);
        return { from: from.toISOString(), to: to.toISOString(), agents };
      },
    );

    app.put(
      '/api/agents/:agentId/capacity',
      {
        preValidation: staff,
        schema: {
          tags: ['acd'],
          summary: 'Open work items an agent may hold per channel (ACD-08); omitted channels use defaults',
          params: z.object({ agentId: z.string().max(40) }),
          body: capacityView,
          response: { 200: z.record(z.string(), z.number()) },
        },
      },
      async (req) => {
        if (!(await deps.directory.setAgentCapacity(req.params.agentId, req.body))) throw notFound('agent');
        await deps.acd.reload();
        await audit(deps, req, 'agent.capacity', req.params.agentId, req.body);
        // The effective capacity: what was given, defaults for the rest.
        return deps.acd.agentRows().find((a) => a.agentId === req.params.agentId)?.capacity ?? {};
      },
    );

    app.get(
      '/api/acd/caller-rules',
      {
        preValidation: staff,
        schema: {
          tags: ['acd'],
          summary: 'Caller-number routing: VIP lists, tiers, prefixes and the sticky agent (ACD-05)',
          response: { 200: routingRulesView },
        },
      },
      async () => deps.routingRules.rules(),
    );

    app.put(
      '/api/acd/caller-rules',
      {
        preValidation: staff,
        schema: {
          tags: ['acd'],
          summary: 'Replace the caller-number routing rules (applies to the next call)',
          body: routingRulesInput,
          response: { 200: routingRulesView },
        },
      },
      async (req) => {
        const saved = await deps.routingRules.saveRules(req.body, req.user!.id);
        await deps.acd.reload();
        await audit(deps, req, 'caller-rules.update', 'caller-rules', {
          vipLists: saved.vipLists.length,
          prefixes: saved.prefixes.length,
        });
        return saved;
      },
    );

    app.get(
      '/api/acd/holidays',
      {
        preValidation: staff,
        schema: {
          tags: ['acd'],
          summary: 'Holiday calendar: scheduled memberships are off on these dates (ACD-03)',
          response: { 200: z.array(holidayInput) },
        },
      },
      async () => deps.routingRules.holidays(),
    );

    app.put(
      '/api/acd/holidays',
      {
        preValidation: staff,
        schema: {
          tags: ['acd'],
          summary: 'Replace the holiday calendar',
          body: z.array(holidayInput).max(1000),
          response: { 200: z.array(holidayInput) },
        },
      },
      async (req) => {
        const saved = await deps.routingRules.saveHolidays(req.body);
        await deps.acd.reload();
        await audit(deps, req, 'holidays.update', 'holidays', { dates: saved.map((h) => h.date) });
        return saved;
      },
    );

    app.get(
      '/api/acd/groups',
      {
        preValidation: staff,
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
        preValidation: staff,
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
        preValidation: staff,
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
        await audit(deps, req, 'skill-group.create', saved.name);
        return reply.status(201).send(saved);
      },
    );

    app.put(
      '/api/acd/groups/:name',
      {
        preValidation: staff,
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
        await audit(deps, req, 'skill-group.update', saved.name, {
          strategy: saved.strategy,
          members: saved.members.length,
        });
        return saved;
      },
    );

    app.delete(
      '/api/acd/groups/:name',
      {
        preValidation: requireUser('admin'),
        schema: { tags: ['acd'], summary: 'Delete a skill group', params: nameParam },
      },
      async (req, reply) => {
        await deps.skillGroups.remove(req.params.name);
        await deps.acd.reload();
        await audit(deps, req, 'skill-group.delete', req.params.name);
        return reply.status(204).send();
      },
    );
  };
