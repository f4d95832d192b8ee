import { SipHeaders, type SipRequest, type SipResponse } from '../message.ts';
import type { PeerAddress } from '../transport.ts';
import { TransactionBase } from './transaction-base.ts';
import type { TimerConfig } from './timers.ts';
import type { ClientTransactionUser, TransactionSender } from './transaction-user.ts';

/**
 * INVITE client transaction, RFC 3261 §17.1.1 (Figure 5) with the Accepted state of
 * RFC 6026 §7.2, so 2xx retransmissions reach the TU, which ACKs them (§13.2.2.4).
 *
 * Allowed transitions:
 *   calling    → proceeding (1xx) | completed (300-699) | accepted (2xx) | terminated (Timer B, transport error)
 *   proceeding → completed (300-699) | accepted (2xx) | terminated (transport error)
 *   completed  → terminated (Timer D)
 *   accepted   → terminated (Timer M)
 *   terminated → (none)
 */
export type InviteClientState = 'calling' | 'proceeding' | 'completed' | 'accepted' | 'terminated';

export class InviteClientTransaction extends TransactionBase<InviteClientState> {
  protected readonly transitions = {
    calling: ['proceeding', 'completed', 'accepted', 'terminated'],
    proceeding: ['completed', 'accepted', 'terminated'],
    completed: ['terminated'],
    accepted: ['terminated'],
    terminated: [],
  } as const satisfies Record<InviteClientState, readonly InviteClientState[]>;
  protected readonly terminatedState = 'terminated';
  private ack: SipRequest | undefined;

  constructor(
    id: string,
    readonly request: SipRequest,
    target: PeerAddress,
    sender: TransactionSender,
    timers: TimerConfig,
    private readonly user: ClientTransactionUser,
  ) {
    super('calling', id, sender, target, timers);
  }

  /** §17.1.1.2: send the INVITE, start Timer A (unreliable only) and Timer B. */
  start(): void {
    const { T1 } = this.timerConfig;
    this.sendMessage(this.request);
    if (!this.reliable) this.armTimerA(T1);
    this.startTimer('TIMER_B', 64 * T1, () => this.onTimerB());
  }

  private armTimerA(interval: number): void {
    this.startTimer('TIMER_A', interval, () => {
      if (this.state !== 'calling') return;
      // §17.1.1.2: retransmit and double the interval; INVITE has no T2 cap.
      this.sendMessage(this.request);
      this.armTimerA(interval * 2);
    });
  }

  private onTimerB(): void {
    if (this.state !== 'calling') return;
    this.transition('terminated');
    this.user.onTimeout?.();
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        if (status < 200) {
          if (this.state === 'calling') {
            // §17.1.1.2: in Proceeding the request SHOULD NOT be retransmitted any longer.
            this.clearTimer('TIMER_A');
            this.clearTimer('TIMER_B');
            this.transition('proceeding');
          }
          this.user.onResponse(response);
        } else if (status < 300) {
          this.clearTimer('TIMER_A');
          this.clearTimer('TIMER_B');
          this.transition('accepted');
          // RFC 6026 §7.2: Timer M = 64*T1 absorbs forked / retransmitted 2xx for the TU.
          this.startTimer('TIMER_M', 64 * this.timerConfig.T1, () => this.transition('terminated'));
          this.user.onResponse(response);
        } else {
          this.clearTimer('TIMER_A');
          this.clearTimer('TIMER_B');
          this.transition('completed');
          this.ack = buildNon2xxAck(this.request, response);
          this.sendMessage(this.ack);
          this.startTimer('TIMER_D', this.reliable ? 0 : this.timerConfig.TD, () =>
            this.transition('terminated'),
          );
          this.user.onResponse(response);
        }
        return;
      case 'completed':
        // §17.1.1.2: a retransmitted final response MUST cause the ACK to be resent, not passed up.
        if (status >= 300 && this.ack !== undefined) this.sendMessage(this.ack);
        return;
      case 'accepted':
        if (status >= 200 && status < 300) this.user.onResponse(response);
        return;
      case 'terminated':
        return;
    }
  }

  protected onTransportError(error: Error): void {
    this.user.onTransportError?.(error);
  }
}

/**
 * ACK for a non-2xx final response, built by the transaction (§17.1.1.3): same Request-URI,
 * Call-ID, From, CSeq number and top Via as the INVITE, To from the response (with its tag),
 * and the INVITE's Route headers.
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = new SipHeaders();
  const topVia = invite.headers.getAll('via')[0];
  if (topVia !== undefined) headers.append('Via', topVia);
  for (const route of invite.headers.getAll('route')) headers.append('Route', route);
  headers.append('Max-Forwards', '70');
  headers.append('From', invite.headers.get('from') ?? '');
  headers.append('To', response.headers.get('to') ?? invite.headers.get('to') ?? '');
  headers.append('Call-ID', invite.headers.get('call-id') ?? '');
  const seq = (invite.headers.get('cseq') ?? '1').trim().split(/\s+/)[0] ?? '1';
  headers.append('CSeq', `${seq} ACK`);
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) };
}
