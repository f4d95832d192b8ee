/**
 * Customers (CRM-01, CRM-02, CRM-12). Every route reads and writes within the caller's data scope
 * (role data scopes): a customer outside it answers 404 as if it did not exist. Lists paginate,
 * sort and filter on the server; the total is in X-Total-Count.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  contactInput,
  createCustomerInput,
  customerQuery,
  customerView,
  duplicateCandidate,
  DuplicateCustomerError,
  transferInput,
  updateCustomerInput,
  type Actor,
} from '../../crm/index.ts';
import { exportCustomers } from '../../crm/export/customer-export.ts';
import { AppError } from '../../shared/index.ts';
import { audit } from '../audit.ts';
import { requireUser, type SessionUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.array(z.unknown()) }),
  candidates: z.array(duplicateCandidate).optional(),
});
const idParams = z.object({ id: z.string().max(40) });

export const actorOf = (user: SessionUser | null): Actor => ({ id: user!.id, role: user!.role });

/** Roles that may assign customers to someone else (everyone else creates and keeps their own). */
const assigners = new Set(['admin', 'supervisor', 'sales_manager']);

function checkAssign(user: SessionUser | null, ownerId: string | null | undefined): void {
  if (ownerId === undefined || ownerId === user!.id || assigners.has(user!.role)) return;
  throw new AppError('forbidden', 'ownerId: only admins, supervisors and sales managers assign customers');
}

export const customerRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const anyUser = requireUser();

    app.get(
      '/api/customers',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            'List customers in your data scope: search `q` (name, phone digits, e-mail), `phone` in any written form, filters, sort; total in X-Total-Count',
          querystring: customerQuery,
          response: { 200: z.array(customerView) },
        },
      },
      async (req, reply) => {
        const page = await deps.customers.page(req.query, actorOf(req.user));
        void reply.header('X-Total-Count', String(page.total));
        return page.items;
      },
    );

    app.post(
      '/api/customers',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            'Create a customer with contacts, phones and e-mails; 409 with `candidates` when it resembles existing customers (send allowDuplicate: true to create anyway)',
          body: createCustomerInput,
          response: { 201: customerView, 409: errorBody },
        },
      },
      async (req, reply) => {
        checkAssign(req.user, req.body.ownerId);
        try {
          const created = await deps.customers.create(req.body, actorOf(req.user), { checkDuplicates: true });
          return reply.status(201).send(created);
        } catch (err) {
          if (!(err instanceof DuplicateCustomerError)) throw err;
          return reply.status(409).send({
            error: { code: 'duplicate', message: err.message, fields: [] },
            candidates: err.candidates,
          });
        }
      },
    );

    app.get(
      '/api/customers/export',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            'Export the filtered list as CSV or .xlsx within your export scope (import headers, one row per contact; audited)',
          querystring: customerQuery
            .omit({ limit: true, offset: true })
            .extend({ format: z.enum(['csv', 'xlsx']).default('xlsx') }),
        },
      },
      async (req, reply) => {
        const { format, ...query } = req.query;
        const file = await exportCustomers(deps.customers, query, actorOf(req.user), format);
        await audit(deps, req, 'customer.export', null, { format, customers: file.customers, filter: query });
        const name = `customers-${new Date().toISOString().slice(0, 10)}.${format}`;
        return reply
          .header(
            'content-type',
            format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('x-total-count', String(file.customers))
          .send(file.bytes);
      },
    );

    app.post(
      '/api/customers/duplicates',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Existing customers resembling the given name, phones, e-mails or credit code (CRM-12)',
          body: z.object({
            name: z.string().trim().max(200).optional(),
            phones: z.array(z.string().max(40)).max(20).optional(),
            emails: z.array(z.string().max(200)).max(20).optional(),
            creditCode: z.string().trim().toUpperCase().max(18).optional(),
          }),
          response: { 200: z.array(duplicateCandidate) },
        },
      },
      async (req) => deps.customers.duplicates(req.body),
    );

    app.get(
      '/api/customers/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'One customer with contacts (404 outside your data scope)',
          params: idParams,
          response: { 200: customerView },
        },
      },
      async (req) => deps.customers.get(req.params.id, actorOf(req.user)),
    );

    app.patch(
      '/api/customers/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Change a customer; `contacts`, when given, replaces every contact (edit scope)',
          params: idParams,
          body: updateCustomerInput,
          response: { 200: customerView },
        },
      },
      async (req) => {
        checkAssign(req.user, req.body.ownerId);
        const before =
          req.body.ownerId !== undefined ? await deps.customers.get(req.params.id, actorOf(req.user)) : null;
        const updated = await deps.customers.update(req.params.id, req.body, actorOf(req.user));
        if (before && before.ownerId !== updated.ownerId)
          await audit(deps, req, 'customer.transfer', updated.id, {
            from: before.ownerId,
            to: updated.ownerId,
          });
        return updated;
      },
    );

    app.delete(
      '/api/customers/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Delete a customer (soft: kept for audit; delete scope)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await deps.customers.remove(req.params.id, actorOf(req.user));
        await audit(deps, req, 'customer.delete', req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/customers/:id/contacts',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Add a contact with phones and e-mails to a customer (edit scope)',
          params: idParams,
          body: contactInput,
          response: { 201: customerView },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await deps.customers.addContact(req.params.id, req.body, actorOf(req.user))),
    );

    app.delete(
      '/api/customers/:id/contacts/:contactId',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Remove a contact of a customer (edit scope)',
          params: z.object({ id: z.string().max(40), contactId: z.string().max(40) }),
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await deps.customers.removeContact(req.params.id, req.params.contactId, actorOf(req.user));
        await audit(deps, req, 'customer.contact.delete', req.params.id, { contactId: req.params.contactId });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/customers/transfer',
      {
        preValidation: requireUser('admin', 'supervisor', 'sales_manager'),
        schema: {
          tags: ['crm'],
          summary:
            'Assign or transfer customers to another owner: the IDs given, or every customer of fromOwnerId in your edit scope',
          body: transferInput,
          response: { 200: z.object({ transferred: z.number(), customerIds: z.array(z.string()) }) },
        },
      },
      async (req) => {
        const ids = await deps.customers.transfer(req.body, actorOf(req.user));
        await audit(deps, req, 'customer.transfer', ids.length === 1 ? ids[0]! : null, {
          to: req.body.toOwnerId,
          fromOwner: req.body.fromOwnerId ?? null,
          customerIds: ids,
        });
        return { transferred: ids.length, customerIds: ids };
      },
    );

    app.post(
      '/api/customers/:id/owner',
      {
        preValidation: requireUser('admin', 'supervisor', 'sales_manager'),
        schema: {
          tags: ['crm'],
          summary: 'Assign one customer to an owner (audited)',
          params: idParams,
          body: z.object({ ownerId: z.string().max(40) }),
          response: { 200: customerView },
        },
      },
      async (req) => {
        const actor = actorOf(req.user);
        const before = await deps.customers.get(req.params.id, actor);
        await deps.customers.transfer({ customerIds: [req.params.id], toOwnerId: req.body.ownerId }, actor);
        await audit(deps, req, 'customer.transfer', req.params.id, {
          from: before.ownerId,
          to: req.body.ownerId,
        });
        return deps.customers.get(req.params.id);
      },
    );
  };
