import { readFileSync } from 'node:fs';

export interface WavSummary {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  durationSec: number;
  /** RMS of each channel over the whole file, in 16-bit sample units. */
  rms: number[];
  /** Share of 20 ms frames per channel whose RMS is above a speech-ish floor. */
  activeShare: number[];
}

/** Reads a PCM16 WAV (chunk walk, so extra chunks are fine) and measures each channel. */
export function analyzeWav(path: string): WavSummary {
  const b = readFileSync(path);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('not a WAV file');
  let off = 12;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  let data: Buffer | null = null;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    const size = b.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      channels = b.readUInt16LE(body + 2);
      sampleRate = b.readUInt32LE(body + 4);
      bits = b.readUInt16LE(body + 14);
    } else if (id === 'data') {
      data = b.subarray(body, Math.min(b.length, body + size));
      break;
    }
    off = body + size + (size % 2);
  }
  if (!data || bits !== 16 || channels < 1)
    throw new Error(`unsupported WAV (bits ${bits}, channels ${channels})`);
  const frames = Math.floor(data.length / (2 * channels));
  const sums = new Array<number>(channels).fill(0);
  const frameLen = Math.max(1, Math.round(sampleRate / 50));
  const active = new Array<number>(channels).fill(0);
  const blockSums = new Array<number>(channels).fill(0);
  let blocks = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const s = data.readInt16LE((i * channels + c) * 2);
      sums[c]! += s * s;
      blockSums[c]! += s * s;
    }
    if ((i + 1) % frameLen === 0) {
      blocks++;
      for (let c = 0; c < channels; c++) {
        if (Math.sqrt(blockSums[c]! / frameLen) > 300) active[c]!++;
        blockSums[c] = 0;
      }
    }
  }
  return {
    channels,
    sampleRate,
    bitsPerSample: bits,
    durationSec: frames / sampleRate,
    rms: sums.map((s) => Math.sqrt(s / Math.max(1, frames))),
    activeShare: active.map((a) => a / Math.max(1, blocks)),
  };
}
