import type { SipMessage } from '../message.ts';
import { isReliable, type PeerAddress } from '../transport.ts';
import type { TimerConfig, TimerName } from './timers.ts';
import type { TransactionSender } from './transaction-user.ts';

/**
 * What every transaction state machine shares: validated transitions, named timers that die
 * with the transaction, and the transport error path. Subclasses hold the RFC logic.
 */
export abstract class TransactionBase<S extends string> {
  private current: S;
  private readonly timers = new Map<TimerName, ReturnType<typeof setTimeout>>();
  /** Set by the transaction layer to forget the transaction once it is terminated. */
  onTerminated: (() => void) | undefined;

  protected constructor(
    initial: S,
    readonly id: string,
    protected readonly sender: TransactionSender,
    readonly target: PeerAddress,
    protected readonly timerConfig: TimerConfig,
  ) {
    this.current = initial;
  }

  protected abstract readonly transitions: Readonly<Record<S, readonly S[]>>;
  protected abstract readonly terminatedState: S;

  get state(): S {
    return this.current;
  }

  /** §17: transaction reliability follows the transport of the next hop. */
  get reliable(): boolean {
    return isReliable(this.target.transport);
  }

  /** The only place the state changes; an illegal transition is a bug, not a network event. */
  protected transition(next: S): void {
    const allowed = this.transitions[this.current];
    if (!allowed.includes(next)) {
      throw new Error(`${this.constructor.name}: illegal transition ${this.current} -> ${next}`);
    }
    this.current = next;
    if (next === this.terminatedState) {
      this.clearAllTimers();
      const onTerminated = this.onTerminated;
      this.onTerminated = undefined;
      onTerminated?.();
    }
  }

  protected startTimer(name: TimerName, ms: number, fire: () => void): void {
    this.clearTimer(name);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        fire();
      }, ms),
    );
  }

  protected clearTimer(name: TimerName): void {
    const timer = this.timers.get(name);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(name);
  }

  /** Names of running timers, for tests and diagnostics. */
  activeTimers(): TimerName[] {
    return [...this.timers.keys()];
  }

  private clearAllTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Stop all timers and terminate without telling the TU (used on shutdown). */
  dispose(): void {
    this.clearAllTimers();
    if (this.current !== this.terminatedState) this.transition(this.terminatedState);
  }

  protected sendMessage(message: SipMessage): void {
    this.sender.send(message, this.target).catch((error: unknown) => {
      if (this.current === this.terminatedState) return;
      this.transition(this.terminatedState);
      this.onTransportError(error instanceof Error ? error : new Error(String(error)));
    });
  }

  protected abstract onTransportError(error: Error): void;
}
