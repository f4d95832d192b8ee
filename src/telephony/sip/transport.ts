import type { SipLogger } from './logger.ts';
import { createResponse, topVia } from './message-factory.ts';
import { SipHeaders, type SipMessage, type SipRequest } from './message.ts';
import { parseMessage, type ParseError, type PartialRequest } from './parser.ts';
import type { SourceGuard } from './security.ts';
import { serializeVia, stampReceived, type Via } from './via.ts';

/**
 * The transport layer (RFC 3261 §18) seen from above: one interface for UDP, TCP, TLS and
 * WebSocket (RFC 7118) so the transaction layer never branches on the socket type, only on
 * `reliable`.
 */

export type TransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** §17.1.1.2 / §17.1.2.2: every transport but UDP is reliable, so requests are never retransmitted (no Timer A/E). */
export function isReliable(protocol: TransportProtocol): boolean {
  return protocol !== 'udp';
}

/** Transports that carry messages over a connection; responses go back over it (§18.2.2). */
export function isConnectionOriented(protocol: TransportProtocol): boolean {
  return protocol !== 'udp';
}

/** The transport token of a Via header (§20.42, RFC 7118 §5.1): UDP, TCP, TLS, WS, WSS. */
export function viaTransportToken(protocol: TransportProtocol): string {
  return protocol.toUpperCase();
}

/**
 * Where a message came from or goes to. `connectionId` pins a connection (TCP, TLS, WS): phones
 * behind NAT and WebSocket clients can only be reached over the connection they opened.
 */
export interface PeerAddress {
  transport: TransportProtocol;
  host: string;
  port: number;
  connectionId?: string;
}

export interface LocalAddress {
  host: string;
  port: number;
}

export interface TransportDelegate {
  onMessage(message: SipMessage, source: PeerAddress): void;
  onParseError?(error: ParseError, source: PeerAddress): void;
  /** A connection (TCP, TLS, WS) closed; `source` carries its `connectionId`. */
  onConnectionClosed?(source: PeerAddress): void;
}

export interface TransportStats {
  received: number;
  sent: number;
  parseErrors: number;
  /** Unparseable input dropped without an answer. */
  dropped: number;
  /** Malformed requests answered with 400/505. */
  rejected: number;
  framingErrors: number;
  connectionsRefused: number;
  /** Dropped unread because the source is locked out, or because it is a scanner. */
  blocked: number;
  /** Over the per-source request rate: answered 503 or dropped. */
  rateLimited: number;
}

export interface Transport {
  readonly protocol: TransportProtocol;
  /** §17: reliable transports skip retransmission timers and use zero wait times. */
  readonly reliable: boolean;
  readonly stats: Readonly<TransportStats>;
  listen(): Promise<LocalAddress>;
  close(): Promise<void>;
  /** Rejects when the message cannot be handed to the network (§18.4 transport error). */
  send(message: SipMessage, target: PeerAddress): Promise<void>;
  address(): LocalAddress | undefined;
}

export interface TransportOptions {
  host: string;
  port: number;
  logger?: SipLogger;
  /**
   * Treat every UDP request as if its top Via had `rport` (RFC 3581), so responses return to
   * the source port. Default true: phones behind NAT often omit rport. Set false for strict §18.2.2.
   */
  forceRport?: boolean;
  /** Lockout, rate limit and scanner checks on every received message (see security.ts). */
  guard?: SourceGuard;
}

export function emptyStats(): TransportStats {
  return {
    received: 0,
    sent: 0,
    parseErrors: 0,
    dropped: 0,
    rejected: 0,
    framingErrors: 0,
    connectionsRefused: 0,
    blocked: 0,
    rateLimited: 0,
  };
}

/**
 * Where to send a response (§18.2.2, RFC 3581 §4): back over the connection on connection
 * transports (TCP, TLS, WS, WSS); over UDP to `received` and `rport` when present, else to the
 * sent-by.
 */
export function responseTarget(via: Via | undefined, source: PeerAddress): PeerAddress {
  if (via === undefined) return { ...source };
  const received = via.params.get('received') ?? undefined;
  const rport = via.params.get('rport');
  const rportNumber = rport === null || rport === undefined ? undefined : Number(rport);
  if (isConnectionOriented(source.transport)) {
    const target: PeerAddress = { transport: source.transport, host: source.host, port: source.port };
    if (source.connectionId !== undefined) target.connectionId = source.connectionId;
    return target;
  }
  return {
    transport: 'udp',
    host: received ?? via.host,
    port: rportNumber !== undefined && Number.isInteger(rportNumber) ? rportNumber : (via.port ?? 5060),
  };
}

export interface InboundContext {
  delegate: TransportDelegate;
  stats: TransportStats;
  logger: SipLogger;
  localHost: string;
  forceRport: boolean;
  guard?: SourceGuard | undefined;
  reply(message: SipMessage, target: PeerAddress): Promise<void>;
}

/**
 * Shared receive path: drop what a locked-out source sends and limit its rate (before parsing),
 * parse, answer malformed-but-addressable requests with 400 (or 505), drop the rest, drop and
 * lock out scanners, stamp received/rport on the top Via of requests, then deliver upwards.
 * Delegate exceptions are caught here so a bug above cannot take the socket down.
 */
export function handleInbound(data: Buffer, source: PeerAddress, ctx: InboundContext): void {
  ctx.stats.received++;
  const guard = ctx.guard;
  const admission = guard?.admit(source.host) ?? 'ok';
  if (admission === 'locked') {
    ctx.stats.blocked++;
    return;
  }
  if (admission === 'limited') {
    ctx.stats.rateLimited++;
    if (guard !== undefined && guard.answerLimited(source.host)) answerOverLimit(data, source, ctx, guard);
    return;
  }
  const result = parseMessage(data);
  if (!result.ok) {
    ctx.stats.parseErrors++;
    if (result.partial !== undefined) {
      ctx.stats.rejected++;
      const response = errorResponse(result.partial, result.error, ctx, source);
      const target = responseTarget(topVia(response), source);
      ctx.reply(response, target).catch((cause: unknown) => {
        ctx.logger.debug({ err: String(cause) }, 'sip: could not send 400');
      });
    } else {
      ctx.stats.dropped++;
    }
    ctx.logger.debug(
      { code: result.error.code, from: `${source.host}:${source.port}` },
      'sip: unparseable message',
    );
    safely(ctx, () => ctx.delegate.onParseError?.(result.error, source));
    return;
  }
  const message = result.message;
  if (message.kind === 'request') {
    const scanner = guard?.scannerMatch(message.headers.get('user-agent'));
    if (guard !== undefined && scanner !== undefined) {
      // Scanners get no answer at all: silence is what makes them move on.
      ctx.stats.blocked++;
      guard.lock(source.host, 'scanner', {
        userAgent: (message.headers.get('user-agent') ?? '').slice(0, 80),
        method: message.method,
      });
      return;
    }
    const via = topVia(message);
    if (via !== undefined) {
      const force = ctx.forceRport && source.transport === 'udp';
      message.headers.replaceFirstValue(
        'Via',
        serializeVia(stampReceived(via, source.host, source.port, force)),
      );
    }
  }
  safely(ctx, () => ctx.delegate.onMessage(message, source));
}

/** 503 with Retry-After (RFC 3261 §21.5.4) to a request over the rate limit; anything else is dropped. */
function answerOverLimit(data: Buffer, source: PeerAddress, ctx: InboundContext, guard: SourceGuard): void {
  const parsed = parseMessage(data);
  if (!parsed.ok || parsed.message.kind !== 'request' || parsed.message.method === 'ACK') return;
  const response = createResponse(parsed.message, 503, {
    toTag: 'sy-rate-limited',
    headers: [['Retry-After', String(guard.retryAfterSeconds(source.host))]],
  });
  stampTopVia(response, source, ctx);
  ctx.reply(response, responseTarget(topVia(response), source)).catch((cause: unknown) => {
    ctx.logger.debug({ err: String(cause) }, 'sip: could not send 503');
  });
}

/** The request's Via was never stamped (it was not delivered), so received/rport are filled here. */
function stampTopVia(response: SipMessage, source: PeerAddress, ctx: InboundContext): void {
  const via = topVia(response);
  if (via === undefined) return;
  const force = ctx.forceRport && source.transport === 'udp';
  response.headers.replaceFirstValue(
    'Via',
    serializeVia(stampReceived(via, source.host, source.port, force)),
  );
}

function safely(ctx: InboundContext, fn: () => void): void {
  try {
    fn();
  } catch (cause) {
    ctx.logger.error({ err: cause instanceof Error ? cause.stack : String(cause) }, 'sip: handler threw');
  }
}

/** 400 with a Warning (§20.43, code 399 "miscellaneous") naming what was wrong, or 505. */
function errorResponse(
  partial: PartialRequest,
  error: ParseError,
  ctx: InboundContext,
  source: PeerAddress,
): ReturnType<typeof createResponse> {
  const request: SipRequest = {
    kind: 'request',
    method: partial.method,
    uri: partial.uri,
    headers: new SipHeaders([
      ...partial.via.map((v) => ['Via', v] as const),
      ['From', partial.from],
      ['To', partial.to],
      ['Call-ID', partial.callId],
      ['CSeq', partial.cseq],
    ]),
    body: Buffer.alloc(0),
  };
  // The message may quote the offending input (e.g. "SIP/2\x0e0"): nothing but printable text goes back.
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const text = error.message.replace(/[\x00-\x1f\x7f"\\]/g, '');
  const reason = partial.status === 505 ? undefined : `Bad Request (${text})`;
  const response = createResponse(request, partial.status, {
    toTag: 'sy-bad-request',
    headers: [['Warning', `399 ${ctx.localHost} "${text}"`]],
    ...(reason === undefined ? {} : { reason }),
  });
  stampTopVia(response, source, ctx);
  return response;
}
