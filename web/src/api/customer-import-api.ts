import { ApiError, request } from './http';

export type DuplicatePolicy = 'skip' | 'update' | 'create';

export interface ImportResult {
  created: number;
  updated: number;
  skipped: number;
  errors: { line: number; message: string }[];
  batchId: string | null;
  dryRun: boolean;
  totalRows: number;
  preview?: { line: number; action: 'create' | 'update' | 'skip'; name: string; duplicateOf?: string }[];
}

export interface ImportBatch {
  id: string;
  status: 'running' | 'completed' | 'failed' | 'undone';
  created: number;
  updated: number;
}

/**
 * Uploads the file as the raw body. XMLHttpRequest rather than fetch: it reports upload progress,
 * which a large workbook needs for the progress bar.
 */
export function importCustomers(
  file: File,
  options: { policy: DuplicatePolicy; dryRun: boolean },
  onUploadProgress: (percent: number) => void,
): Promise<ImportResult> {
  const query = new URLSearchParams({
    fileName: file.name,
    onDuplicate: options.policy,
    dryRun: String(options.dryRun),
  });
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/customers/import?${query}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onUploadProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body as ImportResult);
        return;
      }
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      reject(new ApiError(xhr.status, error?.code ?? `http_${xhr.status}`, error?.message ?? xhr.statusText));
    };
    xhr.send(file);
  });
}

export function undoImport(batchId: string): Promise<ImportBatch> {
  return request<ImportBatch>(`/api/customers/import/${encodeURIComponent(batchId)}/undo`, {
    method: 'POST',
  });
}
