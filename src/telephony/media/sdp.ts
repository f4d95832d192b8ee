/**
 * SDP session descriptions (RFC 8866, which obsoletes RFC 4566): a typed model, a parser and a
 * serializer. The parser is lenient about things that do not matter for audio (unknown lines,
 * LF-only line ends, RFC 8866 §5) but rejects a description without `v=`, `o=` or with a
 * malformed `m=` line, because negotiating on a half-understood offer is worse than a 488.
 */
import { SdpNegotiationError } from './media-errors.ts';

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

export interface SdpConnection {
  readonly netType: string;
  readonly addrType: string;
  /** Address without any TTL / count suffix (multicast is not used here). */
  readonly address: string;
}

export interface SdpAttribute {
  readonly name: string;
  readonly value: string | null;
}

/** A line we keep but do not interpret (i=, u=, e=, p=, r=, z=, k=, ...), to round-trip it. */
export interface SdpOtherLine {
  readonly type: string;
  readonly value: string;
}

export interface SdpMedia {
  readonly media: string;
  readonly port: number;
  readonly portCount: number | null;
  readonly protocol: string;
  readonly formats: readonly string[];
  readonly connection: SdpConnection | null;
  readonly bandwidths: readonly string[];
  readonly attributes: readonly SdpAttribute[];
  readonly otherLines: readonly SdpOtherLine[];
}

export interface SessionDescription {
  readonly version: number;
  readonly origin: SdpOrigin;
  readonly sessionName: string;
  readonly connection: SdpConnection | null;
  readonly bandwidths: readonly string[];
  readonly timing: readonly string[];
  readonly attributes: readonly SdpAttribute[];
  readonly otherLines: readonly SdpOtherLine[];
  readonly media: readonly SdpMedia[];
}

export interface SdpRtpMap {
  readonly payloadType: number;
  readonly encodingName: string;
  readonly clockRate: number;
  readonly channels: number | null;
}

/** Hard cap on what we parse, so a hostile body cannot make us loop for long. */
const MAX_SDP_LINES = 2000;

function malformed(message: string): SdpNegotiationError {
  return new SdpNegotiationError('malformed_sdp', message);
}

function parseConnection(value: string): SdpConnection {
  const parts = value.trim().split(/\s+/);
  if (parts.length < 3) throw malformed(`bad c= line: ${value}`);
  const address = (parts[2] ?? '').split('/')[0] ?? '';
  // "c=IN IP4 /8000" leaves no address: media sent "there" would go nowhere, and it does not round-trip.
  if (address === '') throw malformed(`bad c= line: ${value}`);
  return { netType: parts[0] ?? '', addrType: parts[1] ?? '', address };
}

function parseAttribute(value: string): SdpAttribute {
  const colon = value.indexOf(':');
  if (colon < 0) return { name: value.trim(), value: null };
  return { name: value.slice(0, colon).trim(), value: value.slice(colon + 1).trim() };
}

interface MutableMedia {
  media: string;
  port: number;
  portCount: number | null;
  protocol: string;
  formats: string[];
  connection: SdpConnection | null;
  bandwidths: string[];
  attributes: SdpAttribute[];
  otherLines: SdpOtherLine[];
}

function parseMediaLine(value: string): MutableMedia {
  const parts = value.trim().split(/\s+/);
  if (parts.length < 3) throw malformed(`bad m= line: ${value}`);
  const [portText = '', countText] = (parts[1] ?? '').split('/');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw malformed(`bad port in m= line: ${value}`);
  // A count that is no port number (e.g. 40 digits, which Number() makes 1e+40) is ignored like a non-numeric one.
  const portCount =
    countText !== undefined && /^\d{1,5}$/.test(countText) && Number(countText) <= 65535
      ? Number(countText)
      : null;
  return {
    media: parts[0] ?? '',
    port,
    portCount,
    protocol: parts[2] ?? '',
    formats: parts.slice(3),
    connection: null,
    bandwidths: [],
    attributes: [],
    otherLines: [],
  };
}

/** Parses an SDP body; throws SdpNegotiationError('malformed_sdp') when it cannot be used. */
export function parseSdp(text: string): SessionDescription {
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_SDP_LINES) throw malformed('SDP too long');
  let version: number | null = null;
  let origin: SdpOrigin | null = null;
  let sessionName = '';
  let connection: SdpConnection | null = null;
  const bandwidths: string[] = [];
  const timing: string[] = [];
  const attributes: SdpAttribute[] = [];
  const otherLines: SdpOtherLine[] = [];
  const media: MutableMedia[] = [];
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line === '') continue;
    // RFC 8866 §9 (byte-string): no NUL, and no CR or LF inside a line. A bare CR would survive into
    // a field and end the line early wherever the value is written out again.
    if (/[\0\r]/.test(line)) throw malformed('NUL or bare CR in a line');
    if (line.length < 2 || line[1] !== '=') throw malformed(`bad line: ${line.slice(0, 80)}`);
    const type = line[0] ?? '';
    const value = line.slice(2);
    const current = media[media.length - 1];
    switch (type) {
      case 'v':
        version = Number(value);
        break;
      case 'o': {
        const p = value.trim().split(/\s+/);
        if (p.length < 6) throw malformed(`bad o= line: ${value}`);
        origin = {
          username: p[0] ?? '-',
          sessionId: p[1] ?? '0',
          sessionVersion: p[2] ?? '0',
          netType: p[3] ?? 'IN',
          addrType: p[4] ?? 'IP4',
          address: p[5] ?? '0.0.0.0',
        };
        break;
      }
      case 's':
        sessionName = value;
        break;
      case 'c':
        if (current) current.connection = parseConnection(value);
        else connection = parseConnection(value);
        break;
      case 'b':
        (current ? current.bandwidths : bandwidths).push(value);
        break;
      case 't':
        timing.push(value);
        break;
      case 'a':
        (current ? current.attributes : attributes).push(parseAttribute(value));
        break;
      case 'm':
        media.push(parseMediaLine(value));
        break;
      default:
        (current ? current.otherLines : otherLines).push({ type, value });
    }
  }
  if (version !== 0) throw malformed('missing or unsupported v= line');
  if (!origin) throw malformed('missing o= line');
  return { version, origin, sessionName, connection, bandwidths, timing, attributes, otherLines, media };
}

function attributeLine(attribute: SdpAttribute): string {
  return attribute.value === null ? `a=${attribute.name}` : `a=${attribute.name}:${attribute.value}`;
}

function connectionLine(c: SdpConnection): string {
  return `c=${c.netType} ${c.addrType} ${c.address}`;
}

/** Serializes in the line order RFC 8866 §5 requires, with CRLF line ends. */
export function serializeSdp(sdp: SessionDescription): string {
  const o = sdp.origin;
  const out: string[] = [
    `v=${sdp.version}`,
    `o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`,
    `s=${sdp.sessionName === '' ? '-' : sdp.sessionName}`,
  ];
  for (const line of sdp.otherLines) if ('iuep'.includes(line.type)) out.push(`${line.type}=${line.value}`);
  if (sdp.connection) out.push(connectionLine(sdp.connection));
  for (const b of sdp.bandwidths) out.push(`b=${b}`);
  for (const t of sdp.timing.length > 0 ? sdp.timing : ['0 0']) out.push(`t=${t}`);
  for (const line of sdp.otherLines) if (!'iuep'.includes(line.type)) out.push(`${line.type}=${line.value}`);
  for (const a of sdp.attributes) out.push(attributeLine(a));
  for (const m of sdp.media) {
    const port = m.portCount === null ? `${m.port}` : `${m.port}/${m.portCount}`;
    out.push(`m=${m.media} ${port} ${m.protocol} ${m.formats.join(' ')}`.trimEnd());
    for (const line of m.otherLines) if (line.type === 'i') out.push(`i=${line.value}`);
    if (m.connection) out.push(connectionLine(m.connection));
    for (const b of m.bandwidths) out.push(`b=${b}`);
    for (const line of m.otherLines) if (line.type !== 'i') out.push(`${line.type}=${line.value}`);
    for (const a of m.attributes) out.push(attributeLine(a));
  }
  return out.join('\r\n') + '\r\n';
}

/** `a=rtpmap` entries of a media section (RFC 8866 §6.6), keyed by payload type. */
export function rtpMaps(media: SdpMedia): Map<number, SdpRtpMap> {
  const maps = new Map<number, SdpRtpMap>();
  for (const a of media.attributes) {
    if (a.name !== 'rtpmap' || a.value === null) continue;
    const match = /^(\d+)\s+([^/\s]+)\/(\d+)(?:\/(\d+))?/.exec(a.value);
    if (!match) continue;
    const payloadType = Number(match[1]);
    // RFC 3550 §5.1: the payload type is 7 bits; a larger number cannot be put in an RTP header.
    if (payloadType > 127) continue;
    maps.set(payloadType, {
      payloadType,
      encodingName: match[2] ?? '',
      clockRate: Number(match[3]),
      channels: match[4] === undefined ? null : Number(match[4]),
    });
  }
  return maps;
}

/** The `a=fmtp` parameters for one payload type, or null. */
export function fmtpFor(media: SdpMedia, payloadType: number): string | null {
  for (const a of media.attributes) {
    if (a.name !== 'fmtp' || a.value === null) continue;
    const space = a.value.indexOf(' ');
    if (space > 0 && Number(a.value.slice(0, space)) === payloadType) return a.value.slice(space + 1).trim();
  }
  return null;
}

const DIRECTIONS: readonly SdpDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function directionIn(attributes: readonly SdpAttribute[]): SdpDirection | null {
  for (const a of attributes) {
    const d = DIRECTIONS.find((x) => x === a.name);
    if (d) return d;
  }
  return null;
}

/** Media-level direction, else session-level, else sendrecv (RFC 8866 §6.7). */
export function mediaDirection(sdp: SessionDescription, media: SdpMedia): SdpDirection {
  return directionIn(media.attributes) ?? directionIn(sdp.attributes) ?? 'sendrecv';
}

/** The media-level connection, else the session-level one (RFC 8866 §5.7). */
export function mediaConnection(sdp: SessionDescription, media: SdpMedia): SdpConnection | null {
  return media.connection ?? sdp.connection;
}

/** First value of a media attribute (falling back to the session level), or null. */
export function attributeValue(sdp: SessionDescription, media: SdpMedia, name: string): string | null {
  const found = media.attributes.find((a) => a.name === name) ?? sdp.attributes.find((a) => a.name === name);
  return found?.value ?? null;
}
