/** CSeq (RFC 3261 §20.16): a sequence number below 2**31 and the method it belongs to. */
export interface CSeq {
  seq: number;
  method: string;
}

const CSEQ = /^[ \t]*(\d{1,10})[ \t]+([A-Za-z0-9.!%*_+`'~-]+)[ \t]*$/;

export function parseCSeq(text: string): CSeq | undefined {
  const match = CSEQ.exec(text);
  if (match === null) return undefined;
  const seq = Number(match[1]);
  // §8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer and less than 2**31.
  if (!Number.isSafeInteger(seq) || seq >= 2 ** 31) return undefined;
  return { seq, method: match[2] as string };
}

export function serializeCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
