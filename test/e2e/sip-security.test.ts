/**
 * Acceptance (issue #4, SIP security): real SIPp peers against the running switch, each bound to
 * its own loopback address (Linux routes all of 127/8 to lo), because the defences work per source
 * address:
 *   - a wrong password and an unknown extension get the same 403, so extensions cannot be enumerated;
 *   - after SIP_AUTH_MAX_FAILURES failed REGISTERs an address is locked out: even the right password
 *     from it gets no answer, while another address still registers;
 *   - an OPTIONS from a "friendly-scanner" gets no answer at all, and its address is locked out.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeSipPort } from '../support/ports.ts';
import { scenarioDir } from '../support/sipp.ts';
import { startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

const MAX_FAILURES = 3;
let sut: SystemUnderTest;
let traces: string;

beforeAll(async () => {
  sut = await startSystemUnderTest({
    SIP_AUTH_MAX_FAILURES: String(MAX_FAILURES),
    SIP_LOCKOUT_SECONDS: '600',
  });
  traces = mkdtempSync(join(tmpdir(), 'sy-sipp-'));
});
afterAll(async () => {
  await sut?.stop();
  if (traces) rmSync(traces, { recursive: true, force: true });
});

interface SippOptions {
  /** Local address SIPp binds to and writes into Via/Contact (sipp -i). */
  ip: string;
  port: number;
  vars?: Record<string, string>;
  auth?: { user: string; password: string };
  timeoutSec?: number;
  /** Keep every message sent and received in this file (sipp -trace_msg). */
  messageFile?: string;
}

/** One SIPp call of `scenario` from `ip:port`; resolves with SIPp's exit code (0: the scenario passed). */
function sipp(scenario: string, o: SippOptions): Promise<{ code: number | null; output: string }> {
  const args = [
    '-sf',
    `${scenarioDir}${scenario}`,
    '-i',
    o.ip,
    '-p',
    String(o.port),
    '-m',
    '1',
    '-t',
    'u1',
    '-timeout',
    `${o.timeoutSec ?? 10}s`,
    '-timeout_error',
    '-nostdin',
  ];
  if (o.auth) args.push('-au', o.auth.user, '-ap', o.auth.password);
  for (const [k, v] of Object.entries(o.vars ?? {})) args.push('-key', k, v);
  if (o.messageFile) args.push('-trace_msg', '-message_file', o.messageFile);
  args.push(`127.0.0.1:${sut.sipPort}`);
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-5000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

/** The last SIP response SIPp received, from its -trace_msg file. */
function lastResponse(file: string): string {
  const blocks = readFileSync(file, 'utf8').split(/^-{10,}.*$/m);
  const received = blocks
    .filter((b) => /message received/.test(b))
    .map((b) => b.slice(b.indexOf('SIP/2.0')).trim());
  const last = received.at(-1);
  if (last === undefined) throw new Error(`no response in ${file}`);
  return last;
}

/** A response with everything that differs per request (tags, Call-ID, branch, ports, user) blanked. */
function normalized(response: string, ext: string, ip: string, port: number): string[] {
  return response.split(/\r?\n/).map((line) =>
    line
      .replaceAll(ext, 'EXT')
      .replaceAll(ip, 'IP')
      .replaceAll(String(port), 'PORT')
      .replace(/tag=[^;>\s]+/g, 'tag=T')
      .replace(/branch=[^;\s]+/g, 'branch=B')
      .replace(/^Call-ID: .*/i, 'Call-ID: C'),
  );
}

describe('SIP security', () => {
  it('answers a wrong password and an unknown extension identically (no enumeration)', async () => {
    const ip = '127.0.0.4';
    const port = await freeSipPort();
    const runs = [
      { ext: '1001', password: 'not-the-password', port },
      { ext: '7777', password: 'not-the-password', port: port + 2 },
    ];
    const responses: string[][] = [];
    for (const run of runs) {
      const messageFile = join(traces, `refused-${run.ext}.log`);
      const result = await sipp('register-refused.xml', {
        ip,
        port: run.port,
        vars: { ext: run.ext },
        auth: { user: run.ext, password: run.password },
        messageFile,
      });
      expect(result.code, result.output).toBe(0);
      responses.push(normalized(lastResponse(messageFile), run.ext, ip, run.port));
    }
    expect(responses[0]?.[0]).toBe('SIP/2.0 403 Forbidden');
    expect(responses[1]).toEqual(responses[0]);
    expect(responses[0]?.some((l) => /^WWW-Authenticate/i.test(l))).toBe(false);
  }, 60_000);

  it(`locks an address out after ${MAX_FAILURES} failed REGISTERs; the right password from it is ignored, other addresses register`, async () => {
    const attacker = '127.0.0.2';
    const port = await freeSipPort();
    for (let i = 0; i < MAX_FAILURES; i++) {
      const result = await sipp('register-refused.xml', {
        ip: attacker,
        port,
        vars: { ext: '1002' },
        auth: { user: '1002', password: `guess-${i}` },
      });
      expect(result.code, result.output).toBe(0);
    }
    // The correct password, from the same address but another port: no answer, no binding.
    const refused = await sipp('register.xml', {
      ip: attacker,
      port: port + 2,
      vars: { ext: '1002', expires: '300' },
      auth: { user: '1002', password: 'demo1234' },
      timeoutSec: 4,
    });
    expect(refused.code).not.toBe(0);
    expect(sut.system.sipSwitch.isRegistered('1002')).toBe(false);

    // Another address (and port) registers the same extension at once.
    const other = await sipp('register.xml', {
      ip: '127.0.0.3',
      port: port + 4,
      vars: { ext: '1002', expires: '300' },
      auth: { user: '1002', password: 'demo1234' },
    });
    expect(other.code, other.output).toBe(0);
    expect(sut.system.sipSwitch.isRegistered('1002')).toBe(true);
  }, 60_000);

  it('leaves a friendly-scanner OPTIONS unanswered and locks the scanner out', async () => {
    const scanner = '127.0.0.5';
    const port = await freeSipPort();
    const probe = await sipp('options-unanswered.xml', {
      ip: scanner,
      port,
      vars: { ua: 'friendly-scanner' },
    });
    expect(probe.code, probe.output).toBe(0);
    // The scanner's address stays silent even when it pretends to be a phone ...
    const disguised = await sipp('options-unanswered.xml', {
      ip: scanner,
      port: port + 2,
      vars: { ua: 'Linphone/5.2' },
    });
    expect(disguised.code, disguised.output).toBe(0);
    // ... while the same OPTIONS from anywhere else is answered (so silence above means something).
    const ping = await sipp('options-ping.xml', {
      ip: '127.0.0.1',
      port: port + 4,
      vars: { ua: 'Linphone/5.2' },
    });
    expect(ping.code, ping.output).toBe(0);
    const answered = await sipp('options-unanswered.xml', {
      ip: '127.0.0.1',
      port: port + 6,
      vars: { ua: 'Linphone/5.2' },
    });
    expect(answered.code).not.toBe(0);
    expect((await fetch(`${sut.baseUrl}/healthz`)).status).toBe(200);
  }, 60_000);
});
