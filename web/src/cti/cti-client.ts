import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff';
import { parseCtiMessage, type CtiClientMessage, type CtiServerMessage } from './cti-messages';

/**
 * Connection state of the CTI socket.
 *   idle        → connecting          (start)
 *   connecting  → open | waiting      (socket opened | failed or closed before opening)
 *   open        → waiting             (socket dropped)
 *   waiting     → connecting          (backoff timer fired)
 *   any         → stopped             (stop; terminal)
 */
export type CtiConnectionState = 'idle' | 'connecting' | 'open' | 'waiting' | 'stopped';

export interface CtiStatus {
  state: CtiConnectionState;
  /** When `waiting`: epoch ms of the next attempt. */
  retryAt: number | null;
  /** Consecutive failed attempts since the last successful open. */
  failures: number;
}

export interface CtiClientDelegate {
  onStatus(status: CtiStatus): void;
  onMessage(message: CtiServerMessage): void;
  /** The server refused the session (close code 4401 / 1008): the cookie has probably expired. */
  onRejected(): void;
}

/** Close codes a server uses to say "not authenticated"; 4401 mirrors HTTP 401. */
const rejectedCloseCodes = new Set([4401, 1008]);

const allowedTransitions: Record<CtiConnectionState, readonly CtiConnectionState[]> = {
  idle: ['connecting', 'stopped'],
  connecting: ['open', 'waiting', 'stopped'],
  open: ['waiting', 'stopped'],
  waiting: ['connecting', 'stopped'],
  stopped: [],
};

export function ctiUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/cti`;
}

export class CtiClient {
  private status: CtiStatus = { state: 'idle', retryAt: null, failures: 0 };
  private socket: WebSocket | null = null;
  private retryTimer: number | null = null;
  private readonly url: string;
  private readonly delegate: CtiClientDelegate;
  private readonly policy: BackoffPolicy;

  constructor(url: string, delegate: CtiClientDelegate, policy: BackoffPolicy = defaultBackoff) {
    this.url = url;
    this.delegate = delegate;
    this.policy = policy;
  }

  get state(): CtiConnectionState {
    return this.status.state;
  }

  start(): void {
    if (this.status.state !== 'idle') return;
    this.connect();
  }

  stop(): void {
    if (this.status.state === 'stopped') return;
    this.clearRetryTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      this.detach(socket);
      socket.close(1000, 'client stopped');
    }
    this.transition('stopped', { retryAt: null });
  }

  /** Sends when connected; returns false otherwise so the caller can fall back to HTTP. */
  send(message: CtiClientMessage): boolean {
    if (this.status.state !== 'open' || !this.socket) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Skip the remaining backoff wait (e.g. the browser came back online). */
  reconnectNow(): void {
    if (this.status.state !== 'waiting') return;
    this.clearRetryTimer();
    this.connect();
  }

  private transition(next: CtiConnectionState, patch: Partial<Omit<CtiStatus, 'state'>> = {}): void {
    const current = this.status.state;
    if (!allowedTransitions[current].includes(next)) {
      throw new Error(`CTI client: illegal transition ${current} → ${next}`);
    }
    this.status = { ...this.status, ...patch, state: next };
    this.delegate.onStatus(this.status);
  }

  private connect(): void {
    this.transition('connecting', { retryAt: null });
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.transition('open', { failures: 0, retryAt: null });
    };
    socket.onmessage = (event: MessageEvent<unknown>) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      const message = parseCtiMessage(event.data);
      if (message) this.delegate.onMessage(message);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.detach(socket);
      if (rejectedCloseCodes.has(event.code)) this.delegate.onRejected();
      this.scheduleRetry();
    };
    // An error is always followed by close; the retry is scheduled there.
    socket.onerror = null;
  }

  private scheduleRetry(): void {
    const failures = this.status.state === 'open' ? 0 : this.status.failures + 1;
    const delay = backoffDelay(failures, this.policy);
    this.transition('waiting', { failures, retryAt: Date.now() + delay });
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      if (this.status.state === 'waiting') this.connect();
    }, delay);
  }

  private clearRetryTimer(): void {
    if (this.retryTimer !== null) {
      window.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  }

  private detach(socket: WebSocket): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }
}
