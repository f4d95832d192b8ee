import { createResponse } from '../message-factory.ts';
import type { SipRequest, SipResponse } from '../message.ts';
import type { PeerAddress } from '../transport.ts';
import { TransactionBase } from './transaction-base.ts';
import type { TimerConfig } from './timers.ts';
import type { ServerTransaction, ServerTransactionUser, TransactionSender } from './transaction-user.ts';

/**
 * INVITE server transaction, RFC 3261 §17.2.1 (Figure 7) with the Accepted state of
 * RFC 6026 §7.1: after a 2xx the transaction stays to absorb INVITE retransmissions, while
 * the UAS core retransmits the 2xx itself (§13.3.1.4).
 *
 * Allowed transitions:
 *   proceeding → completed (TU sends 300-699) | accepted (TU sends 2xx) | terminated (transport error)
 *   completed  → confirmed (ACK) | terminated (Timer H, transport error)
 *   confirmed  → terminated (Timer I)
 *   accepted   → terminated (Timer L, transport error)
 *   terminated → (none)
 */
export type InviteServerState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

export class InviteServerTransaction extends TransactionBase<InviteServerState> implements ServerTransaction {
  protected readonly transitions = {
    proceeding: ['completed', 'accepted', 'terminated'],
    completed: ['confirmed', 'terminated'],
    confirmed: ['terminated'],
    accepted: ['terminated'],
    terminated: [],
  } as const satisfies Record<InviteServerState, readonly InviteServerState[]>;
  protected readonly terminatedState = 'terminated';
  user: ServerTransactionUser | undefined;
  private lastProvisional: SipResponse | undefined;
  private lastFinal: SipResponse | undefined;

  constructor(
    id: string,
    readonly request: SipRequest,
    readonly source: PeerAddress,
    target: PeerAddress,
    sender: TransactionSender,
    timers: TimerConfig,
  ) {
    super('proceeding', id, sender, target, timers);
  }

  get finalSent(): boolean {
    return this.lastFinal !== undefined;
  }

  /**
   * §17.2.1: the transaction MUST generate a 100 (Trying) unless it knows the TU will answer
   * within 200 ms; we wait `trying100` ms for the TU and send it ourselves otherwise.
   */
  start(): void {
    const delay = this.timerConfig.trying100;
    if (delay <= 0) this.sendTrying();
    else this.startTimer('TIMER_100', delay, () => this.sendTrying());
  }

  private sendTrying(): void {
    if (this.state !== 'proceeding' || this.lastProvisional !== undefined) return;
    this.lastProvisional = createResponse(this.request, 100);
    this.sendMessage(this.lastProvisional);
  }

  respond(response: SipResponse): boolean {
    const status = response.status;
    if (this.state === 'accepted') {
      // RFC 6026 §7.1: 2xx retransmissions from the TU pass through to the transport.
      if (status < 200 || status >= 300) return false;
      this.sendMessage(response);
      return true;
    }
    if (this.state !== 'proceeding') return false;
    this.clearTimer('TIMER_100');
    if (status < 200) {
      this.lastProvisional = response;
      this.sendMessage(response);
      return true;
    }
    this.lastFinal = response;
    if (status < 300) {
      this.transition('accepted');
      this.startTimer('TIMER_L', 64 * this.timerConfig.T1, () => this.transition('terminated'));
      this.sendMessage(response);
      return true;
    }
    this.transition('completed');
    this.sendMessage(response);
    const { T1 } = this.timerConfig;
    if (!this.reliable) this.armTimerG(T1);
    this.startTimer('TIMER_H', 64 * T1, () => {
      if (this.state !== 'completed') return;
      this.transition('terminated');
      this.user?.onTimeout?.();
    });
    return true;
  }

  private armTimerG(interval: number): void {
    this.startTimer('TIMER_G', interval, () => {
      if (this.state !== 'completed' || this.lastFinal === undefined) return;
      this.sendMessage(this.lastFinal);
      this.armTimerG(Math.min(interval * 2, this.timerConfig.T2));
    });
  }

  /**
   * A retransmitted INVITE or an ACK matching this transaction. Returns false when the
   * request is not absorbed and belongs to the core: an ACK in Accepted state (RFC 6026 §7.1).
   */
  receiveRequest(request: SipRequest): boolean {
    if (request.method === 'ACK') {
      if (this.state === 'completed') {
        this.clearTimer('TIMER_G');
        this.clearTimer('TIMER_H');
        this.transition('confirmed');
        this.startTimer('TIMER_I', this.reliable ? 0 : this.timerConfig.T4, () =>
          this.transition('terminated'),
        );
        return true;
      }
      return this.state !== 'accepted';
    }
    // §17.2.1: a retransmitted request is answered with the most recent response.
    if (this.state === 'proceeding') {
      if (this.lastProvisional === undefined) this.sendTrying();
      else this.sendMessage(this.lastProvisional);
    } else if (this.state === 'completed' && this.lastFinal !== undefined) {
      this.sendMessage(this.lastFinal);
    }
    return true;
  }

  protected onTransportError(error: Error): void {
    this.user?.onTransportError?.(error);
  }
}
