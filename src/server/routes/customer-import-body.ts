/**
 * The uploaded file of an import request: either the raw body (file name in the query) or the
 * first file part of multipart/form-data, whose other text parts may carry the options.
 */
import { AppError } from '../../shared/index.ts';

export interface UploadedFile {
  fileName: string | null;
  bytes: Buffer;
  fields: Record<string, string>;
}

const CRLF2 = Buffer.from('\r\n\r\n');

export function uploadedFile(contentType: string | undefined, body: unknown): UploadedFile {
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new AppError('validation', 'file: the request has no file', [
      { field: 'file', message: 'required' },
    ]);
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!boundary) return { fileName: null, bytes: body, fields: {} };
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  let file: { fileName: string; bytes: Buffer } | null = null;
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const partStart = start + delimiter.length + 2; // past the delimiter and its CRLF
    const next = body.indexOf(delimiter, partStart);
    if (next < 0) break;
    const part = body.subarray(partStart, next - 2); // without the CRLF before the next delimiter
    const headerEnd = part.indexOf(CRLF2);
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const fileName = /filename\*?="?(?:UTF-8'')?([^";\r\n]*)"?/i.exec(headers)?.[1];
      if (fileName !== undefined && !file) file = { fileName: decodeURIComponent(fileName), bytes: content };
      else if (fileName === undefined) fields[name] = content.toString('utf8');
    }
    start = next;
  }
  if (!file || file.bytes.length === 0)
    throw new AppError('validation', 'file: no file part in the form', [
      { field: 'file', message: 'required' },
    ]);
  return { ...file, fields };
}
