import { ApiError, request, requestPage } from './http';
import type { Page } from './types';

export const documentsQueryKey = ['documents'] as const;

export type DocumentKind = 'quote' | 'proposal' | 'contract' | 'requirement' | 'other';
export const documentKinds: DocumentKind[] = ['quote', 'proposal', 'contract', 'requirement', 'other'];

export interface DocumentVersion {
  version: number;
  fileName: string;
  mime: string;
  size: number;
  previewable: 'pdf' | 'image' | null;
  uploadedBy: string | null;
  createdAt: string;
}

export interface CrmDocument {
  id: string;
  customerId: string;
  customerName: string;
  opportunityId: string | null;
  kind: DocumentKind;
  title: string;
  currentVersion: number;
  updatedAt: string;
  latest: DocumentVersion;
  versions?: DocumentVersion[];
}

export function fetchDocuments(
  customerId: string,
  limit: number,
  offset: number,
  signal?: AbortSignal,
): Promise<Page<CrmDocument>> {
  return requestPage<CrmDocument>('/api/documents', limit, offset, { customerId }, signal);
}

export function fetchDocument(id: string, signal?: AbortSignal): Promise<CrmDocument> {
  return request<CrmDocument>(`/api/documents/${encodeURIComponent(id)}`, { signal });
}

export function deleteDocument(id: string): Promise<void> {
  return request<void>(`/api/documents/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export const versionUrl = (id: string, version: number, what: 'download' | 'preview', page = 1) =>
  `/api/documents/${encodeURIComponent(id)}/versions/${version}/${what}${what === 'preview' ? `?page=${page}` : ''}`;

/** Multipart upload: a new document (with fields) or, given `documentId`, its next version. */
export async function uploadDocument(
  file: File,
  target: { documentId: string } | { customerId: string; kind: DocumentKind; title?: string },
): Promise<CrmDocument> {
  const form = new FormData();
  if (!('documentId' in target)) {
    form.append('customerId', target.customerId);
    form.append('kind', target.kind);
    if (target.title) form.append('title', target.title);
  }
  form.append('file', file, file.name);
  const path =
    'documentId' in target
      ? `/api/documents/${encodeURIComponent(target.documentId)}/versions`
      : '/api/documents';
  const res = await fetch(path, { method: 'POST', body: form, credentials: 'same-origin' });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string; fields?: [] } } | null)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? `http_${res.status}`,
      error?.message ?? res.statusText,
      error?.fields,
    );
  }
  return body as CrmDocument;
}
