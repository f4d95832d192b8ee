import { parseParams, serializeParams, type SipParams } from './params.ts';

/** SIP and SIPS URIs (RFC 3261 §19.1): sip:user:password@host:port;uri-parameters?headers */
export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string;
  password?: string;
  host: string;
  port?: number;
  params: SipParams;
  /** Raw `?…` part without the question mark; rarely used, kept verbatim. */
  headers?: string;
}

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?\.?$/;
const IPV6_REFERENCE = /^\[[0-9A-Fa-f:.]+\]$/;
const USER_CHARS = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+$/;

export function parseUri(text: string): SipUri | undefined {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon === -1) return undefined;
  const scheme = trimmed.slice(0, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips') return undefined;
  let rest = trimmed.slice(colon + 1);

  let headers: string | undefined;
  const question = rest.indexOf('?');
  if (question !== -1) {
    headers = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }

  // The user part may contain ';' (telephone-subscriber params) but never an unescaped '@'.
  let user: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at !== -1) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const pw = userinfo.indexOf(':');
    user = pw === -1 ? userinfo : userinfo.slice(0, pw);
    password = pw === -1 ? undefined : userinfo.slice(pw + 1);
    if (user === '' || !USER_CHARS.test(user)) return undefined;
  }

  const semi = rest.indexOf(';');
  const hostport = semi === -1 ? rest : rest.slice(0, semi);
  const params = parseParams(semi === -1 ? '' : rest.slice(semi));
  if (params === undefined) return undefined;

  let host: string;
  let portText: string | undefined;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close === -1) return undefined;
    host = hostport.slice(0, close + 1);
    const after = hostport.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return undefined;
      portText = after.slice(1);
    }
    if (!IPV6_REFERENCE.test(host)) return undefined;
  } else {
    const pc = hostport.indexOf(':');
    host = pc === -1 ? hostport : hostport.slice(0, pc);
    portText = pc === -1 ? undefined : hostport.slice(pc + 1);
    if (!HOSTNAME.test(host)) return undefined;
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) return undefined;
    port = Number(portText);
    if (port < 1 || port > 65535) return undefined;
  }

  const uri: SipUri = { scheme, host, params };
  if (user !== undefined) uri.user = user;
  if (password !== undefined) uri.password = password;
  if (port !== undefined) uri.port = port;
  if (headers !== undefined) uri.headers = headers;
  return uri;
}

export function serializeUri(uri: SipUri): string {
  let out = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    out += uri.user;
    if (uri.password !== undefined) out += `:${uri.password}`;
    out += '@';
  }
  out += uri.host;
  if (uri.port !== undefined) out += `:${uri.port}`;
  out += serializeParams(uri.params);
  if (uri.headers !== undefined) out += `?${uri.headers}`;
  return out;
}

/** Percent-decoded user part, e.g. for matching a Request-URI against an extension. */
export function decodeUser(user: string): string {
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

/**
 * Key for comparing contact URIs of registrations. RFC 3261 §19.1.4 equality is
 * case-sensitive in the user part, case-insensitive in the host, and a missing port differs
 * from an explicit 5060; the transport parameter is significant.
 */
export function uriKey(uri: SipUri): string {
  const transport = uri.params.get('transport') ?? '';
  return `${uri.scheme}:${uri.user ?? ''}@${uri.host.toLowerCase()}:${uri.port ?? ''};${transport ?? ''}`;
}
