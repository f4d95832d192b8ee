import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createCustomerInput, customerQuery, customerView } from '../../crm/index.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

export const customerRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/customers',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['crm'],
          summary: 'Search customers by name or phone; `phone` matches any written form of a number (CRM-01)',
          querystring: customerQuery,
          response: { 200: z.array(customerView) },
        },
      },
      async (req) => deps.customers.list(req.query),
    );

    app.post(
      '/api/customers',
      {
        preValidation: requireUser(),
        schema: {
          tags: ['crm'],
          summary: 'Create a customer with contacts and phones',
          body: createCustomerInput,
          response: { 201: customerView },
        },
      },
      async (req, reply) => reply.status(201).send(await deps.customers.create(req.body)),
    );
  };
