/**
 * Check digits a gather node can demand of what the caller keyed in (IVR-04), so a mistyped
 * waybill is caught at once ("please enter it again") instead of after a failed lookup.
 *   - `luhn`: the last digit is the Luhn (mod 10) check digit of the others — many carriers'
 *     and card-style numbers;
 *   - `s10`: the 9 digits of a UPU S10 item identifier (EMS and postal parcels, "EA123456785CN"
 *     without its letters): 8 serial digits and a check digit with weights 8 6 4 2 3 5 9 7,
 *     11 − (sum mod 11), where 10 → 0 and 11 → 5 (UPU standard S10).
 */
export const checkDigitSchemes = ['luhn', 's10'] as const;
export type CheckDigitScheme = (typeof checkDigitSchemes)[number];

export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

export function s10CheckDigit(serial: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (serial.charCodeAt(i) - 48) * S10_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

export function s10Valid(digits: string): boolean {
  return /^\d{9}$/.test(digits) && s10CheckDigit(digits.slice(0, 8)) === digits.charCodeAt(8) - 48;
}

export function checkDigitsValid(scheme: CheckDigitScheme, digits: string): boolean {
  return scheme === 'luhn' ? luhnValid(digits) : s10Valid(digits);
}
