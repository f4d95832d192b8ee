import { request } from './http';

// IVR flows (issue #5): versions, validation, publishing and the editor's test call.

export type PromptItem = { tts: string; lang?: 'zh' | 'en' } | { file: string };

/** A flow node as JSON: the verb plus its fields (see GET /api/ivr/flows/schema). */
export interface FlowNode {
  verb: string;
  [field: string]: unknown;
}

export interface FlowDocument {
  name: string;
  description?: string;
  start: string;
  nodes: Record<string, FlowNode>;
}

export interface FlowError {
  node: string | null;
  field: string | null;
  message: string;
}

export interface FlowVersion {
  version: number;
  createdAt: string;
  createdBy: string | null;
  createdByName: string | null;
  publishedAt: string | null;
  published: boolean;
}

export interface FlowSummary {
  id: string;
  name: string;
  publishedVersion: number | null;
  latestVersion: number;
  versionCount: number;
  versions: FlowVersion[];
  serviceNumbers: string[];
  createdAt: string;
  updatedAt: string;
}

export interface FlowDetail extends FlowSummary {
  versions: (FlowVersion & { document: FlowDocument })[];
}

export interface TestCallStep {
  node: string;
  verb: string;
  input?: string;
  branch?: string;
  /** asr: digits heard (typed digits stand in for speech), confidence, keypad fallback. */
  recognised?: string;
  confidence?: number;
  dtmfFallback?: boolean;
  prompts: PromptItem[];
}

export interface TestCallResult {
  steps: TestCallStep[];
  outcome: {
    type: 'queued' | 'hangup' | 'waiting' | 'step_limit';
    node: string;
    verb?: string;
    group?: string;
  };
  unusedDigits: string;
}

export const ivrFlowsQueryKey = ['ivr-flows'] as const;
export const ivrFlowQueryKey = (id: string) => ['ivr-flows', id] as const;

export function fetchFlows(signal?: AbortSignal): Promise<FlowSummary[]> {
  return request<FlowSummary[]>('/api/ivr/flows', { signal });
}

export function fetchFlow(id: string, signal?: AbortSignal): Promise<FlowDetail> {
  return request<FlowDetail>(`/api/ivr/flows/${encodeURIComponent(id)}`, { signal });
}

export function validateFlow(document: FlowDocument): Promise<{ valid: boolean; errors: FlowError[] }> {
  return request('/api/ivr/flows/validate', { method: 'POST', body: document });
}

/** A new version of flow `id`; a 400 carries the validator's errors (see `flowErrorsOf`). */
export function saveFlowVersion(
  id: string,
  document: FlowDocument,
): Promise<{ id: string; version: number; publishedVersion: number | null; latestVersion: number }> {
  return request('/api/ivr/flows', { method: 'POST', body: { id, document } });
}

export function publishFlow(
  id: string,
  version: number,
): Promise<{ id: string; publishedVersion: number; previousVersion: number | null }> {
  return request(`/api/ivr/flows/${encodeURIComponent(id)}/publish`, { method: 'POST', body: { version } });
}

export function testCall(
  document: FlowDocument,
  digits: string,
  noInputTimeouts: number,
): Promise<TestCallResult> {
  return request('/api/ivr/flows/test', { method: 'POST', body: { document, digits, noInputTimeouts } });
}
