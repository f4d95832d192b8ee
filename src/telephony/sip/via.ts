import { parseParams, serializeParams, type SipParams } from './params.ts';

/** RFC 3261 §17.2.3 / §8.1.1.7: branches that start with this cookie are globally unique. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/** One via-parm (RFC 3261 §20.42): `SIP/2.0/UDP host:port;branch=…;received=…;rport=…`. */
export interface Via {
  protocol: string;
  version: string;
  /** Upper-case transport token: UDP, TCP, TLS, SCTP, WS … */
  transport: string;
  host: string;
  port?: number;
  params: SipParams;
}

const TOKEN = "[A-Za-z0-9.!%*_+`'~-]+";
const VIA_PREFIX = new RegExp(`^(${TOKEN})[ \\t]*/[ \\t]*(${TOKEN})[ \\t]*/[ \\t]*(${TOKEN})[ \\t]+`);

export function parseVia(text: string): Via | undefined {
  const value = text.trim();
  const match = VIA_PREFIX.exec(value);
  if (match === null) return undefined;
  const rest = value.slice(match[0].length);
  const semi = rest.indexOf(';');
  const sentBy = (semi === -1 ? rest : rest.slice(0, semi)).trim();
  const params = parseParams(semi === -1 ? '' : rest.slice(semi));
  if (params === undefined || sentBy === '') return undefined;
  let host: string;
  let portText: string | undefined;
  if (sentBy.startsWith('[')) {
    const close = sentBy.indexOf(']');
    if (close === -1) return undefined;
    host = sentBy.slice(0, close + 1);
    const after = sentBy.slice(close + 1).trim();
    if (after !== '') {
      if (!after.startsWith(':')) return undefined;
      portText = after.slice(1).trim();
    }
  } else {
    const colon = sentBy.indexOf(':');
    host = (colon === -1 ? sentBy : sentBy.slice(0, colon)).trim();
    portText = colon === -1 ? undefined : sentBy.slice(colon + 1).trim();
  }
  if (!/^[A-Za-z0-9._\-[\]:]+$/.test(host)) return undefined;
  const via: Via = {
    protocol: (match[1] as string).toUpperCase(),
    version: match[2] as string,
    transport: (match[3] as string).toUpperCase(),
    host,
    params,
  };
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) return undefined;
    const port = Number(portText);
    if (port < 1 || port > 65535) return undefined;
    via.port = port;
  }
  return via;
}

export function serializeVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `${via.protocol}/${via.version}/${via.transport} ${via.host}${port}${serializeParams(via.params)}`;
}

export function viaBranch(via: Via): string | undefined {
  const branch = via.params.get('branch');
  return branch === null ? undefined : branch;
}

export function isRfc3261Branch(branch: string | undefined): branch is string {
  return branch !== undefined && branch.startsWith(BRANCH_MAGIC_COOKIE);
}

/**
 * Server-side Via processing on receipt (RFC 3261 §18.2.1, RFC 3581 §4): add `received` when
 * the sent-by host differs from the packet source, and when the client asked for `rport`
 * fill it with the source port (and then always add `received`). Returns the new value.
 * `forceRport` acts as if every client asked for rport: symmetric response routing, which
 * phones behind NAT need even when they do not send rport (Asterisk's `force_rport`).
 */
export function stampReceived(via: Via, sourceHost: string, sourcePort: number, forceRport = false): Via {
  const params = new Map(via.params);
  const wantsRport = (params.has('rport') && params.get('rport') === null) || forceRport;
  if (via.host !== sourceHost || wantsRport) params.set('received', sourceHost);
  if (wantsRport) params.set('rport', String(sourcePort));
  return { ...via, params };
}
