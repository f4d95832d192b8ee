import { request, requestPage } from './http';
import type { Page } from './types';

export type CriteriaField = 'amount' | 'expectedCloseDate' | 'source' | 'scores';
export const scoreCriteria = ['budget', 'authority', 'need', 'timing'] as const;

export interface Stage {
  id: string;
  nameZh: string;
  nameEn: string;
  sort: number;
  probability: number;
  requiredFields: CriteriaField[];
  outcome: 'open' | 'won' | 'lost';
  active: boolean;
}

export interface Reason {
  id: string;
  outcome: 'won' | 'lost';
  nameZh: string;
  nameEn: string;
  active: boolean;
}

export interface Opportunity {
  id: string;
  customerId: string;
  customerName: string;
  title: string;
  ownerId: string;
  ownerName: string;
  stageId: string;
  amount: number | null;
  currency: string;
  expectedCloseDate: string | null;
  probability: number;
  scores: Record<string, number>;
  scoreTotal: number;
  source: string | null;
  status: 'open' | 'won' | 'lost';
  reasonId: string | null;
  reasonNote: string | null;
  updatedAt: string;
}

export interface OpportunityInput {
  customerId?: string;
  title?: string;
  amount?: number | null;
  expectedCloseDate?: string | null;
  probability?: number;
  source?: string | null;
  scores?: Record<string, number>;
}

export interface ForecastRow {
  key: string;
  name: string;
  count: number;
  amount: number;
  weighted: number;
}

export interface OpportunityFilter {
  q?: string;
  stageId?: string;
  status?: string;
  ownerId?: string;
}

export const opportunitiesKey = ['opportunities'] as const;

export const fetchStages = () => request<Stage[]>('/api/opportunity-stages');
export const fetchReasons = () => request<Reason[]>('/api/opportunity-reasons');

export function fetchOpportunities(
  filter: OpportunityFilter,
  limit: number,
  offset: number,
  signal?: AbortSignal,
): Promise<Page<Opportunity>> {
  return requestPage<Opportunity>('/api/opportunities', limit, offset, { ...filter }, signal);
}

export const fetchForecast = (groupBy: 'stage' | 'owner') =>
  request<ForecastRow[]>('/api/opportunities/forecast', { query: { groupBy } });

export const createOpportunity = (input: OpportunityInput) =>
  request<Opportunity>('/api/opportunities', { method: 'POST', body: input });

export const updateOpportunity = (id: string, input: OpportunityInput) =>
  request<Opportunity>(`/api/opportunities/${id}`, { method: 'PATCH', body: input });

export const moveOpportunity = (id: string, stageId: string, reasonId?: string) =>
  request<Opportunity>(`/api/opportunities/${id}/move`, { method: 'POST', body: { stageId, reasonId } });

export interface Report {
  id: string;
  userId: string;
  userName: string;
  kind: 'plan' | 'summary' | 'suggestion';
  weekStart: string;
  title: string;
  body: string;
  comments: { id: string; authorName: string; body: string; createdAt: string }[];
}

export interface PerformanceRow {
  userId: string;
  userName: string;
  contactRecords: number;
  customersCreated: number;
  opportunitiesCreated: number;
  opportunitiesAdvanced: number;
  opportunitiesWon: number;
  wonAmount: number;
  callsHandled: number;
}

export const reportsKey = ['employee-reports'] as const;

export const fetchReports = (inbox: boolean, limit: number, offset: number, signal?: AbortSignal) =>
  requestPage<Report>(
    inbox ? '/api/employee/reports/inbox' : '/api/employee/reports',
    limit,
    offset,
    inbox ? {} : { mine: 'true' },
    signal,
  );

export const createReport = (input: {
  kind: Report['kind'];
  weekStart?: string;
  title: string;
  body: string;
}) => request<Report>('/api/employee/reports', { method: 'POST', body: input });

export const commentReport = (id: string, body: string) =>
  request<Report>(`/api/employee/reports/${id}/comments`, { method: 'POST', body: { body } });

export const fetchPerformance = (from: string, to: string) =>
  request<PerformanceRow[]>('/api/employee/performance', { query: { from, to } });
