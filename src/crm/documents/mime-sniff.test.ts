import { describe, expect, it } from 'vitest';
import { sniffMime } from './mime-sniff.ts';

describe('sniffMime', () => {
  it('recognises documents and images by their first bytes', () => {
    expect(sniffMime(Buffer.from('%PDF-1.4\n...'))?.mime).toBe('application/pdf');
    expect(sniffMime(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.previewable).toBe(
      'image',
    );
    expect(sniffMime(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.mime).toBe('image/jpeg');
    expect(sniffMime(Buffer.from('PK\u0003\u0004....word/document.xml', 'latin1'))?.mime).toContain(
      'wordprocessingml',
    );
    expect(sniffMime(Buffer.from('报价单：运费每公斤 3 元\n', 'utf8'))?.mime).toBe('text/plain');
  });

  it('refuses executables and unknown binary whatever they are called', () => {
    expect(sniffMime(Buffer.from('MZ\u0090\u0000\u0003', 'latin1'))).toBeNull();
    expect(sniffMime(Buffer.from('\u007fELF\u0002\u0001', 'latin1'))).toBeNull();
    expect(sniffMime(Buffer.from('#!/bin/sh\nrm -rf /\n'))).toBeNull();
    expect(sniffMime(Buffer.from([0x00, 0x01, 0x02, 0x03]))).toBeNull();
    expect(sniffMime(Buffer.alloc(0))).toBeNull();
  });

  it('accepts text whose sample ends inside a multi-byte character', () => {
    const text = Buffer.from('运'.repeat(3000), 'utf8'); // 9000 bytes: the 8192-byte sample cuts a character
    expect(sniffMime(text)?.mime).toBe('text/plain');
  });
});
