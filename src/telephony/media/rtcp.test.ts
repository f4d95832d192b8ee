import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRtcpReport, ntpFromUnixMs, ntpMiddle32, parseRtcpCompound } from './rtcp.ts';
import { RtpReceiveStats } from './rtp-receive-stats.ts';

const block = {
  ssrc: 0x1234,
  fractionLost: 25,
  cumulativeLost: 7,
  extendedHighestSeq: 70000,
  jitter: 12,
  lastSr: 0xabcd0001,
  delaySinceLastSr: 65536,
};

describe('RTCP reports (RFC 3550 §6.4)', () => {
  it('builds an SR with sender info, a report block and SDES CNAME, and parses it back', () => {
    const ntp = ntpFromUnixMs(Date.UTC(2024, 0, 1));
    const packet = buildRtcpReport({
      ssrc: 99,
      cname: 'ep_1@switchyard',
      sender: { ntp, rtpTimestamp: 160000, packetCount: 1000, octetCount: 160000 },
      reports: [block],
    });
    expect(packet.length % 4).toBe(0);
    const parsed = parseRtcpCompound(packet);
    expect(parsed?.[0]).toEqual({
      type: 'sr',
      ssrc: 99,
      sender: { ntp, rtpTimestamp: 160000, packetCount: 1000, octetCount: 160000 },
      reports: [block],
    });
    expect(parsed?.[1]).toEqual({ type: 'sdes', chunks: [{ ssrc: 99, cname: 'ep_1@switchyard' }] });
  });

  it('builds an RR when we have not sent, and appends BYE on request (§6.6)', () => {
    const parsed = parseRtcpCompound(
      buildRtcpReport({ ssrc: 5, cname: 'x', sender: null, reports: [], bye: true }),
    );
    expect(parsed?.map((p) => p.type)).toEqual(['rr', 'sdes', 'bye']);
    expect(parsed?.[2]).toEqual({ type: 'bye', ssrcs: [5] });
  });

  it('keeps negative cumulative loss (duplicates) as signed 24-bit', () => {
    const parsed = parseRtcpCompound(
      buildRtcpReport({ ssrc: 1, cname: 'x', sender: null, reports: [{ ...block, cumulativeLost: -3 }] }),
    );
    expect(parsed?.[0]?.type === 'rr' && parsed[0].reports[0]?.cumulativeLost).toBe(-3);
  });

  it('computes NTP time from Unix time (epoch 1900)', () => {
    const ntp = ntpFromUnixMs(1500);
    expect(ntp.seconds).toBe(2_208_988_801);
    expect(ntp.fraction).toBe(0x80000000);
    expect(ntpMiddle32(ntp)).toBe(((2_208_988_801 & 0xffff) * 0x10000 + 0x8000) >>> 0);
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        parseRtcpCompound(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('RtpReceiveStats (RFC 3550 A.1, A.3, A.8)', () => {
  it('counts loss, fraction lost and wraps the sequence number', () => {
    const stats = new RtpReceiveStats();
    let ts = 0;
    for (let i = 0; i < 100; i++) {
      const seq = (65500 + i) & 0xffff;
      ts += 160;
      if (i % 10 === 5) continue;
      stats.update(1, seq, ts, ts, 160);
    }
    const report = stats.takeReport();
    expect(report.cumulativeLost).toBe(10);
    expect(report.extendedHighestSeq).toBe(65536 + ((65500 + 99) & 0xffff));
    expect(report.fractionLost).toBe(Math.floor((10 * 256) / 100));
    expect(report.jitter).toBe(0);
    expect(stats.takeReport().fractionLost).toBe(0);
  });

  it('estimates interarrival jitter', () => {
    const stats = new RtpReceiveStats();
    for (let i = 0; i < 200; i++) stats.update(1, i, i * 160, i * 160 + (i % 2 === 0 ? 0 : 80), 160);
    // Alternating 80-unit transit differences converge towards 80.
    expect(stats.jitter).toBeGreaterThan(60);
    expect(stats.jitter).toBeLessThanOrEqual(80);
  });

  it('resynchronises after a sender restart (two sequential packets after a jump)', () => {
    const stats = new RtpReceiveStats();
    for (let i = 0; i < 10; i++) stats.update(1, i, i * 160, i * 160, 160);
    expect(stats.update(1, 30000, 0, 0, 160)).toBe(false);
    expect(stats.update(1, 30001, 160, 160, 160)).toBe(true);
    expect(stats.cumulativeLost).toBe(0);
  });
});
