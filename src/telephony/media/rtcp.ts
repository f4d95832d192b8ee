/**
 * RTCP compound packets (RFC 3550 §6): we send SR (or RR while we have sent nothing) with one
 * report block for the source we receive, plus the SDES CNAME every compound packet must carry
 * (§6.1), and BYE when an endpoint goes away (§6.6). Parsing reads the same packet types.
 */
import type { ReceptionReport } from './rtp-receive-stats.ts';

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
const SDES_CNAME = 1;
/** Seconds between 1900-01-01 (NTP epoch) and 1970-01-01 (Unix epoch). */
const NTP_UNIX_OFFSET = 2_208_988_800;

export interface NtpTimestamp {
  readonly seconds: number;
  readonly fraction: number;
}

export function ntpFromUnixMs(unixMs: number): NtpTimestamp {
  const seconds = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - seconds * 1000) / 1000) * 0x1_0000_0000);
  return { seconds: (seconds + NTP_UNIX_OFFSET) >>> 0, fraction: fraction >>> 0 };
}

/** The "middle 32 bits" of an NTP timestamp, as LSR carries it (§6.4.1). */
export function ntpMiddle32(ntp: NtpTimestamp): number {
  return (((ntp.seconds & 0xffff) << 16) | (ntp.fraction >>> 16)) >>> 0;
}

export interface ReportBlock extends ReceptionReport {
  /** Middle 32 bits of the last SR's NTP timestamp from this source, 0 if none. */
  readonly lastSr: number;
  /** Delay since that SR, in 1/65536 s. */
  readonly delaySinceLastSr: number;
}

export interface SenderInfo {
  readonly ntp: NtpTimestamp;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
}

export type RtcpPacket =
  | {
      readonly type: 'sr';
      readonly ssrc: number;
      readonly sender: SenderInfo;
      readonly reports: ReportBlock[];
    }
  | { readonly type: 'rr'; readonly ssrc: number; readonly reports: ReportBlock[] }
  | { readonly type: 'sdes'; readonly chunks: { ssrc: number; cname: string | null }[] }
  | { readonly type: 'bye'; readonly ssrcs: number[] }
  | { readonly type: 'other'; readonly packetType: number };

export interface ReportOptions {
  readonly ssrc: number;
  readonly cname: string;
  /** Present when we have sent RTP since the last report: makes it an SR, else an RR. */
  readonly sender: SenderInfo | null;
  readonly reports: readonly ReportBlock[];
  /** Append a BYE for `ssrc` (§6.6). */
  readonly bye?: boolean;
}

function writeHeader(
  view: DataView,
  offset: number,
  count: number,
  packetType: number,
  length: number,
): void {
  view.setUint8(offset, (2 << 6) | (count & 0x1f));
  view.setUint8(offset + 1, packetType);
  // Length in 32-bit words minus one (§6.4.1).
  view.setUint16(offset + 2, length / 4 - 1);
}

function writeBlock(view: DataView, offset: number, block: ReportBlock): void {
  view.setUint32(offset, block.ssrc >>> 0);
  view.setUint32(offset + 4, ((block.fractionLost & 0xff) << 24) | (block.cumulativeLost & 0xffffff));
  view.setUint32(offset + 8, block.extendedHighestSeq >>> 0);
  view.setUint32(offset + 12, block.jitter >>> 0);
  view.setUint32(offset + 16, block.lastSr >>> 0);
  view.setUint32(offset + 20, block.delaySinceLastSr >>> 0);
}

/** Builds an SR/RR + SDES (+ BYE) compound packet. */
export function buildRtcpReport(options: ReportOptions): Uint8Array {
  const reports = options.reports.slice(0, 31);
  const reportLength = (options.sender ? 28 : 8) + reports.length * 24;
  const cname = new TextEncoder().encode(options.cname).subarray(0, 255);
  // SSRC + CNAME item (type, length, text) + at least one null octet, padded to 32 bits.
  const sdesLength = 4 + Math.ceil((4 + 2 + cname.length + 1) / 4) * 4;
  const byeLength = options.bye ? 8 : 0;
  const out = new Uint8Array(reportLength + sdesLength + byeLength);
  const view = new DataView(out.buffer);
  let offset: number;
  if (options.sender) {
    writeHeader(view, 0, reports.length, RTCP_SR, reportLength);
    view.setUint32(4, options.ssrc >>> 0);
    view.setUint32(8, options.sender.ntp.seconds >>> 0);
    view.setUint32(12, options.sender.ntp.fraction >>> 0);
    view.setUint32(16, options.sender.rtpTimestamp >>> 0);
    view.setUint32(20, options.sender.packetCount >>> 0);
    view.setUint32(24, options.sender.octetCount >>> 0);
    offset = 28;
  } else {
    writeHeader(view, 0, reports.length, RTCP_RR, reportLength);
    view.setUint32(4, options.ssrc >>> 0);
    offset = 8;
  }
  for (const block of reports) {
    writeBlock(view, offset, block);
    offset += 24;
  }
  writeHeader(view, offset, 1, RTCP_SDES, sdesLength);
  view.setUint32(offset + 4, options.ssrc >>> 0);
  out[offset + 8] = SDES_CNAME;
  out[offset + 9] = cname.length;
  out.set(cname, offset + 10);
  // Remaining octets are already zero: the end-of-list item and padding (§6.5).
  offset += sdesLength;
  if (options.bye) {
    writeHeader(view, offset, 1, RTCP_BYE, 8);
    view.setUint32(offset + 4, options.ssrc >>> 0);
  }
  return out;
}

function readBlocks(view: DataView, offset: number, count: number, end: number): ReportBlock[] | null {
  const blocks: ReportBlock[] = [];
  for (let i = 0; i < count; i++) {
    const at = offset + i * 24;
    if (at + 24 > end) return null;
    const lost = view.getUint32(at + 4);
    const cumulative = lost & 0xffffff;
    blocks.push({
      ssrc: view.getUint32(at),
      fractionLost: lost >>> 24,
      // Signed 24-bit (§6.4.1).
      cumulativeLost: cumulative & 0x800000 ? cumulative - 0x1000000 : cumulative,
      extendedHighestSeq: view.getUint32(at + 8),
      jitter: view.getUint32(at + 12),
      lastSr: view.getUint32(at + 16),
      delaySinceLastSr: view.getUint32(at + 20),
    });
  }
  return blocks;
}

function readSdes(data: Uint8Array, view: DataView, offset: number, count: number, end: number) {
  const chunks: { ssrc: number; cname: string | null }[] = [];
  let at = offset;
  for (let i = 0; i < count && at + 4 <= end; i++) {
    const ssrc = view.getUint32(at);
    at += 4;
    let cname: string | null = null;
    while (at < end && data[at] !== 0) {
      const itemType = data[at] ?? 0;
      const length = data[at + 1] ?? 0;
      if (at + 2 + length > end) return chunks;
      if (itemType === SDES_CNAME) cname = new TextDecoder().decode(data.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }
    // Skip the null item and pad to the next 32-bit boundary.
    at = (Math.floor((at - offset) / 4) + 1) * 4 + offset;
    chunks.push({ ssrc, cname });
  }
  return chunks;
}

/** Parses a compound RTCP packet; returns null when it is not valid RTCP (§6.4.1, A.2). */
export function parseRtcpCompound(data: Uint8Array): RtcpPacket[] | null {
  if (data.length < 4) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const packets: RtcpPacket[] = [];
  let offset = 0;
  // Bounded: each iteration advances by at least 4 octets.
  while (offset + 4 <= data.length) {
    const b0 = data[offset] ?? 0;
    if (b0 >> 6 !== 2) return null;
    const count = b0 & 0x1f;
    const packetType = data[offset + 1] ?? 0;
    const end = offset + (view.getUint16(offset + 2) + 1) * 4;
    if (end > data.length) return null;
    if (packetType === RTCP_SR && end - offset >= 28) {
      const reports = readBlocks(view, offset + 28, count, end);
      if (!reports) return null;
      packets.push({
        type: 'sr',
        ssrc: view.getUint32(offset + 4),
        sender: {
          ntp: { seconds: view.getUint32(offset + 8), fraction: view.getUint32(offset + 12) },
          rtpTimestamp: view.getUint32(offset + 16),
          packetCount: view.getUint32(offset + 20),
          octetCount: view.getUint32(offset + 24),
        },
        reports,
      });
    } else if (packetType === RTCP_RR && end - offset >= 8) {
      const reports = readBlocks(view, offset + 8, count, end);
      if (!reports) return null;
      packets.push({ type: 'rr', ssrc: view.getUint32(offset + 4), reports });
    } else if (packetType === RTCP_SDES) {
      packets.push({ type: 'sdes', chunks: readSdes(data, view, offset + 4, count, end) });
    } else if (packetType === RTCP_BYE) {
      const ssrcs: number[] = [];
      for (let i = 0; i < count && offset + 8 + i * 4 <= end; i++)
        ssrcs.push(view.getUint32(offset + 4 + i * 4));
      packets.push({ type: 'bye', ssrcs });
    } else if (packetType >= 200 && packetType <= 223) {
      packets.push({ type: 'other', packetType });
    } else {
      return null;
    }
    offset = end;
  }
  return packets.length > 0 ? packets : null;
}
