/**
 * A contact's phone as stored (CRM-01): E.164, the digits as dialled inside China for partial
 * matching, a kind, and the extension behind a switchboard number ("021-62345678-801",
 * "0755 8888 6666 转 12", "010 6552 8888 ext. 3").
 */
import { normalizePhone } from './phone-number.ts';

export type PhoneKind = 'mobile' | 'landline' | '400' | 'extension' | 'other';

export interface ContactPhone {
  e164: string;
  raw: string;
  digits: string;
  kind: PhoneKind;
  extension: string | null;
}

const EXTENSION_TAIL = /^(.*\d)\s*(?:-|ext\.?|x|转|分机|#|,)\s*(\d{1,6})\s*$/i;

function kindOf(e164: string, type: string | undefined): PhoneKind {
  if (/^\+86(400|800)/.test(e164)) return '400';
  if (type === 'MOBILE') return 'mobile';
  if (type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE') return 'landline';
  if (type === 'SHORT') return 'extension';
  return 'other';
}

/** Digits as dialled in China: trunk 0 before CN landlines, none before mobiles and 400/800. */
function nationalDigits(e164: string, kind: PhoneKind): string {
  if (!e164.startsWith('+86')) return e164.replace(/\D/g, '');
  const national = e164.slice(3);
  return kind === 'landline' ? `0${national}` : national;
}

/** `strict`: only complete, valid numbers (imports), not short codes or merely possible numbers. */
export function parseContactPhone(raw: string, strict = false): ContactPhone | null {
  const text = raw.trim();
  const whole = normalizePhone(text);
  if (whole?.valid || (!strict && whole?.type === 'SHORT')) {
    const kind = kindOf(whole.e164, whole.type);
    return { e164: whole.e164, raw: text, digits: nationalDigits(whole.e164, kind), kind, extension: null };
  }
  const tail = EXTENSION_TAIL.exec(text);
  if (tail) {
    const main = normalizePhone(tail[1]!);
    if (main?.valid) {
      const kind = kindOf(main.e164, main.type);
      return {
        e164: main.e164,
        raw: text,
        digits: nationalDigits(main.e164, kind),
        kind: kind === 'landline' || kind === '400' ? kind : 'extension',
        extension: tail[2]!,
      };
    }
  }
  if (!whole || strict) return null;
  // A possible but not valid number (e.g. a new number range) is kept; matching uses E.164.
  const kind = kindOf(whole.e164, whole.type);
  return { e164: whole.e164, raw: text, digits: nationalDigits(whole.e164, kind), kind, extension: null };
}
