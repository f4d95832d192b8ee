import { requestPage } from './http';
import type { Cdr, Page } from './types';

export const cdrsQueryKey = ['cdrs'] as const;

export function fetchCdrs(limit: number, offset: number, signal?: AbortSignal): Promise<Page<Cdr>> {
  return requestPage<Cdr>('/api/cdrs', limit, offset, {}, signal);
}
