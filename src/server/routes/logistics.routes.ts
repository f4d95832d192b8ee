/**
 * Road conditions (路况) and branches (网点) for the IVR's answers by voice (IVR-02): every
 * signed-in user reads them, supervisors and administrators write them, every write is audited.
 * Road conditions can also be imported from a CSV or .xlsx sheet sent as base64: good lines are
 * written and bad ones come back with their line number (the header is line 1) and field.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BranchRepository,
  RoadConditionRepository,
  branchInput,
  importRoadConditions,
  readSheet,
  roadConditionInput,
  roadStatuses,
} from '../../logistics/index.ts';
import { invalid } from '../../shared/index.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const roadConditionView = z.object({
  id: z.string(),
  route: z.string(),
  origin: z.string(),
  destination: z.string(),
  segment: z.string(),
  position: z.number(),
  status: z.enum(roadStatuses),
  note: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});

const branchView = z.object({
  id: z.string(),
  city: z.string(),
  name: z.string(),
  address: z.string(),
  hours: z.string(),
  phone: z.string(),
  active: z.boolean(),
  updatedAt: z.string(),
});

const page = {
  q: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
const idParam = z.object({ id: z.string().min(1).max(40) });

export const logisticsRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const roads = new RoadConditionRepository(deps.database.db);
    const branches = new BranchRepository(deps.database.db);
    const anyone = requireUser();
    const staff = requireUser('supervisor', 'admin');

    app.get(
      '/api/road-conditions',
      {
        preValidation: anyone,
        schema: {
          tags: ['logistics'],
          summary: 'Road conditions by route and segment; search route, segment or note',
          querystring: z.object({
            ...page,
            destination: z.string().max(40).optional(),
            status: z.enum(roadStatuses).optional(),
          }),
          response: { 200: z.object({ items: z.array(roadConditionView), total: z.number() }) },
        },
      },
      async (req) => roads.list(req.query),
    );

    app.post(
      '/api/road-conditions',
      {
        preValidation: staff,
        schema: {
          tags: ['logistics'],
          summary: 'Add a segment of a route (route defaults to origin—destination)',
          body: roadConditionInput,
          response: { 201: roadConditionView },
        },
      },
      async (req, reply) => {
        const row = await roads.create(req.body, req.user!.id);
        await audit(deps, req, 'road_condition.create', row.id, { route: row.route, segment: row.segment });
        return reply.status(201).send(row);
      },
    );

    app.put(
      '/api/road-conditions/:id',
      {
        preValidation: staff,
        schema: {
          tags: ['logistics'],
          summary: 'Update a segment (its status, note…); the update time and user are recorded',
          params: idParam,
          body: roadConditionInput,
          response: { 200: roadConditionView },
        },
      },
      async (req) => {
        const row = await roads.update(req.params.id, req.body, req.user!.id);
        await audit(deps, req, 'road_condition.update', row.id, { status: row.status, note: row.note });
        return row;
      },
    );

    app.delete(
      '/api/road-conditions/:id',
      { preValidation: staff, schema: { tags: ['logistics'], summary: 'Remove a segment', params: idParam } },
      async (req, reply) => {
        await roads.remove(req.params.id);
        await audit(deps, req, 'road_condition.delete', req.params.id);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/road-conditions/import',
      {
        preValidation: staff,
        bodyLimit: 8 * 1024 * 1024,
        schema: {
          tags: ['logistics'],
          summary: 'Import road conditions from a CSV or .xlsx sheet (base64); errors by line number',
          body: z.object({
            fileName: z.string().trim().min(1).max(200),
            content: z.string().min(1).describe('The file, base64-encoded'),
          }),
          response: {
            200: z.object({
              created: z.number(),
              updated: z.number(),
              errors: z.array(z.object({ line: z.number(), field: z.string(), message: z.string() })),
            }),
          },
        },
      },
      async (req) => {
        const data = Buffer.from(req.body.content, 'base64');
        if (data.length === 0) throw invalid('content', 'is not base64 file content');
        const lines = await readSheet(req.body.fileName, data);
        const result = await importRoadConditions(roads, lines, req.user!.id);
        await audit(deps, req, 'road_condition.import', req.body.fileName, {
          created: result.created,
          updated: result.updated,
          errors: result.errors.length,
        });
        return result;
      },
    );

    app.get(
      '/api/branches',
      {
        preValidation: anyone,
        schema: {
          tags: ['logistics'],
          summary: 'Branches by city; search city, name, address or phone',
          querystring: z.object({
            ...page,
            city: z.string().max(40).optional(),
            active: z.enum(['true', 'false']).optional(),
          }),
          response: { 200: z.object({ items: z.array(branchView), total: z.number() }) },
        },
      },
      async (req) =>
        branches.list({
          ...req.query,
          active: req.query.active === undefined ? undefined : req.query.active === 'true',
        }),
    );

    app.post(
      '/api/branches',
      {
        preValidation: staff,
        schema: {
          tags: ['logistics'],
          summary: 'Add a branch',
          body: branchInput,
          response: { 201: branchView },
        },
      },
      async (req, reply) => {
        const row = await branches.create(req.body);
        await audit(deps, req, 'branch.create', row.id, { city: row.city, name: row.name });
        return reply.status(201).send(row);
      },
    );

    app.put(
      '/api/branches/:id',
      {
        preValidation: staff,
        schema: {
          tags: ['logistics'],
          summary: 'Update a branch',
          params: idParam,
          body: branchInput,
          response: { 200: branchView },
        },
      },
      async (req) => {
        const row = await branches.update(req.params.id, req.body);
        await audit(deps, req, 'branch.update', row.id, { city: row.city, name: row.name });
        return row;
      },
    );

    app.delete(
      '/api/branches/:id',
      { preValidation: staff, schema: { tags: ['logistics'], summary: 'Remove a branch', params: idParam } },
      async (req, reply) => {
        await branches.remove(req.params.id);
        await audit(deps, req, 'branch.delete', req.params.id);
        return reply.status(204).send();
      },
    );
  };
