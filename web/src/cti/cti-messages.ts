import type { Party, PartyRole, SupervisorMode } from '../api/call-control-api';
import type {
  AgentRow,
  AgentState,
  AgentStateCounts,
  AgentStateName,
  CustomerCard,
  GroupMetrics,
  QueueMetrics,
  WorkChannel,
  WorkItem,
  WorkStatus,
} from '../api/types';

// Messages on the CTI WebSocket (/api/cti). Parsing is a boundary: anything malformed becomes null
// and is dropped, so one bad frame never breaks the desk.

export interface CallOffered {
  callId: string;
  caller: string;
  dnis: string;
  queue: string;
  customer: CustomerCard | null;
  matches: CustomerCard[];
  direction: 'inbound' | 'outbound' | 'internal';
  /** A colleague calling: from an extension (name, extension) or a company range. */
  internal: { name: string | null; extension: string | null; range: string | null } | null;
}

export interface CallAnswered {
  callId: string;
  answeredAt: string;
}

export interface CallEnded {
  callId: string;
  disposition: string;
  endedAt: string;
}

/** Who is on a connected call now (pushed to every agent on it whenever that changes). */
export interface CallParties {
  callId: string;
  agentId: string;
  parties: Party[];
}

export type CtiServerMessage =
  | { type: 'agent.state'; data: AgentState; at: string }
  | { type: 'call.offered'; data: CallOffered; at: string }
  | { type: 'call.answered'; data: CallAnswered; at: string }
  | { type: 'call.ended'; data: CallEnded; at: string }
  | { type: 'call.parties'; data: CallParties; at: string }
  | { type: 'queue.metrics'; data: QueueMetrics; at: string }
  | { type: 'work.offered'; data: WorkItem; at: string }
  | { type: 'work.updated'; data: WorkItem; at: string }
  | { type: 'error'; data: { message: string }; at: string };

export type CtiClientMessage = {
  type: 'agent.setState';
  data: { state: 'ready' | 'not_ready'; reason?: string };
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function strOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

const agentStates: readonly AgentStateName[] = [
  'logged_out',
  'ready',
  'not_ready',
  'reserved',
  'on_call',
  'after_call_work',
];

function isAgentStateName(value: unknown): value is AgentStateName {
  return typeof value === 'string' && (agentStates as readonly string[]).includes(value);
}

export function parseAgentState(value: unknown): AgentState | null {
  if (!isObject(value) || !isAgentStateName(value.state)) return null;
  return {
    agentId: str(value.agentId),
    extension: strOrNull(value.extension),
    state: value.state,
    reason: strOrNull(value.reason),
    since: str(value.since, new Date().toISOString()),
    registered: value.registered === true,
    wrapUpEndsAt: value.state === 'after_call_work' ? strOrNull(value.wrapUpEndsAt) : null,
  };
}

export function parseCustomerCard(value: unknown): CustomerCard | null {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.name !== 'string') return null;
  const contacts = Array.isArray(value.contacts) ? value.contacts.filter(isObject) : [];
  return {
    id: value.id,
    name: value.name,
    kind: value.kind === 'person' ? 'person' : 'company',
    tier: strOrNull(value.tier),
    matchedContactId: strOrNull(value.matchedContactId),
    contacts: contacts.map((contact) => ({
      id: str(contact.id),
      name: str(contact.name),
      title: strOrNull(contact.title),
      phones: (Array.isArray(contact.phones) ? contact.phones.filter(isObject) : []).map((phone) => ({
        e164: str(phone.e164),
        display: str(phone.display, str(phone.e164)),
      })),
    })),
  };
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function numOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A row of the supervisor's agent list: the agent state plus name and group memberships. */
export function parseAgentRow(value: unknown): AgentRow | null {
  const state = parseAgentState(value);
  if (!state || !isObject(value)) return null;
  const groups = Array.isArray(value.groups) ? value.groups.filter(isObject) : [];
  return {
    ...state,
    extension: state.extension ?? '',
    displayName: str(value.displayName),
    groups: groups
      .filter((group) => typeof group.name === 'string')
      .map((group) => ({ name: str(group.name), level: num(group.level, 1) })),
  };
}

function parseStateCounts(value: unknown): AgentStateCounts {
  const counts = isObject(value) ? value : {};
  const result: AgentStateCounts = {
    logged_out: 0,
    ready: 0,
    not_ready: 0,
    reserved: 0,
    on_call: 0,
    after_call_work: 0,
  };
  for (const state of agentStates) result[state] = num(counts[state]);
  return result;
}

function parseGroupMetrics(value: unknown): GroupMetrics | null {
  if (!isObject(value) || typeof value.name !== 'string') return null;
  return {
    name: value.name,
    displayName: str(value.displayName, value.name),
    waiting: num(value.waiting),
    oldestWaitSec: numOrNull(value.oldestWaitSec),
    agents: parseStateCounts(value.agents),
    offeredToday: num(value.offeredToday),
    answeredToday: num(value.answeredToday),
    abandonedToday: num(value.abandonedToday),
    shortAbandonedToday: num(value.shortAbandonedToday),
    serviceLevelToday: numOrNull(value.serviceLevelToday),
    slSeconds: num(value.slSeconds, 20),
    asaSec: numOrNull(value.asaSec),
    ewtSec: numOrNull(value.ewtSec),
  };
}

export function parseQueueMetrics(value: unknown, at: string): QueueMetrics | null {
  if (!isObject(value) || !Array.isArray(value.groups)) return null;
  return {
    at: str(value.at, at),
    groups: value.groups.map(parseGroupMetrics).filter((group): group is GroupMetrics => group !== null),
    agents: (Array.isArray(value.agents) ? value.agents : [])
      .map(parseAgentRow)
      .filter((row): row is AgentRow => row !== null),
  };
}

function parseCallOffered(value: unknown): CallOffered | null {
  if (!isObject(value) || typeof value.callId !== 'string') return null;
  const matches = Array.isArray(value.matches)
    ? value.matches.map(parseCustomerCard).filter((card): card is CustomerCard => card !== null)
    : [];
  return {
    callId: value.callId,
    caller: str(value.caller),
    dnis: str(value.dnis),
    queue: str(value.queue),
    customer: parseCustomerCard(value.customer),
    matches,
    direction: value.direction === 'outbound' || value.direction === 'internal' ? value.direction : 'inbound',
    internal: isObject(value.internal)
      ? {
          name: strOrNull(value.internal.name),
          extension: strOrNull(value.internal.extension),
          range: strOrNull(value.internal.range),
        }
      : null,
  };
}

const partyRoles: readonly PartyRole[] = ['customer', 'agent', 'consult', 'conference', 'supervisor'];
const supervisorModes: readonly SupervisorMode[] = ['listen', 'whisper', 'barge'];

function isPartyRole(value: unknown): value is PartyRole {
  return typeof value === 'string' && (partyRoles as readonly string[]).includes(value);
}

function isSupervisorMode(value: unknown): value is SupervisorMode {
  return typeof value === 'string' && (supervisorModes as readonly string[]).includes(value);
}

/** One party of a call; an unknown role is dropped rather than shown wrongly. */
export function parseParty(value: unknown): Party | null {
  if (!isObject(value) || typeof value.id !== 'string' || !isPartyRole(value.role)) return null;
  return {
    id: value.id,
    role: value.role,
    label: str(value.label),
    agentId: strOrNull(value.agentId),
    held: value.held === true,
    muted: value.muted === true,
    mode: isSupervisorMode(value.mode) ? value.mode : null,
    state: value.state === 'ringing' ? 'ringing' : 'connected',
  };
}

function parseCallParties(value: unknown): CallParties | null {
  if (!isObject(value) || typeof value.callId !== 'string' || !Array.isArray(value.parties)) return null;
  return {
    callId: value.callId,
    agentId: str(value.agentId),
    parties: value.parties.map(parseParty).filter((party): party is Party => party !== null),
  };
}

const workChannels: readonly WorkChannel[] = ['chat', 'email', 'sms', 'task'];
const workStatuses: readonly WorkStatus[] = ['queued', 'offered', 'accepted', 'completed', 'cancelled'];

function isWorkChannel(value: unknown): value is WorkChannel {
  return typeof value === 'string' && (workChannels as readonly string[]).includes(value);
}

function isWorkStatus(value: unknown): value is WorkStatus {
  return typeof value === 'string' && (workStatuses as readonly string[]).includes(value);
}

/** A chat, e-mail, SMS or task as `work.offered` / `work.updated` and the work-item endpoints carry it. */
export function parseWorkItem(value: unknown): WorkItem | null {
  if (
    !isObject(value) ||
    typeof value.id !== 'string' ||
    !isWorkChannel(value.channel) ||
    !isWorkStatus(value.status)
  ) {
    return null;
  }
  return {
    id: value.id,
    channel: value.channel,
    queue: str(value.queue),
    priority: num(value.priority),
    subject: str(value.subject),
    fromAddress: strOrNull(value.fromAddress),
    customerId: strOrNull(value.customerId),
    status: value.status,
    agentId: strOrNull(value.agentId),
    createdAt: str(value.createdAt),
    offeredAt: strOrNull(value.offeredAt),
    acceptedAt: strOrNull(value.acceptedAt),
    completedAt: strOrNull(value.completedAt),
    offerExpiresAt: strOrNull(value.offerExpiresAt),
    declines: num(value.declines),
  };
}

export function parseCtiMessage(raw: string): CtiServerMessage | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(parsed) || typeof parsed.type !== 'string') return null;
  const at = str(parsed.at, new Date().toISOString());
  const data = parsed.data;
  switch (parsed.type) {
    case 'agent.state': {
      const state = parseAgentState(data);
      return state ? { type: 'agent.state', data: state, at } : null;
    }
    case 'call.offered': {
      const offered = parseCallOffered(data);
      return offered ? { type: 'call.offered', data: offered, at } : null;
    }
    case 'call.answered':
      if (!isObject(data) || typeof data.callId !== 'string') return null;
      return {
        type: 'call.answered',
        data: { callId: data.callId, answeredAt: str(data.answeredAt, at) },
        at,
      };
    case 'call.ended':
      if (!isObject(data) || typeof data.callId !== 'string') return null;
      return {
        type: 'call.ended',
        data: { callId: data.callId, disposition: str(data.disposition), endedAt: str(data.endedAt, at) },
        at,
      };
    case 'call.parties': {
      const parties = parseCallParties(data);
      return parties ? { type: 'call.parties', data: parties, at } : null;
    }
    case 'queue.metrics': {
      const metrics = parseQueueMetrics(data, at);
      return metrics ? { type: 'queue.metrics', data: metrics, at } : null;
    }
    case 'work.offered':
    case 'work.updated': {
      const item = parseWorkItem(data);
      return item ? { type: parsed.type, data: item, at } : null;
    }
    case 'error':
      return { type: 'error', data: { message: isObject(data) ? str(data.message) : '' }, at };
    default:
      return null;
  }
}
