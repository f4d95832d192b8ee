import type { FieldError } from '../../api/types';
import type {
  OutboundRoute,
  OutboundRouteInput,
  Trunk,
  TrunkInput,
  TrunkTransport,
} from '../../api/trunks-api';

// Form values of the trunk and route drawers, their payloads, and where the server's field errors go.

export interface TrunkFormValues {
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  register: boolean;
  username: string;
  /** Write-only: empty when editing means "unchanged". */
  password: string;
  /** Editing only: remove the stored password. */
  clearPassword: boolean;
  domain: string;
  registerExpires: number;
  maxChannels: number | null;
  enabled: boolean;
}

export interface RouteFormValues {
  name: string;
  prefix: string;
  trunkId: string | undefined;
  priority: number;
  callerId: string;
  stripPrefix: string;
  prepend: string;
  maxChannels: number | null;
}

export const trunkLimits = {
  port: { min: 1, max: 65_535 },
  registerExpires: { min: 60, max: 86_400 },
  channels: { min: 1, max: 100_000 },
  priority: { min: 0, max: 10_000 },
} as const;

export const newTrunkValues: TrunkFormValues = {
  name: '',
  host: '',
  port: 5060,
  transport: 'udp',
  register: false,
  username: '',
  password: '',
  clearPassword: false,
  domain: '',
  registerExpires: 3600,
  maxChannels: null,
  enabled: true,
};

export function trunkFormValues(trunk: Trunk): TrunkFormValues {
  return {
    name: trunk.name,
    host: trunk.host,
    port: trunk.port,
    transport: trunk.transport,
    register: trunk.register,
    username: trunk.username ?? '',
    password: '',
    clearPassword: false,
    domain: trunk.domain ?? '',
    registerExpires: trunk.registerExpires,
    maxChannels: trunk.maxChannels,
    enabled: trunk.enabled,
  };
}

const orNull = (text: string | undefined): string | null => {
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? null : trimmed;
};

/**
 * The PUT/POST body. The password is sent only when typed (or as null to remove it): an untouched
 * field leaves the stored password as it is, and a new trunk without one has none.
 */
export function trunkPayload(values: TrunkFormValues): TrunkInput {
  const payload: TrunkInput = {
    name: values.name.trim(),
    host: values.host.trim(),
    port: values.port,
    transport: values.transport,
    register: values.register,
    username: orNull(values.username),
    domain: orNull(values.domain),
    registerExpires: values.registerExpires,
    maxChannels: values.maxChannels ?? null,
    enabled: values.enabled,
  };
  if (values.clearPassword) payload.password = null;
  else if (values.password !== '') payload.password = values.password;
  return payload;
}

export const newRouteValues: RouteFormValues = {
  name: '',
  prefix: '',
  trunkId: undefined,
  priority: 0,
  callerId: '',
  stripPrefix: '',
  prepend: '',
  maxChannels: null,
};

export function routeFormValues(route: OutboundRoute): RouteFormValues {
  return {
    name: route.name,
    prefix: route.prefix,
    trunkId: route.trunkId,
    priority: route.priority,
    callerId: route.callerId ?? '',
    stripPrefix: route.stripPrefix ?? '',
    prepend: route.prepend ?? '',
    maxChannels: route.maxChannels,
  };
}

export function routePayload(values: RouteFormValues): OutboundRouteInput {
  return {
    name: values.name.trim(),
    prefix: values.prefix.trim(),
    trunkId: values.trunkId ?? '',
    priority: values.priority,
    callerId: orNull(values.callerId),
    stripPrefix: orNull(values.stripPrefix),
    prepend: orNull(values.prepend),
    maxChannels: values.maxChannels ?? null,
  };
}

/** The number a route sends to the carrier for `e164`: strip, then prepend (as the switch does). */
export function applyDialFormat(e164: string, stripPrefix: string | null, prepend: string | null): string {
  const strip = stripPrefix ?? '';
  const rest = strip !== '' && e164.startsWith(strip) ? e164.slice(strip.length) : e164;
  return `${prepend ?? ''}${rest}`;
}

/** A sample number the route matches, to show its dial format; null for a prefix not yet in E.164. */
export function sampleNumber(prefix: string): string | null {
  const p = prefix.trim();
  if (p === '+') return '+8613812345678';
  if (!/^\+\d{1,15}$/.test(p)) return null;
  const sample = '+8613812345678';
  // E.164: at most 15 digits after the "+".
  return sample.startsWith(p) ? sample : `${p}12345678`.slice(0, 16);
}

export interface PlacedErrors<F extends string> {
  /** Errors next to an input of the form. */
  placed: { name: F; errors: string[] }[];
  /** Errors with no input of their own: shown above the form. */
  general: string[];
}

/**
 * The server names a field either as the request part and path ("body.host", from schema
 * validation) or bare ("username", from the business rules): both land on the input they name.
 */
export function placeFieldErrors<F extends string>(
  fields: FieldError[],
  inputs: readonly F[],
): PlacedErrors<F> {
  const placed = new Map<F, string[]>();
  const general: string[] = [];
  for (const { field, message } of fields) {
    const name = field.replace(/^body\./, '');
    const input = inputs.find((candidate) => candidate === name);
    if (input === undefined) {
      general.push(field ? `${field}: ${message}` : message);
      continue;
    }
    placed.set(input, [...(placed.get(input) ?? []), message]);
  }
  return { placed: [...placed.entries()].map(([name, errors]) => ({ name, errors })), general };
}

export const trunkInputs = [
  'name',
  'host',
  'port',
  'transport',
  'register',
  'username',
  'password',
  'domain',
  'registerExpires',
  'maxChannels',
  'enabled',
] as const satisfies readonly (keyof TrunkFormValues)[];

export const routeInputs = [
  'name',
  'prefix',
  'trunkId',
  'priority',
  'callerId',
  'stripPrefix',
  'prepend',
  'maxChannels',
] as const satisfies readonly (keyof RouteFormValues)[];
