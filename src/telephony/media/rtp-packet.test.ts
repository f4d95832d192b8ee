import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseRtpPacket,
  rewriteRtpHeader,
  seqDistance,
  serializeRtpPacket,
  timestampDistance,
} from './rtp-packet.ts';

describe('RTP header (RFC 3550 §5.1)', () => {
  it('serializes and parses every header field', () => {
    fc.assert(
      fc.property(
        fc.record({
          marker: fc.boolean(),
          payloadType: fc.integer({ min: 0, max: 127 }).filter((pt) => pt < 72 || pt > 76),
          sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
          timestamp: fc.integer({ min: 0, max: 0xffffffff }),
          ssrc: fc.integer({ min: 0, max: 0xffffffff }),
          csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
        }),
        fc.uint8Array({ maxLength: 200 }),
        (fields, payload) => {
          const parsed = parseRtpPacket(serializeRtpPacket(fields, payload));
          expect(parsed).toMatchObject({ ...fields, padding: false, extension: false });
          expect(Array.from(parsed?.payload ?? [])).toEqual(Array.from(payload));
        },
      ),
    );
  });

  it('never throws on random bytes, and returns null or a consistent packet', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const parsed = parseRtpPacket(bytes);
        if (parsed) {
          expect(parsed.payloadOffset + parsed.payloadLength).toBeLessThanOrEqual(bytes.length);
          expect(parsed.payloadLength).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('MUST be version 2: other versions are rejected', () => {
    const packet = serializeRtpPacket(
      { marker: false, payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1 },
      new Uint8Array(4),
    );
    packet[0] = (1 << 6) | ((packet[0] ?? 0) & 0x3f);
    expect(parseRtpPacket(packet)).toBeNull();
  });

  it('skips the header extension and strips padding (P bit, last octet = count)', () => {
    const header = [0x80 | 0x20 | 0x10, 0x00, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3];
    const extension = [0xbe, 0xde, 0, 1, 9, 9, 9, 9];
    const payload = [7, 7, 7];
    const padding = [0, 0, 3];
    const parsed = parseRtpPacket(Uint8Array.from([...header, ...extension, ...payload, ...padding]));
    expect(parsed?.extensionProfile).toBe(0xbede);
    expect(Array.from(parsed?.payload ?? [])).toEqual(payload);
  });

  it('rejects truncated CSRC lists, extensions and impossible padding', () => {
    expect(parseRtpPacket(Uint8Array.from([0x82, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]))).toBeNull();
    expect(parseRtpPacket(Uint8Array.from([0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 5]))).toBeNull();
    expect(parseRtpPacket(Uint8Array.from([0xa0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 50]))).toBeNull();
    expect(parseRtpPacket(Uint8Array.from([0xa0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0]))).toBeNull();
  });

  it('treats RTCP packet types (RFC 5761 §4) as not RTP', () => {
    const rr = Uint8Array.from([0x80, 201, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(parseRtpPacket(rr)).toBeNull();
  });

  it('rewrites marker, PT, seq, timestamp and SSRC in place', () => {
    const packet = serializeRtpPacket(
      { marker: false, payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [9] },
      Uint8Array.from([5]),
    );
    rewriteRtpHeader(packet, true, 8, 0xfffe, 0xfffffff0, 0xdeadbeef);
    expect(parseRtpPacket(packet)).toMatchObject({
      marker: true,
      payloadType: 8,
      sequenceNumber: 0xfffe,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      csrcs: [9],
    });
  });

  it('computes wrap-aware distances', () => {
    expect(seqDistance(0xffff, 0)).toBe(1);
    expect(seqDistance(0, 0xffff)).toBe(-1);
    expect(timestampDistance(0xffffff00, 0x100)).toBe(0x200);
    expect(timestampDistance(0x100, 0xffffff00)).toBe(-0x200);
  });
});
