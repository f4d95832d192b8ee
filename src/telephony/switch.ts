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
  type CallLeg,
  type CallSwitch,
  type ConferenceMemberOptions,
  type DialOptions,
  type PendingDial,
  type Recording,
  type SwitchDelegate,
} from './call-leg.ts';
import { BaseLeg, InboundLeg, OutboundLeg, type LegHost } from './switch-legs.ts';

export interface SipSwitchOptions {
  sipHost: string;
  sipPort: number;
  publicAddress: string;
  rtpPortMin: number;
  rtpPortMax: number;
  /** SIP digest secret of a user (extension), or null when unknown or disabled. */
  credentials(user: string): Promise<string | null>;
  logger: Logger;
  /** Where calls to outside numbers go (an IP-authenticated trunk peer); null: extensions only. */
  trunk?: { host: string; port: number; transport: 'udp' | 'tcp' } | null;
  /** SIP edge defences (lockout, rate limit, scanners); defaults in sip/security.ts. */
  security?: SipSecurityOptions;
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

  private trunk: SipSwitchOptions['trunk'] = null;

  private constructor(
    private readonly ua: SipUserAgent,
    private readonly media: MediaEngine,
    private readonly delegate: SwitchDelegate,
    private readonly logger: Logger,
  ) {
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
    self = new SipSwitch(ua, media, delegate, options.logger);
    const sw = self;
    sw.trunk = options.trunk ?? null;
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

  private inbound(invite: InboundInvite): void {
    const leg = new InboundLeg(this.legHost, invite);
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
      // A registered extension is called at its binding; any other number goes out by the trunk.
      const trunk = this.isRegistered(user) ? null : this.trunk;
      if (!trunk && !this.isRegistered(user)) throw new DialError('not_registered', null);
      if (trunk && !/^\+?\d{3,20}$/.test(user)) throw new DialError('not_registered', null);
      const ep = await this.media.createEndpoint();
      try {
        const offer = await this.media.offer(ep.id);
        if (cancelled) throw new DialError('cancelled', null);
        const out = this.ua.invite({
          to: trunk ? `sip:${user}@${trunk.host}:${trunk.port};transport=${trunk.transport}` : user,
          ...(trunk ? { target: { transport: trunk.transport, host: trunk.host, port: trunk.port } } : {}),
          from: {
            user: options.callerId,
            ...(options.callerName ? { displayName: options.callerName } : {}),
          },
          sdp: offer,
        });
        cancelInvite = () => out.cancel();
        out.onProgress((code) => {
          if (code === 180 || code === 183) for (const l of ringing) l();
        });
        const timer = setTimeout(() => {
          timedOut = true;
          out.cancel();
        }, options.timeoutMs);
        let call;
        try {
          call = await out.answered;
        } catch (err) {
          throw toDialError(err, timedOut);
        } finally {
          clearTimeout(timer);
        }
        if (cancelled) {
          // A 200 crossed our CANCEL (RFC 3261 §9.1): end the dialog we did not want.
          await call.dialog.bye().catch(() => undefined);
          throw new DialError('cancelled', null);
        }
        await this.media.setRemoteAnswer(ep.id, call.sdp);
        const leg = new OutboundLeg(
          this.legHost,
          out.callId,
          options.callerId,
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
    await this.ua.stop();
    await this.media.stop();
  }

  // Conference rooms: thin pass-throughs to the media engine's rooms (call control is in calls/).

  createConference(): Promise<string> {
    return this.media.createRoom();
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
