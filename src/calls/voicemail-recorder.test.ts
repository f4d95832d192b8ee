import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../telephony/media/index.ts';
import type { AudioTapEvent, CallLeg } from '../telephony/call-leg.ts';
import { VoicemailRecorder, voicemailFile } from './voicemail-recorder.ts';

/** A tap that hands the recorder's listener to the test, which feeds it audio as the media engine would. */
function fakeTap() {
  let listener: ((e: AudioTapEvent) => void) | null = null;
  let stopped = false;
  return {
    tap: async (_leg: CallLeg, l: (e: AudioTapEvent) => void) => {
      listener = l;
      return async () => {
        stopped = true;
      };
    },
    feed: (e: AudioTapEvent) => listener?.(e),
    get started() {
      return listener !== null;
    },
    get stopped() {
      return stopped;
    },
  };
}

const leg = {} as CallLeg;
const tone = (n: number) => Int16Array.from({ length: n }, (_, i) => Math.round(5000 * Math.sin(i / 3)));

describe('VoicemailRecorder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-vm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes what the caller said until # as mono 8 kHz WAV, and stops the tap', async () => {
    const t = fakeTap();
    const rec = new VoicemailRecorder(leg, t.tap);
    const file = voicemailFile(dir, 'vm_1', new Date(Date.UTC(2026, 10, 23)));
    expect(file.rel).toBe(join('voicemail', '2026', '11', '23', 'vm_1.wav'));
    const done = rec.record(file, 60);
    await expect.poll(() => t.started).toBe(true);
    t.feed({ type: 'audio', pcm: tone(800) });
    t.feed({ type: 'audio', pcm: tone(800) });
    rec.stop('key');
    const result = await done;
    expect(result).toMatchObject({ durationMs: 200, end: 'key' });
    expect(t.stopped).toBe(true);
    const wav = decodeWav(new Uint8Array(readFileSync(file.abs)));
    expect(wav.format).toMatchObject({ channels: 1, sampleRate: 8000 });
  });

  it('ends with the call (tap ended) and at the time limit', async () => {
    const t = fakeTap();
    const hangup = new VoicemailRecorder(leg, t.tap).record(voicemailFile(dir, 'vm_2', new Date()), 60);
    await expect.poll(() => t.started).toBe(true);
    t.feed({ type: 'audio', pcm: tone(1600) });
    t.feed({ type: 'ended' });
    expect(await hangup).toMatchObject({ durationMs: 200, end: 'hangup' });

    const limited = await new VoicemailRecorder(leg, fakeTap().tap).record(
      voicemailFile(dir, 'vm_3', new Date()),
      0.05,
    );
    expect(limited).toMatchObject({ durationMs: 0, end: 'limit' });
  });
});
