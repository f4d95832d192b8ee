/**
 * Phone numbers as Chinese users write them (CRM-01, CC-12): "138 0000 0001", "+86-138…",
 * "008613800000001", "8613800000001" (how many carriers present caller ID), "010-6552 8888",
 * "400-800-1000". Everything is stored and matched as E.164 with CN as the default region.
 */
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';

export interface NormalizedPhone {
  e164: string;
  /** National display form, e.g. "138 0000 0001" or "010 6552 8888". */
  display: string;
  type: string | undefined;
  /** A complete, valid number (not merely possible): safe for exact matching. */
  valid: boolean;
}

const DEFAULT_REGION = 'CN';

function digitsAndPlus(raw: string): string {
  // Full-width digits (０-９) are common in Chinese input methods.
  const halfWidth = raw.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return halfWidth.replace(/[^\d+]/g, '');
}

function tryParse(text: string): PhoneNumber | undefined {
  const parsed = parsePhoneNumberFromString(text, DEFAULT_REGION);
  return parsed && parsed.isPossible() ? parsed : undefined;
}

export function normalizePhone(raw: string): NormalizedPhone | null {
  const compact = digitsAndPlus(raw.trim());
  if (compact.replace('+', '').length < 3) return null;
  const candidates: string[] = [];
  if (compact.startsWith('+')) candidates.push(compact);
  else {
    // A caller ID of "86…" without the plus is an international number, not a national one,
    // when the national reading would be impossible or the remainder is a valid CN number.
    if (compact.startsWith('86') && compact.length >= 12) candidates.push(`+${compact}`);
    candidates.push(compact);
  }
  for (const candidate of candidates) {
    const parsed = tryParse(candidate);
    if (parsed && (parsed.isValid() || candidate === candidates[candidates.length - 1])) {
      return {
        e164: parsed.number,
        display: parsed.formatNational(),
        type: parsed.getType(),
        valid: parsed.isValid(),
      };
    }
  }
  // Short codes and internal extensions (e.g. "1001") are kept as typed, digits only.
  const digits = compact.replace('+', '');
  if (digits.length >= 3 && digits.length <= 6)
    return { e164: digits, display: digits, type: 'SHORT', valid: false };
  return null;
}

/** Keep the last four digits: phone numbers never appear whole in logs (CRM-14). */
export function maskPhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${'*'.repeat(Math.min(digits.length - 4, 7))}${digits.slice(-4)}`;
}
