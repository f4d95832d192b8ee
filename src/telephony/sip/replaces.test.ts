import { describe, expect, it } from 'vitest';
import { replacesInReferTo } from './replaces.ts';

describe('Replaces in a Refer-To URI (RFC 3891, RFC 5589 §7)', () => {
  it('reads the dialog of an attended transfer', () => {
    expect(
      replacesInReferTo(
        'sip:1012@10.0.0.1:5060?Replaces=090459243588173445%3Bto-tag%3D7553452%3Bfrom-tag%3D31431',
      ),
    ).toEqual({ callId: '090459243588173445', toTag: '7553452', fromTag: '31431', earlyOnly: false });
  });

  it('keeps a Call-ID with an escaped @, takes parameters in any order and other headers beside it', () => {
    expect(
      replacesInReferTo(
        'sips:bob@example.com?Subject=x&replaces=abc%40host%3Bfrom-tag%3DF%3Bearly-only%3Bto-tag%3DT',
      ),
    ).toEqual({ callId: 'abc@host', toTag: 'T', fromTag: 'F', earlyOnly: true });
  });

  it('is null for a blind transfer and malformed when a tag is missing or escaping is broken', () => {
    expect(replacesInReferTo('sip:1008@10.0.0.1')).toBeNull();
    expect(replacesInReferTo('sip:1008@10.0.0.1?Subject=hello')).toBeNull();
    expect(replacesInReferTo('sip:1008@10.0.0.1?Replaces=abc%3Bto-tag%3DT')).toBe('malformed');
    expect(replacesInReferTo('sip:1008@10.0.0.1?Replaces=%E0%A4%A')).toBe('malformed');
    expect(replacesInReferTo('sip:1008@10.0.0.1?Replaces=%3Bto-tag%3DT%3Bfrom-tag%3DF')).toBe('malformed');
  });
});
