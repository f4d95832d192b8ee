import { request } from './http';

// Road conditions (路况) and branches (网点) the IVR reads out (IVR-02), and IVR flow metrics.

export const roadStatuses = ['normal', 'slow', 'congested', 'closed', 'weather', 'construction'] as const;
export type RoadStatus = (typeof roadStatuses)[number];

export interface RoadCondition {
  id: string;
  route: string;
  origin: string;
  destination: string;
  segment: string;
  position: number;
  status: RoadStatus;
  note: string;
  updatedAt: string;
  updatedBy: string | null;
}
export type RoadConditionInput = Omit<RoadCondition, 'id' | 'route' | 'updatedAt' | 'updatedBy'> & {
  route?: string;
};

export interface Branch {
  id: string;
  city: string;
  name: string;
  address: string;
  hours: string;
  phone: string;
  active: boolean;
  updatedAt: string;
}
export type BranchInput = Omit<Branch, 'id' | 'updatedAt'>;

export interface Paged<T> {
  items: T[];
  total: number;
}

export interface ListQuery {
  q?: string;
  limit: number;
  offset: number;
}

export interface ImportResult {
  created: number;
  updated: number;
  errors: { line: number; field: string; message: string }[];
}

export const roadConditionsKey = ['road-conditions'] as const;
export const branchesKey = ['branches'] as const;

function query(q: ListQuery): Record<string, string | number | undefined> {
  return { q: q.q?.trim() || undefined, limit: q.limit, offset: q.offset };
}

export function fetchRoadConditions(q: ListQuery, signal?: AbortSignal): Promise<Paged<RoadCondition>> {
  return request('/api/road-conditions', { query: query(q), signal });
}

export function saveRoadCondition(id: string | null, body: RoadConditionInput): Promise<RoadCondition> {
  return id
    ? request(`/api/road-conditions/${id}`, { method: 'PUT', body })
    : request('/api/road-conditions', { method: 'POST', body });
}

export function deleteRoadCondition(id: string): Promise<void> {
  return request(`/api/road-conditions/${id}`, { method: 'DELETE' });
}

export async function importRoadConditions(file: File): Promise<ImportResult> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return request('/api/road-conditions/import', {
    method: 'POST',
    body: { fileName: file.name, content: btoa(binary) },
  });
}

export function fetchBranches(q: ListQuery, signal?: AbortSignal): Promise<Paged<Branch>> {
  return request('/api/branches', { query: query(q), signal });
}

export function saveBranch(id: string | null, body: BranchInput): Promise<Branch> {
  return id
    ? request(`/api/branches/${id}`, { method: 'PUT', body })
    : request('/api/branches', { method: 'POST', body });
}

export function deleteBranch(id: string): Promise<void> {
  return request(`/api/branches/${id}`, { method: 'DELETE' });
}

export interface NodeMetrics {
  node: string;
  verb: string;
  entries: number;
  exits: number;
  invalid: number;
  timeouts: number;
  queued: number;
  callerHangups: number;
  branches: Record<string, number>;
}

export interface FlowMetrics {
  flowId: string;
  version: number | null;
  from: string;
  to: string;
  entries: number;
  exits: { queued: number; transferred: number; callerHangup: number; flowHangup: number };
  invalid: number;
  timeouts: number;
  abandonedAtFirstPrompt: number;
  contained: number;
  containmentRate: number | null;
  nodes: NodeMetrics[];
}

export function fetchFlowMetrics(
  id: string,
  range: { from: string; to: string; version?: number },
  signal?: AbortSignal,
): Promise<FlowMetrics> {
  return request(`/api/ivr/flows/${id}/metrics`, { query: range, signal });
}
