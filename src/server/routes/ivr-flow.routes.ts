/**
 * IVR flows as data (IVR-05, issue #5): list, validate, write a version, publish (or roll back by
 * publishing an earlier one) — live for the next call without a restart; calls in progress finish
 * on the version they started with. Supervisors and administrators manage flows, as they manage
 * the rest of routing (skill groups, caller rules); every write is audited.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { flowJsonSchema, type FlowError } from '../../ivr/index.ts';
import { notFound } from '../../shared/index.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const flowError = z.object({
  node: z.string().nullable().describe('The node the problem is in; null for the document itself'),
  field: z.string().nullable().describe('The field inside the node, e.g. "choices.1"; null: the whole node'),
  message: z.string(),
});

const validation = z.object({ valid: z.boolean(), errors: z.array(flowError) });

const versionSummary = z.object({
  version: z.number(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable(),
  publishedAt: z.string().nullable(),
  published: z.boolean(),
});

const flowSummary = z.object({
  id: z.string(),
  name: z.string(),
  publishedVersion: z.number().nullable(),
  latestVersion: z.number(),
  versionCount: z.number(),
  versions: z.array(versionSummary),
  serviceNumbers: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const flowDetail = flowSummary.extend({
  versions: z.array(versionSummary.extend({ document: z.unknown() })),
});

const flowBody = z
  .record(z.string(), z.unknown())
  .describe(
    'A flow document ({name, start, nodes}, see GET /api/ivr/flows/schema), optionally with "id" naming ' +
      'an existing flow; or {id?, document}.',
  );

const idParam = z.object({ id: z.string().min(1).max(40) });

/** The document and the flow id from either body shape. */
function unwrap(body: Record<string, unknown>): { id: unknown; document: unknown } {
  if ('document' in body) return { id: body.id, document: body.document };
  const { id, ...document } = body;
  return { id, document };
}

/** 400 in the project's error shape, plus the validator's own list (the contract of issue #5). */
export function invalidFlow(reply: FastifyReply, errors: FlowError[]) {
  const fields = errors.map((e) => ({
    field: e.node === null ? (e.field ?? '') : ['nodes', e.node, ...(e.field ? [e.field] : [])].join('.'),
    message: e.message,
  }));
  return reply.status(400).send({
    error: {
      code: 'validation',
      message: fields
        .slice(0, 20)
        .map((f) => `${f.field}: ${f.message}`)
        .join('; '),
      fields,
    },
    valid: false,
    errors,
  });
}

const badId: FlowError = {
  node: null,
  field: 'id',
  message: 'id must be the id of an existing flow (text).',
};

export const ivrFlowRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const staff = requireUser('supervisor', 'admin');

    app.get(
      '/api/ivr/flows',
      {
        preValidation: staff,
        schema: {
          tags: ['ivr'],
          summary: 'IVR flows with their published and latest versions and the service numbers using them',
          response: { 200: z.array(flowSummary) },
        },
      },
      async () => deps.flows.repository.list(),
    );

    app.get(
      '/api/ivr/flows/schema',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['ivr'],
          summary: 'JSON Schema of a flow document (generated from the server’s own schema)',
          response: { 200: z.record(z.string(), z.unknown()) },
        },
      },
      async () => flowJsonSchema(),
    );

    app.post(
      '/api/ivr/flows/validate',
      {
        preValidation: staff,
        schema: {
          tags: ['ivr'],
          summary: 'Check a flow document: every problem names its node and field',
          body: flowBody,
          response: { 200: validation },
        },
      },
      async (req) => {
        const { valid, errors } = await deps.flows.validate(unwrap(req.body).document);
        return { valid, errors };
      },
    );

    app.get(
      '/api/ivr/flows/:id',
      {
        preValidation: staff,
        schema: {
          tags: ['ivr'],
          summary: 'One flow with every version and its document',
          params: idParam,
          response: { 200: flowDetail },
        },
      },
      async (req) => {
        const flow = await deps.flows.repository.get(req.params.id);
        if (!flow) throw notFound('IVR flow');
        return flow;
      },
    );

    app.post(
      '/api/ivr/flows',
      {
        preValidation: staff,
        schema: {
          tags: ['ivr'],
          summary:
            'Write a new version (of a new flow, or of the flow the body names); not live until published',
          body: flowBody,
          response: {
            201: z.object({
              id: z.string(),
              name: z.string(),
              version: z.number(),
              publishedVersion: z.number().nullable(),
              latestVersion: z.number(),
            }),
            400: validation.extend({ error: z.unknown() }),
          },
        },
      },
      async (req, reply) => {
        const { id, document } = unwrap(req.body);
        if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > 40))
          return invalidFlow(reply, [badId]);
        const result = await deps.flows.create(id ?? null, document, req.user!.id);
        if (result.ok === 'not_found') throw notFound('IVR flow');
        if (!result.ok) return invalidFlow(reply, result.errors);
        const { value } = result;
        await audit(deps, req, 'ivr-flow.create', value.id, { version: value.version, name: value.name });
        const flow = await deps.flows.repository.get(value.id);
        return reply.status(201).send({
          ...value,
          publishedVersion: flow?.publishedVersion ?? null,
          latestVersion: flow?.latestVersion ?? value.version,
        });
      },
    );

    app.post(
      '/api/ivr/flows/:id/publish',
      {
        preValidation: staff,
        schema: {
          tags: ['ivr'],
          summary:
            'Make a version live (default: the latest) for the next call, without a restart; an earlier version rolls back',
          params: idParam,
          body: z.object({ version: z.int().min(1).optional() }).optional(),
          response: {
            200: z.object({
              id: z.string(),
              name: z.string(),
              publishedVersion: z.number(),
              previousVersion: z.number().nullable(),
            }),
            400: validation.extend({ error: z.unknown() }),
          },
        },
      },
      async (req, reply) => {
        const result = await deps.flows.publish(req.params.id, req.body?.version);
        if (result.ok === 'not_found')
          throw notFound(
            req.body?.version === undefined ? 'IVR flow' : `IVR flow version ${req.body.version}`,
          );
        if (!result.ok) return invalidFlow(reply, result.errors);
        const { value } = result;
        await audit(deps, req, 'ivr-flow.publish', value.id, {
          version: value.publishedVersion,
          previousVersion: value.previousVersion,
          rollback: value.previousVersion !== null && value.publishedVersion < value.previousVersion,
        });
        return value;
      },
    );
  };
