/**
 * The B2BUA (DESIGN §1 telephony/): every call is two or more legs, each a SIP dialog of its own
 * with its own media endpoint in the media worker; the switch bridges, plays and records between
 * endpoints and never lets one leg's SIP reach the other. `calls/` drives it through CallSwitch.
 */
import type { Logger } from '../shared/index.ts';
import { maskPhone } from '../crm/phones/phone-number.ts';
import { MediaEngine, type MediaEvent, type RoomMemberOptions } from './media/index.ts';
import { SipCallError, SipUserAgent, type InboundInvite, type SipSecurityOptions } from './sip/index.ts';
import {
  DialError,
  type AudioTapEvent,
  type CallLeg,
  type CallSwitch,
  type ConferenceMemberOptions,
  type DialOptions,
  type PendingDial,
  type Recording,
  type SwitchDelegate,
} from './call-leg.ts';
import { BaseLeg, InboundLeg, mediaOf, OutboundLeg, type LegHost } from './switch-legs.ts';
import { TrunkPeers } from './trunk-peers.ts';
import {
  ENV_TRUNK_ID,
  OutboundRouter,
  type OutboundRouteConfig,
  type RouteChoice,
  type TrunkConfig,
} from './outbound-routing.ts';
import {
  TrunkRegistrations,
  type RegistrationStatus,
  type RegistrationTimers,
} from './trunk-registration.ts';

/** CC-15: one trunk as the monitor shows it. */
export interface TrunkMonitorRow {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  register: boolean;
  enabled: boolean;
  /** Registering trunks: the carrier holds our binding now. IP-authenticated trunks: false. */
  registered: boolean;
  lastError: string | null;
  expiresAt: Date | null;
  lastRegisteredAt: Date | null;
  channelsInUse: number;
  maxChannels: number | null;
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

export interface SipSwitchOptions {
  sipHost: string;
  sipPort: number;
  publicAddress: string;
  rtpPortMin: number;
  rtpPortMax: number;
  /**
   * Media worker threads (RTP, mixing, recording), each with its slice of the RTP port range.
   * Default `'auto'`: one per core, at most 4. A call's legs share one worker (DialOptions.near).
   */
  mediaWorkers?: number | 'auto';
  /** SIP digest secret of a user (extension), or null when unknown or disabled. */
  credentials(user: string): Promise<string | null>;
  logger: Logger;
  /**
   * The built-in IP-authenticated trunk from SIP_TRUNK ("env"): carries outside calls that no
   * stored outbound route matches (see setTrunks); null: only stored routes.
   */
  trunk?: { host: string; port: number; transport: 'udp' | 'tcp' } | null;
  /** E.164 form of a dialled number for route prefixes (null: not a phone number); default: as dialled if it starts with "+". */
  normalizeNumber?: (number: string) => string | null;
  /** Time for trunk registration refreshes and retries (tests). */
  registrationTimers?: RegistrationTimers;
  /** SIP edge defences (lockout, rate limit, scanners); defaults in sip/security.ts. */
  security?: SipSecurityOptions;
  /** Extra transports: SIP over WebSocket, and TLS / secure WebSocket with a certificate. */
  sipWsPort?: number | null;
  sipWssPort?: number | null;
  sipTlsPort?: number | null;
  sipTlsCredentials?: { cert: Buffer; key: Buffer } | null;
}

export class SipSwitch implements CallSwitch {
  private readonly legsByEndpoint = new Map<string, BaseLeg>();
  private readonly plays = new Map<string, (r: 'finished' | 'stopped') => void>();
  private readonly earlyDone = new Map<string, 'finished' | 'stopped'>();
  private readonly recordings = new Map<
    string,
    { done: Promise<Recording>; resolve: (r: Recording) => void }
  >();
  private up = false;
  private readonly legHost: LegHost;

  private readonly router: OutboundRouter;
  private readonly registrations: TrunkRegistrations;
  private readonly normalize: (number: string) => string | null;
  /** User parts our registering trunks registered as: an INVITE to one of them came from that carrier. */
  private trunkUsers = new Set<string>();
  private readonly trunkPeers: TrunkPeers;

  private constructor(
    private readonly ua: SipUserAgent,
    private readonly media: MediaEngine,
    private readonly delegate: SwitchDelegate,
    private readonly logger: Logger,
    options: SipSwitchOptions,
  ) {
    this.router = new OutboundRouter(options.trunk ?? null);
    this.normalize = options.normalizeNumber ?? ((n) => (/^\+\d+$/.test(n) ? n : null));
    this.registrations = new TrunkRegistrations({
      register: (params) => this.ua.register(params),
      logger: logger.child({ mod: 'trunk' }),
      ...(options.registrationTimers ? { timers: options.registrationTimers } : {}),
    });
    // Trunks named by host name are exempt from the rate limit at the addresses the name resolves to.
    this.trunkPeers = new TrunkPeers((addresses) => ua.security.setTrunkPeers(addresses));
    this.legHost = {
      media,
      logger,
      released: (leg) => this.release(leg),
      play: (leg, files, loop) => this.play(leg, files, loop),
    };
  }

  static async start(options: SipSwitchOptions, delegate: SwitchDelegate): Promise<SipSwitch> {
    const media = await MediaEngine.start({
      bindAddress: options.sipHost === '0.0.0.0' ? '0.0.0.0' : options.publicAddress,
      advertiseAddress: options.publicAddress,
      portMin: options.rtpPortMin,
      portMax: options.rtpPortMax,
      workers: options.mediaWorkers ?? 'auto',
      logger: options.logger.child({ mod: 'media' }),
    });
    let self: SipSwitch | null = null;
    const ua = new SipUserAgent(
      {
        host: options.sipHost,
        port: options.sipPort,
        udp: true,
        tcp: true,
        domain: options.publicAddress,
        publicAddress: options.publicAddress,
        credentials: (user: string) => options.credentials(user),
        logger: options.logger.child({ mod: 'sip' }),
        userAgentName: 'Switchyard',
        ...(options.sipWsPort ? { ws: { port: options.sipWsPort } } : {}),
        ...(options.sipTlsPort
          ? { tls: { port: options.sipTlsPort, ...(options.sipTlsCredentials ?? {}) } }
          : {}),
        ...(options.sipWssPort
          ? { wss: { port: options.sipWssPort, ...(options.sipTlsCredentials ?? {}) } }
          : {}),
        security: {
          ...options.security,
          // The trunk peer carries every outside call: it is never rate limited (lockout still applies).
          rateLimitExempt: [
            ...(options.security?.rateLimitExempt ?? []),
            ...(options.trunk ? [options.trunk.host] : []),
          ],
        },
      },
      { onInvite: (invite) => self?.inbound(invite) },
    );
    self = new SipSwitch(ua, media, delegate, options.logger, options);
    const sw = self;
    media.onEvent((e) => sw.onMediaEvent(e));
    ua.onRegistrationChange((user, bindings) => delegate.onRegistrationChange(user, bindings.length > 0));
    try {
      await ua.start();
    } catch (err) {
      await media.stop();
      throw err;
    }
    sw.up = true;
    return sw;
  }

  get listening(): boolean {
    return this.up;
  }

  get port(): number {
    return this.ua.port;
  }

  isRegistered(user: string): boolean {
    return this.ua.registrar.lookup(user).length > 0;
  }

  /**
   * Stored trunks and outbound routes, at start and after every change (no restart): routing uses
   * them from the next dial; registrations start, restart or unregister to match.
   */
  setTrunks(trunks: readonly TrunkConfig[], routes: readonly OutboundRouteConfig[]): void {
    this.router.configure(trunks, routes);
    this.registrations.sync(trunks);
    this.trunkUsers = new Set(
      trunks.filter((t) => t.enabled && t.register && t.username).map((t) => t.username as string),
    );
    void this.trunkPeers.set(this.router.allTrunks().map((t) => t.host));
  }

  /** CC-15: registration and channels per trunk (the env trunk last), channels per route. */
  trunkMonitor(): { trunks: TrunkMonitorRow[]; routes: RouteMonitorRow[] } {
    const unregistered: RegistrationStatus = {
      registered: false,
      lastError: null,
      expiresAt: null,
      lastRegisteredAt: null,
    };
    const trunks = this.router.allTrunks().map((t) => {
      const use = this.router.trunkUsage(t.id);
      return {
        id: t.id,
        name: t.name,
        host: t.host,
        port: t.port,
        transport: t.transport,
        register: t.register,
        enabled: t.enabled,
        ...(this.registrations.status(t.id) ?? unregistered),
        channelsInUse: use.channelsInUse,
        maxChannels: use.maxChannels,
        refused: use.refused,
      };
    });
    return { trunks, routes: this.router.routeUsage() };
  }

  /**
   * DNIS of an inbound call: the Request-URI user (our DID), except when a registering carrier
   * sends to the user we registered as and puts the DID only in To: then the To user is the DNIS.
   */
  private dnisOf(invite: InboundInvite): string | undefined {
    const ruri = invite.requestUser;
    if (ruri === undefined || !this.trunkUsers.has(ruri) || this.isRegistered(ruri)) return undefined;
    const to = invite.to.user;
    return to && to !== ruri ? to : undefined;
  }

  private inbound(invite: InboundInvite): void {
    const leg = new InboundLeg(this.legHost, invite, this.dnisOf(invite));
    this.logger.info({ call: leg.callId, from: maskPhone(leg.fromUser), to: leg.toUser }, 'inbound call');
    try {
      this.delegate.onInboundCall(leg);
    } catch (err) {
      this.logger.error({ err }, 'inbound call handler failed');
      void leg.reject(500, 'Server Internal Error');
    }
  }

  dial(user: string, options: DialOptions): PendingDial {
    const ringing: (() => void)[] = [];
    let cancelled = false;
    let timedOut = false;
    let cancelInvite: () => void = () => undefined;
    const answered = (async (): Promise<CallLeg> => {
      // A registered extension is called at its binding; any other number goes out by a trunk.
      let via: RouteChoice | null = null;
      if (!this.isRegistered(user)) {
        if (!/^\+?\d{3,20}$/.test(user)) throw new DialError('not_registered', null);
        const decision = this.router.acquire(user, this.normalize(user), options.callerId);
        if (decision.kind === 'unroutable') throw new DialError('not_registered', null);
        if (decision.kind === 'busy') {
          this.logger.warn(
            { to: maskPhone(user), reason: decision.reason },
            'outbound call refused: trunk busy',
          );
          throw new DialError('busy', 503);
        }
        via = decision.choice;
        this.logger.info(
          { to: maskPhone(user), trunk: via.trunk.name, route: via.route.name },
          'outbound call routed',
        );
      }
      try {
        const leg = await this.place(user, via, options, ringing, {
          cancelled: () => cancelled,
          timedOut: () => timedOut,
          onTimeout: () => (timedOut = true),
          setCancel: (c) => (cancelInvite = c),
        });
        if (via) {
          const release = via.release;
          leg.onEnded(() => release());
        }
        return leg;
      } catch (err) {
        via?.release();
        throw err;
      }
    })();
    return {
      answered,
      onRinging: (l) => void ringing.push(l),
      cancel: () => {
        cancelled = true;
        cancelInvite();
      },
    };
  }

  /** One INVITE: to an extension's binding (`via` null) or through the chosen trunk route. */
  private async place(
    user: string,
    via: RouteChoice | null,
    options: DialOptions,
    ringing: (() => void)[],
    flags: {
      cancelled(): boolean;
      timedOut(): boolean;
      onTimeout(): void;
      setCancel(cancel: () => void): void;
    },
  ): Promise<CallLeg> {
    const trunk = via?.trunk ?? null;
    const callerId = via?.callerId ?? options.callerId;
    const ep = await this.media.createEndpoint({ near: mediaOf(options.near) });
    try {
      const offer = await this.media.offer(ep.id);
      if (flags.cancelled()) throw new DialError('cancelled', null);
      const out = this.ua.invite({
        to: trunk ? trunkUri(via!) : user,
        ...(trunk ? { target: { transport: trunk.transport, host: trunk.host, port: trunk.port } } : {}),
        from: {
          user: callerId,
          ...(options.callerName ? { displayName: options.callerName } : {}),
          // A carrier we register with expects its own domain in From; IP peers get ours, as before.
          ...(trunk?.register ? { domain: trunk.domain ?? trunk.host } : {}),
        },
        sdp: offer,
        // Carriers that register us usually challenge INVITEs too (401/407): answer with the account.
        ...(trunk?.register && trunk.username && trunk.password
          ? { credentials: { username: trunk.username, password: trunk.password } }
          : {}),
      });
      flags.setCancel(() => out.cancel());
      out.onProgress((code) => {
        if (code === 180 || code === 183) for (const l of ringing) l();
      });
      const timer = setTimeout(() => {
        flags.onTimeout();
        out.cancel();
      }, options.timeoutMs);
      let call;
      try {
        call = await out.answered;
      } catch (err) {
        throw toDialError(err, flags.timedOut());
      } finally {
        clearTimeout(timer);
      }
      if (flags.cancelled()) {
        // A 200 crossed our CANCEL (RFC 3261 §9.1): end the dialog we did not want.
        await call.dialog.bye().catch(() => undefined);
        throw new DialError('cancelled', null);
      }
      await this.media.setRemoteAnswer(ep.id, call.sdp);
      const leg = new OutboundLeg(
        this.legHost,
        out.callId,
        callerId,
        options.callerName ?? null,
        user,
        call.dialog,
        ep.id,
      );
      this.legsByEndpoint.set(ep.id, leg);
      return leg;
    } catch (err) {
      await this.media.destroyEndpoint(ep.id).catch(() => undefined);
      throw err;
    }
  }

  async bridge(a: CallLeg, b: CallLeg): Promise<void> {
    await this.media.bridge(this.endpointOf(a), this.endpointOf(b));
  }

  async startRecording(a: CallLeg, b: CallLeg, file: string): Promise<void> {
    const epA = this.endpointOf(a);
    let resolve: (r: Recording) => void = () => undefined;
    const done = new Promise<Recording>((r) => (resolve = r));
    this.recordings.set(epA, { done, resolve });
    await this.media.startRecording(epA, this.endpointOf(b), file);
  }

  async stopRecording(a: CallLeg): Promise<Recording | null> {
    const ep = (a as BaseLeg).endpointId;
    if (!ep) return null;
    const rec = this.recordings.get(ep);
    if (!rec) return null;
    // The recording may already have ended because a leg's endpoint was released.
    if (this.legsByEndpoint.has(ep)) await this.media.stopRecording(ep).catch(() => undefined);
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), 5000));
    const result = await Promise.race([rec.done, timeout]);
    this.recordings.delete(ep);
    return result;
  }

  private endpointOf(leg: CallLeg): string {
    const ep = (leg as BaseLeg).endpointId;
    if (!ep || leg.state !== 'answered') throw new Error(`leg ${leg.id} has no live media`);
    this.legsByEndpoint.set(ep, leg as BaseLeg);
    return ep;
  }

  private async play(leg: BaseLeg, files: string[], loop: boolean): Promise<'finished' | 'stopped'> {
    const ep = leg.endpointId!;
    this.legsByEndpoint.set(ep, leg);
    const { playbackId } = await this.media.play(ep, { files, loop });
    const early = this.earlyDone.get(playbackId);
    if (early) {
      this.earlyDone.delete(playbackId);
      return early;
    }
    return new Promise((resolve) => this.plays.set(playbackId, resolve));
  }

  private onMediaEvent(e: MediaEvent): void {
    switch (e.type) {
      case 'dtmf':
        this.legsByEndpoint.get(e.endpointId)?.dtmf(e.digit);
        break;
      case 'playback.done': {
        const r = e.reason === 'finished' ? 'finished' : 'stopped';
        const resolve = this.plays.get(e.playbackId);
        if (resolve) {
          this.plays.delete(e.playbackId);
          resolve(r);
        } else this.earlyDone.set(e.playbackId, r);
        break;
      }
      case 'rtp.timeout': {
        const leg = this.legsByEndpoint.get(e.endpointId);
        if (leg) {
          this.logger.warn({ leg: leg.id, call: leg.callId }, 'no RTP from the far end; ending the leg');
          void leg.hangup().then(() => leg.ended('rtp_timeout'));
        }
        break;
      }
      case 'recording.done':
        this.recordings.get(e.endpointId)?.resolve({ file: e.file, durationMs: e.durationMs });
        break;
      case 'rtp.started':
        break;
    }
  }

  private release(leg: BaseLeg): void {
    const ep = leg.endpointId;
    if (!ep) return;
    this.legsByEndpoint.delete(ep);
    // Give a pending stopRecording a moment to run first, so the CDR gets the duration.
    setTimeout(() => void this.media.destroyEndpoint(ep).catch(() => undefined), 250);
  }

  async stop(): Promise<void> {
    this.up = false;
    this.trunkPeers.stop();
    await this.registrations.stop();
    await this.ua.stop();
    await this.media.stop();
  }

  // Conference rooms: thin pass-throughs to the media engine's rooms (call control is in calls/).

  /** Media worker threads and cross-worker links, live and made so far (see media/shard-links.ts). */
  mediaWorkerInfo(): { mediaWorkers: number; mediaLinks: number; mediaLinksMade: number } {
    const info = this.media.workerInfo;
    return { mediaWorkers: info.workers, mediaLinks: info.links, mediaLinksMade: info.linksMade };
  }

  createConference(near?: CallLeg | null): Promise<string> {
    return this.media.createRoom({ near: mediaOf(near) });
  }

  async joinConference(roomId: string, leg: CallLeg, options: ConferenceMemberOptions = {}): Promise<void> {
    await this.media.joinRoom(roomId, this.endpointOf(leg), this.roomMemberOptions(options));
  }

  async updateConferenceMember(
    roomId: string,
    leg: CallLeg,
    options: ConferenceMemberOptions,
  ): Promise<void> {
    await this.media.updateMember(roomId, this.endpointOf(leg), this.roomMemberOptions(options));
  }

  async leaveConference(roomId: string, leg: CallLeg): Promise<void> {
    const ep = (leg as BaseLeg).endpointId;
    if (ep) await this.media.leaveRoom(roomId, ep);
  }

  async destroyConference(roomId: string): Promise<void> {
    await this.media.destroyRoom(roomId);
  }

  async startConferenceRecording(roomId: string, file: string): Promise<void> {
    await this.media.startRoomRecording(roomId, file);
  }

  async stopConferenceRecording(roomId: string): Promise<Recording | null> {
    const rec = await this.media.stopRoomRecording(roomId).catch(() => null);
    return rec && { file: rec.file, durationMs: rec.durationMs };
  }

  /** Legs → endpoint ids; a leg without media (ended) is simply not heard. */
  private roomMemberOptions(options: ConferenceMemberOptions): RoomMemberOptions {
    const { hears, speaks } = options;
    return {
      ...(speaks === undefined ? {} : { speaks }),
      ...(hears === undefined
        ? {}
        : { hears: hears === 'all' ? 'all' : hears.flatMap((l) => (l as BaseLeg).endpointId ?? []) }),
    };
  }

  // DTMF towards a leg: a thin pass-through to the media engine (RFC 4733 on the leg's stream).

  async sendDtmf(leg: CallLeg, digits: string): Promise<void> {
    await this.media.sendDtmf(this.endpointOf(leg), digits);
  }

  /** Real-time listening (CC-11): 8 kHz mono PCM of what a listen-only member of the room hears. */
  async startConferenceTap(
    roomId: string,
    listener: (event: AudioTapEvent) => void,
  ): Promise<() => Promise<void>> {
    const tapId = await this.media.startTap({ roomId }, { frameMs: 100 });
    const unsubscribe = this.media.onTap(tapId, (e) =>
      listener(e.type === 'tap.audio' ? { type: 'audio', pcm: e.pcm } : { type: 'ended' }),
    );
    return async () => {
      unsubscribe();
      await this.media.stopTap(tapId).catch(() => undefined);
    };
  }

  /** IVR-04: the caller's own audio (an endpoint tap), e.g. for speech recognition in an asr node. */
  async startLegTap(leg: CallLeg, listener: (event: AudioTapEvent) => void): Promise<() => Promise<void>> {
    const tapId = await this.media.startTap({ endpointId: this.endpointOf(leg) }, { frameMs: 100 });
    const unsubscribe = this.media.onTap(tapId, (e) =>
      listener(e.type === 'tap.audio' ? { type: 'audio', pcm: e.pcm } : { type: 'ended' }),
    );
    return async () => {
      unsubscribe();
      await this.media.stopTap(tapId).catch(() => undefined);
    };
  }

  /** CC-10: pauses/resumes the two-party recording of `leg`'s call (silence while paused). */
  async pauseRecording(leg: CallLeg, paused: boolean): Promise<void> {
    await this.media.pauseRecording(this.endpointOf(leg), paused);
  }
}

/**
 * Request-URI towards a trunk. The env trunk keeps its historic form (the number at host:port);
 * a stored trunk addresses its domain, with the port when the domain is the host itself.
 */
function trunkUri(via: RouteChoice): string {
  const t = via.trunk;
  const transport = `;transport=${t.transport}`;
  if (t.id === ENV_TRUNK_ID || !t.domain || t.domain === t.host)
    return `sip:${via.dialled}@${t.host}:${t.port}${transport}`;
  return `sip:${via.dialled}@${t.domain}${transport}`;
}

function toDialError(err: unknown, timedOut: boolean): DialError {
  if (err instanceof DialError) return err;
  if (err instanceof SipCallError) {
    if (timedOut || err.code === 'timeout') return new DialError('no_answer', err.status || null);
    switch (err.code) {
      case 'cancelled':
        return new DialError('cancelled', err.status || null);
      case 'not-registered':
        return new DialError('not_registered', err.status || null);
      case 'rejected':
        return new DialError(err.status === 486 || err.status === 600 ? 'busy' : 'rejected', err.status);
      default:
        return new DialError('failed', err.status || null);
    }
  }
  return new DialError('failed', null);
}
