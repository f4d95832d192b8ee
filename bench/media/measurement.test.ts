/**
 * The media benchmark's own instruments: the ng protocol's bencoding, and loss and jitter as the
 * RTP ends measure them through a relay that drops or delays packets on purpose.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { openPair } from './call-setup.ts';
import { bdecode, bencode } from './ng-client.ts';
import { measureWindow, Pacer, type RtpEnd } from './rtp-load.ts';

describe('ng bencoding', () => {
  it('round-trips the dictionaries rtpengine exchanges, keys sorted, UTF-8 lengths in bytes', () => {
    const message = { command: 'offer', 'call-id': 'c1', sdp: 'v=0\r\ns=会议\r\n', flags: ['a', 7] };
    const wire = bencode(message);
    expect(wire.toString()).toMatch(/^d7:call-id2:c17:command5:offer5:flagsl1:ai7ee3:sdp\d+:/);
    expect(bdecode(wire)).toEqual(message);
  });
});

/** A UDP relay between two ends that drops every `dropEvery`-th packet and holds some back. */
async function lossyRelay(dropEvery: number, delayEvery: number, delayMs: number) {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  let n = 0;
  let to: { a: RtpEnd; b: RtpEnd } | null = null;
  sock.on('message', (m, rinfo) => {
    if (!to) return;
    const target = rinfo.port === to.a.port ? to.b.port : to.a.port;
    n++;
    if (n % dropEvery === 0) return;
    if (n % delayEvery === 0) setTimeout(() => sock.send(m, target, '127.0.0.1'), delayMs);
    else sock.send(m, target, '127.0.0.1');
  });
  return {
    port: sock.address().port,
    connect: (a: RtpEnd, b: RtpEnd) => (to = { a, b }),
    close: () => sock.close(),
  };
}

describe('RTP ends', () => {
  it('count packets lost in a relay and see its delays as jitter', async () => {
    const relay = await lossyRelay(20, 7, 30);
    const pair = await openPair();
    relay.connect(pair.a, pair.b);
    pair.a.remote = { host: '127.0.0.1', port: relay.port };
    pair.b.remote = { host: '127.0.0.1', port: relay.port };
    const pacer = new Pacer();
    pacer.add(pair);
    pacer.run();
    await new Promise((r) => setTimeout(r, 100));
    measureWindow([pair.a, pair.b], 1000);
    await new Promise((r) => setTimeout(r, 1300));
    pacer.stop();
    relay.close();
    pair.a.close();
    pair.b.close();
    const a = pair.a.result();
    const b = pair.b.result();
    expect(a.expected).toBe(50);
    // One packet in 20 of the pair's combined 100 is dropped: about 5 of them, split between the ends.
    const lost = a.expected + b.expected - a.received - b.received;
    expect(lost).toBeGreaterThanOrEqual(3);
    expect(lost).toBeLessThanOrEqual(7);
    // Every 7th packet is 30 ms late: the RFC 3550 estimate sits well above a clean loopback's.
    expect(Math.max(a.jitterMs, b.jitterMs)).toBeGreaterThan(3);
    expect(Math.max(...a.delays, ...b.delays)).toBeGreaterThan(25);
  });
});
