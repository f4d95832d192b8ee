import { describe, expect, it } from 'vitest';
import { checkDigitsValid, luhnValid, s10CheckDigit, s10Valid } from './check-digits.ts';

describe('check digits for keyed-in numbers', () => {
  it('Luhn: accepts valid numbers and refuses a changed digit or a swap of neighbours', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('79927398731')).toBe(false);
    expect(luhnValid('7')).toBe(false);
    expect(luhnValid('7992a398713')).toBe(false);
  });

  it('UPU S10: the check digit of the UPU example and its special cases', () => {
    // 4·8 + 7·6 + 3·4 + 1·2 + 2·3 + 4·5 + 8·9 + 2·7 = 200; 200 mod 11 = 2; 11 − 2 = 9.
    expect(s10CheckDigit('47312482')).toBe(9);
    expect(s10Valid('473124829')).toBe(true);
    expect(s10Valid('473124828')).toBe(false);
    // Remainder 1 → 10 → 0; remainder 0 → 11 → 5.
    const serialWith = (target: number) => {
      for (let n = 0; n < 100000; n++) {
        const s = String(n).padStart(8, '0');
        let sum = 0;
        [8, 6, 4, 2, 3, 5, 9, 7].forEach((w, i) => (sum += Number(s[i]) * w));
        if (sum % 11 === target) return s;
      }
      throw new Error('none');
    };
    expect(s10CheckDigit(serialWith(1))).toBe(0);
    expect(s10CheckDigit(serialWith(0))).toBe(5);
    expect(s10Valid('12345678')).toBe(false);
    expect(checkDigitsValid('s10', '473124829')).toBe(true);
    expect(checkDigitsValid('luhn', '473124829')).toBe(false);
  });
});
