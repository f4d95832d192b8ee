/**
 * Documents (issue #6, CRM-06). Upload as multipart/form-data (`file` plus the fields) or as the raw
 * body with the fields in the query. Every route applies the owning customer's data scope: outside
 * it a document answers 404. Deletes are audited.
 */
import { dirname, join } from 'node:path';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  documentQuery,
  DocumentService,
  documentView,
  MAX_DOCUMENT_BYTES,
  newDocumentFields,
} from '../../crm/documents/index.ts';
import { AppError } from '../../shared/index.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';
import { uploadedFile } from './customer-import-body.ts';
import { actorOf } from './customer.routes.ts';

const uploadTypes = [
  'multipart/form-data',
  'application/octet-stream',
  'application/pdf',
  'image/png',
  'image/jpeg',
];
const idParams = z.object({ id: z.string().max(60) });
const versionParams = idParams.extend({
  version: z.union([z.literal('current'), z.coerce.number().int().min(1).max(100_000)]),
});
/** Multipart wraps the file; allow for the parts' headers on top of the size limit. */
const BODY_LIMIT = MAX_DOCUMENT_BYTES + 64 * 1024;

/** Fields of a form or a query, validated so a 400 names the field. */
function fieldsOf<T extends z.ZodTypeAny>(schema: T, values: Record<string, unknown>): z.infer<T> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
  throw new AppError('validation', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
}

function fileOf(contentType: string | undefined, body: unknown, query: Record<string, unknown>) {
  const upload = uploadedFile(contentType, body);
  const fileName = upload.fileName ?? (typeof query.fileName === 'string' ? query.fileName : null);
  if (!fileName)
    throw new AppError('validation', 'fileName: required with a raw body', [
      { field: 'fileName', message: 'required' },
    ]);
  return { file: { fileName, bytes: upload.bytes }, fields: { ...query, ...upload.fields } };
}

/** RFC 6266 with an RFC 5987 UTF-8 name, so Chinese file names survive. */
const disposition = (kind: 'inline' | 'attachment', name: string) =>
  `${kind}; filename="${name.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

function sendFile(reply: FastifyReply, mime: string, bytes: Buffer, disp: string) {
  return reply
    .header('content-type', mime)
    .header('content-disposition', disp)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(bytes);
}

export const documentRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    // The data directory is the recordings directory's parent (both under SWITCHYARD_DATA).
    const documents = new DocumentService(deps.database.db, join(dirname(deps.recordingsDir), 'documents'));
    const anyUser = requireUser();
    app.addContentTypeParser(uploadTypes, { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );

    app.get(
      '/api/documents',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary:
            "Documents in your data scope (the customer's), filtered by customer, opportunity, kind, `q`; sorted; total in X-Total-Count",
          querystring: documentQuery,
          response: { 200: z.array(documentView) },
        },
      },
      async (req, reply) => {
        const page = await documents.page(req.query, actorOf(req.user));
        void reply.header('X-Total-Count', String(page.total));
        return page.items;
      },
    );

    app.post(
      '/api/documents',
      {
        preValidation: anyUser,
        bodyLimit: BODY_LIMIT,
        schema: {
          tags: ['crm'],
          summary:
            'Upload a document (multipart `file`, `customerId`, `kind`, optional `title`, `opportunityId`); type sniffed from the bytes, 20 MiB at most',
          querystring: z.record(z.string(), z.string()).optional(),
          response: { 201: documentView },
        },
      },
      async (req, reply) => {
        const { file, fields } = fileOf(req.headers['content-type'], req.body, req.query ?? {});
        const created = await documents.upload(fieldsOf(newDocumentFields, fields), file, actorOf(req.user));
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/api/documents/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'One document with every version, newest first',
          params: idParams,
          response: { 200: documentView },
        },
      },
      async (req) => documents.get(req.params.id, actorOf(req.user)),
    );

    app.post(
      '/api/documents/:id/versions',
      {
        preValidation: anyUser,
        bodyLimit: BODY_LIMIT,
        schema: {
          tags: ['crm'],
          summary: 'Upload a new version of the document (multipart `file`; edit scope)',
          params: idParams,
          querystring: z.object({ fileName: z.string().max(255).optional() }),
          response: { 201: documentView },
        },
      },
      async (req, reply) => {
        const { file } = fileOf(req.headers['content-type'], req.body, req.query);
        return reply.status(201).send(await documents.addVersion(req.params.id, file, actorOf(req.user)));
      },
    );

    app.get(
      '/api/documents/:id/versions/:version/download',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Download a version (a number or `current`) as an attachment',
          params: versionParams,
        },
      },
      async (req, reply) => {
        const f = await documents.file(req.params.id, req.params.version, actorOf(req.user));
        return sendFile(reply, f.mime, f.bytes, disposition('attachment', f.fileName));
      },
    );

    app.get(
      '/api/documents/:id/versions/:version/preview',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Preview in the browser: an image as itself, a PDF page as PNG (`page`, from 1)',
          params: versionParams,
          querystring: z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) }),
        },
      },
      async (req, reply) => {
        const p = await documents.preview(
          req.params.id,
          req.params.version,
          req.query.page,
          actorOf(req.user),
        );
        return sendFile(reply, p.mime, p.bytes, 'inline');
      },
    );

    app.delete(
      '/api/documents/:id',
      {
        preValidation: anyUser,
        schema: {
          tags: ['crm'],
          summary: 'Delete a document (soft: kept for audit; delete scope of its customer)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const row = await documents.remove(req.params.id, actorOf(req.user));
        await audit(deps, req, 'document.delete', row.id, { customerId: row.customerId, title: row.title });
        return reply.status(204).send(null);
      },
    );
  };
