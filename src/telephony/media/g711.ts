/**
 * ITU-T G.711 companding (μ-law for PCMU, A-law for PCMA; RFC 3551 §4.5.14).
 *
 * Encoding and decoding go through lookup tables built once at module load, so the per-sample
 * cost on the media path is one array read. The tables are computed from the segment rules of
 * G.711 §3 (8 segments, 4-bit mantissa), not copied from elsewhere.
 */

/** μ-law works on 14-bit magnitudes; a linear PCM16 sample is shifted right by 2 first. */
const ULAW_BIAS = 0x21;
const ULAW_CLIP = 8159;
const ULAW_SEGMENT_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff] as const;
/** A-law works on 13-bit magnitudes; a linear PCM16 sample is shifted right by 3 first. */
const ALAW_SEGMENT_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff] as const;

function segmentOf(value: number, ends: readonly number[]): number {
  for (let seg = 0; seg < ends.length; seg++) {
    if (value <= (ends[seg] ?? 0)) return seg;
  }
  return ends.length;
}

/** Reference μ-law encoder (G.711 table 2a); used only to build the lookup table. */
function computeUlaw(sample: number): number {
  let value = sample >> 2;
  let mask: number;
  if (value < 0) {
    // One's complement magnitude (as in ITU-T G.191), so -1 is the negative twin of 0.
    value = ~value;
    mask = 0x7f;
  } else {
    mask = 0xff;
  }
  if (value > ULAW_CLIP) value = ULAW_CLIP;
  value += ULAW_BIAS;
  const seg = segmentOf(value, ULAW_SEGMENT_END);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((value >> (seg + 1)) & 0x0f)) ^ mask;
}

/** Reference A-law encoder (G.711 table 1a; even bits inverted with 0x55). */
function computeAlaw(sample: number): number {
  let value = sample >> 3;
  let mask: number;
  if (value >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    value = -value - 1;
  }
  const seg = segmentOf(value, ALAW_SEGMENT_END);
  if (seg >= 8) return 0x7f ^ mask;
  const mantissa = seg < 2 ? (value >> 1) & 0x0f : (value >> seg) & 0x0f;
  return ((seg << 4) | mantissa) ^ mask;
}

function computeUlawDecode(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

function computeAlawDecode(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

/**
 * Both encoders only look at the top 14 bits of the sample (A-law at 13, and
 * (x >> 2) >> 1 === x >> 3 for arithmetic shifts), so a 16384-entry table indexed by
 * (sample >> 2) + 8192 is exact.
 */
const ENCODE_TABLE_SIZE = 1 << 14;
const ENCODE_OFFSET = 1 << 13;

function buildEncodeTable(encode: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(ENCODE_TABLE_SIZE);
  for (let i = 0; i < ENCODE_TABLE_SIZE; i++) table[i] = encode((i - ENCODE_OFFSET) << 2);
  return table;
}

function buildDecodeTable(decode: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) table[i] = decode(i);
  return table;
}

const ULAW_ENCODE = buildEncodeTable(computeUlaw);
const ALAW_ENCODE = buildEncodeTable(computeAlaw);
/** μ-law code → linear PCM16. */
export const ULAW_DECODE_TABLE: Readonly<Int16Array> = buildDecodeTable(computeUlawDecode);
/** A-law code → linear PCM16. */
export const ALAW_DECODE_TABLE: Readonly<Int16Array> = buildDecodeTable(computeAlawDecode);

function buildTranscodeTable(decode: Int16Array, encode: Uint8Array): Uint8Array {
  const table = new Uint8Array(256);
  for (let i = 0; i < 256; i++) table[i] = encode[((decode[i] ?? 0) >> 2) + ENCODE_OFFSET] ?? 0;
  return table;
}

/** PCMU byte → PCMA byte, through the linear value (used when a bridge joins unlike legs). */
export const ULAW_TO_ALAW_TABLE: Readonly<Uint8Array> = buildTranscodeTable(ULAW_DECODE_TABLE, ALAW_ENCODE);
/** PCMA byte → PCMU byte. */
export const ALAW_TO_ULAW_TABLE: Readonly<Uint8Array> = buildTranscodeTable(ALAW_DECODE_TABLE, ULAW_ENCODE);

/** The two G.711 laws, named by their RTP encoding names (RFC 3551 table 4). */
export type G711Law = 'PCMU' | 'PCMA';

export function encodeUlawSample(sample: number): number {
  return ULAW_ENCODE[(sample >> 2) + ENCODE_OFFSET] ?? 0xff;
}

export function encodeAlawSample(sample: number): number {
  return ALAW_ENCODE[(sample >> 2) + ENCODE_OFFSET] ?? 0xd5;
}

export function decodeUlawSample(code: number): number {
  return ULAW_DECODE_TABLE[code & 0xff] ?? 0;
}

export function decodeAlawSample(code: number): number {
  return ALAW_DECODE_TABLE[code & 0xff] ?? 0;
}

/**
 * Encodes `count` PCM16 samples from `pcm[pcmOffset]` into `out[outOffset]`.
 * Callers pass preallocated buffers so the per-packet path does not allocate.
 */
export function encodeG711(
  law: G711Law,
  pcm: Int16Array,
  pcmOffset: number,
  count: number,
  out: Uint8Array,
  outOffset: number,
): void {
  const table = law === 'PCMU' ? ULAW_ENCODE : ALAW_ENCODE;
  for (let i = 0; i < count; i++) {
    out[outOffset + i] = table[((pcm[pcmOffset + i] ?? 0) >> 2) + ENCODE_OFFSET] ?? 0;
  }
}

/** Decodes `count` G.711 bytes from `input[inOffset]` into `out[outOffset]`. */
export function decodeG711(
  law: G711Law,
  input: Uint8Array,
  inOffset: number,
  count: number,
  out: Int16Array,
  outOffset: number,
): void {
  const table = law === 'PCMU' ? ULAW_DECODE_TABLE : ALAW_DECODE_TABLE;
  for (let i = 0; i < count; i++) out[outOffset + i] = table[input[inOffset + i] ?? 0] ?? 0;
}

/** Transcodes G.711 bytes in place (same length in both laws, so no reallocation). */
export function transcodeG711InPlace(
  from: G711Law,
  to: G711Law,
  data: Uint8Array,
  offset: number,
  count: number,
): void {
  if (from === to) return;
  const table = from === 'PCMU' ? ULAW_TO_ALAW_TABLE : ALAW_TO_ULAW_TABLE;
  for (let i = offset; i < offset + count; i++) data[i] = table[data[i] ?? 0] ?? 0;
}

/** The byte a G.711 law uses for digital silence (linear 0), for padding short frames. */
export function g711Silence(law: G711Law): number {
  return law === 'PCMU' ? 0xff : 0xd5;
}
