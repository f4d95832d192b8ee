/**
 * Trunks and outbound routes as data (issue #4, CC-01/CC-08): the `trunks` and `outbound_routes`
 * tables, their validation, and the hand-over to the switch after every change (`onChange`), so
 * routing and carrier registration follow the administrator without a restart.
 *
 * A trunk's password is a SIP digest secret (ADR 0002): stored, used for REGISTER, and never
 * returned (views carry `hasPassword`) nor put into logs or audit details.
 */
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { normalizePrefix } from '../directory/index.ts';
import { AppError, invalid, notFound } from '../shared/index.ts';
import { newId, tables, type Db } from '../store/index.ts';
import type { OutboundRouteConfig, TrunkConfig } from '../telephony/index.ts';

const { trunks, outboundRoutes } = tables;
type TrunkRow = typeof trunks.$inferSelect;
type RouteRow = typeof outboundRoutes.$inferSelect;

const HOST = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const channels = z.number().int().min(1).max(100_000).nullable().default(null);

export const trunkInput = z.object({
  name: z.string().trim().min(1).max(60),
  host: z.string().trim().regex(HOST, 'a host name or IPv4 address'),
  port: z.number().int().min(1).max(65_535).default(5060),
  transport: z.enum(['udp', 'tcp']).default('udp'),
  /** REGISTER with the carrier (digest auth with username/password). */
  register: z.boolean().default(false),
  username: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\s@:;<>"]+$/, 'no spaces, @, :, ;, <, > or quotes')
    .nullable()
    .default(null),
  /** Write-only. On update: omitted keeps the stored password, null removes it. */
  password: z.string().min(1).max(200).nullable().optional(),
  /** Domain of the registration and of Request-URIs; null or omitted: the host. */
  domain: z.string().trim().regex(HOST, 'a domain name').nullable().default(null),
  registerExpires: z.number().int().min(60).max(86_400).default(3600),
  maxChannels: channels,
  enabled: z.boolean().default(true),
});
export type TrunkInput = z.input<typeof trunkInput>;

export const outboundRouteInput = z.object({
  name: z.string().trim().min(1).max(60),
  /** E.164 prefix ("+86", "+8610"); written forms ("010", "0086") are normalised; "+" matches all. */
  prefix: z
    .string()
    .trim()
    .regex(/^\+?\d{0,15}$/, 'digits, optionally starting with +')
    .refine((p) => p !== '', 'a prefix, or "+" for every number')
    .transform((p) => (p === '+' ? '+' : normalizePrefix(p))),
  trunkId: z.string().trim().min(1).max(40),
  /** Lower first when two routes have the same prefix. */
  priority: z.number().int().min(0).max(10_000).default(0),
  /** Null: keep the caller ID the call asks for (e.g. the service number); else always this number. */
  callerId: z
    .string()
    .trim()
    .regex(/^\+?\d{3,20}$/, 'a phone number (digits, optionally starting with +)')
    .nullable()
    .default(null),
  /** Removed from the front of the E.164 number (e.g. "+86")… */
  stripPrefix: z
    .string()
    .trim()
    .regex(/^\+?\d{0,15}$/, 'digits, optionally starting with +')
    .nullable()
    .default(null)
    .transform((p) => (p === '' ? null : p)),
  /** …then this is put in front (e.g. "0"). */
  prepend: z
    .string()
    .trim()
    .regex(/^[0-9*#+]{0,15}$/, 'digits, *, # or +')
    .nullable()
    .default(null)
    .transform((p) => (p === '' ? null : p)),
  maxChannels: channels,
});
export type OutboundRouteInput = z.input<typeof outboundRouteInput>;

export interface TrunkView {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  register: boolean;
  username: string | null;
  hasPassword: boolean;
  domain: string | null;
  registerExpires: number;
  maxChannels: number | null;
  enabled: boolean;
  createdAt: string;
}

export interface OutboundRouteView {
  id: string;
  name: string;
  prefix: string;
  trunkId: string;
  priority: number;
  callerId: string | null;
  stripPrefix: string | null;
  prepend: string | null;
  maxChannels: number | null;
  createdAt: string;
}

export type TrunksListener = (trunks: TrunkConfig[], routes: OutboundRouteConfig[]) => void;

export class TrunkStore {
  private readonly listeners: TrunksListener[] = [];
  private routeCount = 0;

  constructor(private readonly db: Db) {}

  /** Called with the full configuration by load() and after every change. */
  onChange(listener: TrunksListener): void {
    this.listeners.push(listener);
  }

  /** Whether any stored route can carry outside calls (besides SIP_TRUNK). */
  get hasRoutes(): boolean {
    return this.routeCount > 0;
  }

  /** Reads every trunk and route and hands them to the listeners (the switch). */
  async load(): Promise<void> {
    const [trunkRows, routeRows] = await Promise.all([
      this.db.select().from(trunks).orderBy(asc(trunks.createdAt), asc(trunks.id)),
      this.db.select().from(outboundRoutes).orderBy(asc(outboundRoutes.createdAt), asc(outboundRoutes.id)),
    ]);
    this.routeCount = routeRows.length;
    const config = trunkRows.map(toTrunkConfig);
    const routes = routeRows.map(toRouteConfig);
    for (const l of this.listeners) l(config, routes);
  }

  // ---- trunks ----

  async listTrunks(): Promise<TrunkView[]> {
    const rows = await this.db.select().from(trunks).orderBy(asc(trunks.name));
    return rows.map(trunkView);
  }

  async createTrunk(input: z.output<typeof trunkInput>): Promise<TrunkView> {
    const password = input.password ?? null;
    checkRegistration(input, password);
    await this.uniqueName(input.name, null);
    const [row] = await this.db
      .insert(trunks)
      .values({ id: newId('trk'), ...withoutPassword(input), password })
      .returning();
    await this.load();
    return trunkView(row!);
  }

  /** Replaces a trunk's settings; `password` omitted keeps the stored one. */
  async updateTrunk(id: string, input: z.output<typeof trunkInput>): Promise<TrunkView> {
    const existing = await this.trunkRow(id);
    const password = input.password === undefined ? existing.password : input.password;
    checkRegistration(input, password);
    await this.uniqueName(input.name, id);
    const [row] = await this.db
      .update(trunks)
      .set({ ...withoutPassword(input), password })
      .where(eq(trunks.id, id))
      .returning();
    await this.load();
    return trunkView(row!);
  }

  /** 409 while a route still sends calls to it. */
  async removeTrunk(id: string): Promise<TrunkView> {
    const existing = await this.trunkRow(id);
    const used = await this.db
      .select({ id: outboundRoutes.id, name: outboundRoutes.name })
      .from(outboundRoutes)
      .where(eq(outboundRoutes.trunkId, id));
    if (used.length > 0)
      throw new AppError(
        'conflict',
        `trunk ${existing.name} is used by route(s) ${used.map((r) => r.name).join(', ')}; delete or move them first`,
      );
    await this.db.delete(trunks).where(eq(trunks.id, id));
    await this.load();
    return trunkView(existing);
  }

  // ---- outbound routes ----

  async listRoutes(): Promise<OutboundRouteView[]> {
    const rows = await this.db
      .select()
      .from(outboundRoutes)
      .orderBy(asc(outboundRoutes.prefix), asc(outboundRoutes.priority), asc(outboundRoutes.name));
    return rows.map(routeView);
  }

  async createRoute(input: z.output<typeof outboundRouteInput>): Promise<OutboundRouteView> {
    await this.trunkExists(input.trunkId);
    const [row] = await this.db
      .insert(outboundRoutes)
      .values({ id: newId('rte'), ...input })
      .returning();
    await this.load();
    return routeView(row!);
  }

  async updateRoute(id: string, input: z.output<typeof outboundRouteInput>): Promise<OutboundRouteView> {
    await this.routeRow(id);
    await this.trunkExists(input.trunkId);
    const [row] = await this.db
      .update(outboundRoutes)
      .set(input)
      .where(eq(outboundRoutes.id, id))
      .returning();
    await this.load();
    return routeView(row!);
  }

  async removeRoute(id: string): Promise<OutboundRouteView> {
    const existing = await this.routeRow(id);
    await this.db.delete(outboundRoutes).where(eq(outboundRoutes.id, id));
    await this.load();
    return routeView(existing);
  }

  private async trunkRow(id: string): Promise<TrunkRow> {
    const [row] = await this.db.select().from(trunks).where(eq(trunks.id, id));
    if (!row) throw notFound('trunk');
    return row;
  }

  private async routeRow(id: string): Promise<RouteRow> {
    const [row] = await this.db.select().from(outboundRoutes).where(eq(outboundRoutes.id, id));
    if (!row) throw notFound('outbound route');
    return row;
  }

  private async trunkExists(id: string): Promise<void> {
    const [row] = await this.db.select({ id: trunks.id }).from(trunks).where(eq(trunks.id, id));
    if (!row) throw invalid('trunkId', `no trunk ${id}`);
  }

  private async uniqueName(name: string, self: string | null): Promise<void> {
    const [row] = await this.db.select({ id: trunks.id }).from(trunks).where(eq(trunks.name, name));
    if (row && row.id !== self) throw new AppError('conflict', `a trunk named ${name} exists (${row.id})`);
  }
}

/** A registering trunk needs a username and a password (given now or stored). */
function checkRegistration(input: z.output<typeof trunkInput>, password: string | null): void {
  if (!input.register) return;
  if (!input.username) throw invalid('username', 'required when register is true');
  if (!password) throw invalid('password', 'required when register is true');
}

function withoutPassword(input: z.output<typeof trunkInput>): Omit<z.output<typeof trunkInput>, 'password'> {
  const { password: _password, ...rest } = input;
  return rest;
}

function toTrunkConfig(r: TrunkRow): TrunkConfig {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    transport: r.transport,
    register: r.register,
    username: r.username,
    password: r.password,
    domain: r.domain,
    registerExpires: r.registerExpires,
    maxChannels: r.maxChannels,
    enabled: r.enabled,
  };
}

function toRouteConfig(r: RouteRow): OutboundRouteConfig {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    trunkId: r.trunkId,
    priority: r.priority,
    callerId: r.callerId,
    stripPrefix: r.stripPrefix,
    prepend: r.prepend,
    maxChannels: r.maxChannels,
  };
}

export function trunkView(r: TrunkRow): TrunkView {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    transport: r.transport,
    register: r.register,
    username: r.username,
    hasPassword: r.password !== null && r.password !== '',
    domain: r.domain,
    registerExpires: r.registerExpires,
    maxChannels: r.maxChannels,
    enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
  };
}

function routeView(r: RouteRow): OutboundRouteView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    trunkId: r.trunkId,
    priority: r.priority,
    callerId: r.callerId,
    stripPrefix: r.stripPrefix,
    prepend: r.prepend,
    maxChannels: r.maxChannels,
    createdAt: r.createdAt.toISOString(),
  };
}
