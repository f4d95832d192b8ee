import { request } from './http';

// SIP trunks and outbound routes (admins write; supervisors and admins read), and their live monitor.

export type TrunkTransport = 'udp' | 'tcp';

/** A trunk as the server shows it: the password never comes back, only whether one is stored. */
export interface Trunk {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  register: boolean;
  username: string | null;
  hasPassword: boolean;
  /** null: the host. */
  domain: string | null;
  registerExpires: number;
  maxChannels: number | null;
  enabled: boolean;
  createdAt: string;
}

export interface TrunkInput {
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  register: boolean;
  username: string | null;
  /** Write-only. On update: omitted keeps the stored password, null removes it. */
  password?: string | null;
  domain: string | null;
  registerExpires: number;
  maxChannels: number | null;
  enabled: boolean;
}

export interface OutboundRoute {
  id: string;
  name: string;
  /** E.164 prefix ("+86", "+8610"); "+" matches every number. */
  prefix: string;
  trunkId: string;
  /** Lower first when two routes have the same prefix. */
  priority: number;
  /** null: keep the caller ID the call asks for. */
  callerId: string | null;
  stripPrefix: string | null;
  prepend: string | null;
  maxChannels: number | null;
  createdAt: string;
}

export type OutboundRouteInput = Omit<OutboundRoute, 'id' | 'createdAt'>;

export interface TrunkMonitorRow {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  register: boolean;
  enabled: boolean;
  registered: boolean;
  lastError: string | null;
  expiresAt: string | null;
  lastRegisteredAt: string | null;
  channelsInUse: number;
  maxChannels: number | null;
  /** Outbound calls refused since start because the trunk was full. */
  refused: number;
}

export interface RouteMonitorRow {
  id: string;
  name: string;
  prefix: string;
  trunkId: string;
  channelsInUse: number;
  maxChannels: number | null;
  refused: number;
}

export interface TrunkMonitor {
  trunks: TrunkMonitorRow[];
  routes: RouteMonitorRow[];
}

export const trunksQueryKey = ['trunks'] as const;
export const outboundRoutesQueryKey = ['outbound-routes'] as const;
export const trunkMonitorQueryKey = ['monitor-trunks'] as const;

export function fetchTrunks(signal?: AbortSignal): Promise<Trunk[]> {
  return request<Trunk[]>('/api/trunks', { signal });
}

export function createTrunk(input: TrunkInput): Promise<Trunk> {
  return request<Trunk>('/api/trunks', { method: 'POST', body: input });
}

/** Full replace of the trunk's settings (see `TrunkInput.password` for the password). */
export function updateTrunk(id: string, input: TrunkInput): Promise<Trunk> {
  return request<Trunk>(`/api/trunks/${encodeURIComponent(id)}`, { method: 'PUT', body: input });
}

/** 409 while a route still uses the trunk. */
export async function deleteTrunk(id: string): Promise<void> {
  await request<unknown>(`/api/trunks/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function fetchOutboundRoutes(signal?: AbortSignal): Promise<OutboundRoute[]> {
  return request<OutboundRoute[]>('/api/outbound-routes', { signal });
}

export function createOutboundRoute(input: OutboundRouteInput): Promise<OutboundRoute> {
  return request<OutboundRoute>('/api/outbound-routes', { method: 'POST', body: input });
}

export function updateOutboundRoute(id: string, input: OutboundRouteInput): Promise<OutboundRoute> {
  return request<OutboundRoute>(`/api/outbound-routes/${encodeURIComponent(id)}`, {
    method: 'PUT',
    body: input,
  });
}

export async function deleteOutboundRoute(id: string): Promise<void> {
  await request<unknown>(`/api/outbound-routes/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Registration and channels in use per trunk and per route (CC-15). */
export function fetchTrunkMonitor(signal?: AbortSignal): Promise<TrunkMonitor> {
  return request<TrunkMonitor>('/api/monitor/trunks', { signal });
}
