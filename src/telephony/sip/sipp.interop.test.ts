import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SipUserAgent, type Binding, type Dialog } from './index.ts';

/** Black-box interop with SIPp (Debian sip-tester), as the jambonz test suite does. */
// SIPp (Debian package sip-tester) is installed by scripts/install-test-deps.sh; no silent skip.
const SIPP = spawnSync('which', ['sipp'], { encoding: 'utf8' }).stdout.trim() || 'sipp';
const FIXTURES = fileURLToPath(new URL('./test-fixtures/', import.meta.url));
const SDP =
  'v=0\r\no=sy 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40010 RTP/AVP 0\r\n';

/** Runs SIPp asynchronously (the UA under test lives in this process) and returns its exit code. */
function runSipp(
  scenario: string,
  args: string[],
  remotePort: number,
): Promise<{ code: number | null; stderr: string }> {
  const localPort = String(20_000 + Math.floor(Math.random() * 20_000));
  const child = spawn(SIPP, [
    '-sf',
    `${FIXTURES}${scenario}`,
    ...args,
    '-m',
    '1',
    '-i',
    '127.0.0.1',
    '-mi',
    '127.0.0.1',
    '-p',
    localPort,
    '-timeout',
    '15s',
    '-nostdin',
    '-nr',
    `127.0.0.1:${remotePort}`,
  ]);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout.on('data', () => undefined);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('SIPp interop', () => {
  let ua: SipUserAgent;
  const dialogs: Dialog[] = [];
  const changes: [string, number][] = [];

  beforeEach(async () => {
    ua = new SipUserAgent(
      {
        host: '127.0.0.1',
        port: 0,
        domain: '127.0.0.1',
        credentials: async (user) => (user === '1001' ? 'sipp-secret' : null),
      },
      {
        onInvite: (invite) => {
          invite.progress(180);
          void invite.accept(SDP).then((dialog) => dialogs.push(dialog));
        },
      },
    );
    ua.onRegistrationChange((user: string, bindings: readonly Binding[]) =>
      changes.push([user, bindings.length]),
    );
    await ua.start();
  });

  afterEach(async () => {
    await ua.stop();
    changes.length = 0;
    dialogs.length = 0;
  });

  it.each([
    ['u1', 'udp'],
    ['t1', 'tcp'],
  ])('SIPp REGISTERs with digest auth over -t %s and unregisters', async (mode, transport) => {
    const result = await runSipp(
      'uac-register-digest.xml',
      ['-t', mode, '-s', '1001', '-au', '1001', '-ap', 'sipp-secret'],
      ua.port,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(changes).toEqual([
      ['1001', 1],
      ['1001', 0],
    ]);
    expect(ua.stats()[transport as 'udp' | 'tcp']?.received).toBeGreaterThanOrEqual(3);
  });

  it('SIPp with a wrong password does not get a binding', async () => {
    const result = await runSipp(
      'uac-register-digest.xml',
      ['-t', 'u1', '-s', '1001', '-au', '1001', '-ap', 'nope'],
      ua.port,
    );
    expect(result.code).not.toBe(0);
    expect(ua.registrar.lookup('1001')).toEqual([]);
  });

  it('SIPp places a call: INVITE, 180, 200, ACK, BYE', async () => {
    const result = await runSipp('uac-call.xml', ['-t', 'u1', '-s', '900'], ua.port);
    expect(result.code, result.stderr).toBe(0);
    expect(dialogs).toHaveLength(1);
    await dialogs[0]?.terminated;
    expect(ua.activeDialogs).toBe(0);
  });
});
