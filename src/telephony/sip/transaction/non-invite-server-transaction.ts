import type { SipRequest, SipResponse } from '../message.ts';
import type { PeerAddress } from '../transport.ts';
import { TransactionBase } from './transaction-base.ts';
import type { TimerConfig } from './timers.ts';
import type { ServerTransaction, ServerTransactionUser, TransactionSender } from './transaction-user.ts';

/**
 * Non-INVITE server transaction, RFC 3261 §17.2.2 (Figure 8).
 *
 * Allowed transitions:
 *   trying     → proceeding (TU sends 1xx) | completed (TU sends 200-699) | terminated (transport error)
 *   proceeding → completed (TU sends 200-699) | terminated (transport error)
 *   completed  → terminated (Timer J)
 *   terminated → (none)
 */
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteServerTransaction
  extends TransactionBase<NonInviteServerState>
  implements ServerTransaction
{
  protected readonly transitions = {
    trying: ['proceeding', 'completed', 'terminated'],
    proceeding: ['completed', 'terminated'],
    completed: ['terminated'],
    terminated: [],
  } as const satisfies Record<NonInviteServerState, readonly NonInviteServerState[]>;
  protected readonly terminatedState = 'terminated';
  user: ServerTransactionUser | undefined;
  private lastResponse: SipResponse | undefined;

  constructor(
    id: string,
    readonly request: SipRequest,
    readonly source: PeerAddress,
    target: PeerAddress,
    sender: TransactionSender,
    timers: TimerConfig,
  ) {
    super('trying', id, sender, target, timers);
  }

  get finalSent(): boolean {
    return this.state === 'completed' || (this.lastResponse !== undefined && this.lastResponse.status >= 200);
  }

  respond(response: SipResponse): boolean {
    if (this.state !== 'trying' && this.state !== 'proceeding') return false;
    this.lastResponse = response;
    if (response.status < 200) {
      if (this.state === 'trying') this.transition('proceeding');
      this.sendMessage(response);
      return true;
    }
    this.transition('completed');
    this.sendMessage(response);
    // §17.2.2: Timer J = 64*T1 on unreliable transports, zero on reliable ones.
    const timerJ = this.reliable ? 0 : 64 * this.timerConfig.T1;
    this.startTimer('TIMER_J', timerJ, () => this.transition('terminated'));
    return true;
  }

  /** §17.2.2: retransmissions are absorbed in Trying and answered with the last response otherwise. */
  receiveRequest(_request: SipRequest): boolean {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse !== undefined) {
      this.sendMessage(this.lastResponse);
    }
    return true;
  }

  protected onTransportError(error: Error): void {
    this.user?.onTransportError?.(error);
  }
}
