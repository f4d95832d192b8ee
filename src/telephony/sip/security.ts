import { isIP } from 'node:net';
import { silentLogger, type SipLogger } from './logger.ts';

/**
 * Per-source defences of the SIP edge (issue #4): lockout after repeated failed authentication,
 * a request-rate limit, and known scanners. What happens to a source:
 *
 * - Locked out (too many failed digest authentications, or a scanner): everything it sends is
 *   dropped unread, on UDP and TCP alike, and its TCP connections are closed. No 403: an answer
 *   tells a password guesser it is being heard, and on UDP it can be reflected at a spoofed
 *   victim. A successful authentication does not lift a lockout; only time does.
 * - Over the request rate: requests are answered 503 with Retry-After (at most one answer per
 *   source per second, the rest dropped), responses and ACKs dropped. Loopback is exempt by
 *   default, because load tests and local tools send bursts from 127.0.0.1.
 *
 * Sources are IP addresses; IPv6 sources are grouped by /64, since one host usually owns a /64.
 * All state is in memory and bounded (`maxTrackedSources` per table).
 */
export interface SipSecurityOptions {
  /** Failed authentications from one source within `authFailureWindowMs` that lock it out; 0 turns lockout off. Default 10. */
  maxAuthFailures?: number;
  /** Default 60 s. */
  authFailureWindowMs?: number;
  /** How long a source stays locked out. Default 15 minutes. */
  lockoutMs?: number;
  /** Sustained requests per second per source; 0 turns the limit off. Default 50. */
  requestsPerSecond?: number;
  /** Bucket size: how many requests a source may send at once. Default 100. */
  requestBurst?: number;
  /** Rate-limit loopback sources too. Default false: 127.0.0.0/8 and ::1 are exempt. */
  rateLimitLoopback?: boolean;
  /** Addresses never rate limited, e.g. a trunk peer (lockout still applies). */
  rateLimitExempt?: readonly string[];
  /** User-Agent substrings (case-insensitive) of scanners; [] turns detection off. */
  scannerUserAgents?: readonly string[];
  /** Digest nonce lifetime. Default 5 minutes. */
  nonceTtlMs?: number;
  /** Upper bound on sources tracked per table, so spoofed floods cannot exhaust memory. Default 100 000. */
  maxTrackedSources?: number;
}

/** Tools that sweep the Internet for SIP servers and guess extensions and passwords. */
export const DEFAULT_SCANNER_USER_AGENTS: readonly string[] = [
  'friendly-scanner',
  'friendly-request',
  'sipvicious',
  'sipcli',
  'sip-scan',
  'sipscan',
  'vaxsipuseragent',
  'sundayddr',
  'iwar',
  'sivus',
  'sippts',
  'pplsip',
];

export const SECURITY_DEFAULTS = {
  maxAuthFailures: 10,
  authFailureWindowMs: 60_000,
  lockoutMs: 15 * 60_000,
  requestsPerSecond: 50,
  requestBurst: 100,
  nonceTtlMs: 5 * 60_000,
  maxTrackedSources: 100_000,
} as const;

export type Admission = 'ok' | 'locked' | 'limited';

export type LockReason = 'auth-failures' | 'scanner';

interface Bucket {
  tokens: number;
  at: number;
  /** When this source was last answered 503 / last logged as over the limit. */
  answeredAt: number;
  loggedAt: number;
}

interface Lock {
  until: number;
  reason: LockReason;
}

export function isLoopback(host: string): boolean {
  const plain = host.startsWith('::ffff:') ? host.slice(7) : host;
  return plain.startsWith('127.') || plain === '::1' || plain === '0:0:0:0:0:0:0:1';
}

/** The key a source is tracked under: the IPv4 address, or the /64 of an IPv6 address. */
export function sourceKey(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.startsWith('::ffff:') && isIP(bare.slice(7)) === 4) return bare.slice(7);
  if (isIP(bare) !== 6) return bare;
  const zone = bare.indexOf('%');
  const address = zone === -1 ? bare : bare.slice(0, zone);
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class SourceGuard {
  readonly maxAuthFailures: number;
  readonly authFailureWindowMs: number;
  readonly lockoutMs: number;
  readonly requestsPerSecond: number;
  readonly requestBurst: number;
  readonly nonceTtlMs: number;
  private readonly rateLimitLoopback: boolean;
  private readonly exempt: ReadonlySet<string>;
  private peers: ReadonlySet<string> = new Set();
  private readonly scanners: readonly string[];
  private readonly maxTracked: number;
  private readonly failures = new Map<string, number[]>();
  private readonly locks = new Map<string, Lock>();
  private readonly buckets = new Map<string, Bucket>();
  private nextSweep = 0;

  constructor(
    options: SipSecurityOptions = {},
    private readonly now: () => number = Date.now,
    private readonly logger: SipLogger = silentLogger,
  ) {
    const d = SECURITY_DEFAULTS;
    this.maxAuthFailures = options.maxAuthFailures ?? d.maxAuthFailures;
    this.authFailureWindowMs = options.authFailureWindowMs ?? d.authFailureWindowMs;
    this.lockoutMs = options.lockoutMs ?? d.lockoutMs;
    this.requestsPerSecond = options.requestsPerSecond ?? d.requestsPerSecond;
    this.requestBurst = Math.max(1, options.requestBurst ?? d.requestBurst);
    this.nonceTtlMs = options.nonceTtlMs ?? d.nonceTtlMs;
    this.rateLimitLoopback = options.rateLimitLoopback ?? false;
    this.exempt = new Set((options.rateLimitExempt ?? []).map(sourceKey));
    this.scanners = (options.scannerUserAgents ?? DEFAULT_SCANNER_USER_AGENTS)
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== '');
    this.maxTracked = options.maxTrackedSources ?? d.maxTrackedSources;
  }

  /** Trunk peers, exempt from the rate limit like `rateLimitExempt`; replaced when trunks change. */
  setTrunkPeers(hosts: readonly string[]): void {
    this.peers = new Set(hosts.map(sourceKey));
  }

  isLocked(host: string): boolean {
    const key = sourceKey(host);
    const lock = this.locks.get(key);
    if (lock === undefined) return false;
    if (lock.until > this.now()) return true;
    this.locks.delete(key);
    return false;
  }

  /** Milliseconds of lockout left for a source, 0 when it is not locked out. */
  lockedFor(host: string): number {
    const lock = this.locks.get(sourceKey(host));
    return lock === undefined ? 0 : Math.max(0, lock.until - this.now());
  }

  /** Called for every message received, before parsing: drop it, rate-limit it, or let it in. */
  admit(host: string): Admission {
    this.sweepNow();
    if (this.isLocked(host)) return 'locked';
    if (this.requestsPerSecond <= 0) return 'ok';
    const key = sourceKey(host);
    if (this.exempt.has(key) || this.peers.has(key) || (!this.rateLimitLoopback && isLoopback(host)))
      return 'ok';
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.requestBurst, at: now, answeredAt: -Infinity, loggedAt: -Infinity };
      this.remember(this.buckets, key, bucket);
    } else {
      const elapsed = Math.max(0, now - bucket.at) / 1000;
      bucket.tokens = Math.min(this.requestBurst, bucket.tokens + elapsed * this.requestsPerSecond);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 'ok';
    }
    if (now - bucket.loggedAt >= 60_000) {
      bucket.loggedAt = now;
      this.logger.warn(
        { ip: host, requestsPerSecond: this.requestsPerSecond, burst: this.requestBurst },
        'sip: source over the request rate limit',
      );
    }
    return 'limited';
  }

  /** For a rate-limited request: answer this one with 503? At most once a second per source. */
  answerLimited(host: string): boolean {
    const bucket = this.buckets.get(sourceKey(host));
    const now = this.now();
    if (bucket === undefined || now - bucket.answeredAt < 1000) return false;
    bucket.answeredAt = now;
    return true;
  }

  /** Seconds until a rate-limited source has a token again (for Retry-After), at least 1. */
  retryAfterSeconds(host: string): number {
    const bucket = this.buckets.get(sourceKey(host));
    if (bucket === undefined || this.requestsPerSecond <= 0) return 1;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.requestsPerSecond));
  }

  /** A failed authentication (wrong password, unknown user, forged nonce). Returns true when it locks the source out. */
  authFailed(host: string): boolean {
    if (this.maxAuthFailures <= 0) return false;
    this.sweepNow();
    const key = sourceKey(host);
    const now = this.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.authFailureWindowMs);
    recent.push(now);
    if (recent.length < this.maxAuthFailures) {
      this.failures.delete(key);
      this.remember(this.failures, key, recent);
      return false;
    }
    this.failures.delete(key);
    this.lock(host, 'auth-failures', {
      failures: recent.length,
      windowSeconds: this.authFailureWindowMs / 1000,
    });
    return true;
  }

  /** The scanner pattern a User-Agent matches, if any. */
  scannerMatch(userAgent: string | undefined): string | undefined {
    if (userAgent === undefined || this.scanners.length === 0) return undefined;
    const ua = userAgent.toLowerCase();
    return this.scanners.find((s) => ua.includes(s));
  }

  lock(host: string, reason: LockReason, details: Record<string, unknown> = {}): void {
    const key = sourceKey(host);
    this.locks.delete(key);
    this.remember(this.locks, key, { until: this.now() + this.lockoutMs, reason });
    this.buckets.delete(key);
    this.logger.warn(
      { ip: host, source: key, reason, lockoutSeconds: Math.round(this.lockoutMs / 1000), ...details },
      'sip: source locked out',
    );
  }

  /** Lift a lockout by hand (an operator who fixed a phone's password). */
  unlock(host: string): boolean {
    const key = sourceKey(host);
    this.failures.delete(key);
    return this.locks.delete(key);
  }

  lockedSources(): { source: string; reason: LockReason; until: number }[] {
    const now = this.now();
    return [...this.locks]
      .filter(([, lock]) => lock.until > now)
      .map(([source, lock]) => ({ source, reason: lock.reason, until: lock.until }));
  }

  /** Drop expired state; runs by itself at most once a minute. */
  sweep(): void {
    const now = this.now();
    for (const [key, lock] of this.locks) if (lock.until <= now) this.locks.delete(key);
    for (const [key, times] of this.failures)
      if (times.every((t) => now - t >= this.authFailureWindowMs)) this.failures.delete(key);
    const full = this.requestsPerSecond > 0 ? (this.requestBurst / this.requestsPerSecond) * 1000 : 0;
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= full) this.buckets.delete(key);
  }

  private sweepNow(): void {
    const now = this.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + 60_000;
    this.sweep();
  }

  /** Insert, evicting the oldest entries (Map order) beyond the bound. */
  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.set(key, value);
    if (map.size <= this.maxTracked) return;
    for (const oldest of map.keys()) {
      if (map.size <= this.maxTracked) break;
      map.delete(oldest);
    }
  }
}
