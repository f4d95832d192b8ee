/**
 * Splits an SMS into the parts an SMSC accepts (3GPP TS 23.040 §9.2.3.24.1 concatenation): text
 * in plain ASCII goes as IA5 (data_coding 0x01) with 160 characters in one message or 153 per part;
 * anything else — Chinese above all — goes as UCS-2 (data_coding 0x08, big-endian UTF-16) with 70
 * characters in one message or 67 per part. Parts carry a 6-octet UDH (IEI 0x00: 8-bit reference,
 * total, sequence) so the phone shows one message.
 */
export const dataCoding = { ia5: 0x01, ucs2: 0x08 } as const;
/** esm_class bit: the short message starts with a user data header. */
export const udhIndicator = 0x40;

export interface SmsPart {
  dataCoding: number;
  esmClass: number;
  /** The short_message octets, UDH included. */
  payload: Buffer;
}

const limits = {
  ia5: { single: 160, part: 153 },
  ucs2: { single: 70, part: 67 },
};

function isPlainAscii(text: string): boolean {
  return /^[\x20-\x7e\r\n]*$/.test(text);
}

function ucs2(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return le.swap16();
}

/** Cut `text` into chunks of at most `size` UTF-16 units without splitting a surrogate pair. */
function chunk(text: string, size: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(i + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/** The parts to submit for `text`; `reference` ties the parts of one long message together. */
export function smsParts(text: string, reference: number): SmsPart[] {
  const kind = isPlainAscii(text) ? 'ia5' : 'ucs2';
  const encode = kind === 'ia5' ? (s: string) => Buffer.from(s, 'latin1') : ucs2;
  const coding = dataCoding[kind];
  if (text.length <= limits[kind].single) {
    return [{ dataCoding: coding, esmClass: 0, payload: encode(text) }];
  }
  const chunks = chunk(text, limits[kind].part);
  if (chunks.length > 255) throw new Error('an SMS may have at most 255 parts');
  return chunks.map((c, i) => ({
    dataCoding: coding,
    esmClass: udhIndicator,
    payload: Buffer.concat([
      Buffer.from([0x05, 0x00, 0x03, reference & 0xff, chunks.length, i + 1]),
      encode(c),
    ]),
  }));
}

/** Reads a part back (the test SMSC and logs): its text and, when concatenated, its place. */
export function readSmsPart(
  payload: Buffer,
  coding: number,
  esmClass: number,
): { text: string; reference?: number; total?: number; seq?: number } {
  let body = payload;
  let header: { reference: number; total: number; seq: number } | undefined;
  if (esmClass & udhIndicator) {
    const udhLength = payload[0]! + 1;
    const udh = payload.subarray(1, udhLength);
    if (udh[0] === 0x00 && udh[1] === 0x03) header = { reference: udh[2]!, total: udh[3]!, seq: udh[4]! };
    body = payload.subarray(udhLength);
  }
  const text =
    coding === dataCoding.ucs2 ? Buffer.from(body).swap16().toString('utf16le') : body.toString('latin1');
  return { text, ...header };
}
