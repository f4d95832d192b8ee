/**
 * RTP fixed header (RFC 3550 §5.1) parsing and serialization.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |           synchronization source (SSRC) identifier            |
 * |            contributing source (CSRC) identifiers             | (0..15)
 *
 * Parsing never throws: anything that is not a well-formed version-2 packet yields `null`,
 * because the packets come from the network and a bad one must only be counted and dropped.
 */

export const RTP_VERSION = 2;
export const RTP_FIXED_HEADER_LENGTH = 12;

export interface RtpHeader {
  readonly padding: boolean;
  readonly extension: boolean;
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
}

export interface RtpPacket extends RtpHeader {
  /** Header-extension profile and data (RFC 3550 §5.3.1), when the X bit is set. */
  readonly extensionProfile: number | null;
  /** Offset of the payload in the parsed buffer (after CSRCs and extension). */
  readonly payloadOffset: number;
  /** Payload length, excluding padding (RFC 3550 §5.1, P bit). */
  readonly payloadLength: number;
  /** A view into the parsed buffer; no bytes are copied. */
  readonly payload: Uint8Array;
}

const NO_CSRCS: readonly number[] = Object.freeze([]);

function u16(data: Uint8Array, at: number): number {
  return ((data[at] ?? 0) << 8) | (data[at + 1] ?? 0);
}

function u32(data: Uint8Array, at: number): number {
  return (
    (((data[at] ?? 0) << 24) |
      ((data[at + 1] ?? 0) << 16) |
      ((data[at + 2] ?? 0) << 8) |
      (data[at + 3] ?? 0)) >>>
    0
  );
}

/**
 * Reads the RTP header; returns null for anything that is not a valid RTP v2 packet. Runs once
 * per received packet, so it reads bytes directly and allocates only the result and the
 * payload view (plus a CSRC array in the rare mixed-stream case).
 */
export function parseRtpPacket(data: Uint8Array): RtpPacket | null {
  if (data.length < RTP_FIXED_HEADER_LENGTH) return null;
  const b0 = data[0] ?? 0;
  const b1 = data[1] ?? 0;
  if (b0 >> 6 !== RTP_VERSION) return null;
  const padding = (b0 & 0x20) !== 0;
  const extension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  const payloadType = b1 & 0x7f;
  // RFC 5761 §4: PT 72-76 collide with RTCP SR/RR/SDES/BYE/APP; treat as not-RTP.
  if (payloadType >= 72 && payloadType <= 76) return null;
  let offset = RTP_FIXED_HEADER_LENGTH + csrcCount * 4;
  if (data.length < offset) return null;
  let csrcs = NO_CSRCS;
  if (csrcCount > 0) {
    const list: number[] = [];
    for (let i = 0; i < csrcCount; i++) list.push(u32(data, RTP_FIXED_HEADER_LENGTH + i * 4));
    csrcs = list;
  }
  let extensionProfile: number | null = null;
  if (extension) {
    if (data.length < offset + 4) return null;
    extensionProfile = u16(data, offset);
    offset += 4 + u16(data, offset + 2) * 4;
    if (data.length < offset) return null;
  }
  let end = data.length;
  if (padding) {
    // The last octet counts the padding octets, itself included (RFC 3550 §5.1).
    const padCount = data[data.length - 1] ?? 0;
    if (padCount === 0 || end - padCount < offset) return null;
    end -= padCount;
  }
  return {
    padding,
    extension,
    marker: (b1 & 0x80) !== 0,
    payloadType,
    sequenceNumber: u16(data, 2),
    timestamp: u32(data, 4),
    ssrc: u32(data, 8),
    csrcs,
    extensionProfile,
    payloadOffset: offset,
    payloadLength: end - offset,
    payload: data.subarray(offset, end),
  };
}

export interface RtpHeaderFields {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs?: readonly number[];
}

/** Length of the header `writeRtpHeader` produces for these fields. */
export function rtpHeaderLength(fields: RtpHeaderFields): number {
  return RTP_FIXED_HEADER_LENGTH + (fields.csrcs?.length ?? 0) * 4;
}

/**
 * Writes a header (no padding, no extension) at `out[0]`; returns its length. Writing into a
 * caller-owned buffer keeps the send path free of allocations.
 */
export function writeRtpHeader(out: Uint8Array, fields: RtpHeaderFields): number {
  const csrcs = fields.csrcs ?? [];
  const count = Math.min(csrcs.length, 15);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out[0] = (RTP_VERSION << 6) | count;
  out[1] = (fields.marker ? 0x80 : 0) | (fields.payloadType & 0x7f);
  view.setUint16(2, fields.sequenceNumber & 0xffff);
  view.setUint32(4, fields.timestamp >>> 0);
  view.setUint32(8, fields.ssrc >>> 0);
  for (let i = 0; i < count; i++) view.setUint32(RTP_FIXED_HEADER_LENGTH + i * 4, (csrcs[i] ?? 0) >>> 0);
  return RTP_FIXED_HEADER_LENGTH + count * 4;
}

/** Builds a complete packet (header + payload) in a new buffer; for tests and cold paths. */
export function serializeRtpPacket(fields: RtpHeaderFields, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(rtpHeaderLength(fields) + payload.length);
  const headerLength = writeRtpHeader(out, fields);
  out.set(payload, headerLength);
  return out;
}

/**
 * Rewrites marker, payload type, sequence number, timestamp and SSRC of a packet in place.
 * The relay path forwards the received buffer itself, so the header is patched, not rebuilt.
 */
export function rewriteRtpHeader(
  packet: Uint8Array,
  marker: boolean,
  payloadType: number,
  sequenceNumber: number,
  timestamp: number,
  ssrc: number,
): void {
  packet[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  packet[2] = (sequenceNumber >> 8) & 0xff;
  packet[3] = sequenceNumber & 0xff;
  packet[4] = (timestamp >>> 24) & 0xff;
  packet[5] = (timestamp >>> 16) & 0xff;
  packet[6] = (timestamp >>> 8) & 0xff;
  packet[7] = timestamp & 0xff;
  packet[8] = (ssrc >>> 24) & 0xff;
  packet[9] = (ssrc >>> 16) & 0xff;
  packet[10] = (ssrc >>> 8) & 0xff;
  packet[11] = ssrc & 0xff;
}

/** Signed distance a→b in 16-bit sequence space (RFC 3550 §A.1 wrap handling). */
export function seqDistance(from: number, to: number): number {
  const d = (to - from) & 0xffff;
  return d >= 0x8000 ? d - 0x10000 : d;
}

/** Signed distance a→b in 32-bit timestamp space. */
export function timestampDistance(from: number, to: number): number {
  return ((to >>> 0) - (from >>> 0)) | 0;
}
