import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from './phone-number.ts';

describe('normalizePhone (CN default region)', () => {
  const mobile = '+8613800000001';
  it.each([
    '13800000001',
    '138 0000 0001',
    '138-0000-0001',
    '+86 138 0000 0001',
    '+86-13800000001',
    '008613800000001',
    '8613800000001',
    '１３８００００００01',
  ])('maps mobile form %s to one E.164 number', (raw) => {
    expect(normalizePhone(raw)?.e164).toBe(mobile);
  });

  it('maps landlines with and without the trunk prefix', () => {
    expect(normalizePhone('010-6552 8888')?.e164).toBe('+861065528888');
    expect(normalizePhone('+86 10 6552 8888')?.e164).toBe('+861065528888');
    expect(normalizePhone('(021) 5888 9999')?.e164).toBe('+862158889999');
  });

  it('keeps 400 service numbers', () => {
    expect(normalizePhone('400-800-1000')?.e164).toBe('+864008001000');
  });

  it('keeps short internal extensions as digits', () => {
    expect(normalizePhone('1001')).toEqual({ e164: '1001', display: '1001', type: 'SHORT', valid: false });
  });

  it('rejects text that is not a number', () => {
    expect(normalizePhone('abc')).toBeNull();
    expect(normalizePhone('')).toBeNull();
  });
});

describe('maskPhone', () => {
  it('shows only the last four digits', () => {
    expect(maskPhone('+8613800000001')).toBe('*******0001');
    expect(maskPhone('1001')).toBe('****');
  });
});
