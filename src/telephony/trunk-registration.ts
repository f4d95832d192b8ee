/**
 * Registration with carriers (issue #4): a trunk with `register` keeps one registration alive
 * with REGISTER and digest auth (RFC 3261 §10.2, §22.2), refreshed before it expires, retried
 * with backoff when it fails, and removed (Expires: 0) when the trunk is removed, disabled or
 * the switch stops. Refreshes and the final unregister reuse the registration's Call-ID with a
 * rising CSeq (§10.2.4). Time and the REGISTER itself are injected, so tests drive both.
 */
import type { Logger } from '../shared/index.ts';
import type { RegisterParams, RegisterResult } from './sip/index.ts';
import type { TrunkConfig } from './outbound-routing.ts';

export interface RegistrationStatus {
  /** A 2xx was received and its granted expiry has not passed. */
  registered: boolean;
  /** Why the last attempt failed ("403 Forbidden", "408 Request Timeout"); null after a success. */
  lastError: string | null;
  expiresAt: Date | null;
  lastRegisteredAt: Date | null;
}

export interface RegistrationTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RegistrationOptions {
  register(params: RegisterParams): Promise<RegisterResult>;
  logger: Logger;
  timers?: RegistrationTimers;
  /** Refresh when this share of the granted expiry has passed. Default 0.8. */
  refreshRatio?: number;
  /** First retry after a failure; doubles on each further failure up to `retryMaxMs`. Default 30 s. */
  retryMinMs?: number;
  /** Default 5 minutes. */
  retryMaxMs?: number;
}

export const realTimers: RegistrationTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * One trunk's registration. States and transitions:
 *   idle → registering                 start()
 *   registering → registered           2xx with an expiry > 0 (refresh timer armed)
 *   registering → waiting_retry        failure, timeout or transport error (backoff timer armed)
 *   registered | waiting_retry → registering   timer fired
 *   any → stopped                      stop(); unregisters first when a binding may exist
 */
type RegistrationState = 'idle' | 'registering' | 'registered' | 'waiting_retry' | 'stopped';

const TRANSITIONS: Record<RegistrationState, readonly RegistrationState[]> = {
  idle: ['registering', 'stopped'],
  registering: ['registered', 'waiting_retry', 'registering', 'stopped'],
  registered: ['registering', 'stopped'],
  waiting_retry: ['registering', 'stopped'],
  stopped: [],
};

/** The settings whose change makes a new registration (others only affect calls). */
export function registrationKey(t: TrunkConfig): string {
  return JSON.stringify([t.host, t.port, t.transport, t.username, t.password, t.domain, t.registerExpires]);
}

export class TrunkRegistration {
  private state: RegistrationState = 'idle';
  private timer: unknown = null;
  private failures = 0;
  private callId: string | undefined;
  private cseq = 0;
  private expires: number;
  private inFlight: Promise<void> | null = null;
  private readonly timers: RegistrationTimers;
  private readonly info: Omit<RegistrationStatus, 'registered'> & { granted: boolean } = {
    granted: false,
    lastError: null,
    expiresAt: null,
    lastRegisteredAt: null,
  };

  constructor(
    readonly trunk: TrunkConfig,
    private readonly o: RegistrationOptions,
  ) {
    this.timers = o.timers ?? realTimers;
    this.expires = trunk.registerExpires;
  }

  get key(): string {
    return registrationKey(this.trunk);
  }

  get current(): RegistrationState {
    return this.state;
  }

  status(): RegistrationStatus {
    const { granted, lastError, expiresAt, lastRegisteredAt } = this.info;
    const live = granted && expiresAt !== null && expiresAt.getTime() > this.timers.now();
    return { registered: live, lastError, expiresAt: live ? expiresAt : null, lastRegisteredAt };
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.attempt();
  }

  /** Stops refreshing; with `unregister`, removes a binding the carrier may hold (Expires: 0). */
  async stop(unregister: boolean): Promise<void> {
    if (this.state === 'stopped') return;
    this.clearTimer();
    this.transition('stopped');
    // A REGISTER still in flight may yet create a binding: wait for it before deciding.
    while (this.inFlight) await this.inFlight;
    const mayHoldBinding = this.info.granted && (this.info.expiresAt?.getTime() ?? 0) > this.timers.now();
    this.info.granted = false;
    this.info.expiresAt = null;
    if (!unregister || !mayHoldBinding) return;
    try {
      const r = await this.o.register({ ...this.params(), expires: 0 });
      this.o.logger.info({ trunk: this.trunk.name, status: r.status }, 'trunk unregistered');
    } catch (err) {
      this.o.logger.warn({ trunk: this.trunk.name, err: String(err) }, 'trunk unregister failed');
    }
  }

  private params(): RegisterParams {
    const t = this.trunk;
    return {
      target: { transport: t.transport, host: t.host, port: t.port },
      user: t.username ?? '',
      password: t.password ?? '',
      domain: t.domain ?? t.host,
      expires: this.expires,
      ...(this.callId === undefined ? {} : { callId: this.callId, cseq: this.cseq }),
    };
  }

  private attempt(): void {
    if (this.state === 'stopped') return;
    this.timer = null;
    this.transition('registering');
    const run = this.o
      .register(this.params())
      .then(
        (r) => this.settled(r, null),
        (err: unknown) => this.settled(null, err instanceof Error ? err.message : String(err)),
      )
      .finally(() => {
        if (this.inFlight === run) this.inFlight = null;
      });
    this.inFlight = run;
  }

  private settled(result: RegisterResult | null, error: string | null): void {
    if (result) {
      this.callId = result.callId;
      this.cseq = result.cseq;
    }
    const now = this.timers.now();
    const log = { trunk: this.trunk.name, host: this.trunk.host };
    if (result && result.status >= 200 && result.status < 300 && (result.expires ?? this.expires) > 0) {
      const granted = result.expires ?? this.expires;
      this.info.granted = true;
      this.info.lastError = null;
      this.info.expiresAt = new Date(now + granted * 1000);
      this.info.lastRegisteredAt = new Date(now);
      this.failures = 0;
      if (this.state === 'stopped') return;
      this.transition('registered');
      const ratio = this.o.refreshRatio ?? 0.8;
      this.schedule(Math.max(1000, Math.floor(granted * 1000 * ratio)));
      this.o.logger.info({ ...log, expires: granted }, 'trunk registered');
      return;
    }
    if (this.state === 'stopped') return;
    // §10.3 step 7 / §21.4.17: 423 names the shortest expiry the registrar accepts; ask again at once.
    const minExpires = Number(result?.response.headers.get('min-expires') ?? NaN);
    if (result?.status === 423 && Number.isInteger(minExpires) && minExpires > this.expires) {
      this.expires = Math.min(minExpires, 86_400);
      this.attempt();
      return;
    }
    this.failures += 1;
    this.info.lastError = result
      ? result.status < 300
        ? 'registrar granted no binding'
        : `${result.status} ${result.reason}`
      : (error ?? 'failed');
    const min = this.o.retryMinMs ?? 30_000;
    const delay = Math.min(this.o.retryMaxMs ?? 300_000, min * 2 ** (this.failures - 1));
    this.transition('waiting_retry');
    this.schedule(delay);
    this.o.logger.warn({ ...log, error: this.info.lastError, retryInMs: delay }, 'trunk registration failed');
  }

  private schedule(ms: number): void {
    this.clearTimer();
    this.timer = this.timers.setTimeout(() => this.attempt(), ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private transition(next: RegistrationState): void {
    if (!TRANSITIONS[this.state].includes(next))
      throw new Error(`trunk registration: ${this.state} → ${next} is not allowed`);
    this.state = next;
  }
}

/** Every registering trunk's registration, kept in step with the trunk list. */
export class TrunkRegistrations {
  private readonly byTrunk = new Map<string, TrunkRegistration>();
  /** Unregisters still running, awaited by stop(). */
  private readonly stopping = new Set<Promise<void>>();

  constructor(private readonly o: RegistrationOptions) {}

  /**
   * Starts registrations for new trunks, restarts those whose registration settings changed
   * (after the old binding is removed, so the removal cannot undo the new one), and removes
   * those no longer wanted (trunk deleted, disabled, or no longer registering).
   */
  sync(trunks: readonly TrunkConfig[]): void {
    const wanted = new Map(
      trunks.filter((t) => t.enabled && t.register && t.username && t.password).map((t) => [t.id, t]),
    );
    for (const [id, reg] of this.byTrunk) {
      const next = wanted.get(id);
      if (next && registrationKey(next) === reg.key) continue;
      this.byTrunk.delete(id);
      const stopped = this.track(reg.stop(true));
      if (next) {
        const fresh = new TrunkRegistration(next, this.o);
        this.byTrunk.set(id, fresh);
        void stopped.then(() => fresh.start());
      }
    }
    for (const [id, trunk] of wanted) {
      if (this.byTrunk.has(id)) continue;
      const reg = new TrunkRegistration(trunk, this.o);
      this.byTrunk.set(id, reg);
      reg.start();
    }
  }

  status(trunkId: string): RegistrationStatus | null {
    return this.byTrunk.get(trunkId)?.status() ?? null;
  }

  /** Unregisters everything, waiting at most `timeoutMs` for the carriers to answer. */
  async stop(timeoutMs = 3000): Promise<void> {
    for (const reg of this.byTrunk.values()) this.track(reg.stop(true));
    this.byTrunk.clear();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.stopping]), timeout]);
    clearTimeout(timer);
  }

  private track(p: Promise<void>): Promise<void> {
    const done = p.catch(() => undefined);
    this.stopping.add(done);
    void done.then(() => this.stopping.delete(done));
    return done;
  }
}
