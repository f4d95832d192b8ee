// Wire types shared with the server (see the API contract in the web brief). String-literal unions, no enums.

export type Role = 'admin' | 'supervisor' | 'agent';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  extension: string | null;
}

/**
 * Agent state as the ACD sees it. Allowed transitions are owned by the server; the desk only
 * asks for `ready` / `not_ready` and shows whatever comes back.
 */
export type AgentStateName =
  'logged_out' | 'ready' | 'not_ready' | 'reserved' | 'on_call' | 'after_call_work';

export interface AgentState {
  agentId: string;
  extension: string | null;
  state: AgentStateName;
  reason: string | null;
  since: string;
  registered: boolean;
}

export type RequestableAgentState = 'ready' | 'not_ready';

export interface Phone {
  e164: string;
  display: string;
}

export interface Contact {
  id: string;
  name: string;
  title: string | null;
  phones: Phone[];
}

export type CustomerKind = 'company' | 'person';

export interface CustomerCard {
  id: string;
  name: string;
  kind: CustomerKind;
  tier: string | null;
  contacts: Contact[];
  matchedContactId: string | null;
}

export interface Customer {
  id: string;
  name: string;
  kind: CustomerKind;
  tier: string | null;
  contacts: Contact[];
  createdAt: string;
}

export interface NewCustomer {
  name: string;
  kind?: CustomerKind;
  tier?: string;
  contacts: { name: string; title?: string; phones: string[] }[];
}

export type Disposition = 'answered' | 'abandoned' | 'blocked' | 'ivr' | 'failed' | 'in_progress';

export interface Cdr {
  id: string;
  callId: string;
  caller: string;
  dnis: string;
  queue: string | null;
  agent: string | null;
  offeredAt: string;
  ivrAt: string | null;
  queuedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  disposition: Disposition;
  durationSec: number | null;
  recordingUrl: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldError[] };
}

/** One page of a list endpoint; `total` is known only when the server sends X-Total-Count. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
  total: number | null;
}
