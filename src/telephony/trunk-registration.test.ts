import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { TrunkConfig } from './outbound-routing.ts';
import { SipHeaders, type RegisterParams, type RegisterResult, type SipResponse } from './sip/index.ts';
import { TrunkRegistration, TrunkRegistrations, type RegistrationTimers } from './trunk-registration.ts';

const logger = pino({ level: 'silent' });

/** A clock whose timers run only when the test advances it. */
class FakeTimers implements RegistrationTimers {
  private t = 1_000_000;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.t + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Milliseconds until the next timer, or null. */
  get nextIn(): number | null {
    const ats = [...this.pending.values()].map((p) => p.at - this.t);
    return ats.length ? Math.min(...ats) : null;
  }

  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.pending.entries()]
        .filter(([, p]) => p.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

const flush = () => new Promise<void>((r) => setImmediate(r));

/** A carrier registrar: answers each REGISTER from a script (default 200 with the asked expiry). */
class FakeCarrier {
  readonly requests: RegisterParams[] = [];
  readonly script: (Partial<RegisterResult> & { status: number })[] = [];
  private cseq = 0;

  register = async (params: RegisterParams): Promise<RegisterResult> => {
    this.requests.push(params);
    const next = this.script.shift() ?? { status: 200 };
    this.cseq = (params.cseq ?? 0) + 1;
    const response: SipResponse = next.response ?? {
      kind: 'response',
      status: next.status,
      reason: next.reason ?? 'OK',
      headers: new SipHeaders(),
      body: Buffer.alloc(0),
    };
    return {
      status: next.status,
      reason: next.reason ?? (next.status === 200 ? 'OK' : 'Forbidden'),
      response,
      callId: params.callId ?? 'call-1',
      cseq: this.cseq,
      ...(next.status === 200 ? { expires: next.expires ?? params.expires } : {}),
    };
  };
}

function trunk(extra: Partial<TrunkConfig> = {}): TrunkConfig {
  return {
    id: 'trk_1',
    name: 'carrier',
    host: '192.0.2.10',
    port: 5060,
    transport: 'udp',
    register: true,
    username: '02088886666',
    password: 'secret',
    domain: 'ims.carrier.example',
    registerExpires: 3600,
    maxChannels: null,
    enabled: true,
    ...extra,
  };
}

describe('trunk registration', () => {
  it('registers with the trunk credentials and domain, and reports the granted expiry', async () => {
    const timers = new FakeTimers();
    const carrier = new FakeCarrier();
    carrier.script.push({ status: 200, expires: 600 });
    const reg = new TrunkRegistration(trunk(), { register: carrier.register, logger, timers });
    reg.start();
    await flush();
    expect(carrier.requests[0]).toMatchObject({
      target: { transport: 'udp', host: '192.0.2.10', port: 5060 },
      user: '02088886666',
      password: 'secret',
      domain: 'ims.carrier.example',
      expires: 3600,
    });
    expect(reg.status()).toEqual({
      registered: true,
      lastError: null,
      expiresAt: new Date(timers.now() + 600_000),
      lastRegisteredAt: new Date(timers.now()),
    });
  });

  it('refreshes at 80% of the granted expiry, reusing the Call-ID with a higher CSeq', async () => {
    const timers = new FakeTimers();
    const carrier = new FakeCarrier();
    carrier.script.push({ status: 200, expires: 100 }, { status: 200, expires: 100 });
    const reg = new TrunkRegistration(trunk(), { register: carrier.register, logger, timers });
    reg.start();
    await flush();
    expect(timers.nextIn).toBe(80_000);
    await timers.advance(79_999);
    expect(carrier.requests).toHaveLength(1);
    await timers.advance(1);
    expect(carrier.requests).toHaveLength(2);
    expect(carrier.requests[1]).toMatchObject({ callId: 'call-1', cseq: 1 });
    expect(reg.status().registered).toBe(true);
  });

  it('retries after 30 s, doubling to at most 5 minutes, and resets after a success', async () => {
    const timers = new FakeTimers();
    const carrier = new FakeCarrier();
    for (let i = 0; i < 6; i++) carrier.script.push({ status: 403, reason: 'Forbidden' });
    const reg = new TrunkRegistration(trunk(), { register: carrier.register, logger, timers });
    reg.start();
    await flush();
    expect(reg.status()).toMatchObject({
      registered: false,
      lastError: '403 Forbidden',
      lastRegisteredAt: null,
    });
    const delays: (number | null)[] = [];
    for (let i = 0; i < 6; i++) {
      delays.push(timers.nextIn);
      await timers.advance(timers.nextIn!);
    }
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    // The 7th attempt is answered 200 (the script ran out): registered, and the backoff starts over.
    expect(reg.status()).toMatchObject({ registered: true, lastError: null });
    carrier.script.push({ status: 408, reason: 'Request Timeout' });
    await timers.advance(timers.nextIn!);
    expect(reg.status().lastError).toBe('408 Request Timeout');
    expect(timers.nextIn).toBe(30_000);
  });

  it('keeps reporting registered until the granted expiry passes even when a refresh fails', async () => {
    const timers = new FakeTimers();
    const carrier = new FakeCarrier();
    carrier.script.push({ status: 200, expires: 100 }, { status: 503, reason: 'Service Unavailable' });
    const reg = new TrunkRegistration(trunk(), { register: carrier.register, logger, timers });
    reg.start();
    await flush();
    await timers.advance(80_000);
    expect(reg.status()).toMatchObject({ registered: true, lastError: '503 Service Unavailable' });
    carrier.script.push({ status: 503, reason: 'Service Unavailable' });
    await timers.advance(20_000);
    expect(reg.status()).toMatchObject({ registered: false, expiresAt: null });
  });

  it('treats a thrown REGISTER (transport failure) as a failed attempt', async () => {
    const timers = new FakeTimers();
    const reg = new TrunkRegistration(trunk(), {
      register: () => Promise.reject(new Error('no udp transport')),
      logger,
      timers,
    });
    reg.start();
    await flush();
    expect(reg.status()).toMatchObject({ registered: false, lastError: 'no udp transport' });
    expect(timers.nextIn).toBe(30_000);
  });

  it('asks again at once with the Min-Expires of a 423', async () => {
    const timers = new FakeTimers();
    const carrier = new FakeCarrier();
    carrier.script.push({
      status: 423,
      reason: 'Interval Too Brief',
      response: {
        kind: 'response',
        status: 423,
        reason: 'Interval Too Brief',
        headers: new SipHeaders([['Min-Expires', '7200']]),
        body: Buffer.alloc(0),
      },
    });
    const reg = new TrunkRegistration(trunk(), { register: carrier.register, logger, timers });
    reg.start();
    await flush();
    expect(carrier.requests.map((r) => r.expires)).toEqual([3600, 7200]);
    expect(reg.status().registered).toBe(true);
  });

  it('unregisters (Expires: 0) on stop, and not at all when never registered', async () => {
    const timers = new FakeTimers();
    const carrier = new FakeCarrier();
    const reg = new TrunkRegistration(trunk(), { register: carrier.register, logger, timers });
    reg.start();
    await flush();
    await reg.stop(true);
    expect(carrier.requests.map((r) => r.expires)).toEqual([3600, 0]);
    expect(carrier.requests[1]).toMatchObject({ callId: 'call-1' });
    expect(reg.status().registered).toBe(false);
    expect(timers.nextIn).toBeNull();

    const failing = new FakeCarrier();
    failing.script.push({ status: 403 });
    const never = new TrunkRegistration(trunk(), { register: failing.register, logger, timers });
    never.start();
    await flush();
    await never.stop(true);
    expect(failing.requests.map((r) => r.expires)).toEqual([3600]);
  });

  it('waits for a REGISTER in flight at stop, then removes the binding it made', async () => {
    const timers = new FakeTimers();
    const carrier = new FakeCarrier();
    let answer: () => void = () => undefined;
    const slow = (p: RegisterParams) =>
      p.expires === 0
        ? carrier.register(p)
        : new Promise<RegisterResult>((resolve) => (answer = () => void carrier.register(p).then(resolve)));
    const reg = new TrunkRegistration(trunk(), { register: slow, logger, timers });
    reg.start();
    const stopped = reg.stop(true);
    answer();
    await stopped;
    expect(carrier.requests.map((r) => r.expires)).toEqual([3600, 0]);
    expect(timers.nextIn).toBeNull();
  });
});

describe('trunk registrations follow the trunk list', () => {
  it('starts new trunks, unregisters removed or disabled ones, and restarts changed ones after unregistering', async () => {
    const timers = new FakeTimers();
    const carrier = new FakeCarrier();
    const regs = new TrunkRegistrations({ register: carrier.register, logger, timers });
    const ip = trunk({ id: 'trk_ip', register: false, username: null, password: null });
    regs.sync([trunk(), ip]);
    await flush();
    expect(carrier.requests).toHaveLength(1);
    expect(regs.status('trk_1')?.registered).toBe(true);
    expect(regs.status('trk_ip')).toBeNull();

    // Only the channel limit changed: the registration is left alone.
    regs.sync([trunk({ maxChannels: 5 })]);
    await flush();
    expect(carrier.requests).toHaveLength(1);

    // The password changed: the old binding goes first, then a new registration.
    regs.sync([trunk({ password: 'new-secret' })]);
    await flush();
    await flush();
    expect(carrier.requests.map((r) => [r.expires, r.password])).toEqual([
      [3600, 'secret'],
      [0, 'secret'],
      [3600, 'new-secret'],
    ]);
    expect(regs.status('trk_1')?.registered).toBe(true);

    regs.sync([trunk({ password: 'new-secret', enabled: false })]);
    await flush();
    expect(carrier.requests.at(-1)).toMatchObject({ expires: 0, password: 'new-secret' });
    expect(regs.status('trk_1')).toBeNull();
    expect(timers.nextIn).toBeNull();
  });

  it('unregisters every trunk on stop', async () => {
    const timers = new FakeTimers();
    const carrier = new FakeCarrier();
    const regs = new TrunkRegistrations({ register: carrier.register, logger, timers });
    regs.sync([trunk(), trunk({ id: 'trk_2', username: 'other' })]);
    await flush();
    await regs.stop();
    expect(carrier.requests.filter((r) => r.expires === 0).map((r) => r.user)).toEqual([
      '02088886666',
      'other',
    ]);
    expect(timers.nextIn).toBeNull();
  });
});
