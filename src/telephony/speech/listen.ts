/**
 * Listening for spoken digits on a call (IVR-04): the caller's audio comes from an endpoint tap,
 * the energy VAD decides when the utterance is over, and the recognizer (a child process, so the
 * event loop stays free) turns it into digits. Cancelling (the caller pressed a key) stops the
 * tap at once; a recognition already running is let finish and its answer dropped by the caller.
 */
import type { DigitRecognition, SpeechRecognizer } from './asr.ts';
import { EnergyVad, type VadOptions } from './vad.ts';

/** What a tap delivers: PCM batches, then the end. */
export type ListenAudioEvent = { type: 'audio'; pcm: Int16Array } | { type: 'ended' };

/** Starts listening to the caller; resolves with the function that stops it. */
export type StartListening = (listener: (event: ListenAudioEvent) => void) => Promise<() => Promise<void>>;

export interface ListenOptions extends VadOptions {
  minDigits: number;
  maxDigits: number;
  minConfidence: number;
}

export type ListenOutcome =
  | { type: 'recognised'; result: DigitRecognition; speechMs: number }
  /** Speech was heard but no digits within the bounds and threshold came of it. */
  | { type: 'no_match'; speechMs: number }
  | { type: 'no_speech' }
  /** No recognizer or no audio on this machine or call: the flow asks for keys. */
  | { type: 'unavailable'; reason: string }
  | { type: 'cancelled' };

export interface Listening {
  readonly outcome: Promise<ListenOutcome>;
  cancel(): void;
}

export function listenForDigits(
  startTap: StartListening | undefined,
  recognizer: SpeechRecognizer | undefined,
  options: ListenOptions,
): Listening {
  let cancelled = false;
  let stop: (() => Promise<void>) | null = null;
  let wake: (() => void) | null = null;

  const outcome = (async (): Promise<ListenOutcome> => {
    if (!startTap || !recognizer) return { type: 'unavailable', reason: 'no recognizer or audio tap' };
    const vad = new EnergyVad(options);
    const heard = new Promise<void>((resolve) => {
      wake = resolve;
    });
    // The VAD's clock is the audio itself; this timer only covers a tap that delivers nothing.
    const guard = setTimeout(() => wake?.(), options.noSpeechMs + options.maxSpeechMs + 2000);
    try {
      stop = await startTap((event) => {
        if (event.type === 'ended') vad.finish();
        else vad.push(event.pcm);
        if (vad.done) wake?.();
      });
      if (cancelled) return { type: 'cancelled' };
      await heard;
    } catch (err) {
      return { type: 'unavailable', reason: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(guard);
      await stop?.().catch(() => undefined);
    }
    if (cancelled) return { type: 'cancelled' };
    const verdict = vad.done ?? vad.finish();
    if (verdict.type === 'no_speech') return { type: 'no_speech' };
    const speechMs = Math.round(verdict.pcm.length / 8);
    try {
      const result = await recognizer.recognizeDigits(verdict.pcm, 8000, {
        minDigits: options.minDigits,
        maxDigits: options.maxDigits,
        // The node decides on the threshold: ask for every result so the CDR shows what was heard.
        minConfidence: 0,
      });
      if (cancelled) return { type: 'cancelled' };
      return result ? { type: 'recognised', result, speechMs } : { type: 'no_match', speechMs };
    } catch (err) {
      return { type: 'unavailable', reason: err instanceof Error ? err.message : String(err) };
    }
  })();

  return {
    outcome,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      wake?.();
    },
  };
}
