/**
 * Telephony settings: outbound dial restrictions (CC-08 toll fraud: prefixes per role and prefixes
 * nobody may dial) and the number plan (CC-07: the company's own ranges, whose calls are internal).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dialPolicyInput } from '../../calls/dial-policy.ts';
import { numberPlanInput } from '../../calls/number-plan.ts';
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
      async (req) => deps.dialPolicy.save(req.body, req.user!.id),
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
      async (req) => deps.numberPlan.save(req.body, req.user!.id),
    );
  };
