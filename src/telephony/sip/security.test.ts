import { describe, expect, it } from 'vitest';
import type { SipLogger } from './logger.ts';
import { SourceGuard, isLoopback, sourceKey, type SipSecurityOptions } from './security.ts';

/** A guard on a hand-driven clock that keeps its log lines. */
function guarded(options: SipSecurityOptions = {}) {
  let now = 1_700_000_000_000;
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const log =
    (level: string) =>
    (obj: Record<string, unknown>, msg: string): void =>
      void lines.push({ level, obj, msg });
  const logger: SipLogger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
  const guard = new SourceGuard(options, () => now, logger);
  return {
    guard,
    lines,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('auth-failure lockout', () => {
  it('locks a source out on the Nth failure within the window, and only that source', () => {
    const { guard } = guarded({ maxAuthFailures: 3 });
    expect(guard.authFailed('203.0.113.9')).toBe(false);
    expect(guard.authFailed('203.0.113.9')).toBe(false);
    expect(guard.isLocked('203.0.113.9')).toBe(false);
    expect(guard.admit('203.0.113.9')).toBe('ok');
    expect(guard.authFailed('203.0.113.9')).toBe(true);
    expect(guard.isLocked('203.0.113.9')).toBe(true);
    expect(guard.admit('203.0.113.9')).toBe('locked');
    expect(guard.admit('203.0.113.10')).toBe('ok');
  });

  it('defaults: 10 failures within 60 s lock out for 15 minutes', () => {
    const { guard, advance } = guarded();
    for (let i = 0; i < 9; i++) expect(guard.authFailed('198.51.100.1')).toBe(false);
    expect(guard.authFailed('198.51.100.1')).toBe(true);
    advance(15 * 60_000 - 1);
    expect(guard.isLocked('198.51.100.1')).toBe(true);
    advance(1);
    expect(guard.isLocked('198.51.100.1')).toBe(false);
    // The count starts over after a lockout.
    expect(guard.authFailed('198.51.100.1')).toBe(false);
  });

  it('forgets failures older than the window (a sliding window, not a lifetime count)', () => {
    const { guard, advance } = guarded({ maxAuthFailures: 3, authFailureWindowMs: 60_000 });
    guard.authFailed('192.0.2.5');
    advance(40_000);
    guard.authFailed('192.0.2.5');
    advance(30_000); // the first failure is now 70 s old
    expect(guard.authFailed('192.0.2.5')).toBe(false);
    expect(guard.authFailed('192.0.2.5')).toBe(true);
  });

  it('applies to loopback too, and stays locked however well the source behaves', () => {
    const { guard, advance } = guarded({ maxAuthFailures: 2, lockoutMs: 60_000 });
    guard.authFailed('127.0.0.1');
    guard.authFailed('127.0.0.1');
    // Nothing the source sends is processed while locked, so nothing can unlock it but time.
    for (let i = 0; i < 10; i++) {
      advance(5_000);
      expect(guard.admit('127.0.0.1')).toBe('locked');
    }
    advance(10_000);
    expect(guard.admit('127.0.0.1')).toBe('ok');
  });

  it('maxAuthFailures 0 turns lockout off', () => {
    const { guard } = guarded({ maxAuthFailures: 0 });
    for (let i = 0; i < 100; i++) expect(guard.authFailed('192.0.2.1')).toBe(false);
    expect(guard.isLocked('192.0.2.1')).toBe(false);
  });

  it('logs the lockout with the address and never more than what it was given', () => {
    const { guard, lines } = guarded({ maxAuthFailures: 1, lockoutMs: 120_000 });
    guard.authFailed('203.0.113.77');
    expect(lines).toEqual([
      {
        level: 'warn',
        msg: 'sip: source locked out',
        obj: expect.objectContaining({ ip: '203.0.113.77', reason: 'auth-failures', lockoutSeconds: 120 }),
      },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/password|secret|response=/i);
  });

  it('unlock() lifts a lockout by hand; lockedSources() lists the live ones', () => {
    const { guard, advance } = guarded({ maxAuthFailures: 1, lockoutMs: 1000 });
    guard.authFailed('192.0.2.1');
    guard.lock('192.0.2.2', 'scanner');
    expect(guard.lockedSources().map((l) => [l.source, l.reason])).toEqual([
      ['192.0.2.1', 'auth-failures'],
      ['192.0.2.2', 'scanner'],
    ]);
    expect(guard.unlock('192.0.2.1')).toBe(true);
    expect(guard.isLocked('192.0.2.1')).toBe(false);
    advance(1000);
    expect(guard.lockedSources()).toEqual([]);
  });
});

describe('request-rate limit (token bucket)', () => {
  it('lets a burst through, then refills at the sustained rate', () => {
    const { guard, advance } = guarded({ requestsPerSecond: 50, requestBurst: 100 });
    const admitted = (n: number): number =>
      Array.from({ length: n }, () => guard.admit('198.51.100.20')).filter((a) => a === 'ok').length;
    expect(admitted(150)).toBe(100);
    advance(100); // 0.1 s at 50/s: 5 tokens
    expect(admitted(10)).toBe(5);
    advance(10_000); // refills to the burst size, not beyond
    expect(admitted(150)).toBe(100);
  });

  it('answers at most one limited request per second per source, with a Retry-After of at least 1 s', () => {
    const { guard, advance, lines } = guarded({ requestsPerSecond: 1, requestBurst: 2 });
    expect([guard.admit('192.0.2.7'), guard.admit('192.0.2.7'), guard.admit('192.0.2.7')]).toEqual([
      'ok',
      'ok',
      'limited',
    ]);
    expect(guard.answerLimited('192.0.2.7')).toBe(true);
    expect(guard.answerLimited('192.0.2.7')).toBe(false);
    expect(guard.retryAfterSeconds('192.0.2.7')).toBe(1);
    advance(1000);
    expect(guard.answerLimited('192.0.2.7')).toBe(true);
    expect(lines.filter((l) => l.msg === 'sip: source over the request rate limit')).toHaveLength(1);
  });

  it('exempts loopback by default, and configured addresses always', () => {
    const loose = guarded({ requestsPerSecond: 1, requestBurst: 1, rateLimitExempt: ['192.0.2.99'] }).guard;
    for (let i = 0; i < 500; i++) {
      expect(loose.admit('127.0.0.1')).toBe('ok');
      expect(loose.admit('::1')).toBe('ok');
      expect(loose.admit('192.0.2.99')).toBe('ok');
    }
    expect(loose.admit('192.0.2.98')).toBe('ok');
    expect(loose.admit('192.0.2.98')).toBe('limited');
    const strict = guarded({ requestsPerSecond: 1, requestBurst: 1, rateLimitLoopback: true }).guard;
    expect(strict.admit('127.0.0.1')).toBe('ok');
    expect(strict.admit('127.0.0.1')).toBe('limited');
  });

  it('requestsPerSecond 0 turns the limit off', () => {
    const { guard } = guarded({ requestsPerSecond: 0 });
    for (let i = 0; i < 1000; i++) expect(guard.admit('192.0.2.1')).toBe('ok');
  });
});

describe('scanners', () => {
  it('recognises the usual scanner User-Agents, case-insensitively', () => {
    const { guard } = guarded();
    for (const ua of [
      'friendly-scanner',
      'sipvicious 0.3.4',
      'SIPCLI/v1.8',
      'sip-scan',
      'VaxSIPUserAgent/3.1',
      'sundayddr',
    ])
      expect(guard.scannerMatch(ua), ua).toBeDefined();
    for (const ua of [undefined, 'SIPp agent phone', 'Linphone/5.2', 'Yealink SIP-T46U', 'Switchyard'])
      expect(guard.scannerMatch(ua), ua).toBeUndefined();
  });

  it('takes a configured list instead; an empty list turns detection off', () => {
    expect(guarded({ scannerUserAgents: ['evil-dialer'] }).guard.scannerMatch('Evil-Dialer 2')).toBe(
      'evil-dialer',
    );
    expect(
      guarded({ scannerUserAgents: ['evil-dialer'] }).guard.scannerMatch('friendly-scanner'),
    ).toBeUndefined();
    expect(guarded({ scannerUserAgents: [] }).guard.scannerMatch('friendly-scanner')).toBeUndefined();
  });
});

describe('sources', () => {
  it('tracks IPv4 as is, IPv4-mapped IPv6 as IPv4, and IPv6 by /64', () => {
    expect(sourceKey('192.0.2.1')).toBe('192.0.2.1');
    expect(sourceKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(sourceKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('2001:0db8:0000:0001:ffff::9')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
  });

  it('locks a whole IPv6 /64 at once', () => {
    const { guard } = guarded({ maxAuthFailures: 1 });
    guard.authFailed('2001:db8:0:1::5');
    expect(guard.isLocked('2001:db8:0:1::77')).toBe(true);
    expect(guard.isLocked('2001:db8:0:2::5')).toBe(false);
  });

  it('knows loopback', () => {
    expect(['127.0.0.1', '127.0.0.2', '127.255.0.1', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '128.0.0.1', '::2', '192.0.2.127'].some(isLoopback)).toBe(false);
  });

  it('keeps bounded state under a flood of spoofed sources', () => {
    const { guard } = guarded({ maxTrackedSources: 1000, maxAuthFailures: 5 });
    for (let i = 0; i < 20_000; i++) {
      const host = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      guard.admit(host);
      guard.authFailed(host);
    }
    const sizes = guard as unknown as Record<'failures' | 'buckets' | 'locks', Map<string, unknown>>;
    expect(sizes.failures.size).toBeLessThanOrEqual(1000);
    expect(sizes.buckets.size).toBeLessThanOrEqual(1000);
    expect(sizes.locks.size).toBeLessThanOrEqual(1000);
  });
});
