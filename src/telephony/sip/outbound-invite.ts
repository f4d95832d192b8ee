import { SipCallError } from './call-error.ts';
import { pickChallenge } from './client-registration.ts';
import { buildAuthorization } from './digest-auth.ts';
import { Dialog, type DialogHost } from './dialog.ts';
import { silentLogger, type SipLogger } from './logger.ts';
import { randomToken } from './message-factory.ts';
import { SipHeaders, type SipRequest, type SipResponse } from './message.ts';
import { ALLOW_HEADER } from './methods.ts';
import { parseNameAddr, tagOf, withoutTag } from './name-addr.ts';
import { quote } from './params.ts';
import type { ClientTransactionUser, InviteClientTransaction } from './transaction/index.ts';
import type { PeerAddress } from './transport.ts';

export interface AnsweredCall {
  dialog: Dialog;
  /** The answer SDP from the 2xx. */
  sdp: string;
}

/** An INVITE we sent (UAC side, §13.2). */
export interface OutboundInvite {
  readonly callId: string;
  readonly request: SipRequest;
  /** 180/183 and other provisional responses above 100. */
  onProgress(callback: (code: number, response: SipResponse) => void): void;
  /** Resolves on the 2xx (after our ACK); rejects with a SipCallError on failure, timeout or cancel. */
  readonly answered: Promise<AnsweredCall>;
  /** CANCEL (§9.1); deferred until a provisional response arrived, as §9.1 requires. */
  cancel(): void;
}

export interface InviteUacHost {
  readonly dialogHost: DialogHost;
  readonly logger?: SipLogger;
  sendInvite(request: SipRequest, target: PeerAddress, user: ClientTransactionUser): InviteClientTransaction;
  registerDialog(dialog: Dialog): void;
}

export interface OutboundInviteParams {
  requestUri: string;
  /** To header value (no tag). */
  toAddress: string;
  /** From URI (no tag) and the user it belongs to. */
  fromUri: string;
  fromUser: string;
  displayName?: string;
  target: PeerAddress;
  sdp: string;
  headers?: [string, string][];
  userAgent?: string;
  /** Digest credentials for a 401/407 challenge (a carrier trunk); without them a challenge fails the call. */
  credentials?: { username: string; password: string };
}

export class OutboundInviteCall implements OutboundInvite, ClientTransactionUser {
  readonly callId = randomToken(16);
  private current: SipRequest;
  readonly answered: Promise<AnsweredCall>;
  private readonly fromTag = randomToken(6);
  /** CSeq of the INVITE in flight: 1, or 2 after answering a digest challenge (§22.2). */
  private seq = 1;
  private attempt = 0;
  private authAnswered = false;
  private settle:
    { resolve: (call: AnsweredCall) => void; reject: (error: SipCallError) => void } | undefined;
  private readonly progressHandlers: ((code: number, response: SipResponse) => void)[] = [];
  private readonly dialogs = new Map<string, Dialog>();
  private transaction: InviteClientTransaction | undefined;
  private provisionalSeen = false;
  private cancelRequested = false;
  private cancelSent = false;
  private cancelGuard: ReturnType<typeof setTimeout> | undefined;
  private readonly logger: SipLogger;

  constructor(
    private readonly host: InviteUacHost,
    private readonly params: OutboundInviteParams,
  ) {
    this.logger = host.logger ?? silentLogger;
    this.answered = new Promise<AnsweredCall>((resolve, reject) => (this.settle = { resolve, reject }));
    this.answered.catch(() => undefined); // the caller may never look; that is not an unhandled rejection
    this.current = this.buildInvite();
  }

  get request(): SipRequest {
    return this.current;
  }

  /** §8.1.1: Request-URI, To, From (with our tag), Call-ID, CSeq, Max-Forwards, Via; plus Contact (§8.1.1.8). */
  private buildInvite(authorization?: [string, string]): SipRequest {
    const p = this.params;
    const display = p.displayName === undefined ? '' : `${quote(p.displayName)} `;
    const headers = new SipHeaders([
      ['Via', this.host.dialogHost.via(p.target)],
      ['Max-Forwards', '70'],
      ['From', `${display}<${p.fromUri}>;tag=${this.fromTag}`],
      ['To', p.toAddress],
      ['Call-ID', this.callId],
      ['CSeq', `${this.seq} INVITE`],
      ['Contact', this.host.dialogHost.contact(p.fromUser, p.target)],
      ['Allow', ALLOW_HEADER],
    ]);
    if (p.userAgent !== undefined) headers.append('User-Agent', p.userAgent);
    for (const [name, value] of p.headers ?? []) headers.append(name, value);
    if (authorization !== undefined) headers.append(...authorization);
    headers.append('Content-Type', 'application/sdp');
    return {
      kind: 'request',
      method: 'INVITE',
      uri: p.requestUri,
      headers,
      body: Buffer.from(p.sdp, 'utf8'),
    };
  }

  start(): void {
    // Each INVITE (the first, and one answering a challenge) has its own transaction; only the
    // latest one speaks to us.
    const attempt = ++this.attempt;
    const latest = () => attempt === this.attempt;
    this.transaction = this.host.sendInvite(this.current, this.params.target, {
      onResponse: (response) => {
        if (latest()) this.onResponse(response);
      },
      onTimeout: () => {
        if (latest()) this.onTimeout();
      },
      onTransportError: (error) => {
        if (latest()) this.onTransportError(error);
      },
    });
  }

  /**
   * §22.2: a 401/407 is answered once with credentials: the same Call-ID, From tag and To, a
   * higher CSeq and a new branch, plus Authorization (401) or Proxy-Authorization (407).
   */
  private answerChallenge(response: SipResponse): boolean {
    const credentials = this.params.credentials;
    if (credentials === undefined || this.authAnswered || this.cancelRequested) return false;
    const challenge = pickChallenge(response);
    if (challenge === undefined) return false;
    this.authAnswered = true;
    this.seq += 1;
    const value = buildAuthorization(challenge, {
      ...credentials,
      method: 'INVITE',
      uri: this.params.requestUri,
    });
    this.current = this.buildInvite([
      response.status === 407 ? 'Proxy-Authorization' : 'Authorization',
      value,
    ]);
    this.provisionalSeen = false;
    this.cancelSent = false;
    this.start();
    return true;
  }

  onProgress(callback: (code: number, response: SipResponse) => void): void {
    this.progressHandlers.push(callback);
  }

  onResponse(response: SipResponse): void {
    const status = response.status;
    if (status < 200) {
      this.provisionalSeen = true;
      if (this.cancelRequested && !this.cancelSent) this.sendCancel();
      if (status > 100 && this.settle !== undefined) {
        for (const handler of this.progressHandlers) this.safely(() => handler(status, response));
      }
      return;
    }
    if (status < 300) {
      this.on2xx(response);
      return;
    }
    if ((status === 401 || status === 407) && this.answerChallenge(response)) return;
    const code = this.cancelRequested && status === 487 ? 'cancelled' : 'rejected';
    this.finish(new SipCallError(code, status, response.reason));
  }

  /** §13.2.2.4: every 2xx is ACKed by the core; a second dialog (forking) or a 2xx after CANCEL is ended with BYE. */
  private on2xx(response: SipResponse): void {
    const remoteTag = tagOf(response.headers.get('to')) ?? '';
    const known = this.dialogs.get(remoteTag);
    if (known !== undefined) {
      known.ack2xx(this.seq);
      return;
    }
    const contact = parseNameAddr(response.headers.getAll('contact')[0] ?? '');
    const dialog = new Dialog(
      {
        role: 'uac',
        state: 'confirmed',
        callId: this.callId,
        localTag: tagOf(this.request.headers.get('from')) ?? '',
        remoteTag,
        localAddress: withoutTag(this.request.headers.get('from') ?? ''),
        remoteAddress: withoutTag(response.headers.get('to') ?? this.params.toAddress),
        localUser: this.params.fromUser,
        localSeq: this.seq,
        remoteTarget: contact?.uri ?? this.params.requestUri,
        // §12.1.2: the UAC's route set is the response's Record-Route in reverse order.
        routeSet: response.headers.getAll('record-route').reverse(),
        peer: this.params.target,
        localSdp: this.params.sdp,
        remoteSdp: response.body.toString('utf8'),
      },
      this.host.dialogHost,
    );
    this.dialogs.set(remoteTag, dialog);
    this.host.registerDialog(dialog);
    dialog.ack2xx(this.seq);
    if (this.settle === undefined || this.cancelRequested) {
      void dialog.bye();
      this.finish(new SipCallError('cancelled', 487, 'Request Terminated'));
      return;
    }
    const settle = this.settle;
    this.settle = undefined;
    this.clearGuard();
    settle.resolve({ dialog, sdp: dialog.remoteSdp });
  }

  onTimeout(): void {
    this.finish(new SipCallError(this.cancelRequested ? 'cancelled' : 'timeout', 408, 'Request Timeout'));
  }

  onTransportError(error: Error): void {
    this.logger.warn({ callId: this.callId, err: error.message }, 'sip: INVITE transport error');
    this.finish(new SipCallError('transport', 503, 'Service Unavailable'));
  }

  cancel(): void {
    if (this.settle === undefined || this.cancelRequested) return;
    this.cancelRequested = true;
    if (this.provisionalSeen) this.sendCancel();
    // §9.1: if no final response arrives within 64*T1 of the CANCEL, give up on the INVITE.
    this.cancelGuard = setTimeout(() => {
      this.transaction?.dispose();
      this.finish(new SipCallError('cancelled', 487, 'Request Terminated'));
    }, 64 * this.host.dialogHost.timers.T1);
  }

  /** §9.1: same Request-URI, Call-ID, To, From, CSeq number and top Via (branch) as the INVITE. */
  private sendCancel(): void {
    this.cancelSent = true;
    const invite = this.request;
    const headers = new SipHeaders();
    const via = invite.headers.getAll('via')[0];
    if (via !== undefined) headers.append('Via', via);
    for (const route of invite.headers.getAll('route')) headers.append('Route', route);
    headers.append('Max-Forwards', '70');
    for (const name of ['From', 'To', 'Call-ID']) headers.append(name, invite.headers.get(name) ?? '');
    headers.append('CSeq', `${this.seq} CANCEL`);
    const cancel: SipRequest = {
      kind: 'request',
      method: 'CANCEL',
      uri: invite.uri,
      headers,
      body: Buffer.alloc(0),
    };
    void this.host.dialogHost.sendRequest(cancel, this.params.target).then((response) => {
      this.logger.debug({ callId: this.callId, status: response.status }, 'sip: CANCEL answered');
    });
  }

  private finish(error: SipCallError): void {
    this.clearGuard();
    const settle = this.settle;
    this.settle = undefined;
    settle?.reject(error);
  }

  private clearGuard(): void {
    if (this.cancelGuard !== undefined) clearTimeout(this.cancelGuard);
    this.cancelGuard = undefined;
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.error({ callId: this.callId, err: String(error) }, 'sip: onProgress handler threw');
    }
  }
}

/** An outbound call that could not even be sent (e.g. the user is not registered). */
export class FailedOutboundInvite implements OutboundInvite {
  readonly callId = randomToken(16);
  readonly answered: Promise<AnsweredCall>;

  constructor(
    readonly request: SipRequest,
    error: SipCallError,
  ) {
    this.answered = Promise.reject(error);
    this.answered.catch(() => undefined);
  }

  onProgress(): void {}

  cancel(): void {}
}
