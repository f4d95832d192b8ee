/**
 * Employee center (CRM-08): weekly plans, summaries and suggestions with the manager's comments,
 * and the performance view. Reports are read within the caller's `employee_report` data scope (404
 * outside it); lists paginate and filter on the server with the total in X-Total-Count.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commentInput,
  createReportInput,
  PerformanceService,
  performanceQuery,
  performanceRow,
  reportQuery,
  ReportService,
  reportView,
  updateReportInput,
} from '../../crm/employee/index.ts';
import { requireUser, type SessionUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const idParams = z.object({ id: z.string().max(40) });
const me = (user: SessionUser | null) => ({ id: user!.id, role: user!.role });

export const employeeRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const db = deps.database.db;
    const reports = new ReportService(db);
    const performance = new PerformanceService(db);
    const anyUser = requireUser();

    app.get(
      '/api/employee/reports',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            'Weekly plans, summaries and suggestions in your scope (`mine=true`: only yours); filter by kind, author, week; total in X-Total-Count',
          querystring: reportQuery,
          response: { 200: z.array(reportView) },
        },
      },
      async (req, reply) => {
        const page = await reports.page(req.query, me(req.user));
        void reply.header('X-Total-Count', String(page.total));
        return page.items;
      },
    );

    app.get(
      '/api/employee/reports/inbox',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: "Reports submitted to you: your subordinates' (organisation tree), newest first",
          querystring: reportQuery,
          response: { 200: z.array(reportView) },
        },
      },
      async (req, reply) => {
        const page = await reports.inbox(req.query, me(req.user));
        void reply.header('X-Total-Count', String(page.total));
        return page.items;
      },
    );

    app.post(
      '/api/employee/reports',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Submit a weekly plan, weekly summary or suggestion to your manager',
          body: createReportInput,
          response: { 201: reportView },
        },
      },
      async (req, reply) => reply.status(201).send(await reports.create(req.body, me(req.user))),
    );

    app.get(
      '/api/employee/reports/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'One report with its comments (404 outside your scope)',
          params: idParams,
          response: { 200: reportView },
        },
      },
      async (req) => reports.get(req.params.id, me(req.user)),
    );

    app.patch(
      '/api/employee/reports/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Change your own report (403 for anyone else)',
          params: idParams,
          body: updateReportInput,
          response: { 200: reportView },
        },
      },
      async (req) => reports.update(req.params.id, req.body, me(req.user)),
    );

    app.post(
      '/api/employee/reports/:id/comments',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            "Comment on a report: the author's managers (organisation tree) and the author (403 for others)",
          params: idParams,
          body: commentInput,
          response: { 201: reportView },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await reports.comment(req.params.id, req.body.body, me(req.user))),
    );

    app.get(
      '/api/employee/performance',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            'Performance per person for a period (days in China Standard Time): contact records, customers created, opportunities created/advanced/won with amount, calls answered; the people your scope reaches',
          querystring: performanceQuery,
          response: { 200: z.array(performanceRow) },
        },
      },
      async (req) => performance.report(req.query, me(req.user)),
    );
  };
