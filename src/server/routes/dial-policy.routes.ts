/** Outbound dial restrictions (CC-08 toll fraud): prefixes per role and prefixes nobody may dial. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dialPolicyInput } from '../../calls/dial-policy.ts';
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
  };
