/**
 * Bad input (issue #2): 100 malformed SIP datagrams and a truncated TCP message. The switch answers
 * 400 where it can read enough to answer, drops the rest, stays up, and the next real call works.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSipp } from '../support/sipp.ts';
import { freeSipPort } from '../support/ports.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
beforeAll(async () => {
  sut = await startSystemUnderTest();
});
afterAll(async () => {
  await sut?.stop();
});

function malformedDatagrams(): Buffer[] {
  const valid = [
    'OPTIONS sip:4008001000@127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-bad-1',
    'From: <sip:x@127.0.0.1>;tag=1',
    'To: <sip:4008001000@127.0.0.1>',
    'Call-ID: bad-1',
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ];
  const handmade = [
    'GARBAGE',
    '\r\n\r\n\r\n',
    'INVITE sip:4008001000@127.0.0.1 SIP/2.0\r\n\r\n',
    valid.map((l) => l.replace('CSeq: 1 OPTIONS', 'CSeq: x OPTIONS')).join('\r\n'),
    valid.map((l) => l.replace('Content-Length: 0', 'Content-Length: 9999')).join('\r\n'),
    valid.map((l) => l.replace('SIP/2.0/UDP', 'SIP/9.9/UDP')).join('\r\n'),
    valid.filter((l) => !l.startsWith('Call-ID')).join('\r\n'),
    valid.join('\r\n').replace('sip:4008001000@127.0.0.1 SIP/2.0', '%%% SIP/2.0'),
    'SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n',
    `INVITE sip:a@b SIP/2.0\r\n${'X-Long: '.padEnd(60000, 'a')}\r\n\r\n`,
  ].map((s) => Buffer.from(s));
  const random = fc
    .sample(fc.uint8Array({ minLength: 1, maxLength: 1400 }), { numRuns: 60, seed: 42 })
    .map((a) => Buffer.from(a));
  const mutated = fc
    .sample(fc.tuple(fc.nat(400), fc.uint8Array({ minLength: 1, maxLength: 8 })), { numRuns: 30, seed: 7 })
    .map(([at, bytes]) => {
      const b = Buffer.from(valid.join('\r\n'));
      const i = at % b.length;
      return Buffer.concat([b.subarray(0, i), Buffer.from(bytes), b.subarray(i + bytes.length)]);
    });
  return [...handmade, ...random, ...mutated].slice(0, 100);
}

describe('malformed SIP', () => {
  it('survives 100 malformed datagrams and a truncated TCP message, then takes a real call', async () => {
    const datagrams = malformedDatagrams();
    expect(datagrams).toHaveLength(100);
    const sock = createSocket('udp4');
    const replies: string[] = [];
    sock.on('message', (m) => replies.push(m.toString('utf8').split('\r\n')[0] ?? ''));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    for (const d of datagrams) {
      await new Promise<void>((r) => sock.send(d, sut.sipPort, '127.0.0.1', () => r()));
    }
    await new Promise((r) => setTimeout(r, 500));
    sock.close();
    // Broken requests that still name who to answer get a 400; a mutation that left the request
    // valid gets its 200 (OPTIONS), an unknown method its 501. No other 5xx, no dead process.
    expect(replies.filter((l) => l.startsWith('SIP/2.0 400 ')).length).toBeGreaterThan(0);
    for (const line of replies) expect(line).toMatch(/^SIP\/2\.0 (4\d\d|200|501) /);

    await new Promise<void>((resolve, reject) => {
      const c = connect(sut.sipPort, '127.0.0.1', () => {
        c.write(
          'INVITE sip:4008001000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5998;branch=z9hG4bK-trunc\r\nContent-Le',
        );
        setTimeout(() => {
          c.destroy();
          resolve();
        }, 200);
      });
      c.on('error', reject);
    });

    expect((await fetch(`${sut.baseUrl}/healthz`)).status).toBe(200);

    const port = await freeSipPort();
    const call = await runSipp({
      scenario: 'caller-hangup-in-ivr.xml',
      target: `127.0.0.1:${sut.sipPort}`,
      localPort: port,
      mediaPort: port + 1000,
      service: '4008001000',
      vars: { caller: '13912345678', listen_ms: 1000 },
      timeoutSec: 30,
    }).done;
    expect(call.code, call.output.slice(-2000)).toBe(0);
    const api = new ApiClient(sut.baseUrl);
    await api.login('supervisor');
    await expect
      .poll(
        async () =>
          (await api.json<{ caller: string; disposition: string }[]>('GET', '/api/cdrs?limit=1'))[0],
      )
      .toMatchObject({ caller: '13912345678', disposition: 'ivr' });
  }, 60_000);
});
