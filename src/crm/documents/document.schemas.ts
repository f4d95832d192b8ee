import { z } from 'zod';

export const documentKinds = ['quote', 'proposal', 'contract', 'requirement', 'other'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** 20 MiB: contracts with scans fit; anything larger belongs in a file share, not the CRM. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export const documentVersionView = z.object({
  version: z.number(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number(),
  sha256: z.string(),
  previewable: z.enum(['pdf', 'image']).nullable(),
  uploadedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type DocumentVersionView = z.infer<typeof documentVersionView>;

export const documentView = z.object({
  id: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  opportunityId: z.string().nullable(),
  kind: z.enum(documentKinds),
  title: z.string(),
  currentVersion: z.number(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  latest: documentVersionView,
  /** Every version, newest first (GET of one document only). */
  versions: z.array(documentVersionView).optional(),
});
export type DocumentView = z.infer<typeof documentView>;

export const documentQuery = z.object({
  customerId: z.string().max(60).optional(),
  opportunityId: z.string().max(60).optional(),
  kind: z.enum(documentKinds).optional(),
  /** Part of the title or a version's file name. */
  q: z.string().trim().max(200).optional(),
  sort: z.enum(['updatedAt', 'createdAt', 'title', 'kind']).default('updatedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DocumentQuery = z.infer<typeof documentQuery>;

/** The form fields sent with a new document's file. */
export const newDocumentFields = z.object({
  /** Optional when `opportunityId` is given: the opportunity's customer. */
  customerId: z.string().trim().min(1).max(60).optional(),
  opportunityId: z.string().trim().min(1).max(60).optional(),
  kind: z.enum(documentKinds),
  /** Defaults to the file name. */
  title: z.string().trim().min(1).max(200).optional(),
});
export type NewDocumentFields = z.infer<typeof newDocumentFields>;

export interface UploadedDocumentFile {
  fileName: string;
  bytes: Buffer;
}
