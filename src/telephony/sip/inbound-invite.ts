import { SipCallError } from './call-error.ts';
import { Dialog, type DialogHost } from './dialog.ts';
import { silentLogger, type SipLogger } from './logger.ts';
import { callIdOf, createResponse, cseqOf, randomToken } from './message-factory.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { ALLOW_HEADER } from './methods.ts';
import { parseNameAddr, tagOf, withoutTag } from './name-addr.ts';
import type { ServerTransaction } from './transaction/index.ts';
import type { PeerAddress } from './transport.ts';
import { decodeUser, parseUri } from './uri.ts';

/** A party as named in From or To. */
export interface PartyInfo {
  uri: string;
  displayName?: string;
  /** Percent-decoded user part of a SIP URI (an extension or phone number). */
  user?: string;
  tag?: string;
}

export type InboundInviteState = 'pending' | 'early' | 'accepted' | 'rejected' | 'cancelled' | 'failed';

/** A new INVITE outside any dialog, handed to the B2BUA (UAS side, §13.3). */
export interface InboundInvite {
  readonly request: SipRequest;
  readonly source: PeerAddress;
  readonly callId: string;
  readonly from: PartyInfo;
  readonly to: PartyInfo;
  /** User part of the Request-URI: the dialled number or extension. */
  readonly requestUser: string | undefined;
  readonly sdp: string | undefined;
  readonly state: InboundInviteState;
  /** Send 180 Ringing or 183 Session Progress (with early media SDP). */
  progress(code?: 180 | 183, sdp?: string): void;
  /** Send 200 OK with the answer; resolves on the ACK, rejects (ack-timeout) after 64*T1 without one. */
  accept(sdp: string): Promise<Dialog>;
  reject(code: number, reason?: string): void;
  /** Called once when the caller cancels (or BYEs the early dialog) before a final response. */
  onCancel(callback: () => void): void;
}

/** What the UAS side needs from the UA core. */
export interface InviteUasHost {
  readonly dialogHost: DialogHost;
  readonly logger?: SipLogger;
  registerDialog(dialog: Dialog): void;
}

export function partyOf(headerValue: string | undefined): PartyInfo {
  const nameAddr = parseNameAddr(headerValue ?? '');
  if (nameAddr === undefined) return { uri: headerValue ?? '' };
  const party: PartyInfo = { uri: nameAddr.uri };
  if (nameAddr.displayName !== undefined) party.displayName = nameAddr.displayName;
  const user = parseUri(nameAddr.uri)?.user;
  if (user !== undefined) party.user = decodeUser(user);
  const tag = nameAddr.params.get('tag');
  if (tag !== undefined && tag !== null) party.tag = tag;
  return party;
}

export class InboundInviteSession implements InboundInvite {
  readonly callId: string;
  readonly from: PartyInfo;
  readonly to: PartyInfo;
  readonly requestUser: string | undefined;
  readonly sdp: string | undefined;
  private current: InboundInviteState = 'pending';
  private readonly localTag = randomToken(6);
  private dialog: Dialog | undefined;
  private readonly cancelHandlers: (() => void)[] = [];
  private readonly logger: SipLogger;

  constructor(
    readonly request: SipRequest,
    private readonly transaction: ServerTransaction,
    readonly source: PeerAddress,
    private readonly host: InviteUasHost,
    private readonly localUser: string,
  ) {
    this.callId = callIdOf(request);
    this.from = partyOf(request.headers.get('from'));
    this.to = partyOf(request.headers.get('to'));
    const ruriUser = parseUri(request.uri)?.user;
    this.requestUser = ruriUser === undefined ? undefined : decodeUser(ruriUser);
    this.sdp = request.body.length > 0 ? request.body.toString('utf8') : undefined;
    this.logger = host.logger ?? silentLogger;
    transaction.user = {
      onTransportError: () => this.fail(),
    };
  }

  get state(): InboundInviteState {
    return this.current;
  }

  private get open(): boolean {
    return this.current === 'pending' || this.current === 'early';
  }

  private response(status: number, options: { sdp?: string; reason?: string } = {}): SipResponse {
    const headers: [string, string][] = [];
    if (status < 300) {
      headers.push(
        ['Contact', this.host.dialogHost.contact(this.localUser, this.source)],
        ['Allow', ALLOW_HEADER],
      );
    }
    if (options.sdp !== undefined) headers.push(['Content-Type', 'application/sdp']);
    return createResponse(this.request, status, {
      toTag: this.localTag,
      headers,
      ...(options.sdp === undefined ? {} : { body: options.sdp }),
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    });
  }

  /** The dialog this INVITE creates (§12.1.1): early on a tagged 1xx, confirmed on the 2xx. */
  private ensureDialog(state: 'early' | 'confirmed', localSdp: string): Dialog {
    if (this.dialog !== undefined) {
      this.dialog.localSdp = localSdp;
      if (state === 'confirmed') this.dialog.confirm();
      return this.dialog;
    }
    const request = this.request;
    const contact = parseNameAddr(request.headers.getAll('contact')[0] ?? '');
    const dialog = new Dialog(
      {
        role: 'uas',
        state,
        callId: this.callId,
        localTag: this.localTag,
        remoteTag: tagOf(request.headers.get('from')) ?? '',
        localAddress: withoutTag(request.headers.get('to') ?? ''),
        remoteAddress: withoutTag(request.headers.get('from') ?? ''),
        localUser: this.localUser,
        localSeq: Math.floor(Math.random() * 10_000) + 1,
        remoteSeq: cseqOf(request)?.seq ?? 0,
        remoteTarget: contact?.uri ?? request.uri,
        routeSet: request.headers.getAll('record-route'),
        peer: this.source,
        localSdp,
        remoteSdp: this.sdp ?? '',
      },
      this.host.dialogHost,
    );
    // §15: a caller may BYE an early dialog; the pending INVITE then gets 487 (§15.1.2).
    dialog.onBye(() => {
      if (this.open) this.cancelled();
    });
    this.dialog = dialog;
    this.host.registerDialog(dialog);
    return dialog;
  }

  progress(code: 180 | 183 = 180, sdp?: string): void {
    if (!this.open) return;
    this.current = 'early';
    this.ensureDialog('early', sdp ?? '');
    this.transaction.respond(this.response(code, sdp === undefined ? {} : { sdp }));
  }

  accept(sdp: string): Promise<Dialog> {
    if (!this.open) {
      return Promise.reject(
        new SipCallError(this.current === 'cancelled' ? 'cancelled' : 'rejected', 487, this.current),
      );
    }
    this.current = 'accepted';
    const dialog = this.ensureDialog('confirmed', sdp);
    const response = this.response(200, { sdp });
    this.transaction.respond(response);
    const accepted = new Promise<Dialog>((resolve, reject) => {
      dialog.retransmit2xx(
        response,
        this.transaction.target,
        () => resolve(dialog),
        () => reject(new SipCallError('ack-timeout', 408, 'No ACK for 2xx')),
      );
    });
    accepted.catch(() => undefined);
    return accepted;
  }

  reject(code: number, reason?: string): void {
    if (!this.open) return;
    if (code < 300 || code > 699) throw new Error(`reject(): ${code} is not a failure status`);
    this.current = 'rejected';
    this.transaction.respond(this.response(code, reason === undefined ? {} : { reason }));
    this.dialog?.terminate();
  }

  onCancel(callback: () => void): void {
    this.cancelHandlers.push(callback);
  }

  /** §9.2: CANCEL of a pending INVITE: answer it with 487 and tell the TU. */
  cancelled(): void {
    if (!this.open) return;
    this.current = 'cancelled';
    this.transaction.respond(this.response(487));
    this.dialog?.terminate();
    for (const handler of this.cancelHandlers) {
      try {
        handler();
      } catch (error) {
        this.logger.error({ callId: this.callId, err: String(error) }, 'sip: onCancel handler threw');
      }
    }
  }

  private fail(): void {
    if (this.open) this.current = 'failed';
    this.dialog?.terminate();
  }
}
