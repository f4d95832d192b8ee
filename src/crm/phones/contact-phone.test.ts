import { describe, expect, it } from 'vitest';
import { parseContactPhone } from './contact-phone.ts';

describe('parseContactPhone', () => {
  it.each([
    ['+86 138 0000 0001', '+8613800000001', '13800000001', 'mobile', null],
    ['138-0000-0001', '+8613800000001', '13800000001', 'mobile', null],
    ['(021)6234 5678', '+862162345678', '02162345678', 'landline', null],
    ['021-62345678-801', '+862162345678', '02162345678', 'landline', '801'],
    ['0755 8888 6666 转 12', '+8675588886666', '075588886666', 'landline', '12'],
    ['400 800 1000', '+864008001000', '4008001000', '400', null],
  ])('%s → %s', (raw, e164, digits, kind, extension) => {
    expect(parseContactPhone(raw)).toEqual({ e164, raw, digits, kind, extension });
  });

  it('keeps short internal numbers unless strict, and refuses text', () => {
    expect(parseContactPhone('1001')?.kind).toBe('extension');
    expect(parseContactPhone('1001', true)).toBeNull();
    expect(parseContactPhone('call me later', true)).toBeNull();
  });
});
