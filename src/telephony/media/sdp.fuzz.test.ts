import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, mutate } from '../sip/testing/fuzz.ts';
import { SdpNegotiationError } from './media-errors.ts';
import { createAnswer, parseAnswer } from './sdp-offer-answer.ts';
import { SDP_SEEDS, descriptionViolations, fuzzSdpOne, negotiatedViolations } from './sdp-fuzz.ts';
import { parseSdp, rtpMaps, serializeSdp, type SdpMedia, type SessionDescription } from './sdp.ts';

/**
 * Fuzzing the SDP parser and the offer/answer code on top of it (issue #4): mutated bodies must
 * parse to a well-typed description or throw SdpNegotiationError, and a generated description
 * must survive serialize → parse unchanged.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 8_866);
const corpus = SDP_SEEDS.map((s) => Buffer.from(s, 'utf8'));

describe('SDP mutation fuzzing', () => {
  it('the seeds are valid and negotiate', () => {
    for (const seed of SDP_SEEDS) expect(fuzzSdpOne(seed)).toMatchObject({ parsed: true, violations: [] });
  });

  it('15 000 mutated bodies: parse, answer and read as an answer, or throw SdpNegotiationError', () => {
    const rng = new Rng(SEED);
    const failures: { input: string; violations: string[] }[] = [];
    let parsed = 0;
    let slowestMs = 0;
    for (let i = 0; i < 15_000; i++) {
      const text = mutate(rng, rng.pick(corpus), corpus).toString('utf8');
      const outcome = fuzzSdpOne(text);
      if (outcome.parsed) parsed++;
      slowestMs = Math.max(slowestMs, outcome.micros / 1000);
      if (outcome.violations.length > 0 && failures.length < 5)
        failures.push({ input: text, violations: outcome.violations });
    }
    expect(failures).toEqual([]);
    expect(parsed).toBeGreaterThan(2_000);
    expect(slowestMs).toBeLessThan(250);
  }, 30_000);
});

// ---- structured generators ----

const word = fc.stringMatching(/^[A-Za-z0-9._+-]{1,12}$/);
/** Free text for s=, i=, attribute values: no line breaks or NUL, no whitespace at either end. */
const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
  .filter((s) => !/[\0\r\n]/.test(s) && s.trimEnd() === s && !/^\s/.test(s));
const address = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
  fc.constantFrom('2001:db8::1', 'media.example.com', '0.0.0.0'),
);
const connection = fc.option(
  fc.record({ netType: fc.constant('IN'), addrType: fc.constantFrom('IP4', 'IP6'), address }),
  { nil: null },
);
const attribute = fc.record({
  name: fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/),
  value: fc.option(text, { nil: null }),
});
const otherLine = (types: string) => fc.record({ type: fc.constantFrom(...types.split('')), value: text });

const media: fc.Arbitrary<SdpMedia> = fc
  .record({
    media: fc.constantFrom('audio', 'video', 'application', 'text'),
    port: fc.integer({ min: 0, max: 65535 }),
    portCount: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: null }),
    protocol: fc.constantFrom('RTP/AVP', 'RTP/SAVP', 'UDP/TLS/RTP/SAVPF', 'udp'),
    formats: fc.array(fc.oneof(fc.integer({ min: 0, max: 127 }).map(String), word), {
      minLength: 1,
      maxLength: 6,
    }),
    connection,
    bandwidths: fc.array(fc.constantFrom('AS:64', 'TIAS:64000', 'CT:1000'), { maxLength: 2 }),
    attributes: fc.array(attribute, { maxLength: 5 }),
    title: fc.option(otherLine('i'), { nil: undefined }),
    others: fc.array(otherLine('k'), { maxLength: 2 }),
  })
  .map(({ title, others, ...m }) => ({
    ...m,
    otherLines: [...(title === undefined ? [] : [title]), ...others],
  }));

const description: fc.Arbitrary<SessionDescription> = fc
  .record({
    origin: fc.record({
      username: fc.oneof(fc.constant('-'), word),
      sessionId: fc.nat().map(String),
      sessionVersion: fc.nat().map(String),
      netType: fc.constant('IN'),
      addrType: fc.constantFrom('IP4', 'IP6'),
      address,
    }),
    sessionName: text,
    connection,
    bandwidths: fc.array(fc.constantFrom('AS:80', 'CT:128'), { maxLength: 2 }),
    timing: fc.array(fc.constantFrom('0 0', '2873397496 2873404696'), { minLength: 1, maxLength: 2 }),
    attributes: fc.array(attribute, { maxLength: 4 }),
    early: fc.array(otherLine('iuep'), { maxLength: 3 }),
    late: fc.array(otherLine('rzk'), { maxLength: 2 }),
    media: fc.array(media, { maxLength: 3 }),
  })
  // serializeSdp writes i/u/e/p before c= and r/z/k after t= (RFC 8866 §5), so generate them in that order.
  .map(({ early, late, ...d }) => ({ version: 0, ...d, otherLines: [...early, ...late] }));

/** An offer somebody might send us: audio with a mix of codecs, odd ports and PTs included. */
const offer = fc
  .record({
    port: fc.integer({ min: 0, max: 65535 }),
    protocol: fc.constantFrom('RTP/AVP', 'RTP/AVP', 'RTP/SAVP'),
    pts: fc.uniqueArray(fc.integer({ min: 0, max: 127 }), { minLength: 1, maxLength: 5 }),
    names: fc.array(fc.constantFrom('PCMU', 'PCMA', 'opus', 'G722', 'telephone-event'), {
      minLength: 5,
      maxLength: 5,
    }),
    rates: fc.array(fc.constantFrom(8000, 16000, 48000), { minLength: 5, maxLength: 5 }),
    rtcp: fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
    ptime: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
    direction: fc.constantFrom('sendrecv', 'sendonly', 'recvonly', 'inactive'),
    address,
  })
  .map((o) =>
    [
      'v=0',
      `o=- 1 1 IN IP4 ${o.address}`,
      's=-',
      `c=IN IP4 ${o.address}`,
      't=0 0',
      `m=audio ${o.port} ${o.protocol} ${o.pts.join(' ')}`,
      ...o.pts.map((pt, i) => `a=rtpmap:${pt} ${o.names[i] ?? 'PCMU'}/${o.rates[i] ?? 8000}`),
      ...(o.rtcp === undefined ? [] : [`a=rtcp:${o.rtcp}`]),
      ...(o.ptime === undefined ? [] : [`a=ptime:${o.ptime}`]),
      `a=${o.direction}`,
      '',
    ].join('\r\n'),
  );

describe('structured SDP generators', () => {
  it('serialize → parse gives back the same description', () => {
    fc.assert(
      fc.property(description, (sdp) => {
        const parsed = parseSdp(serializeSdp(sdp));
        expect(descriptionViolations(parsed)).toEqual([]);
        expect(parsed).toEqual(sdp);
      }),
      { numRuns: 2_000, seed: SEED },
    );
  });

  it('offers with any ports, payload types and codecs negotiate a usable stream or raise SdpNegotiationError', () => {
    fc.assert(
      fc.property(offer, (text) => {
        try {
          const answer = createAnswer(text, { address: '192.0.2.1', port: 40_000 });
          expect(negotiatedViolations(answer.media)).toEqual([]);
          expect(descriptionViolations(parseSdp(answer.sdp))).toEqual([]);
        } catch (error) {
          expect(error).toBeInstanceOf(SdpNegotiationError);
        }
        try {
          const media = parseAnswer(text, {
            codecs: ['PCMU', 'PCMA'],
            telephoneEventPt: 101,
            direction: 'sendrecv',
          });
          expect(negotiatedViolations(media)).toEqual([]);
        } catch (error) {
          expect(error).toBeInstanceOf(SdpNegotiationError);
        }
      }),
      { numRuns: 2_000, seed: SEED + 1 },
    );
  });
});

/** Bugs the fuzzers found, pinned down. */
describe('SDP fixes found by fuzzing', () => {
  const head = 'v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n';

  it('rejects NUL and bare CR inside a line (RFC 8866 byte-string)', () => {
    expect(() => parseSdp(`${head}a=sendonly\r,m=video 9 RTP/AVP 0\r\n`)).toThrow(SdpNegotiationError);
    expect(() => parseSdp(`${head}s=a\0b\r\n`)).toThrow(SdpNegotiationError);
    expect(parseSdp(`${head}a=x\x01y\r\n`).attributes).toEqual([{ name: 'x\x01y', value: null }]);
  });

  it('ignores a port count that is no port number instead of keeping 1e+40', () => {
    const sdp = parseSdp(`${head}m=audio 30000/${'9'.repeat(40)} RTP/AVP 0\r\n`);
    expect(sdp.media[0]?.portCount).toBeNull();
    expect(parseSdp(`${head}m=audio 30000/2 RTP/AVP 0\r\n`).media[0]?.portCount).toBe(2);
  });

  it('ignores rtpmap payload types beyond 7 bits', () => {
    const sdp = parseSdp(
      `${head}m=audio 4000 RTP/AVP 0 99999999999\r\na=rtpmap:99999999999 telephone-event/8000\r\na=rtpmap:101 telephone-event/8000\r\n`,
    );
    expect([...rtpMaps(sdp.media[0] as SdpMedia).keys()]).toEqual([101]);
    const answer = createAnswer(
      `${head}m=audio 4000 RTP/AVP 0 99999999999\r\na=rtpmap:99999999999 telephone-event/8000\r\n`,
      { address: '192.0.2.9', port: 40_000 },
    );
    expect(answer.media.telephoneEventPt).toBeNull();
  });

  it('rejects a c= line without an address', () => {
    expect(() => parseSdp(`${head.replace('c=IN IP4 192.0.2.1', 'c=IN IP4 /8000')}`)).toThrow(
      SdpNegotiationError,
    );
  });

  it('does not derive RTCP port 65536 from RTP port 65535', () => {
    const answer = createAnswer(`${head}m=audio 65535 RTP/AVP 0\r\n`, { address: '192.0.2.9', port: 40_000 });
    expect(answer.media.remoteRtcpPort).toBe(65535);
    expect(
      createAnswer(`${head}m=audio 4000 RTP/AVP 0\r\n`, { address: '192.0.2.9', port: 40_000 }).media
        .remoteRtcpPort,
    ).toBe(4001);
  });
});
