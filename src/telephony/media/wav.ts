/**
 * WAV (RIFF/WAVE) reading for prompts, and the header/encoder shared with the streaming writer.
 *
 * Prompts arrive in whatever a studio or sox produced: PCM 8/16/24/32-bit, 32-bit float, μ-law
 * or A-law (WAVE format tags 1, 3, 7, 6, or 0xFFFE extensible), mono or stereo, any rate. The
 * media path wants one thing: 8 kHz mono PCM16, so everything is converted once, at load.
 */
import { readFile } from 'node:fs/promises';
import { ALAW_DECODE_TABLE, ULAW_DECODE_TABLE, encodeAlawSample, encodeUlawSample } from './g711.ts';
import { MediaError } from './media-errors.ts';

export const TELEPHONY_SAMPLE_RATE = 8000;
const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;
/** Bound on chunks walked, so a file of tiny bogus chunks cannot keep us busy. */
const MAX_CHUNKS = 1000;

export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'mulaw' | 'alaw';

export interface WavFormat {
  readonly sampleFormat: WavSampleFormat;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bytesPerSample: number;
}

export interface DecodedWav {
  readonly format: WavFormat;
  /** One PCM16 array per channel, at the file's own rate. */
  readonly channels: Int16Array[];
}

function unsupported(message: string): MediaError {
  return new MediaError('unsupported_wav', message);
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

function sampleFormatOf(tag: number, bits: number): WavSampleFormat {
  if (tag === FORMAT_PCM && bits === 8) return 'pcm8';
  if (tag === FORMAT_PCM && bits === 16) return 'pcm16';
  if (tag === FORMAT_PCM && bits === 24) return 'pcm24';
  if (tag === FORMAT_PCM && bits === 32) return 'pcm32';
  if (tag === FORMAT_FLOAT && bits === 32) return 'float32';
  if (tag === FORMAT_MULAW && bits === 8) return 'mulaw';
  if (tag === FORMAT_ALAW && bits === 8) return 'alaw';
  throw unsupported(`unsupported WAV encoding (format tag ${tag}, ${bits} bits)`);
}

function readFormat(view: DataView, at: number, size: number): WavFormat {
  if (size < 16) throw unsupported('fmt chunk too short');
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const bits = view.getUint16(at + 14, true);
  // WAVE_FORMAT_EXTENSIBLE keeps the real tag in the first two bytes of the SubFormat GUID.
  if (tag === FORMAT_EXTENSIBLE && size >= 40) tag = view.getUint16(at + 24, true);
  if (channels < 1 || channels > 8) throw unsupported(`unsupported channel count ${channels}`);
  if (sampleRate < 1000 || sampleRate > 384000) throw unsupported(`unsupported sample rate ${sampleRate}`);
  const sampleFormat = sampleFormatOf(tag, bits);
  return { sampleFormat, channels, sampleRate, bytesPerSample: bits / 8 };
}

function decodeSample(view: DataView, bytes: Uint8Array, at: number, format: WavSampleFormat): number {
  switch (format) {
    case 'pcm8':
      return ((bytes[at] ?? 128) - 128) << 8;
    case 'pcm16':
      return view.getInt16(at, true);
    case 'pcm24':
      return view.getInt16(at + 1, true);
    case 'pcm32':
      return view.getInt16(at + 2, true);
    case 'float32': {
      const v = Math.round(view.getFloat32(at, true) * 32767);
      return Math.max(-32768, Math.min(32767, Number.isFinite(v) ? v : 0));
    }
    case 'mulaw':
      return ULAW_DECODE_TABLE[bytes[at] ?? 0xff] ?? 0;
    case 'alaw':
      return ALAW_DECODE_TABLE[bytes[at] ?? 0xd5] ?? 0;
  }
}

/** Decodes a WAV file's bytes into PCM16 channels at the file's rate. */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WAVE') {
    throw unsupported('not a RIFF/WAVE file');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: WavFormat | null = null;
  let offset = 12;
  for (let chunk = 0; chunk < MAX_CHUNKS && offset + 8 <= bytes.length; chunk++) {
    const id = fourcc(bytes, offset);
    const declared = view.getUint32(offset + 4, true);
    const body = offset + 8;
    // A writer that crashed leaves huge placeholder sizes; the file end is the real bound.
    const size = Math.min(declared, bytes.length - body);
    if (id === 'fmt ') {
      format = readFormat(view, body, size);
    } else if (id === 'data') {
      if (!format) throw unsupported('data chunk before fmt chunk');
      const frameBytes = format.bytesPerSample * format.channels;
      const frames = Math.floor(size / frameBytes);
      const channels = Array.from({ length: format.channels }, () => new Int16Array(frames));
      for (let f = 0; f < frames; f++) {
        for (let c = 0; c < format.channels; c++) {
          const channel = channels[c];
          if (channel)
            channel[f] = decodeSample(
              view,
              bytes,
              body + f * frameBytes + c * format.bytesPerSample,
              format.sampleFormat,
            );
        }
      }
      return { format, channels };
    }
    offset = body + size + (size & 1);
  }
  throw unsupported('no data chunk');
}

/** Averages channels into one (prompts are mono on the phone). */
export function mixToMono(channels: readonly Int16Array[]): Int16Array {
  const first = channels[0];
  if (!first) return new Int16Array(0);
  if (channels.length === 1) return first;
  const out = new Int16Array(first.length);
  for (let i = 0; i < first.length; i++) {
    let sum = 0;
    for (const channel of channels) sum += channel[i] ?? 0;
    out[i] = Math.round(sum / channels.length);
  }
  return out;
}

/**
 * Linear-interpolation resampling. Simple on purpose: prompts are speech, and for the usual
 * 16/22.05/44.1/48 kHz sources the aliasing is well below what G.711 quantization adds.
 */
export function resampleLinear(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate || input.length === 0) return input;
  const outLength = Math.floor((input.length * toRate) / fromRate);
  const out = new Int16Array(outLength);
  const step = fromRate / toRate;
  for (let i = 0; i < outLength; i++) {
    const pos = i * step;
    const index = Math.floor(pos);
    const frac = pos - index;
    const a = input[index] ?? 0;
    const b = input[index + 1] ?? a;
    out[i] = Math.round(a + (b - a) * frac);
  }
  return out;
}

/** Decodes any supported WAV into 8 kHz mono PCM16, the media engine's working format. */
export function decodeWavToTelephony(bytes: Uint8Array): Int16Array {
  const decoded = decodeWav(bytes);
  return resampleLinear(mixToMono(decoded.channels), decoded.format.sampleRate, TELEPHONY_SAMPLE_RATE);
}

export async function readWavFile(path: string): Promise<Int16Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new MediaError('file_unreadable', `cannot read ${path}: ${(error as Error).message}`);
  }
  return decodeWavToTelephony(bytes);
}

export type WavEncoding = 'pcm16' | 'mulaw' | 'alaw';

export interface WavHeaderOptions {
  readonly encoding: WavEncoding;
  readonly channels: number;
  readonly sampleRate: number;
  /** Bytes of sample data that follow. */
  readonly dataBytes: number;
}

export const WAV_HEADER_LENGTH = 44;

/** A canonical 44-byte header: RIFF, a 16-byte fmt chunk, then the data chunk header. */
export function wavHeader(options: WavHeaderOptions): Uint8Array {
  const out = new Uint8Array(WAV_HEADER_LENGTH);
  const view = new DataView(out.buffer);
  const bytesPerSample = options.encoding === 'pcm16' ? 2 : 1;
  const tag =
    options.encoding === 'pcm16' ? FORMAT_PCM : options.encoding === 'mulaw' ? FORMAT_MULAW : FORMAT_ALAW;
  out.set([0x52, 0x49, 0x46, 0x46], 0); // RIFF
  view.setUint32(4, (36 + options.dataBytes) >>> 0, true);
  out.set([0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20], 8); // WAVEfmt
  view.setUint32(16, 16, true);
  view.setUint16(20, tag, true);
  view.setUint16(22, options.channels, true);
  view.setUint32(24, options.sampleRate, true);
  view.setUint32(28, options.sampleRate * options.channels * bytesPerSample, true);
  view.setUint16(32, options.channels * bytesPerSample, true);
  view.setUint16(34, bytesPerSample * 8, true);
  out.set([0x64, 0x61, 0x74, 0x61], 36); // data
  view.setUint32(40, options.dataBytes >>> 0, true);
  return out;
}

/** Encodes interleaved PCM16 samples into a complete WAV file (tests, generated prompts). */
export function encodeWav(
  interleaved: Int16Array,
  options: { readonly encoding: WavEncoding; readonly channels: number; readonly sampleRate: number },
): Uint8Array {
  const bytesPerSample = options.encoding === 'pcm16' ? 2 : 1;
  const dataBytes = interleaved.length * bytesPerSample;
  const out = new Uint8Array(WAV_HEADER_LENGTH + dataBytes);
  out.set(wavHeader({ ...options, dataBytes }), 0);
  const view = new DataView(out.buffer);
  for (let i = 0; i < interleaved.length; i++) {
    const s = interleaved[i] ?? 0;
    const at = WAV_HEADER_LENGTH + i * bytesPerSample;
    if (options.encoding === 'pcm16') view.setInt16(at, s, true);
    else out[at] = options.encoding === 'mulaw' ? encodeUlawSample(s) : encodeAlawSample(s);
  }
  return out;
}
