/**
 * What an asr node hears in a test call (no phone, no microphone): the typed digits stand in for
 * speech. The caller "says" digits up to a `#` or the node's maxDigits, recognised with
 * confidence 1; a `#` first is silence (no speech), which leads to the keypad fallback.
 */
import type { FlowRun, IvrAction } from './flow-run.ts';

export function spokenTestDigits(
  run: FlowRun,
  listen: Extract<IvrAction, { type: 'listen' }>,
  typed: string[],
): IvrAction[] {
  if (typed.length === 0 || typed[0] === '#') {
    if (typed[0] === '#') typed.shift();
    return run.onSpeechResult(null, 'no_speech');
  }
  let said = '';
  while (typed.length > 0 && said.length < listen.maxDigits) {
    const next = typed.shift()!;
    if (next === '#') break;
    said += next;
  }
  return run.onSpeechResult({ digits: said, confidence: 1 });
}
