/**
 * Call legs of the B2BUA: one SIP dialog (or pending INVITE) plus one media endpoint each. The
 * inbound leg answers a caller's INVITE; the outbound leg is an answered call we placed.
 */
import type { MediaEngine } from './media/index.ts';
import { SdpNegotiationError } from './media/index.ts';
import type { Dialog, InboundInvite } from './sip/index.ts';
import { replacesInReferTo } from './sip/replaces.ts';
import type { CallLeg, LegEndReason, LegState, ReplacesTarget } from './call-leg.ts';
import type { Logger } from '../shared/index.ts';

export interface LegHost {
  media: MediaEngine;
  logger: Logger;
  /** Called once when a leg ends, after its listeners ran; releases its endpoint. */
  released(leg: BaseLeg): void;
  play(leg: BaseLeg, files: string[], loop: boolean): Promise<'finished' | 'stopped'>;
}

let legSeq = 0;

/** The media endpoint of a leg, for placing another leg's media next to it. */
export function mediaOf(leg: CallLeg | null | undefined): string | null {
  return leg instanceof BaseLeg ? leg.endpointId : null;
}

export abstract class BaseLeg implements CallLeg {
  readonly id = `leg_${(++legSeq).toString(36)}`;
  abstract readonly direction: 'inbound' | 'outbound';
  abstract readonly callId: string;
  abstract readonly fromUser: string;
  abstract readonly fromDisplayName: string | null;
  abstract readonly toUser: string;
  protected legState: LegState = 'offered';
  endpointId: string | null = null;
  private readonly dtmfListeners: ((digit: string) => void)[] = [];
  private transferListener:
    ((target: string, replaces: ReplacesTarget | null) => Promise<(() => void) | null>) | null = null;
  private readonly endListeners: ((reason: LegEndReason) => void)[] = [];

  constructor(protected readonly host: LegHost) {}

  get state(): LegState {
    return this.legState;
  }

  abstract answer(options?: { near?: CallLeg | null }): Promise<void>;
  abstract reject(status: number, reason?: string): Promise<void>;
  protected abstract sendHangup(): Promise<void>;
  /** The leg's SIP dialog once it has one. */
  protected abstract get sipDialog(): Dialog | null;

  isDialog(callId: string, localTag: string, remoteTag: string): boolean {
    const d = this.sipDialog;
    return d !== null && d.callId === callId && d.localTag === localTag && d.remoteTag === remoteTag;
  }

  play(files: string[], options: { loop?: boolean } = {}): Promise<'finished' | 'stopped'> {
    if (this.legState !== 'answered' || !this.endpointId || files.length === 0)
      return Promise.resolve('stopped');
    return this.host.play(this, files, options.loop ?? false);
  }

  async stopPlayback(): Promise<void> {
    if (this.legState !== 'answered' || !this.endpointId) return;
    await this.host.media.stopPlayback(this.endpointId).catch(() => undefined);
  }

  async hangup(): Promise<void> {
    if (this.legState === 'ended') return;
    try {
      await this.sendHangup();
    } catch (err) {
      this.host.logger.warn({ err, leg: this.id }, 'hangup signalling failed');
    }
    this.ended('local');
  }

  onDtmf(listener: (digit: string) => void): void {
    this.dtmfListeners.push(listener);
  }

  onTransferRequest(
    listener: (target: string, replaces: ReplacesTarget | null) => Promise<(() => void) | null>,
  ): void {
    this.transferListener = listener;
  }

  /**
   * REFER from the phone: the Refer-To user part, with its Replaces (an attended transfer) if any,
   * goes to the listener (none: refused; an unreadable Replaces is refused too, never made blind).
   */
  transferRequested(referTo: string): Promise<(() => void) | null> {
    const user = /^(?:sips?|tel):([^@;?>]+)/i.exec(referTo)?.[1];
    const replaces = replacesInReferTo(referTo);
    if (!this.transferListener || !user || replaces === 'malformed') return Promise.resolve(null);
    const target = replaces && { callId: replaces.callId, toTag: replaces.toTag, fromTag: replaces.fromTag };
    return this.transferListener(decodeURIComponent(user), target);
  }

  onEnded(listener: (reason: LegEndReason) => void): void {
    this.endListeners.push(listener);
  }

  dtmf(digit: string): void {
    for (const l of this.dtmfListeners) l(digit);
  }

  ended(reason: LegEndReason): void {
    if (this.legState === 'ended') return;
    this.legState = 'ended';
    for (const l of this.endListeners) {
      try {
        l(reason);
      } catch (err) {
        this.host.logger.error({ err, leg: this.id }, 'leg end listener failed');
      }
    }
    this.host.released(this);
  }
}

export class InboundLeg extends BaseLeg {
  readonly direction = 'inbound' as const;
  readonly callId: string;
  readonly fromUser: string;
  readonly fromDisplayName: string | null;
  readonly toUser: string;
  private dialog: Dialog | null = null;

  /** `dnis` overrides the dialled number taken from the Request-URI (a carrier's DID in To). */
  constructor(
    host: LegHost,
    private readonly invite: InboundInvite,
    dnis?: string,
  ) {
    super(host);
    this.callId = invite.callId;
    this.fromUser = invite.from.user ?? 'anonymous';
    this.fromDisplayName = invite.from.displayName ?? null;
    this.toUser = dnis ?? invite.requestUser ?? invite.to.user ?? '';
    invite.onCancel(() => this.ended('remote_cancel'));
  }

  async answer(options: { near?: CallLeg | null } = {}): Promise<void> {
    if (this.legState !== 'offered') throw new Error(`cannot answer a leg that is ${this.legState}`);
    const offer = this.invite.sdp;
    if (!offer) {
      // Late offer (INVITE without SDP) is not supported yet: RFC 3261 §13.2.1 lets us refuse it.
      await this.reject(488, 'SDP offer required');
      throw new Error('INVITE without SDP offer');
    }
    const ep = await this.host.media.createEndpoint({ near: mediaOf(options.near) });
    this.endpointId = ep.id;
    let answer: string;
    try {
      answer = await this.host.media.answer(ep.id, offer);
    } catch (err) {
      if (err instanceof SdpNegotiationError) await this.reject(488, 'Not Acceptable Here');
      else await this.reject(500, 'Media Error');
      throw err;
    }
    if (this.legState !== 'offered') throw new Error('caller left before the answer');
    const dialog = await this.invite.accept(answer).catch((err: unknown) => {
      this.ended('failed');
      throw err;
    });
    this.dialog = dialog;
    this.legState = 'answered';
    dialog.onBye(() => this.ended('remote_bye'));
    dialog.onReinvite((sdp) => this.host.media.answer(ep.id, sdp));
    dialog.onInfoDtmf((info) => this.dtmf(info.signal));
    dialog.onRefer((uri) => this.transferRequested(uri));
  }

  async reject(status: number, reason?: string): Promise<void> {
    if (this.legState !== 'offered' && this.legState !== 'ringing') return;
    this.invite.reject(status, reason);
    this.ended('local');
  }

  protected get sipDialog(): Dialog | null {
    return this.dialog;
  }

  protected async sendHangup(): Promise<void> {
    if (this.dialog && this.legState === 'answered') await this.dialog.bye();
    else if (this.legState === 'offered' || this.legState === 'ringing')
      this.invite.reject(480, 'Temporarily Unavailable');
  }
}

export class OutboundLeg extends BaseLeg {
  readonly direction = 'outbound' as const;

  constructor(
    host: LegHost,
    readonly callId: string,
    readonly fromUser: string,
    readonly fromDisplayName: string | null,
    readonly toUser: string,
    private readonly dialog: Dialog,
    endpointId: string,
  ) {
    super(host);
    this.endpointId = endpointId;
    this.legState = 'answered';
    dialog.onBye(() => this.ended('remote_bye'));
    dialog.onReinvite((sdp) => this.host.media.answer(endpointId, sdp));
    dialog.onInfoDtmf((info) => this.dtmf(info.signal));
    dialog.onRefer((uri) => this.transferRequested(uri));
  }

  protected get sipDialog(): Dialog | null {
    return this.dialog;
  }

  async answer(): Promise<void> {
    // An outbound leg exists only once the far end answered.
  }

  async reject(): Promise<void> {
    await this.hangup();
  }

  protected async sendHangup(): Promise<void> {
    if (this.legState === 'answered') await this.dialog.bye();
  }
}
