/**
 * What a file is, judged from its first bytes only (CRM-06): the name and the request's
 * content type are whatever the client says, so neither decides how a file is stored, served or
 * previewed. Executables and anything unrecognised are refused.
 */
export interface Sniffed {
  mime: string;
  /** Rendered in the browser: PDFs as pages, images as themselves. */
  previewable: 'pdf' | 'image' | null;
}

const startsWith = (bytes: Buffer, ...sig: number[]) => sig.every((b, i) => bytes[i] === b);
const ascii = (bytes: Buffer, at: number, text: string) =>
  bytes.subarray(at, at + text.length).toString('latin1') === text;

/** Headers of programs and scripts; such bytes are refused whatever the file is called. */
export function isExecutable(bytes: Buffer): boolean {
  return (
    startsWith(bytes, 0x4d, 0x5a) || // MZ: Windows PE
    startsWith(bytes, 0x7f, 0x45, 0x4c, 0x46) || // ELF
    startsWith(bytes, 0xcf, 0xfa, 0xed, 0xfe) || // Mach-O 64
    startsWith(bytes, 0xce, 0xfa, 0xed, 0xfe) ||
    startsWith(bytes, 0xca, 0xfe, 0xba, 0xbe) || // Mach-O fat / Java class
    ascii(bytes, 0, '#!')
  );
}

function officeZip(bytes: Buffer): string {
  // OOXML packages name their main part near the start of the central directory and local headers.
  const head = bytes.subarray(0, Math.min(bytes.length, 64 * 1024)).toString('latin1');
  if (head.includes('word/'))
    return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (head.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (head.includes('ppt/'))
    return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  return 'application/zip';
}

/** Plain text: valid UTF-8 with no control characters other than whitespace. */
function isText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, Math.min(bytes.length, 8192));
  for (const b of sample) if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b) || b === 0x7f) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, lastCompleteUtf8(sample)));
    return true;
  } catch {
    return false;
  }
}

/** The sample may end inside a multi-byte character; cut before it. */
function lastCompleteUtf8(sample: Buffer): number {
  let end = sample.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = sample[end - i]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > i) end -= i;
    break;
  }
  return end;
}

/** The file's type from its bytes, or null when it is not a document type we accept. */
export function sniffMime(bytes: Buffer): Sniffed | null {
  if (bytes.length === 0 || isExecutable(bytes)) return null;
  if (ascii(bytes, 0, '%PDF-')) return { mime: 'application/pdf', previewable: 'pdf' };
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))
    return { mime: 'image/png', previewable: 'image' };
  if (startsWith(bytes, 0xff, 0xd8, 0xff)) return { mime: 'image/jpeg', previewable: 'image' };
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a'))
    return { mime: 'image/gif', previewable: 'image' };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return { mime: 'image/webp', previewable: 'image' };
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return { mime: officeZip(bytes), previewable: null };
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))
    return { mime: 'application/x-ole-storage', previewable: null }; // legacy .doc/.xls/.ppt
  if (isText(bytes)) return { mime: 'text/plain', previewable: null };
  return null;
}
