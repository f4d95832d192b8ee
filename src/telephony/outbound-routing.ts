/**
 * Outbound routing (issue #4, CC-01/CC-08): which trunk carries a call to an outside number, in
 * which dial format, with which caller ID, and whether a channel is free for it.
 *
 * - Candidates are the routes whose E.164 prefix the number starts with ("+" matches every
 *   number) and whose trunk exists and is enabled, longest prefix first, then lowest priority.
 * - The first candidate with a free channel on both the route and its trunk wins; when routes
 *   match but all are full the call is refused as busy (503) without sending anything.
 * - The built-in "env" trunk (SIP_TRUNK) carries a call only when no stored route matches; it
 *   sends the number exactly as asked and keeps the caller ID, as before trunks were data.
 *
 * Channels are counted from the moment a route is chosen (before the INVITE) until the leg ends,
 * so two calls dialled at the same instant cannot both take the last channel. Pure: no I/O.
 */

export type TrunkTransport = 'udp' | 'tcp';

/** A SIP trunk as the switch needs it (the `trunks` table, or the env trunk). */
export interface TrunkConfig {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  /** REGISTER with the carrier (digest: username/password) instead of IP authentication. */
  register: boolean;
  username: string | null;
  password: string | null;
  /** Domain of the registration AOR and of Request-URIs; null: the host. */
  domain: string | null;
  registerExpires: number;
  /** Simultaneous outbound calls; null: unlimited. */
  maxChannels: number | null;
  enabled: boolean;
}

export interface OutboundRouteConfig {
  id: string;
  name: string;
  /** E.164 prefix such as "+86" or "+8610"; "+" matches every number. */
  prefix: string;
  trunkId: string;
  /** Lower first when prefixes tie. */
  priority: number;
  /** Null: keep the caller ID the call asks for; otherwise always this number. */
  callerId: string | null;
  /** Dial format: removed from the front of the E.164 number when present… */
  stripPrefix: string | null;
  /** …then this is put in front (e.g. strip "+86", prepend "0"). */
  prepend: string | null;
  maxChannels: number | null;
}

/** The route taken for one call; `release()` frees its channel (idempotent). */
export interface RouteChoice {
  trunk: TrunkConfig;
  route: OutboundRouteConfig;
  /** User part sent to the carrier, dial format applied. */
  dialled: string;
  callerId: string;
  release(): void;
}

export type RouteDecision =
  | { kind: 'routed'; choice: RouteChoice }
  /** No stored route matches and there is no env trunk. */
  | { kind: 'unroutable' }
  /** Routes match but every one (or its trunk) is at its channel limit. */
  | { kind: 'busy'; reason: string };

export interface ChannelUsage {
  id: string;
  channelsInUse: number;
  maxChannels: number | null;
  /** Calls refused since start because this trunk or route was full. */
  refused: number;
}

/** Id and name of the built-in trunk and catch-all route made from SIP_TRUNK. */
export const ENV_TRUNK_ID = 'env';

/** E.164 `number` in the carrier's dial format: strip, then prepend. */
export function applyDialFormat(
  number: string,
  format: Pick<OutboundRouteConfig, 'stripPrefix' | 'prepend'>,
): string {
  const strip = format.stripPrefix ?? '';
  const rest = strip !== '' && number.startsWith(strip) ? number.slice(strip.length) : number;
  return `${format.prepend ?? ''}${rest}`;
}

/** Routes for `e164`, best first: longest prefix, then lowest priority, then name (stable). */
export function candidateRoutes(
  routes: readonly OutboundRouteConfig[],
  trunks: ReadonlyMap<string, TrunkConfig>,
  e164: string,
): OutboundRouteConfig[] {
  return routes
    .filter((r) => e164.startsWith(r.prefix) && trunks.get(r.trunkId)?.enabled === true)
    .sort(
      (a, b) =>
        b.prefix.length - a.prefix.length ||
        a.priority - b.priority ||
        a.name.localeCompare(b.name) ||
        a.id.localeCompare(b.id),
    );
}

export class OutboundRouter {
  private trunks = new Map<string, TrunkConfig>();
  private routes: OutboundRouteConfig[] = [];
  private readonly envTrunk: TrunkConfig | null;
  private readonly envRoute: OutboundRouteConfig | null;
  private readonly trunkUse = new Map<string, number>();
  private readonly routeUse = new Map<string, number>();
  private readonly trunkRefused = new Map<string, number>();
  private readonly routeRefused = new Map<string, number>();

  constructor(env: { host: string; port: number; transport: TrunkTransport } | null = null) {
    this.envTrunk = env && {
      id: ENV_TRUNK_ID,
      name: ENV_TRUNK_ID,
      host: env.host,
      port: env.port,
      transport: env.transport,
      register: false,
      username: null,
      password: null,
      domain: null,
      registerExpires: 3600,
      maxChannels: null,
      enabled: true,
    };
    this.envRoute = env && {
      id: ENV_TRUNK_ID,
      name: ENV_TRUNK_ID,
      prefix: '+',
      trunkId: ENV_TRUNK_ID,
      priority: 0,
      callerId: null,
      stripPrefix: null,
      prepend: null,
      maxChannels: null,
    };
  }

  /** Replaces the stored trunks and routes; channels in use stay counted. */
  configure(trunks: readonly TrunkConfig[], routes: readonly OutboundRouteConfig[]): void {
    this.trunks = new Map(trunks.map((t) => [t.id, t]));
    this.routes = [...routes];
  }

  get hasEnvTrunk(): boolean {
    return this.envTrunk !== null;
  }

  /** Every trunk the switch knows: the stored ones, then the env trunk. */
  allTrunks(): TrunkConfig[] {
    return [...this.trunks.values(), ...(this.envTrunk ? [this.envTrunk] : [])];
  }

  /**
   * Chooses a route for `number` and takes a channel on it. `e164` is the number in E.164 form
   * for prefix matching (null when it has none: only the env trunk can carry it).
   */
  acquire(number: string, e164: string | null, callerId: string): RouteDecision {
    const candidates = e164 === null ? [] : candidateRoutes(this.routes, this.trunks, e164);
    if (candidates.length === 0) {
      if (!this.envTrunk || !this.envRoute) return { kind: 'unroutable' };
      return { kind: 'routed', choice: this.take(this.envTrunk, this.envRoute, number, callerId) };
    }
    const full: { what: string; refused: Map<string, number>; id: string }[] = [];
    for (const route of candidates) {
      const trunk = this.trunks.get(route.trunkId)!;
      if (this.isFull(this.routeUse, route.id, route.maxChannels)) {
        full.push({
          what: `route ${route.name} (${route.maxChannels})`,
          refused: this.routeRefused,
          id: route.id,
        });
        continue;
      }
      if (this.isFull(this.trunkUse, trunk.id, trunk.maxChannels)) {
        full.push({
          what: `trunk ${trunk.name} (${trunk.maxChannels})`,
          refused: this.trunkRefused,
          id: trunk.id,
        });
        continue;
      }
      const dialled = applyDialFormat(e164!, route);
      return { kind: 'routed', choice: this.take(trunk, route, dialled, route.callerId ?? callerId) };
    }
    for (const f of full) bump(f.refused, f.id);
    return { kind: 'busy', reason: `every channel in use on ${full.map((f) => f.what).join(', ')}` };
  }

  trunkUsage(id: string): ChannelUsage {
    const trunk = id === ENV_TRUNK_ID ? this.envTrunk : this.trunks.get(id);
    return {
      id,
      channelsInUse: this.trunkUse.get(id) ?? 0,
      maxChannels: trunk?.maxChannels ?? null,
      refused: this.trunkRefused.get(id) ?? 0,
    };
  }

  /** Per route, stored routes first, then the env catch-all. */
  routeUsage(): (ChannelUsage & Pick<OutboundRouteConfig, 'name' | 'prefix' | 'trunkId'>)[] {
    return [...this.routes, ...(this.envRoute ? [this.envRoute] : [])].map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      trunkId: r.trunkId,
      channelsInUse: this.routeUse.get(r.id) ?? 0,
      maxChannels: r.maxChannels,
      refused: this.routeRefused.get(r.id) ?? 0,
    }));
  }

  private isFull(use: Map<string, number>, id: string, max: number | null): boolean {
    return max !== null && (use.get(id) ?? 0) >= max;
  }

  private take(
    trunk: TrunkConfig,
    route: OutboundRouteConfig,
    dialled: string,
    callerId: string,
  ): RouteChoice {
    bump(this.trunkUse, trunk.id);
    bump(this.routeUse, route.id);
    let released = false;
    return {
      trunk,
      route,
      dialled,
      callerId,
      release: () => {
        if (released) return;
        released = true;
        bump(this.trunkUse, trunk.id, -1);
        bump(this.routeUse, route.id, -1);
      },
    };
  }
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
