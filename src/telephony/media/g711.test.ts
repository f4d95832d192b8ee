import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALAW_TO_ULAW_TABLE,
  ULAW_TO_ALAW_TABLE,
  decodeAlawSample,
  decodeG711,
  decodeUlawSample,
  encodeAlawSample,
  encodeG711,
  encodeUlawSample,
  transcodeG711InPlace,
} from './g711.ts';

const pcm16 = fc.integer({ min: -32768, max: 32767 });
const code = fc.integer({ min: 0, max: 255 });

describe('G.711 μ-law (PCMU)', () => {
  it('matches the reference code points of G.711', () => {
    expect(encodeUlawSample(0)).toBe(0xff);
    expect(encodeUlawSample(-1)).toBe(0x7f);
    expect(encodeUlawSample(32767)).toBe(0x80);
    expect(encodeUlawSample(-32768)).toBe(0x00);
    expect(decodeUlawSample(0xff)).toBe(0);
    expect(decodeUlawSample(0x80)).toBe(32124);
    expect(decodeUlawSample(0x00)).toBe(-32124);
  });

  it('decode(encode(decode(c))) is decode(c) for every code', () => {
    fc.assert(
      fc.property(
        code,
        (c) => decodeUlawSample(encodeUlawSample(decodeUlawSample(c))) === decodeUlawSample(c),
      ),
    );
  });

  it('round-trip error stays within the segment quantization step', () => {
    fc.assert(
      fc.property(pcm16, (x) => {
        const y = decodeUlawSample(encodeUlawSample(x));
        const clipped = Math.max(-32124, Math.min(32124, x));
        // Step doubles per segment; half-step error is at most ~3.2% of magnitude + 8 (14-bit lsb).
        return Math.abs(y - clipped) <= Math.abs(clipped) / 16 + 8;
      }),
    );
  });

  it('is monotonic', () => {
    fc.assert(
      fc.property(pcm16, pcm16, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return decodeUlawSample(encodeUlawSample(lo)) <= decodeUlawSample(encodeUlawSample(hi));
      }),
    );
  });
});

describe('G.711 A-law (PCMA)', () => {
  it('matches the reference code points of G.711', () => {
    expect(encodeAlawSample(0)).toBe(0xd5);
    expect(encodeAlawSample(-1)).toBe(0x55);
    expect(encodeAlawSample(32767)).toBe(0xaa);
    expect(encodeAlawSample(-32768)).toBe(0x2a);
    expect(decodeAlawSample(0xd5)).toBe(8);
    expect(decodeAlawSample(0xaa)).toBe(32256);
    expect(decodeAlawSample(0x2a)).toBe(-32256);
  });

  it('decode(encode(decode(c))) is decode(c) for every code', () => {
    fc.assert(
      fc.property(
        code,
        (c) => decodeAlawSample(encodeAlawSample(decodeAlawSample(c))) === decodeAlawSample(c),
      ),
    );
  });

  it('round-trip error stays within the segment quantization step', () => {
    fc.assert(
      fc.property(pcm16, (x) => {
        const y = decodeAlawSample(encodeAlawSample(x));
        return Math.abs(y - x) <= Math.abs(x) / 32 + 16 + 512 * Number(Math.abs(x) > 32256);
      }),
    );
  });
});

describe('G.711 buffers and transcoding', () => {
  it('encodes and decodes buffers like the scalar functions', () => {
    fc.assert(
      fc.property(
        fc.array(pcm16, { minLength: 1, maxLength: 400 }),
        fc.constantFrom('PCMU' as const, 'PCMA' as const),
        (xs, law) => {
          const pcm = Int16Array.from(xs);
          const bytes = new Uint8Array(xs.length);
          encodeG711(law, pcm, 0, xs.length, bytes, 0);
          const back = new Int16Array(xs.length);
          decodeG711(law, bytes, 0, xs.length, back, 0);
          const encode = law === 'PCMU' ? encodeUlawSample : encodeAlawSample;
          const decode = law === 'PCMU' ? decodeUlawSample : decodeAlawSample;
          return xs.every((x, i) => bytes[i] === encode(x) && back[i] === decode(encode(x)));
        },
      ),
    );
  });

  it('PCMU→PCMA→PCMU keeps the value within one A-law step', () => {
    fc.assert(
      fc.property(code, (u) => {
        const a = ULAW_TO_ALAW_TABLE[u] ?? 0;
        const viaA = decodeAlawSample(a);
        const direct = decodeUlawSample(u);
        return (
          Math.abs(viaA - direct) <= Math.abs(direct) / 16 + 16 &&
          decodeUlawSample(ALAW_TO_ULAW_TABLE[a] ?? 0) * direct >= 0
        );
      }),
    );
  });

  it('transcodes in place and leaves the rest of the buffer alone', () => {
    const data = Uint8Array.from([1, 0xff, 0x80, 0x00, 2]);
    transcodeG711InPlace('PCMU', 'PCMA', data, 1, 3);
    expect(Array.from(data)).toEqual([
      1,
      ULAW_TO_ALAW_TABLE[0xff],
      ULAW_TO_ALAW_TABLE[0x80],
      ULAW_TO_ALAW_TABLE[0x00],
      2,
    ]);
    transcodeG711InPlace('PCMA', 'PCMA', data, 0, 5);
    expect(data[0]).toBe(1);
  });
});

describe('G.711 symmetry', () => {
  it('codes -1-x as the negative twin of x (sign bit only)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 32767 }), (x) => {
        expect(encodeUlawSample(-1 - x)).toBe(encodeUlawSample(x) & 0x7f);
        expect(encodeAlawSample(-1 - x)).toBe((encodeAlawSample(x) ^ 0x80) & 0xff);
      }),
    );
  });
});
