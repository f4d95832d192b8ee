/**
 * A test call in the flow editor (issue #5): walk a flow document (or a stored version) with typed
 * digits through the real FlowRun, without a phone, and return each step, the prompts it would
 * play and where the call ends (queued, hung up, or waiting for input at a node). Lookups query
 * the real data sources (shipments, road conditions, branches).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runTestCallWithData } from '../../ivr/flow-test-call-data.ts';
import { notFound } from '../../shared/index.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { invalidFlow } from './ivr-flow.routes.ts';

const prompt = z.union([z.object({ tts: z.string(), lang: z.string() }), z.object({ file: z.string() })]);

const step = z.object({
  node: z.string(),
  verb: z.string(),
  input: z.string().optional(),
  branch: z.string().optional(),
  invalid: z.number().optional(),
  timeouts: z.number().optional(),
  recognised: z.string().optional().describe('asr: the digits heard (typed digits stand in for speech)'),
  confidence: z.number().optional(),
  speech: z.string().optional().describe('asr: "recognised", or why speech gave nothing usable'),
  dtmfFallback: z.boolean().optional().describe('asr: the digits were keyed in instead'),
  prompts: z.array(prompt),
});

const outcome = z.object({
  type: z.enum(['queued', 'hangup', 'waiting', 'step_limit']),
  node: z.string(),
  verb: z.string().optional(),
  group: z.string().optional(),
  priority: z.number().optional(),
});

const body = z
  .object({
    document: z.record(z.string(), z.unknown()).optional().describe('A flow document to walk'),
    id: z.string().min(1).max(40).optional().describe('Or a stored flow: its published version by default'),
    version: z.int().min(1).optional(),
    digits: z
      .string()
      .regex(/^[0-9*#]{0,64}$/, { error: 'digits must be DTMF keys (0-9, * and #), at most 64' })
      .default(''),
    noInputTimeouts: z.int().min(0).max(10).default(0),
    maxSteps: z.int().min(1).max(1000).default(200),
    caller: z.string().max(40).default('13800000000'),
    dnis: z.string().max(40).default(''),
  })
  .refine((b) => b.document !== undefined || b.id !== undefined, {
    error: 'Give a flow document or the id of a stored flow.',
    path: ['document'],
  });

export const ivrFlowTestRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/ivr/flows/test',
      {
        preValidation: requireUser('supervisor', 'admin'),
        schema: {
          tags: ['ivr'],
          summary: 'Test call: walk a flow with typed digits (no phone) and return each step and the outcome',
          body,
          response: {
            200: z.object({
              steps: z.array(step),
              outcome,
              unusedDigits: z.string(),
              variables: z.record(z.string(), z.string()),
            }),
            400: z.object({
              valid: z.boolean().optional(),
              errors: z.array(z.unknown()).optional(),
              error: z.unknown(),
            }),
          },
        },
      },
      async (req, reply) => {
        const b = req.body;
        let document: unknown = b.document;
        if (document === undefined && b.id !== undefined) {
          const flow = await deps.flows.repository.get(b.id);
          if (!flow) throw notFound('IVR flow');
          const version = b.version ?? flow.publishedVersion ?? flow.latestVersion;
          const stored = flow.versions.find((v) => v.version === version);
          if (!stored) throw notFound(`IVR flow version ${version}`);
          document = stored.document;
        }
        const checked = await deps.flows.validate(document);
        if (!checked.flow) return invalidFlow(reply, checked.errors);
        // Lookups read the same data sources as a call (a test call of the hotline reads a real waybill).
        return runTestCallWithData(
          checked.flow,
          {
            digits: b.digits,
            noInputTimeouts: b.noInputTimeouts,
            maxSteps: b.maxSteps,
            variables: { caller: b.caller, dnis: b.dnis },
          },
          deps.ivrData,
        );
      },
    );
  };
