/**
 * Customer import over HTTP (issue #6): the same import as `switchyard import customers`.
 * `POST /api/customers/import` takes the file as multipart/form-data or as the raw body with
 * `fileName` in the query; `dryRun=true` previews without writing. Undo restores the state
 * before the batch.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CustomerImportService } from '../../crm/import/index.ts';
import { AppError } from '../../shared/index.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { actorOf } from './customer.routes.ts';
import { uploadedFile } from './customer-import-body.ts';

const lineError = z.object({ line: z.number(), message: z.string() });
const importResult = z.object({
  created: z.number(),
  updated: z.number(),
  skipped: z.number(),
  errors: z.array(lineError),
  batchId: z.string().nullable(),
  dryRun: z.boolean(),
  totalRows: z.number(),
  preview: z
    .array(
      z.object({
        line: z.number(),
        action: z.enum(['create', 'update', 'skip']),
        name: z.string(),
        duplicateOf: z.string().optional(),
      }),
    )
    .optional(),
});
const batchView = z.object({
  id: z.string(),
  fileName: z.string(),
  policy: z.enum(['skip', 'update', 'create']),
  status: z.enum(['running', 'completed', 'failed', 'undone']),
  username: z.string().nullable(),
  totalRows: z.number(),
  created: z.number(),
  updated: z.number(),
  skipped: z.number(),
  errors: z.array(lineError),
  errorCount: z.number(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  undoneAt: z.string().nullable(),
});
const importQuery = z.object({
  fileName: z.string().max(255).optional(),
  onDuplicate: z.enum(['skip', 'update', 'create']).optional(),
  dryRun: z.enum(['true', 'false']).optional(),
  /** JSON object: header text → field. */
  mapping: z.string().max(4000).optional(),
});

const MAX_UPLOAD = 50 * 1024 * 1024;
const uploadTypes = [
  'application/octet-stream',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'multipart/form-data',
];

function mappingOf(raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  const parsed = z.record(z.string(), z.string()).safeParse(
    (() => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return null;
      }
    })(),
  );
  if (!parsed.success)
    throw new AppError('validation', 'mapping: must be a JSON object of header → field', [
      { field: 'mapping', message: 'must be a JSON object of header → field' },
    ]);
  return parsed.data;
}

export const customerImportRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const imports = new CustomerImportService(deps.database.db);
    const importers = requireUser('admin', 'supervisor', 'sales_manager', 'sales');
    app.addContentTypeParser(uploadTypes, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD }, (_req, body, done) =>
      done(null, body),
    );

    app.post(
      '/api/customers/import',
      {
        preValidation: importers,
        bodyLimit: MAX_UPLOAD,
        schema: {
          tags: ['crm'],
          summary:
            'Import customers from .xlsx or CSV (multipart `file`, or the raw body with `fileName`); errors by line, header = line 1',
          querystring: importQuery,
          response: { 200: importResult },
        },
      },
      async (req) => {
        const upload = uploadedFile(req.headers['content-type'], req.body);
        const q = { ...req.query, ...importQuery.partial().parse(upload.fields) };
        const fileName = upload.fileName ?? q.fileName;
        if (!fileName)
          throw new AppError('validation', 'fileName: required with a raw body', [
            { field: 'fileName', message: 'required' },
          ]);
        const result = await imports.importFile(upload.bytes, {
          fileName,
          policy: q.onDuplicate ?? 'skip',
          dryRun: q.dryRun === 'true',
          mapping: mappingOf(q.mapping),
          actor: actorOf(req.user),
          username: req.user!.username,
        });
        if (result.batchId)
          await audit(deps, req, 'customer.import', result.batchId, {
            fileName,
            created: result.created,
            updated: result.updated,
            skipped: result.skipped,
            errors: result.errors.length,
          });
        return result;
      },
    );

    app.get(
      '/api/customers/import/:id',
      {
        preValidation: importers,
        schema: {
          tags: ['crm'],
          summary: 'An import batch: status, counts and errors by line',
          params: z.object({ id: z.string().max(40) }),
          response: { 200: batchView },
        },
      },
      async (req) => imports.batch(req.params.id, actorOf(req.user)),
    );

    app.post(
      '/api/customers/import/:id/undo',
      {
        preValidation: importers,
        schema: {
          tags: ['crm'],
          summary: 'Undo a whole import: created customers go, updated ones get their previous values back',
          params: z.object({ id: z.string().max(40) }),
          response: { 200: batchView },
        },
      },
      async (req) => {
        const view = await imports.undo(req.params.id, actorOf(req.user));
        await audit(deps, req, 'customer.import.undo', view.id, {
          created: view.created,
          updated: view.updated,
        });
        return view;
      },
    );
  };
