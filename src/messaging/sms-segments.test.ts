import { describe, expect, it } from 'vitest';
import { dataCoding, readSmsPart, smsParts, udhIndicator } from './sms-segments.ts';

describe('smsParts', () => {
  it('sends short ASCII text as one IA5 message without a header', () => {
    const [part, ...rest] = smsParts('Your parcel SF1234567890 is out for delivery.', 1);
    expect(rest).toEqual([]);
    expect(part!.dataCoding).toBe(dataCoding.ia5);
    expect(part!.esmClass).toBe(0);
    expect(part!.payload.toString('latin1')).toBe('Your parcel SF1234567890 is out for delivery.');
  });

  it('sends Chinese text as UCS-2, big-endian', () => {
    const [part] = smsParts('您的快递已签收', 1);
    expect(part!.dataCoding).toBe(dataCoding.ucs2);
    expect(part!.payload.subarray(0, 2)).toEqual(Buffer.from([0x60, 0xa8])); // 您 U+60A8
    expect(readSmsPart(part!.payload, part!.dataCoding, part!.esmClass).text).toBe('您的快递已签收');
  });

  it('splits 71 Chinese characters into two concatenated parts of at most 67 characters', () => {
    const text = '运'.repeat(71);
    const parts = smsParts(text, 42);
    expect(parts).toHaveLength(2);
    const read = parts.map((p) => readSmsPart(p.payload, p.dataCoding, p.esmClass));
    expect(read.map((r) => [r.reference, r.total, r.seq])).toEqual([
      [42, 2, 1],
      [42, 2, 2],
    ]);
    expect(parts.every((p) => p.esmClass & udhIndicator)).toBe(true);
    expect(read[0]!.text).toHaveLength(67);
    expect(read.map((r) => r.text).join('')).toBe(text);
  });

  it('keeps 160 ASCII characters in one message and splits 161 into 153 + 8', () => {
    expect(smsParts('a'.repeat(160), 1)).toHaveLength(1);
    const parts = smsParts('a'.repeat(161), 1);
    expect(parts.map((p) => readSmsPart(p.payload, p.dataCoding, p.esmClass).text.length)).toEqual([153, 8]);
  });

  it('never splits a surrogate pair across parts', () => {
    const text = '包'.repeat(66) + '😀' + '裹'.repeat(10);
    const texts = smsParts(text, 7).map((p) => readSmsPart(p.payload, p.dataCoding, p.esmClass).text);
    expect(texts.join('')).toBe(text);
    expect(texts[0]!.endsWith('包')).toBe(true);
  });
});
