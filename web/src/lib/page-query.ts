import type { TablePaginationConfig } from 'antd';
import type { Page } from '../api/types';

export const pageSizeOptions = [10, 20, 50];

/**
 * antd pagination for endpoints that return bare arrays: with an exact total when the server sends
 * one, else a total that admits exactly one more page while `hasMore` holds.
 */
export function paginationFor<T>(
  page: Page<T> | undefined,
  current: number,
  pageSize: number,
  showTotal: (total: number) => string,
): TablePaginationConfig {
  const offset = (current - 1) * pageSize;
  const known = page?.total ?? null;
  const total = known ?? offset + (page?.items.length ?? 0) + (page?.hasMore ? 1 : 0);
  return {
    current,
    pageSize,
    total,
    showSizeChanger: true,
    pageSizeOptions,
    showTotal: known === null ? undefined : showTotal,
  };
}
