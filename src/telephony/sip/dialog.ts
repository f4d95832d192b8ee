import { silentLogger, type SipLogger } from './logger.ts';
import { createResponse, cseqOf } from './message-factory.ts';
import { SipHeaders, type SipMessage, type SipRequest, type SipResponse } from './message.ts';
import { ALLOW_HEADER, KNOWN_METHODS } from './methods.ts';
import { parseNameAddr, withTag } from './name-addr.ts';
import type { ClientTransactionUser, ServerTransaction, TimerConfig } from './transaction/index.ts';
import type { PeerAddress } from './transport.ts';

/**
 * Dialog states (RFC 3261 §12, §13.3.1.4, §15):
 *   early      → confirmed (2xx sent or received) | terminated (non-2xx final, CANCEL, BYE)
 *   confirmed  → terminated (BYE sent or received, no ACK for our 2xx within 64*T1)
 *   terminated → (none)
 */
export type DialogState = 'early' | 'confirmed' | 'terminated';

const TRANSITIONS: Readonly<Record<DialogState, readonly DialogState[]>> = {
  early: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  terminated: [],
};

/** What a dialog needs from the UA core below it. */
export interface DialogHost {
  readonly timers: TimerConfig;
  readonly logger?: SipLogger;
  /** A new top Via value with a fresh branch for a request leaving towards `target`. */
  via(target: PeerAddress): string;
  /** Our Contact value for `user` on the transport of `target`. */
  contact(user: string, target: PeerAddress): string;
  /** Non-INVITE client transaction; resolves with the final response (408/503 synthesised on failure). */
  sendRequest(request: SipRequest, target: PeerAddress): Promise<SipResponse>;
  sendInvite(request: SipRequest, target: PeerAddress, user: ClientTransactionUser): void;
  sendStateless(message: SipMessage, target: PeerAddress): void;
  forget(dialog: Dialog): void;
}

export interface DialogInit {
  role: 'uac' | 'uas';
  state: 'early' | 'confirmed';
  callId: string;
  localTag: string;
  remoteTag: string;
  /** From/To header values without tags: ours and the peer's. */
  localAddress: string;
  remoteAddress: string;
  localUser: string;
  localSeq: number;
  remoteSeq?: number;
  remoteTarget: string;
  routeSet: string[];
  /** The flow to the peer: in-dialog requests follow it so NATed and TCP phones stay reachable. */
  peer: PeerAddress;
  localSdp?: string;
  remoteSdp?: string;
}

export interface DtmfInfo {
  signal: string;
  durationMs?: number;
}

export type ReinviteHandler = (offer: string) => string | Promise<string>;

export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}

/** A dialog (§12) plus the in-dialog behaviour of the UA core: BYE, re-INVITE, INFO, ACK. */
export class Dialog {
  readonly role: 'uac' | 'uas';
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly terminated: Promise<void>;
  localSdp: string;
  remoteSdp: string;
  private current: DialogState;
  private localSeq: number;
  private remoteSeq: number | undefined;
  private remoteTarget: string;
  private readonly init: DialogInit;
  private readonly byeHandlers: ((request: SipRequest) => void)[] = [];
  private readonly dtmfHandlers: ((dtmf: DtmfInfo) => void)[] = [];
  private referHandler: ((referTo: string) => Promise<(() => void) | null>) | undefined;
  private reinviteHandler: ReinviteHandler | undefined;
  private resolveTerminated: () => void = () => undefined;
  private retransmit:
    | {
        timer: ReturnType<typeof setTimeout>;
        deadline: ReturnType<typeof setTimeout>;
        seq: number;
        acked: () => void;
      }
    | undefined;
  private ackCache: { seq: number; ack: SipRequest } | undefined;
  private inviteInProgress = false;
  private readonly logger: SipLogger;

  constructor(
    init: DialogInit,
    private readonly host: DialogHost,
  ) {
    this.init = { ...init, routeSet: [...init.routeSet], peer: { ...init.peer } };
    this.role = init.role;
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.current = init.state;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.remoteTarget = init.remoteTarget;
    this.localSdp = init.localSdp ?? '';
    this.remoteSdp = init.remoteSdp ?? '';
    this.logger = host.logger ?? silentLogger;
    this.terminated = new Promise((resolve) => (this.resolveTerminated = resolve));
  }

  get state(): DialogState {
    return this.current;
  }

  get id(): string {
    return dialogKey(this.callId, this.localTag, this.remoteTag);
  }

  get peer(): PeerAddress {
    return { ...this.init.peer };
  }

  private transition(next: DialogState): void {
    if (!TRANSITIONS[this.current].includes(next)) {
      throw new Error(`Dialog: illegal transition ${this.current} -> ${next}`);
    }
    this.current = next;
    if (next === 'terminated') {
      this.stopRetransmitting();
      this.host.forget(this);
      this.resolveTerminated();
    }
  }

  /** Early → confirmed when the 2xx is sent (UAS) or received (UAC), §12.1. */
  confirm(): void {
    if (this.current === 'early') this.transition('confirmed');
  }

  /** End locally without signalling (shutdown, or the INVITE failed in an early dialog). */
  terminate(): void {
    if (this.current !== 'terminated') this.transition('terminated');
  }

  onBye(handler: (request: SipRequest) => void): void {
    this.byeHandlers.push(handler);
  }

  onReinvite(handler: ReinviteHandler): void {
    this.reinviteHandler = handler;
  }

  onInfoDtmf(handler: (dtmf: DtmfInfo) => void): void {
    this.dtmfHandlers.push(handler);
  }

  /**
   * REFER within the dialog (RFC 3515): the handler gets the Refer-To URI and returns what to do
   * once the transferor has been told (or null to refuse); the peer gets 202, then a NOTIFY with
   * the outcome as sipfrag, and only after its answer does the transfer go on (so the NOTIFY is
   * not overtaken by the BYE that usually follows). Without a handler REFER is declined (603).
   */
  onRefer(handler: (referTo: string) => Promise<(() => void) | null>): void {
    this.referHandler = handler;
  }

  /**
   * An in-dialog request (§12.2.1.1): Request-URI is the remote target, Route the route set,
   * CSeq one higher than the last (ACK reuses the INVITE's number, §13.2.2.4).
   */
  createRequest(
    method: string,
    options: { body?: string; contentType?: string; headers?: [string, string][]; seq?: number } = {},
  ): SipRequest {
    const seq = options.seq ?? ++this.localSeq;
    const headers = new SipHeaders([
      ['Via', this.host.via(this.init.peer)],
      ...this.init.routeSet.map((r): [string, string] => ['Route', r]),
      ['Max-Forwards', '70'],
      ['From', withTag(this.init.localAddress, this.localTag)],
      ['To', withTag(this.init.remoteAddress, this.remoteTag)],
      ['Call-ID', this.callId],
      ['CSeq', `${seq} ${method}`],
    ]);
    if (method === 'INVITE')
      headers.append('Contact', this.host.contact(this.init.localUser, this.init.peer));
    if (method === 'INVITE' || method === 'BYE') headers.append('Allow', ALLOW_HEADER);
    for (const [name, value] of options.headers ?? []) headers.append(name, value);
    if (options.body !== undefined && options.body !== '')
      headers.append('Content-Type', options.contentType ?? 'application/sdp');
    return {
      kind: 'request',
      method,
      uri: this.remoteTarget,
      headers,
      body: Buffer.from(options.body ?? '', 'utf8'),
    };
  }

  /**
   * §15: the caller may BYE confirmed or early dialogs; the callee MUST NOT BYE an early one.
   * The session is over as soon as the BYE is sent (§15.1.1), so the state changes first.
   */
  async bye(): Promise<void> {
    if (this.current === 'terminated') return;
    if (this.current === 'early' && this.role === 'uas') {
      this.terminate();
      return;
    }
    const request = this.createRequest('BYE');
    this.transition('terminated');
    const response = await this.host.sendRequest(request, this.init.peer);
    this.logger.debug({ callId: this.callId, status: response.status }, 'sip: BYE answered');
  }

  /** INFO within the dialog (e.g. `application/dtmf-relay`); resolves with the final response. */
  info(body: string, contentType: string): Promise<SipResponse> {
    if (this.current === 'terminated') return Promise.reject(new Error('dialog terminated'));
    return this.host.sendRequest(this.createRequest('INFO', { body, contentType }), this.init.peer);
  }

  /** Send a re-INVITE (e.g. hold) and resolve with the answer SDP (§14.1). */
  reinvite(sdp: string): Promise<string> {
    if (this.current !== 'confirmed') return Promise.reject(new Error('dialog not confirmed'));
    if (this.inviteInProgress) return Promise.reject(new Error('re-INVITE already in progress (§14.1)'));
    this.inviteInProgress = true;
    const request = this.createRequest('INVITE', { body: sdp });
    const seq = this.localSeq;
    return new Promise<string>((resolve, reject) => {
      const done = (error: Error | undefined, answer = ''): void => {
        this.inviteInProgress = false;
        if (error === undefined) resolve(answer);
        else reject(error);
      };
      this.host.sendInvite(request, this.init.peer, {
        onResponse: (response) => {
          if (response.status < 200) return;
          if (response.status >= 300) {
            done(new Error(`re-INVITE rejected: ${response.status}`));
            return;
          }
          this.ack2xx(seq);
          if (this.inviteInProgress) {
            this.localSdp = sdp;
            this.remoteSdp = response.body.toString('utf8');
            done(undefined, this.remoteSdp);
          }
        },
        onTimeout: () => done(new Error('re-INVITE timed out')),
        onTransportError: (error) => done(error),
      });
    });
  }

  /** §13.2.2.4: the UAC core ACKs every 2xx (retransmissions too) outside any transaction. */
  ack2xx(seq: number): void {
    if (this.ackCache?.seq !== seq) this.ackCache = { seq, ack: this.createRequest('ACK', { seq }) };
    this.host.sendStateless(this.ackCache.ack, this.init.peer);
  }

  /**
   * UAS core 2xx retransmission (§13.3.1.4): resend at T1, doubling up to T2, until the ACK
   * arrives; give up after 64*T1, and then the session SHOULD be ended with a BYE.
   */
  retransmit2xx(response: SipResponse, target: PeerAddress, onAck: () => void, onTimeout: () => void): void {
    this.stopRetransmitting();
    const { T1, T2 } = this.host.timers;
    const seq = cseqOf(response)?.seq ?? -1;
    const schedule = (interval: number): ReturnType<typeof setTimeout> =>
      setTimeout(() => {
        if (this.retransmit === undefined) return;
        this.host.sendStateless(response, target);
        this.retransmit.timer = schedule(Math.min(interval * 2, T2));
      }, interval);
    const deadline = setTimeout(() => {
      this.stopRetransmitting();
      this.logger.warn({ callId: this.callId }, 'sip: no ACK for 2xx within 64*T1, ending session');
      onTimeout();
      void this.bye();
    }, 64 * T1);
    this.retransmit = { timer: schedule(T1), deadline, seq, acked: onAck };
  }

  private stopRetransmitting(): void {
    if (this.retransmit === undefined) return;
    clearTimeout(this.retransmit.timer);
    clearTimeout(this.retransmit.deadline);
    this.retransmit = undefined;
  }

  /** ACK for our 2xx (§13.3.1.4 stops retransmission); a delayed-offer answer may ride on it. */
  receiveAck(ack: SipRequest): void {
    const pending = this.retransmit;
    if (pending === undefined || cseqOf(ack)?.seq !== pending.seq) return;
    this.stopRetransmitting();
    if (ack.body.length > 0) this.remoteSdp = ack.body.toString('utf8');
    pending.acked();
  }

  /** A request inside this dialog (§12.2.2), already matched by Call-ID and tags. */
  receiveRequest(request: SipRequest, transaction: ServerTransaction): void {
    const seq = cseqOf(request)?.seq ?? 0;
    // §12.2.2: a lower CSeq than the last one is out of order and MUST get a 500.
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) {
      transaction.respond(createResponse(request, 500, { reason: 'Out Of Order' }));
      return;
    }
    this.remoteSeq = seq;
    switch (request.method) {
      case 'BYE':
        transaction.respond(createResponse(request, 200));
        this.terminate();
        for (const handler of this.byeHandlers) this.safely(() => handler(request));
        return;
      case 'INVITE':
        this.receiveReinvite(request, transaction);
        return;
      case 'INFO':
        this.receiveInfo(request, transaction);
        return;
      case 'REFER':
        this.receiveRefer(request, transaction);
        return;
      case 'OPTIONS':
        transaction.respond(createResponse(request, 200, { headers: [['Allow', ALLOW_HEADER]] }));
        return;
      default:
        transaction.respond(
          createResponse(request, KNOWN_METHODS.has(request.method) ? 405 : 501, {
            headers: [['Allow', ALLOW_HEADER]],
          }),
        );
    }
  }

  private receiveReinvite(request: SipRequest, transaction: ServerTransaction): void {
    // §14.2: a second INVITE while one is pending in either direction gets 491.
    if (this.inviteInProgress || this.retransmit !== undefined || this.current !== 'confirmed') {
      transaction.respond(createResponse(request, 491));
      return;
    }
    const contact = parseNameAddr(request.headers.getAll('contact')[0] ?? '');
    if (contact !== undefined) this.remoteTarget = contact.uri; // §12.2.2 target refresh
    const offer = request.body.toString('utf8');
    const handler = this.reinviteHandler ?? ((): string => this.localSdp);
    this.inviteInProgress = true;
    Promise.resolve()
      .then(() => handler(offer))
      .then(
        (answer) => {
          this.inviteInProgress = false;
          if (this.current !== 'confirmed') return;
          if (offer !== '') this.remoteSdp = offer;
          this.localSdp = answer;
          const response = createResponse(request, 200, {
            headers: [
              ['Contact', this.host.contact(this.init.localUser, this.init.peer)],
              ['Allow', ALLOW_HEADER],
              ['Content-Type', 'application/sdp'],
            ],
            body: answer,
          });
          transaction.respond(response);
          this.retransmit2xx(
            response,
            transaction.target,
            () => undefined,
            () => undefined,
          );
        },
        (error: unknown) => {
          this.inviteInProgress = false;
          this.logger.warn({ callId: this.callId, err: String(error) }, 'sip: re-INVITE handler failed');
          transaction.respond(createResponse(request, 488));
        },
      );
  }

  /**
   * RFC 3515 §2.4: exactly one Refer-To, else 400. Accepted: 202, then one NOTIFY (Event: refer)
   * whose sipfrag says how it went, ending the implicit subscription (the transferor usually
   * hangs up once it reads 200).
   */
  private receiveRefer(request: SipRequest, transaction: ServerTransaction): void {
    const referTo = request.headers.getAll('refer-to');
    const target = referTo.length === 1 ? parseNameAddr(referTo[0]!) : undefined;
    if (target === undefined) {
      transaction.respond(createResponse(request, 400, { reason: 'Bad Refer-To' }));
      return;
    }
    const handler = this.referHandler;
    if (handler === undefined || this.current !== 'confirmed') {
      transaction.respond(createResponse(request, 603, { reason: 'Decline' }));
      return;
    }
    transaction.respond(createResponse(request, 202, { reason: 'Accepted' }));
    void (async () => {
      const proceed = await handler(target.uri).catch(() => null);
      if (this.current !== 'terminated') {
        const notify = this.createRequest('NOTIFY', {
          body: proceed ? 'SIP/2.0 200 OK\r\n' : 'SIP/2.0 503 Service Unavailable\r\n',
          contentType: 'message/sipfrag;version=2.0',
          headers: [
            ['Event', 'refer'],
            ['Subscription-State', 'terminated;reason=noresource'],
            ['Contact', this.host.contact(this.init.localUser, this.init.peer)],
          ],
        });
        await this.host
          .sendRequest(notify, this.init.peer)
          .catch((error: unknown) =>
            this.logger.warn({ callId: this.callId, err: String(error) }, 'sip: REFER NOTIFY failed'),
          );
      }
      if (proceed) this.safely(proceed);
    })();
  }

  /** INFO with application/dtmf-relay (`Signal=5`, `Duration=160`), the common SIP-INFO DTMF form. */
  private receiveInfo(request: SipRequest, transaction: ServerTransaction): void {
    transaction.respond(createResponse(request, 200));
    const type = (request.headers.get('content-type') ?? '').toLowerCase();
    const body = request.body.toString('utf8');
    let dtmf: DtmfInfo | undefined;
    if (type.startsWith('application/dtmf-relay')) {
      const signal = /^\s*signal\s*=\s*([0-9A-Da-d*#])\s*$/im.exec(body)?.[1];
      const duration = /^\s*duration\s*=\s*(\d{1,6})\s*$/im.exec(body)?.[1];
      if (signal !== undefined)
        dtmf = { signal: signal.toUpperCase(), ...(duration ? { durationMs: Number(duration) } : {}) };
    } else if (type.startsWith('application/dtmf')) {
      const signal = /^\s*([0-9A-Da-d*#])\s*$/.exec(body)?.[1];
      if (signal !== undefined) dtmf = { signal: signal.toUpperCase() };
    }
    if (dtmf !== undefined) for (const handler of this.dtmfHandlers) this.safely(() => handler(dtmf));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.error({ callId: this.callId, err: String(error) }, 'sip: dialog handler threw');
    }
  }
}
