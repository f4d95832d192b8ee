import { request, requestPage } from './http';
import type { Page } from './types';

export const contactKinds = ['visit', 'call', 'email', 'meeting', 'other'] as const;
export const contactResults = ['interested', 'follow_up', 'no_need', 'deal', 'other'] as const;
export type ContactKind = (typeof contactKinds)[number];
export type ContactResult = (typeof contactResults)[number];

export interface ContactRecord {
  id: string;
  customerId: string;
  customerName: string;
  kind: ContactKind;
  occurredAt: string;
  result: ContactResult;
  summary: string;
  nextStep: string | null;
  nextStepDate: string | null;
  authorId: string;
  authorName: string;
  outingId: string | null;
  status: 'pending' | 'reviewed';
  reviewerName: string | null;
  reviewComment: string | null;
  reviewedAt: string | null;
}

export interface NewContactRecord {
  customerId: string;
  kind: ContactKind;
  occurredAt: string;
  result: ContactResult;
  summary: string;
  nextStep?: string;
  nextStepDate?: string;
  outingId?: string;
}

export const contactRecordsKey = ['contact-records'] as const;
export const notificationsKey = ['notifications'] as const;
export const outingsKey = ['outings'] as const;

export function fetchContactRecords(
  filter: { customerId?: string; mine?: boolean; inbox?: boolean },
  limit: number,
  offset: number,
  signal?: AbortSignal,
): Promise<Page<ContactRecord>> {
  const path = filter.inbox ? '/api/contact-records/inbox' : '/api/contact-records';
  return requestPage<ContactRecord>(
    path,
    limit,
    offset,
    { customerId: filter.customerId, mine: filter.mine ? 'true' : undefined },
    signal,
  );
}

export function createContactRecord(input: NewContactRecord): Promise<ContactRecord> {
  return request<ContactRecord>('/api/contact-records', { method: 'POST', body: input });
}

export function reviewContactRecord(id: string, comment: string): Promise<ContactRecord> {
  return request<ContactRecord>(`/api/contact-records/${id}/review`, { method: 'POST', body: { comment } });
}

export interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  read: boolean;
  createdAt: string;
}

export function fetchNotifications(): Promise<{ items: AppNotification[]; unread: number }> {
  return request('/api/notifications', { query: { limit: 20 } });
}

export function markNotificationRead(id: string): Promise<void> {
  return request(`/api/notifications/${id}/read`, { method: 'POST' });
}

export interface Outing {
  id: string;
  userName: string;
  customerId: string;
  customerName: string;
  plannedDate: string;
  purpose: string;
  status: 'planned' | 'out' | 'returned' | 'cancelled';
  departedAt: string | null;
  departLocation: string | null;
  returnedAt: string | null;
  returnLocation: string | null;
  contactRecordId: string | null;
}

export function fetchOutingWeek(
  week: string,
  signal?: AbortSignal,
): Promise<{ from: string; to: string; items: Outing[] }> {
  return request('/api/outings', { query: { week }, signal });
}

export function createOuting(input: {
  customerId: string;
  plannedDate: string;
  purpose: string;
}): Promise<Outing> {
  return request<Outing>('/api/outings', { method: 'POST', body: input });
}

export function moveOuting(
  id: string,
  verb: 'depart' | 'return' | 'cancel',
  location?: string,
): Promise<Outing> {
  return request<Outing>(`/api/outings/${id}/${verb}`, {
    method: 'POST',
    body: location ? { location } : {},
  });
}

export interface Credit {
  hidden: boolean;
  rating: 'A' | 'B' | 'C' | 'D' | null;
  limitAmount: number | null;
  updatedAt: string | null;
  pendingRequestId: string | null;
}

export interface CreditRequest {
  id: string;
  customerName: string;
  rating: string;
  limitAmount: number;
  previousRating: string | null;
  previousLimit: number | null;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedByName: string;
  decidedByName: string | null;
  decisionComment: string | null;
  createdAt: string;
}

export function fetchCredit(customerId: string): Promise<Credit> {
  return request<Credit>(`/api/customers/${customerId}/credit`);
}

export function fetchCreditHistory(customerId: string): Promise<CreditRequest[]> {
  return request<CreditRequest[]>('/api/credit/requests', { query: { customerId, limit: 50 } });
}

export function requestCredit(
  customerId: string,
  input: { rating: string; limitAmount: number; reason: string },
): Promise<CreditRequest> {
  return request<CreditRequest>(`/api/customers/${customerId}/credit/requests`, {
    method: 'POST',
    body: input,
  });
}

export function decideCredit(id: string, approve: boolean): Promise<CreditRequest> {
  return request<CreditRequest>(`/api/credit/requests/${id}/${approve ? 'approve' : 'reject'}`, {
    method: 'POST',
    body: {},
  });
}
