import type { SipRequest, SipResponse } from '../message.ts';
import type { PeerAddress } from '../transport.ts';
import { TransactionBase } from './transaction-base.ts';
import type { TimerConfig } from './timers.ts';
import type { ClientTransactionUser, TransactionSender } from './transaction-user.ts';

/**
 * Non-INVITE client transaction, RFC 3261 §17.1.2 (Figure 6).
 *
 * Allowed transitions:
 *   trying     → proceeding (1xx) | completed (200-699) | terminated (Timer F, transport error)
 *   proceeding → completed (200-699) | terminated (Timer F, transport error)
 *   completed  → terminated (Timer K)
 *   terminated → (none)
 */
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteClientTransaction extends TransactionBase<NonInviteClientState> {
  protected readonly transitions = {
    trying: ['proceeding', 'completed', 'terminated'],
    proceeding: ['completed', 'terminated'],
    completed: ['terminated'],
    terminated: [],
  } as const satisfies Record<NonInviteClientState, readonly NonInviteClientState[]>;
  protected readonly terminatedState = 'terminated';

  constructor(
    id: string,
    readonly request: SipRequest,
    target: PeerAddress,
    sender: TransactionSender,
    timers: TimerConfig,
    private readonly user: ClientTransactionUser,
  ) {
    super('trying', id, sender, target, timers);
  }

  /** §17.1.2.2: send, start Timer E (unreliable only) at T1 and Timer F at 64*T1. */
  start(): void {
    const { T1 } = this.timerConfig;
    this.sendMessage(this.request);
    if (!this.reliable) this.armTimerE(T1);
    this.startTimer('TIMER_F', 64 * T1, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.transition('terminated');
      this.user.onTimeout?.();
    });
  }

  private armTimerE(interval: number): void {
    this.startTimer('TIMER_E', interval, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.sendMessage(this.request);
      // §17.1.2.2: in Trying the interval doubles up to T2; in Proceeding it is T2.
      const { T2 } = this.timerConfig;
      this.armTimerE(this.state === 'trying' ? Math.min(interval * 2, T2) : T2);
    });
  }

  receiveResponse(response: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return; // Completed absorbs retransmissions.
    if (response.status < 200) {
      if (this.state === 'trying') this.transition('proceeding');
      this.user.onResponse(response);
      return;
    }
    this.clearTimer('TIMER_E');
    this.clearTimer('TIMER_F');
    this.transition('completed');
    this.startTimer('TIMER_K', this.reliable ? 0 : this.timerConfig.T4, () => this.transition('terminated'));
    this.user.onResponse(response);
  }

  protected onTransportError(error: Error): void {
    this.user.onTransportError?.(error);
  }
}
