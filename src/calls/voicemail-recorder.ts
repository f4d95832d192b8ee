/**
 * Records what a caller says after the beep (issue #5 voicemail): the far end's audio from a leg
 * tap, until the caller presses #, hangs up, or the limit passes; written as a mono 16-bit 8 kHz
 * WAV. A tap rather than the two-party call recorder, because there is no second party.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeWav } from '../telephony/media/index.ts';
import type { AudioTapEvent, CallLeg } from '../telephony/call-leg.ts';

export type StartTap = (leg: CallLeg, listener: (e: AudioTapEvent) => void) => Promise<() => Promise<void>>;

export interface VoicemailRecording {
  /** Relative to the recordings directory. */
  rel: string;
  abs: string;
  durationMs: number;
  /** Why it stopped. */
  end: 'key' | 'hangup' | 'limit';
}

/** `<recordings>/voicemail/YYYY/MM/DD/<id>.wav` (UTC date). */
export function voicemailFile(recordingsDir: string, id: string, at: Date): { abs: string; rel: string } {
  const rel = join(
    'voicemail',
    String(at.getUTCFullYear()),
    String(at.getUTCMonth() + 1).padStart(2, '0'),
    String(at.getUTCDate()).padStart(2, '0'),
    `${id}.wav`,
  );
  return { rel, abs: join(recordingsDir, rel) };
}

/** A 1 kHz beep, 400 ms, written once beside the voicemails. */
export function beepFile(recordingsDir: string): string {
  const abs = join(recordingsDir, 'voicemail', 'beep.wav');
  const samples = new Int16Array(3200);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000));
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, encodeWav(samples, { encoding: 'pcm16', channels: 1, sampleRate: 8000 }));
  return abs;
}

export class VoicemailRecorder {
  private chunks: Int16Array[] = [];
  private finish: ((end: VoicemailRecording['end']) => void) | null = null;

  constructor(
    private readonly leg: CallLeg,
    private readonly tap: StartTap,
  ) {}

  /** Stop early: the caller pressed the end key or hung up. */
  stop(end: 'key' | 'hangup'): void {
    this.finish?.(end);
  }

  async record(file: { abs: string; rel: string }, maxSeconds: number): Promise<VoicemailRecording> {
    const ended = new Promise<VoicemailRecording['end']>((resolve) => {
      this.finish = resolve;
    });
    const stopTap = await this.tap(this.leg, (e) => {
      if (e.type === 'audio') this.chunks.push(e.pcm);
      else this.finish?.('hangup');
    });
    const timer = setTimeout(() => this.finish?.('limit'), maxSeconds * 1000);
    const end = await ended;
    clearTimeout(timer);
    this.finish = null;
    await stopTap();
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const pcm = new Int16Array(total);
    let at = 0;
    for (const c of this.chunks) {
      pcm.set(c, at);
      at += c.length;
    }
    mkdirSync(dirname(file.abs), { recursive: true });
    writeFileSync(file.abs, encodeWav(pcm, { encoding: 'pcm16', channels: 1, sampleRate: 8000 }));
    return { ...file, durationMs: Math.round((total / 8000) * 1000), end };
  }
}
