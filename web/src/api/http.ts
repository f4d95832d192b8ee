import type { ErrorBody, FieldError, Page } from './types';

/** A failed request: HTTP status (0 = network failure) plus the server's error code and field errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];

  constructor(status: number, code: string, message: string, fields: FieldError[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener | null = null;

/** The auth layer registers here so an expired session anywhere sends the user back to the login page. */
export function setUnauthorizedListener(listener: UnauthorizedListener | null): void {
  onUnauthorized = listener;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error: unknown = value.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  /** Login and /me report 401 as an ordinary answer, not as an expired session. */
  quietUnauthorized?: boolean;
}

export interface RawResponse<T> {
  data: T;
  headers: Headers;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function requestRaw<T>(path: string, options: RequestOptions = {}): Promise<RawResponse<T>> {
  const { method = 'GET', body, query, signal, quietUnauthorized = false } = options;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { Accept: 'application/json' }
          : { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'network error');
  }

  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }

  if (!response.ok) {
    if (response.status === 401 && !quietUnauthorized) onUnauthorized?.();
    if (isErrorBody(parsed)) {
      const { code, message, fields } = parsed.error;
      throw new ApiError(response.status, code, message, Array.isArray(fields) ? fields : []);
    }
    throw new ApiError(
      response.status,
      `http_${response.status}`,
      response.statusText || `HTTP ${response.status}`,
    );
  }
  return { data: parsed as T, headers: response.headers };
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { data } = await requestRaw<T>(path, options);
  return data;
}

/**
 * List endpoints return a bare array. We ask for one row more than the page to learn whether a next
 * page exists; an X-Total-Count header, when the server sends one, gives the exact total instead.
 */
export async function requestPage<T>(
  path: string,
  limit: number,
  offset: number,
  query: Record<string, string | undefined> = {},
  signal?: AbortSignal,
): Promise<Page<T>> {
  const { data, headers } = await requestRaw<T[]>(path, {
    query: { ...query, limit: limit + 1, offset },
    signal,
  });
  const rows = Array.isArray(data) ? data : [];
  const totalHeader = headers.get('X-Total-Count');
  const total = totalHeader !== null && /^\d+$/.test(totalHeader) ? Number(totalHeader) : null;
  return { items: rows.slice(0, limit), hasMore: rows.length > limit, total };
}
