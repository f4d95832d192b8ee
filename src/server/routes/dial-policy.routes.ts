/**
 * Telephony settings: outbound dial restrictions (CC-08 toll fraud: prefixes per role and prefixes
 * nobody may dial) and the number plan (CC-07: the company's own ranges, whose calls are internal).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dialPolicyInput } from '../../calls/dial-policy.ts';
import { numberPlanInput } from '../../calls/number-plan.ts';
import { recordingPolicyInput } from '../../calls/recording-policy.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const policyView = z.object({
  allowed: z.object({
    agent: z.array(z.string()),
    supervisor: z.array(z.string()),
    admin: z.array(z.string()),
  }),
  blocked: z.array(z.string()),
});

export const dialPolicyRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/telephony/dial-policy',
      {
        preValidation: requireUser('supervisor', 'admin'),
        schema: {
          tags: ['telephony'],
          summary: 'Who may dial which prefixes',
          response: { 200: policyView },
        },
      },
      async () => deps.dialPolicy.get(),
    );

    app.put(
      '/api/telephony/dial-policy',
      {
        preValidation: requireUser('admin'),
        schema: {
          tags: ['telephony'],
          summary: 'Replace the dial restrictions ("+" allows every number)',
          body: dialPolicyInput,
          response: { 200: policyView },
        },
      },
      async (req) => {
        const saved = await deps.dialPolicy.save(req.body, req.user!.id);
        await audit(deps, req, 'dial-policy.update', 'dial-policy', saved);
        return saved;
      },
    );

    const recordingView = z.object({
      defaultMode: z.string(),
      percentage: z.number(),
      rules: z.array(
        z.object({ scope: z.string(), value: z.string(), mode: z.string(), percentage: z.number() }),
      ),
      retentionDays: z.number().nullable(),
    });

    app.get(
      '/api/telephony/recording-policy',
      {
        preValidation: requireUser('supervisor', 'admin'),
        schema: {
          tags: ['telephony'],
          summary: 'Which calls are recorded (per agent, group, direction) and how long recordings are kept',
          response: { 200: recordingView },
        },
      },
      async () => deps.recordings.current,
    );

    app.put(
      '/api/telephony/recording-policy',
      {
        preValidation: requireUser('admin'),
        schema: {
          tags: ['telephony'],
          summary: 'Replace the recording policy (always / never / percentage / on_demand; retention)',
          body: recordingPolicyInput,
          response: { 200: recordingView },
        },
      },
      async (req) => {
        const saved = await deps.recordings.save(req.body, req.user!.id);
        await audit(deps, req, 'recording-policy.update', 'recording-policy', saved);
        return saved;
      },
    );

    app.post(
      '/api/telephony/recording-policy/purge',
      {
        preValidation: requireUser('admin'),
        schema: {
          tags: ['telephony'],
          summary: 'Apply the retention policy now (it also runs every hour)',
          response: { 200: z.object({ deleted: z.number(), before: z.string().nullable() }) },
        },
      },
      async (req) => {
        const result = await deps.recordings.purge();
        await audit(deps, req, 'recording.purge', 'recordings', result);
        return result;
      },
    );

    const planView = z.object({
      internalRanges: z.array(z.object({ prefix: z.string(), label: z.string() })),
    });

    app.get(
      '/api/telephony/number-plan',
      {
        preValidation: requireUser('supervisor', 'admin'),
        schema: {
          tags: ['telephony'],
          summary: 'The company’s own number ranges (calls from them, or from extensions, are internal)',
          response: { 200: planView },
        },
      },
      async () => deps.numberPlan.current,
    );

    app.put(
      '/api/telephony/number-plan',
      {
        preValidation: requireUser('admin'),
        schema: {
          tags: ['telephony'],
          summary: 'Replace the internal number ranges',
          body: numberPlanInput,
          response: { 200: planView },
        },
      },
      async (req) => {
        const saved = await deps.numberPlan.save(req.body, req.user!.id);
        await audit(deps, req, 'number-plan.update', 'number-plan', saved);
        return saved;
      },
    );
  };
