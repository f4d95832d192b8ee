import { request, requestPage } from './http';
import type { Customer, NewCustomer, Page } from './types';

export const customersQueryKey = ['customers'] as const;

export interface CustomerSearch {
  q?: string;
  phone?: string;
}

export function fetchCustomers(
  search: CustomerSearch,
  limit: number,
  offset: number,
  signal?: AbortSignal,
): Promise<Page<Customer>> {
  return requestPage<Customer>('/api/customers', limit, offset, { q: search.q, phone: search.phone }, signal);
}

export function createCustomer(input: NewCustomer): Promise<Customer> {
  return request<Customer>('/api/customers', { method: 'POST', body: input });
}
