import { SipCallError } from './call-error.ts';
import { register, type RegisterParams, type RegisterResult } from './client-registration.ts';
import { Dialog, dialogKey, type DialogHost } from './dialog.ts';
import { DigestAuthenticator, type DigestAlgorithm } from './digest-auth.ts';
import { InboundInviteSession, type InboundInvite } from './inbound-invite.ts';
import { maskUri, silentLogger, type SipLogger } from './logger.ts';
import { callIdOf, createResponse, cseqOf, newBranch, randomToken } from './message-factory.ts';
import type { SipMessage, SipRequest, SipResponse } from './message.ts';
import { ALLOW_HEADER, KNOWN_METHODS } from './methods.ts';
import { tagOf } from './name-addr.ts';
import { FailedOutboundInvite, OutboundInviteCall, type OutboundInvite } from './outbound-invite.ts';
import { Registrar, type Binding, type CredentialsLookup } from './registrar.ts';
import { SourceGuard, type SipSecurityOptions } from './security.ts';
import {
  TransactionLayer,
  type ClientTransactionUser,
  type ServerTransaction,
  type TimerConfig,
  type TransactionCore,
} from './transaction/index.ts';
import { TcpTransport } from './transport-tcp.ts';
import { TlsTransport, type TlsCredentials } from './transport-tls.ts';
import { UdpTransport } from './transport-udp.ts';
import { WsTransport } from './transport-ws.ts';
import {
  viaTransportToken,
  type PeerAddress,
  type Transport,
  type TransportDelegate,
  type TransportOptions,
  type TransportProtocol,
  type TransportStats,
} from './transport.ts';
import { parseUri, type SipUri } from './uri.ts';

/** A SIP over WebSocket listener (RFC 7118) on its own port. */
export interface SipWsListenOptions {
  /** 0 picks a free port (see `SipUserAgent.ports`). */
  port: number;
  /** Default: the UA's `host`. */
  host?: string;
  /** Largest SIP message accepted in one WebSocket message; default 64 KiB. */
  maxMessageBytes?: number;
  /** Default 1024. */
  maxConnections?: number;
  /** Default 100: an office of browser phones behind one NAT address shares this. */
  maxConnectionsPerIp?: number;
  /** WebSocket ping interval; a peer that misses one is dropped. Default 30 s, 0 off. */
  pingIntervalMs?: number;
}

/** A listener that needs a certificate: not started unless both `cert` and `key` are given. */
export type SipSecureListenOptions<T> = T & Partial<TlsCredentials>;

/** SIP over TLS (RFC 3261 §26) on its own port, and the client side of TLS connections we open. */
export interface SipTlsListenOptions {
  port: number;
  host?: string;
  /** Trust anchors for TLS connections we open (default: Node's CA list). */
  ca?: string | Buffer | (string | Buffer)[];
  /** Verify server certificates on TLS connections we open; default true. */
  rejectUnauthorized?: boolean;
  maxConnections?: number;
  /** Default 100. */
  maxConnectionsPerIp?: number;
  idleTimeoutMs?: number;
}

export interface SipUserAgentOptions {
  host: string;
  /** 0 picks a free port, the same number for UDP and TCP. */
  port: number;
  udp?: boolean;
  tcp?: boolean;
  /** SIP domain of our AORs and the digest realm. */
  domain: string;
  /** Address written into Via and Contact; defaults to `host` (or 127.0.0.1 for a wildcard host). */
  publicAddress?: string;
  credentials: CredentialsLookup;
  logger?: SipLogger;
  timers?: Partial<TimerConfig>;
  registrar?: { minExpires?: number; maxExpires?: number; defaultExpires?: number; sweepIntervalMs?: number };
  /** Challenges offered, in order of preference; default MD5 only (see the constructor). */
  digestAlgorithms?: DigestAlgorithm[];
  nonceSecret?: Buffer;
  /** Symmetric response routing for UDP requests without rport (default true, see TransportOptions). */
  forceRport?: boolean;
  tcpIdleTimeoutMs?: number;
  maxTcpConnections?: number;
  userAgentName?: string;
  /** Lockout after failed authentication, request-rate limit, scanner blocking, nonce lifetime. */
  security?: SipSecurityOptions;
  /** SIP over WebSocket (RFC 7118, Via `WS`); not started when absent. */
  ws?: SipWsListenOptions;
  /** SIP over secure WebSocket (Via `WSS`); not started without `cert` and `key` (PEM). */
  wss?: SipSecureListenOptions<SipWsListenOptions>;
  /** SIP over TLS (Via `TLS`, stream framing like TCP); not started without `cert` and `key` (PEM). */
  tls?: SipSecureListenOptions<SipTlsListenOptions>;
}

export interface SipUserAgentDelegate {
  /** A new INVITE outside any dialog. If it is neither answered nor rejected it times out at the caller. */
  onInvite(invite: InboundInvite): void;
}

export interface OutboundCallRequest {
  /** A registered user (extension) or a full SIP URI. */
  to: string;
  /** Where to send; default: the flow of the user's most recent registration. */
  target?: PeerAddress;
  /** `domain` of the From URI; default our domain (a registering trunk wants its own). */
  from: { user: string; displayName?: string; domain?: string };
  sdp: string;
  headers?: [string, string][];
  /** Answer a 401/407 to this INVITE with digest (a trunk's carrier account). */
  credentials?: { username: string; password: string };
}

/**
 * The UA core (RFC 3261 §8, §12-§15) the B2BUA builds on: owns transports, the transaction
 * layer, dialogs and the registrar, and handles everything the B2BUA need not see
 * (REGISTER, OPTIONS, 481/405/501/483/420 answers, CANCEL matching, in-dialog requests).
 */
export class SipUserAgent implements TransactionCore {
  readonly registrar: Registrar;
  /** Per-source lockout, rate limit and scanner checks shared by both transports and the registrar. */
  readonly security: SourceGuard;
  private readonly transports = new Map<TransportProtocol, Transport>();
  private readonly layer: TransactionLayer;
  private readonly dialogs = new Map<string, Dialog>();
  private readonly invites = new Map<ServerTransaction, InboundInviteSession>();
  private readonly registrationHandlers: ((user: string, bindings: readonly Binding[]) => void)[] = [];
  private readonly logger: SipLogger;
  private readonly dialogHost: DialogHost;
  private localPort = 0;
  private readonly listenPorts = new Map<TransportProtocol, number>();

  constructor(
    private readonly options: SipUserAgentOptions,
    private readonly delegate: SipUserAgentDelegate,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.layer = new TransactionLayer(
      {
        sender: { send: (message, target) => this.send(message, target) },
        timers: options.timers ?? {},
        logger: this.logger,
      },
      this,
    );
    this.security = new SourceGuard(options.security, Date.now, this.logger);
    const authenticator = new DigestAuthenticator({
      realm: options.domain,
      nonceTtlMs: this.security.nonceTtlMs,
      ...(options.nonceSecret === undefined ? {} : { secret: options.nonceSecret }),
      // RFC 8760 §2.4 lets the server offer SHA-256 first, but many deployed UAs (SIPp 3.6, older
      // desk phones) take the first challenge and fail on SHA-256, so MD5 is the default offer.
      algorithms: options.digestAlgorithms ?? ['MD5'],
    });
    this.registrar = new Registrar(
      {
        authenticator,
        credentials: options.credentials,
        logger: this.logger,
        guard: this.security,
        ...options.registrar,
      },
      { onBindingChange: (user, bindings) => this.emitRegistration(user, bindings) },
    );
    this.dialogHost = {
      timers: this.layer.timers,
      logger: this.logger,
      via: (target) => this.via(target),
      contact: (user, target) => this.contact(user, target),
      sendRequest: (request, target) => this.sendNonInvite(request, target),
      sendInvite: (request, target, user) => this.layer.sendInvite(request, target, user),
      sendStateless: (message, target) => this.layer.sendStateless(message, target),
      forget: (dialog) => {
        if (this.dialogs.get(dialog.id) === dialog) this.dialogs.delete(dialog.id);
      },
    };
  }

  /** The UDP and TCP port. */
  get port(): number {
    return this.localPort;
  }

  /** The port of every running transport (TLS, WS and WSS each have their own). */
  get ports(): Partial<Record<TransportProtocol, number>> {
    return Object.fromEntries(this.listenPorts);
  }

  get publicAddress(): string {
    const host = this.options.publicAddress ?? this.options.host;
    return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  }

  stats(): Partial<Record<TransportProtocol, Readonly<TransportStats>>> {
    const out: Partial<Record<TransportProtocol, Readonly<TransportStats>>> = {};
    for (const [protocol, transport] of this.transports) out[protocol] = transport.stats;
    return out;
  }

  get activeDialogs(): number {
    return this.dialogs.size;
  }

  async start(): Promise<void> {
    const useUdp = this.options.udp ?? true;
    const useTcp = this.options.tcp ?? true;
    const delegate: TransportDelegate = {
      onMessage: (message: SipMessage, source: PeerAddress) => this.layer.receive(message, source),
      onConnectionClosed: (source: PeerAddress) => {
        // RFC 7118 §5: a WebSocket client is reachable only over its flow; once that is gone, so is the binding.
        if ((source.transport === 'ws' || source.transport === 'wss') && source.connectionId !== undefined)
          this.registrar.dropFlow(source.connectionId);
      },
    };
    const common = {
      host: this.options.host,
      logger: this.logger,
      forceRport: this.options.forceRport ?? true,
      guard: this.security,
    };
    // With port 0 both transports must still share one number, so retry a few random picks.
    for (let attempt = 0; attempt < 10; attempt++) {
      const udp = useUdp ? new UdpTransport({ ...common, port: this.options.port }, delegate) : undefined;
      try {
        const port = udp === undefined ? this.options.port : (await udp.listen()).port;
        const tcp = useTcp
          ? new TcpTransport(
              {
                ...common,
                port,
                ...(this.options.tcpIdleTimeoutMs === undefined
                  ? {}
                  : { idleTimeoutMs: this.options.tcpIdleTimeoutMs }),
                ...(this.options.maxTcpConnections === undefined
                  ? {}
                  : { maxConnections: this.options.maxTcpConnections }),
              },
              delegate,
            )
          : undefined;
        const tcpPort = tcp === undefined ? port : (await tcp.listen()).port;
        if (udp !== undefined) this.addTransport(udp, tcpPort);
        if (tcp !== undefined) this.addTransport(tcp, tcpPort);
        this.localPort = tcpPort;
        break;
      } catch (error) {
        await udp?.close();
        if (this.options.port !== 0 || attempt === 9) throw error;
      }
    }
    try {
      await this.startSecondaryTransports(common, delegate);
    } catch (error) {
      await this.closeTransports();
      throw error;
    }
    this.registrar.start();
    this.logger.info(
      { port: this.localPort, udp: useUdp, tcp: useTcp, ports: this.ports },
      'sip: user agent listening',
    );
  }

  /** TLS, WS and WSS, each on its own port; the secure ones only with a certificate and key. */
  private async startSecondaryTransports(
    common: Omit<TransportOptions, 'port'>,
    delegate: TransportDelegate,
  ): Promise<void> {
    const { tls, ws, wss } = this.options;
    if (tls !== undefined) {
      const credentials = this.credentialsOf('tls', tls);
      if (credentials !== undefined) {
        const transport = new TlsTransport(
          {
            ...common,
            ...credentials,
            host: tls.host ?? common.host,
            port: tls.port,
            maxConnectionsPerIp: tls.maxConnectionsPerIp ?? 100,
            ...(tls.maxConnections === undefined ? {} : { maxConnections: tls.maxConnections }),
            ...(tls.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: tls.idleTimeoutMs }),
            ...(tls.ca === undefined ? {} : { ca: tls.ca }),
            ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
          },
          delegate,
        );
        this.addTransport(transport, (await transport.listen()).port);
      }
    }
    if (ws !== undefined) await this.startWebSocket(ws, undefined, common, delegate);
    const wssCredentials = wss === undefined ? undefined : this.credentialsOf('wss', wss);
    if (wss !== undefined && wssCredentials !== undefined)
      await this.startWebSocket(wss, wssCredentials, common, delegate);
  }

  private async startWebSocket(
    listen: SipWsListenOptions,
    tls: TlsCredentials | undefined,
    common: Omit<TransportOptions, 'port'>,
    delegate: TransportDelegate,
  ): Promise<void> {
    const transport = new WsTransport(
      {
        ...common,
        host: listen.host ?? common.host,
        port: listen.port,
        ...(tls === undefined ? {} : { tls }),
        ...(listen.maxMessageBytes === undefined ? {} : { maxMessageBytes: listen.maxMessageBytes }),
        ...(listen.maxConnections === undefined ? {} : { maxConnections: listen.maxConnections }),
        ...(listen.maxConnectionsPerIp === undefined
          ? {}
          : { maxConnectionsPerIp: listen.maxConnectionsPerIp }),
        ...(listen.pingIntervalMs === undefined ? {} : { pingIntervalMs: listen.pingIntervalMs }),
      },
      delegate,
    );
    this.addTransport(transport, (await transport.listen()).port);
  }

  /** Both halves, or none (the listener is then not started); one without the other is a mistake. */
  private credentialsOf(name: string, options: Partial<TlsCredentials>): TlsCredentials | undefined {
    const { cert, key } = options;
    if (cert === undefined && key === undefined) {
      this.logger.info({ transport: name }, `sip: no certificate, ${name} not started`);
      return undefined;
    }
    if (cert === undefined || key === undefined)
      throw new Error(`sip: ${name} needs both a certificate and a private key`);
    return { cert, key };
  }

  private addTransport(transport: Transport, port: number): void {
    this.transports.set(transport.protocol, transport);
    this.listenPorts.set(transport.protocol, port);
  }

  private async closeTransports(): Promise<void> {
    await Promise.all([...this.transports.values()].map((t) => t.close()));
    this.transports.clear();
    this.listenPorts.clear();
  }

  async stop(): Promise<void> {
    for (const dialog of [...this.dialogs.values()]) dialog.terminate();
    this.layer.dispose();
    this.registrar.stop();
    await this.closeTransports();
  }

  onRegistrationChange(handler: (user: string, bindings: readonly Binding[]) => void): void {
    this.registrationHandlers.push(handler);
  }

  private emitRegistration(user: string, bindings: readonly Binding[]): void {
    for (const handler of this.registrationHandlers) {
      try {
        handler(user, bindings);
      } catch (error) {
        this.logger.error({ err: String(error) }, 'sip: onRegistrationChange handler threw');
      }
    }
  }

  /** Register with another registrar (e.g. an outbound trunk), answering digest challenges. */
  register(params: RegisterParams): Promise<RegisterResult> {
    return register(this.dialogHost, params);
  }

  /** Place a call: to a registered user (via its registration flow) or to a SIP URI. */
  invite(call: OutboundCallRequest): OutboundInvite {
    const domain = this.options.domain;
    const fromUri = `sip:${call.from.user}@${call.from.domain ?? domain}`;
    let requestUri: string;
    let toAddress: string;
    let target = call.target;
    const uri = parseUri(call.to);
    if (uri !== undefined) {
      requestUri = call.to;
      toAddress = `<${call.to}>`;
      const transport = transportOf(uri);
      if (transport === 'ws' || transport === 'wss') {
        // RFC 7118 §5: a WebSocket contact (`…@xyz.invalid;transport=ws`) cannot be connected to;
        // only the flow its registration came in on reaches it.
        target ??= this.registrar.findContact(call.to)?.source;
      } else {
        target ??= { transport, host: uri.host, port: uri.port ?? (transport === 'tls' ? 5061 : 5060) };
      }
    } else {
      toAddress = `<sip:${call.to}@${domain}>`;
      const binding = this.registrar.lookup(call.to)[0];
      requestUri = binding?.contact ?? `sip:${call.to}@${domain}`;
      target ??= binding?.source;
    }
    const params = {
      requestUri,
      toAddress,
      fromUri,
      fromUser: call.from.user,
      target: target ?? { transport: 'udp' as const, host: domain, port: 5060 },
      sdp: call.sdp,
      userAgent: this.options.userAgentName ?? 'Switchyard',
      ...(call.from.displayName === undefined ? {} : { displayName: call.from.displayName }),
      ...(call.headers === undefined ? {} : { headers: call.headers }),
      ...(call.credentials === undefined ? {} : { credentials: call.credentials }),
    };
    const outbound = new OutboundInviteCall(
      {
        dialogHost: this.dialogHost,
        logger: this.logger,
        sendInvite: (request, t, user) => this.layer.sendInvite(request, t, user),
        registerDialog: (dialog) => this.registerDialog(dialog),
      },
      params,
    );
    if (target === undefined) {
      return new FailedOutboundInvite(
        outbound.request,
        new SipCallError('not-registered', 480, 'Temporarily Unavailable'),
      );
    }
    this.logger.info({ callId: outbound.callId, to: maskUri(requestUri) }, 'sip: sending INVITE');
    outbound.start();
    return outbound;
  }

  private registerDialog(dialog: Dialog): void {
    this.dialogs.set(dialog.id, dialog);
  }

  private send(message: SipMessage, target: PeerAddress): Promise<void> {
    const transport = this.transports.get(target.transport);
    if (transport === undefined) return Promise.reject(new Error(`no ${target.transport} transport`));
    return transport.send(message, target);
  }

  /** The port we listen on for `protocol` (the UDP/TCP one when that transport is not running). */
  private portOf(protocol: TransportProtocol): number {
    return this.listenPorts.get(protocol) ?? this.localPort;
  }

  /** §18.1.1 / RFC 3581: our sent-by plus a fresh branch and an empty rport. */
  private via(target: PeerAddress): string {
    return `SIP/2.0/${viaTransportToken(target.transport)} ${this.publicAddress}:${this.portOf(target.transport)};branch=${newBranch()};rport`;
  }

  /** RFC 7118 §5.2: `transport=ws` for WS and WSS alike. */
  private contact(user: string, target: PeerAddress): string {
    const transport = CONTACT_TRANSPORT[target.transport];
    return `<sip:${user}@${this.publicAddress}:${this.portOf(target.transport)}${transport}>`;
  }

  /** A non-INVITE request through a client transaction; timeouts and transport errors become 408/503 (§8.1.3.1). */
  private sendNonInvite(request: SipRequest, target: PeerAddress): Promise<SipResponse> {
    return new Promise((resolve) => {
      const synthetic = (status: number): SipResponse => createResponse(request, status);
      const user: ClientTransactionUser = {
        onResponse: (response) => {
          if (response.status >= 200) resolve(response);
        },
        onTimeout: () => resolve(synthetic(408)),
        onTransportError: () => resolve(synthetic(503)),
      };
      this.layer.sendRequest(request, target, user);
    });
  }

  // ---- TransactionCore: requests the transaction layer could not match ----

  onRequest(request: SipRequest, transaction: ServerTransaction, source: PeerAddress): void {
    const reply = (status: number, headers: [string, string][] = []): void => {
      transaction.respond(createResponse(request, status, { toTag: randomToken(6), headers }));
    };
    this.logger.debug(
      {
        method: request.method,
        callId: callIdOf(request),
        from: maskUri(request.headers.get('from')),
        src: source.host,
      },
      'sip: request',
    );
    // §16.3 step 3 applied at our edge: a request that used up its hops is not processed further.
    if (Number(request.headers.get('max-forwards') ?? '70') === 0 && request.method !== 'OPTIONS')
      return reply(483);
    const scheme = request.uri.slice(0, request.uri.indexOf(':')).toLowerCase();
    if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') return reply(416);
    // §8.2.2.3: we support no extensions, so any Require (outside CANCEL/ACK) gets 420.
    const required = request.headers.getAll('require');
    if (required.length > 0) return reply(420, [['Unsupported', required.join(', ')]]);

    const toTag = tagOf(request.headers.get('to'));
    if (toTag !== undefined) {
      // §12.2.2: a request with a To tag belongs to a dialog; none known means 481.
      const dialog = this.findDialog(request);
      if (dialog === undefined) return reply(481);
      dialog.receiveRequest(request, transaction);
      return;
    }
    switch (request.method) {
      case 'REGISTER':
        this.registrar.handle(request, source).then(
          (response) => transaction.respond(response),
          (error: unknown) => {
            this.logger.error({ err: String(error) }, 'sip: registrar failed');
            reply(500);
          },
        );
        return;
      case 'OPTIONS':
        return reply(200, [
          ['Allow', ALLOW_HEADER],
          ['Accept', 'application/sdp'],
        ]);
      case 'INVITE':
        return this.receiveInvite(request, transaction, source);
      case 'BYE':
      case 'INFO':
        return reply(481);
      case 'REFER':
        // Transfers are taken within a call's dialog only (RFC 3515 also allows them outside).
        return reply(403);
      default:
        return reply(KNOWN_METHODS.has(request.method) ? 405 : 501, [['Allow', ALLOW_HEADER]]);
    }
  }

  private receiveInvite(request: SipRequest, transaction: ServerTransaction, source: PeerAddress): void {
    // §8.2.2.2: the same request arriving on a second path (merged) gets 482.
    const fromTag = tagOf(request.headers.get('from'));
    const seq = cseqOf(request)?.seq;
    for (const pending of this.invites.values()) {
      if (
        pending.callId === callIdOf(request) &&
        pending.from.tag === fromTag &&
        cseqOf(pending.request)?.seq === seq
      ) {
        transaction.respond(createResponse(request, 482, { toTag: randomToken(6) }));
        return;
      }
    }
    const localUser = parseUri(request.uri)?.user ?? 'switchyard';
    const invite = new InboundInviteSession(
      request,
      transaction,
      source,
      {
        dialogHost: this.dialogHost,
        logger: this.logger,
        registerDialog: (dialog) => this.registerDialog(dialog),
      },
      localUser,
    );
    this.invites.set(transaction, invite);
    // Forget the pending INVITE once its transaction is done; 64*T1 covers every path to a final response.
    const forget = setTimeout(() => this.invites.delete(transaction), 64 * this.layer.timers.T1 + 1000);
    forget.unref();
    this.logger.info(
      { callId: invite.callId, from: maskUri(invite.from.uri), to: maskUri(request.uri) },
      'sip: incoming INVITE',
    );
    try {
      this.delegate.onInvite(invite);
    } catch (error) {
      this.logger.error({ err: String(error) }, 'sip: onInvite threw');
      invite.reject(500);
    }
  }

  onAck(request: SipRequest): void {
    this.findDialog(request)?.receiveAck(request);
  }

  /** §9.2: 481 when no INVITE matches; otherwise 200 to the CANCEL and 487 to the INVITE if still pending. */
  onCancel(cancel: SipRequest, transaction: ServerTransaction, invite: ServerTransaction | undefined): void {
    if (invite === undefined) {
      transaction.respond(createResponse(cancel, 481, { toTag: randomToken(6) }));
      return;
    }
    const session = this.invites.get(invite);
    const toTag = tagOf(invite.request.headers.get('to'));
    transaction.respond(createResponse(cancel, 200, { toTag: toTag ?? randomToken(6) }));
    session?.cancelled();
  }

  onStrayResponse(response: SipResponse): void {
    this.logger.debug({ status: response.status, callId: callIdOf(response) }, 'sip: stray response dropped');
  }

  private findDialog(request: SipRequest): Dialog | undefined {
    const callId = callIdOf(request);
    const toTag = tagOf(request.headers.get('to')) ?? '';
    const fromTag = tagOf(request.headers.get('from')) ?? '';
    return this.dialogs.get(dialogKey(callId, toTag, fromTag));
  }
}

const CONTACT_TRANSPORT: Readonly<Record<TransportProtocol, string>> = {
  udp: '',
  tcp: ';transport=tcp',
  tls: ';transport=tls',
  ws: ';transport=ws',
  wss: ';transport=ws',
};

/** The transport a URI asks for (§19.1.1 `transport`, §26.2.1 `sips:` means TLS); default UDP. */
function transportOf(uri: SipUri): TransportProtocol {
  const param = uri.params.get('transport')?.toLowerCase();
  if (param === 'tcp' || param === 'tls' || param === 'ws' || param === 'wss') return param;
  return uri.scheme === 'sips' ? 'tls' : 'udp';
}
