import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeUlawSample, encodeG711 } from './g711.ts';
import { FRAME_SAMPLES } from './player.ts';
import { CallRecorder } from './recorder.ts';
import { RoomRecorder } from './room-recorder.ts';
import { decodeWav } from './wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-recorder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pcmu(value: number): Uint8Array {
  const out = new Uint8Array(FRAME_SAMPLES);
  encodeG711('PCMU', new Int16Array(FRAME_SAMPLES).fill(value), 0, FRAME_SAMPLES, out, 0);
  return out;
}

function channels(file: string): [Int16Array, Int16Array] {
  const wav = decodeWav(readFileSync(file));
  expect(wav.format.channels).toBe(2);
  const [left = new Int16Array(0), right = new Int16Array(0)] = wav.channels;
  return [left, right];
}

describe('recording pause (CC-10)', () => {
  it('writes paused frames of a call recording as silence and keeps the timeline', async () => {
    const file = join(dir, 'call.wav');
    const recorder = await CallRecorder.start(file, 0, 0);
    const [a, b] = [pcmu(1000), pcmu(-2000)];
    for (let i = 0; i < 15; i++) {
      if (i === 5) recorder.setPaused(true);
      if (i === 10) recorder.setPaused(false);
      recorder.onAudio(0, 'PCMU', 1, i * FRAME_SAMPLES, a, i * 20);
      recorder.onAudio(1, 'PCMU', 2, i * FRAME_SAMPLES, b, i * 20);
      recorder.flush(i * 20);
    }
    expect(recorder.isPaused).toBe(false);
    const result = await recorder.stop(300);
    expect(result).toMatchObject({ file, durationMs: 300, samples: 2400 });
    const [left, right] = channels(file);
    const [A, B] = [decodeUlawSample(a[0]!), decodeUlawSample(b[0]!)];
    expect(left[0]).toBe(A);
    expect(right[0]).toBe(B);
    expect(left[5 * FRAME_SAMPLES - 1]).toBe(A);
    expect(left.subarray(5 * FRAME_SAMPLES, 10 * FRAME_SAMPLES).every((s) => s === 0)).toBe(true);
    expect(right.subarray(5 * FRAME_SAMPLES, 10 * FRAME_SAMPLES).every((s) => s === 0)).toBe(true);
    expect(left[10 * FRAME_SAMPLES]).toBe(A);
    expect(right[15 * FRAME_SAMPLES - 1]).toBe(B);
  });

  it('writes paused frames of a room recording as silence', async () => {
    const file = join(dir, 'room.wav');
    const recorder = await RoomRecorder.start(file);
    const left = new Int16Array(FRAME_SAMPLES).fill(1000);
    const right = new Int32Array(FRAME_SAMPLES).fill(-2000);
    for (let i = 0; i < 6; i++) {
      recorder.setPaused(i >= 2 && i < 4);
      recorder.writeFrame(left, right);
    }
    expect(await recorder.stop()).toMatchObject({ durationMs: 120, samples: 6 * FRAME_SAMPLES });
    const [l, r] = channels(file);
    expect(l[2 * FRAME_SAMPLES - 1]).toBe(1000);
    expect(l.subarray(2 * FRAME_SAMPLES, 4 * FRAME_SAMPLES).every((s) => s === 0)).toBe(true);
    expect(r.subarray(2 * FRAME_SAMPLES, 4 * FRAME_SAMPLES).every((s) => s === 0)).toBe(true);
    expect(r[4 * FRAME_SAMPLES]).toBe(-2000);
  });
});
