import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAlawSample, decodeUlawSample, encodeAlawSample, encodeUlawSample } from './g711.ts';
import { MediaError } from './media-errors.ts';
import { WavWriter } from './wav-writer.ts';
import { decodeWav, decodeWavToTelephony, encodeWav, readWavFile, resampleLinear } from './wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WAV reading', () => {
  it('round-trips PCM16 mono and stereo', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 300 }),
        fc.constantFrom(1, 2),
        (xs, channels) => {
          const frames = Math.floor(xs.length / channels);
          const interleaved = Int16Array.from(xs.slice(0, frames * channels));
          const decoded = decodeWav(
            encodeWav(interleaved, { encoding: 'pcm16', channels, sampleRate: 8000 }),
          );
          expect(decoded.format).toMatchObject({ channels, sampleRate: 8000, sampleFormat: 'pcm16' });
          for (let c = 0; c < channels; c++) {
            expect(Array.from(decoded.channels[c] ?? [])).toEqual(
              Array.from(interleaved.filter((_, i) => i % channels === c)),
            );
          }
        },
      ),
    );
  });

  it('decodes μ-law and A-law files (format tags 7 and 6)', () => {
    const samples = Int16Array.from([0, 1000, -1000, 32000, -32000]);
    const mu = decodeWav(encodeWav(samples, { encoding: 'mulaw', channels: 1, sampleRate: 8000 }));
    const a = decodeWav(encodeWav(samples, { encoding: 'alaw', channels: 1, sampleRate: 8000 }));
    expect(mu.format.sampleFormat).toBe('mulaw');
    expect(Array.from(mu.channels[0] ?? [])).toEqual(
      Array.from(samples, (s) => decodeUlawSample(encodeUlawSample(s))),
    );
    expect(Array.from(a.channels[0] ?? [])).toEqual(
      Array.from(samples, (s) => decodeAlawSample(encodeAlawSample(s))),
    );
  });

  it('mixes stereo to mono and resamples 16 kHz to 8 kHz', () => {
    const stereo16k = new Int16Array(16000 * 2);
    for (let i = 0; i < 16000; i++) {
      stereo16k[i * 2] = 1000;
      stereo16k[i * 2 + 1] = 3000;
    }
    const pcm = decodeWavToTelephony(
      encodeWav(stereo16k, { encoding: 'pcm16', channels: 2, sampleRate: 16000 }),
    );
    expect(pcm.length).toBe(8000);
    expect(pcm.every((s) => s === 2000)).toBe(true);
  });

  it('resamples by linear interpolation', () => {
    expect(Array.from(resampleLinear(Int16Array.from([0, 100, 200, 300]), 8000, 16000))).toEqual([
      0, 50, 100, 150, 200, 250, 300, 300,
    ]);
    expect(resampleLinear(new Int16Array(44100), 44100, 8000).length).toBe(8000);
  });

  it('skips unknown chunks and reads files whose data size is a streaming placeholder', () => {
    const body = encodeWav(Int16Array.from([1, 2, 3]), { encoding: 'pcm16', channels: 1, sampleRate: 8000 });
    const list = Uint8Array.from([0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]);
    const withList = new Uint8Array(body.length + list.length);
    withList.set(body.subarray(0, 36), 0);
    withList.set(list, 36);
    withList.set(body.subarray(36), 36 + list.length);
    new DataView(withList.buffer).setUint32(36 + list.length + 4, 0xffffffff, true);
    expect(Array.from(decodeWav(withList).channels[0] ?? [])).toEqual([1, 2, 3]);
  });

  it('rejects non-WAV data and unsupported encodings with MediaError', () => {
    expect(() => decodeWav(new Uint8Array(10))).toThrow(MediaError);
    const adpcm = encodeWav(new Int16Array(4), { encoding: 'pcm16', channels: 1, sampleRate: 8000 });
    new DataView(adpcm.buffer).setUint16(20, 2, true);
    expect(() => decodeWav(adpcm)).toThrow(expect.objectContaining({ code: 'unsupported_wav' }));
  });

  it('never throws anything but MediaError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const data = new Uint8Array(bytes.length + 12);
        data.set([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45], 0);
        data.set(bytes, 12);
        try {
          decodeWav(data);
        } catch (error) {
          expect(error).toBeInstanceOf(MediaError);
        }
      }),
    );
  });

  it('reports a missing file as file_unreadable', async () => {
    await expect(readWavFile(join(dir, 'missing.wav'))).rejects.toMatchObject({ code: 'file_unreadable' });
  });
});

describe('WavWriter (streaming, crash-tolerant)', () => {
  it('writes a stereo PCM16 file whose header is patched on close', async () => {
    const file = join(dir, 'stereo.wav');
    const writer = await WavWriter.open(file, { channels: 2, sampleRate: 8000 });
    const chunk = Int16Array.from([1, -1, 2, -2, 3, -3]);
    writer.write(chunk);
    writer.write(chunk, 2);
    const result = await writer.close();
    expect(result).toEqual({ frames: 4, dataBytes: 16, droppedBytes: 0 });
    const bytes = readFileSync(file);
    expect(bytes.readUInt32LE(4)).toBe(36 + 16);
    expect(bytes.readUInt32LE(40)).toBe(16);
    const wav = decodeWav(bytes);
    expect(Array.from(wav.channels[0] ?? [])).toEqual([1, 2, 3, 1]);
    expect(Array.from(wav.channels[1] ?? [])).toEqual([-1, -2, -3, -1]);
  });

  it('leaves a readable file when never closed, holding every block written before the crash', async () => {
    const file = join(dir, 'crash.wav');
    const writer = await WavWriter.open(file, { channels: 2, sampleRate: 8000, flushMs: 100 });
    // 250 ms of stereo audio in 10 ms ticks: two 100 ms blocks reach the disk, 50 ms is still gathered.
    const tick = new Int16Array(160);
    for (let n = 0; n < 25; n++) {
      for (let i = 0; i < 80; i++) tick.set([n, -n], i * 2);
      writer.write(tick);
    }
    // Simulate a crash: wait for the queued writes, never call close().
    await new Promise((resolve) => setTimeout(resolve, 50));
    const wav = decodeWav(readFileSync(file));
    expect(wav.channels[0]?.length).toBe(1600);
    expect(wav.channels[0]?.[1599]).toBe(19);
    expect(wav.channels[1]?.[1599]).toBe(-19);
    const { frames } = await writer.close();
    expect(frames).toBe(2000);
    expect(decodeWav(readFileSync(file)).channels[0]?.[1999]).toBe(24);
  });

  it('writes one block per flush interval, not one per call', async () => {
    const file = join(dir, 'blocks.wav');
    const writer = await WavWriter.open(file, { channels: 1, sampleRate: 8000, flushMs: 200 });
    writer.write(new Int16Array(80).fill(3));
    await new Promise((resolve) => setTimeout(resolve, 30));
    // 10 ms gathered, nothing but the header on disk yet.
    expect(readFileSync(file).length).toBe(44);
    expect(writer.bytesWritten).toBe(160);
    await writer.close();
    expect(decodeWav(readFileSync(file)).channels[0]?.length).toBe(80);
  });

  it('is readable by the reader after a round trip with many chunks', async () => {
    const file = join(dir, 'long.wav');
    const writer = await WavWriter.open(file, { channels: 2, sampleRate: 8000 });
    const chunk = new Int16Array(1600);
    for (let n = 0; n < 50; n++) {
      chunk.fill(n);
      writer.write(chunk);
    }
    const { frames } = await writer.close();
    expect(frames).toBe(40000);
    const wav = decodeWav(readFileSync(file));
    expect(wav.channels[1]?.[39999]).toBe(49);
    writeFileSync(join(dir, 'noop'), '');
  });
});
