/**
 * What a waiting caller hears (ACD-06): the queue greeting, then their position and estimated
 * wait, then hold music, repeated every `intervalMs` until an agent takes the call. Stops the
 * moment the session stops waiting; the session stops playback when it bridges.
 */
import type { CallLeg } from '../telephony/call-leg.ts';
import type { TextToSpeech } from '../telephony/speech/index.ts';

export interface QueueStatus {
  position: number | null;
  ewtSec: number | null;
}

/** Mandarin position announcement; rounded so callers hear a plain promise, not false precision. */
export function positionAnnouncement(status: QueueStatus): string | null {
  if (status.position === null) return null;
  const ahead = status.position - 1;
  const first = ahead <= 0 ? '您是下一位。' : `您前面还有${ahead}位客户在等待。`;
  if (status.ewtSec === null) return first;
  const minutes = Math.max(1, Math.round(status.ewtSec / 60));
  return `${first}预计等待时间约${minutes}分钟。`;
}

export interface QueueAnnouncerDeps {
  leg: CallLeg;
  tts: TextToSpeech;
  greeting: { tts: string; lang: 'zh' | 'en' };
  holdMusic: string;
  intervalMs: number;
  status(): QueueStatus;
  /** Queued or ringing an agent: the caller still needs something to hear. */
  stillWaiting(): boolean;
  /** Only queued: while an agent's phone rings the caller hears music, not a stale position. */
  mayAnnounce(): boolean;
  /** Said after the position, e.g. the callback offer ("press 1"). */
  extra: { tts: string; lang: 'zh' | 'en' } | null;
}

export async function runQueueAnnouncer(d: QueueAnnouncerDeps): Promise<void> {
  const greeting = await d.tts.prompt(d.greeting.lang, d.greeting.tts).catch(() => null);
  let first = true;
  while (d.stillWaiting()) {
    const text = d.mayAnnounce() ? positionAnnouncement(d.status()) : null;
    const position = text ? await d.tts.prompt('zh', text).catch(() => null) : null;
    const extra = text && d.extra ? await d.tts.prompt(d.extra.lang, d.extra.tts).catch(() => null) : null;
    const files = [
      ...(first && greeting ? [greeting] : []),
      ...(position ? [position] : []),
      ...(extra ? [extra] : []),
    ];
    first = false;
    if (!d.stillWaiting()) return;
    if (files.length > 0 && (await d.leg.play(files)) === 'stopped') return;
    if (!d.stillWaiting()) return;
    const music = d.leg.play([d.holdMusic], { loop: true });
    const timer = new Promise<'timer'>((resolve) => setTimeout(() => resolve('timer'), d.intervalMs).unref());
    const ended = await Promise.race([music, timer]);
    if (ended !== 'timer') return;
    if (!d.stillWaiting()) return;
    await d.leg.stopPlayback();
    await music;
  }
}
