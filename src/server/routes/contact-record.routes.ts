/**
 * Contact records (联系记录) with review (批复), CRM-04. Every route reads and writes within the
 * caller's `contact_record` data scope (a record outside it answers 404); lists paginate, sort and
 * filter on the server with the total in X-Total-Count. A reviewed record answers 409 to edits.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ContactRecordService,
  contactRecordQuery,
  contactRecordView,
  createContactRecordInput,
  NotificationService,
  reviewInput,
  updateContactRecordInput,
} from '../../crm/activities/index.ts';
import { TimelineService } from '../../crm/timeline/index.ts';
import { audit } from '../audit.ts';
import { requireUser, type SessionUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const idParams = z.object({ id: z.string().max(40) });
const me = (user: SessionUser | null) => ({ id: user!.id, role: user!.role });

export const contactRecordRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const db = deps.database.db;
    const records = new ContactRecordService(db, new TimelineService(db), new NotificationService(db));
    const anyUser = requireUser();

    app.get(
      '/api/contact-records',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            'Contact records in your data scope (`mine=true`: only yours); filter by customer, author, status, kind, time; total in X-Total-Count',
          querystring: contactRecordQuery,
          response: { 200: z.array(contactRecordView) },
        },
      },
      async (req, reply) => {
        const page = await records.page(req.query, me(req.user));
        void reply.header('X-Total-Count', String(page.total));
        return page.items;
      },
    );

    app.get(
      '/api/contact-records/inbox',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            "Review inbox: your subordinates' records (by the organisation tree) awaiting review; total in X-Total-Count",
          querystring: contactRecordQuery,
          response: { 200: z.array(contactRecordView) },
        },
      },
      async (req, reply) => {
        const page = await records.inbox(req.query, me(req.user));
        void reply.header('X-Total-Count', String(page.total));
        return page.items;
      },
    );

    app.post(
      '/api/contact-records',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            "Write a contact record for a customer in your scope (optionally for a call's CDR and an outing); lands on the customer's timeline",
          body: createContactRecordInput,
          response: { 201: contactRecordView },
        },
      },
      async (req, reply) => reply.status(201).send(await records.create(req.body, me(req.user))),
    );

    app.get(
      '/api/contact-records/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'One contact record (404 outside your scope)',
          params: idParams,
          response: { 200: contactRecordView },
        },
      },
      async (req) => records.get(req.params.id, me(req.user)),
    );

    app.patch(
      '/api/contact-records/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Change a contact record while it awaits review (409 once reviewed; edit scope)',
          params: idParams,
          body: updateContactRecordInput,
          response: { 200: contactRecordView },
        },
      },
      async (req) => records.update(req.params.id, req.body, me(req.user)),
    );

    app.delete(
      '/api/contact-records/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Delete a contact record awaiting review (409 once reviewed; delete scope; audited)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await records.remove(req.params.id, me(req.user));
        await audit(deps, req, 'contact_record.delete', req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/contact-records/:id/review',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            '批复: a superior of the author (organisation tree) replies with guidance; the record becomes reviewed and the author is notified (403 for anyone else, 409 when already reviewed)',
          params: idParams,
          body: reviewInput,
          response: { 200: contactRecordView },
        },
      },
      async (req) => {
        const view = await records.review(req.params.id, req.body.comment, me(req.user));
        await audit(deps, req, 'contact_record.review', view.id, { author: view.authorId });
        return view;
      },
    );
  };
