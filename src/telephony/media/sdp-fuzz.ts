/**
 * Fuzzing support for the SDP parser and the offer/answer code that consumes it: seed bodies and
 * the invariants every input must satisfy. Used by sdp.fuzz.test.ts and scripts/fuzz-sip.ts; the
 * running system never imports it.
 */
import { SdpNegotiationError } from './media-errors.ts';
import { createAnswer, parseAnswer, type NegotiatedMedia } from './sdp-offer-answer.ts';
import { parseSdp, serializeSdp, type SessionDescription } from './sdp.ts';

const crlf = (...lines: string[]): string => `${lines.join('\r\n')}\r\n`;

export const SDP_SEEDS: readonly string[] = [
  crlf(
    'v=0',
    'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
    's=-',
    'c=IN IP4 192.0.2.10',
    't=0 0',
    'm=audio 49170 RTP/AVP 0 8 101',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    'a=sendrecv',
  ),
  crlf(
    'v=0',
    'o=alice 3724 1932 IN IP4 192.0.2.10',
    's=Talk',
    'c=IN IP4 192.0.2.10',
    'b=AS:80',
    't=0 0',
    'a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics',
    'm=audio 7078 RTP/AVP 96 0 8 101',
    'a=rtpmap:96 opus/48000/2',
    'a=fmtp:96 useinbandfec=1',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=rtcp:7079',
    'a=sendonly',
    'm=video 9078 RTP/AVP 97',
    'c=IN IP4 192.0.2.11',
    'a=rtpmap:97 VP8/90000',
  ),
  crlf(
    'v=0',
    'o=- 0 0 IN IP6 2001:db8::1',
    's=hold',
    'i=old-style hold',
    'u=http://example.com/x',
    'e=ops@example.com',
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'r=7d 1h 0 25h',
    'z=2882844526 -1h',
    'm=audio 30000/2 RTP/AVP 8',
    'i=audio line',
    'b=TIAS:64000',
    'k=prompt',
    'a=inactive',
    'm=audio 0 RTP/SAVP 0',
  ),
  [
    'v=0',
    'o=bob 1 1 IN IP4 198.51.100.7',
    's= ',
    't=0 0',
    'm=audio 6000 RTP/AVP 0',
    'c=IN IP4 198.51.100.7',
    '',
  ].join('\n'),
];

// eslint-disable-next-line no-control-regex -- control characters are what is checked for
const LINE_BREAK = /[\r\n\x00]/;
const NO_SPACE = /^\S+$/;
const DIRECTIONS = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

function isPort(n: unknown, min = 0): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= 65535;
}

/** Type-level checks of a parsed description; returns the violations. */
export function descriptionViolations(sdp: SessionDescription): string[] {
  const v: string[] = [];
  if (sdp.version !== 0) v.push(`version ${String(sdp.version)}`);
  for (const [k, value] of Object.entries(sdp.origin))
    if (typeof value !== 'string' || !NO_SPACE.test(value)) v.push(`origin.${k} ${JSON.stringify(value)}`);
  if (LINE_BREAK.test(sdp.sessionName)) v.push('line break in s=');
  const connection = (c: SessionDescription['connection'], where: string): void => {
    if (c === null) return;
    for (const [k, value] of Object.entries(c))
      if (typeof value !== 'string' || !NO_SPACE.test(value))
        v.push(`${where}.${k} ${JSON.stringify(value)}`);
  };
  const lines = (list: readonly string[], where: string): void => {
    for (const line of list)
      if (typeof line !== 'string' || LINE_BREAK.test(line)) v.push(`line break in ${where}`);
  };
  const attributes = (list: SessionDescription['attributes'], where: string): void => {
    for (const a of list) {
      if (LINE_BREAK.test(a.name) || a.name.includes(':'))
        v.push(`${where} attribute name ${JSON.stringify(a.name)}`);
      if (a.value !== null && LINE_BREAK.test(a.value)) v.push(`${where} attribute value with a line break`);
    }
  };
  connection(sdp.connection, 'c');
  lines(sdp.bandwidths, 'b=');
  lines(sdp.timing, 't=');
  attributes(sdp.attributes, 'session');
  for (const o of sdp.otherLines)
    if (o.type.length !== 1 || LINE_BREAK.test(o.type) || LINE_BREAK.test(o.value)) v.push('bad other line');
  for (const m of sdp.media) {
    if (!NO_SPACE.test(m.media)) v.push(`m= media ${JSON.stringify(m.media)}`);
    if (!isPort(m.port)) v.push(`m= port ${m.port}`);
    if (m.portCount !== null && !isPort(m.portCount)) v.push(`m= port count ${m.portCount}`);
    if (!NO_SPACE.test(m.protocol)) v.push(`m= protocol ${JSON.stringify(m.protocol)}`);
    for (const f of m.formats) if (!NO_SPACE.test(f)) v.push(`m= format ${JSON.stringify(f)}`);
    connection(m.connection, 'media c');
    lines(m.bandwidths, 'media b=');
    attributes(m.attributes, 'media');
    for (const o of m.otherLines)
      if (o.type.length !== 1 || LINE_BREAK.test(o.type) || LINE_BREAK.test(o.value))
        v.push('bad media other line');
  }
  return v;
}

/** What the media engine relies on in a negotiated stream (it opens sockets and writes RTP with it). */
export function negotiatedViolations(m: NegotiatedMedia): string[] {
  const v: string[] = [];
  if (typeof m.remoteAddress !== 'string' || !NO_SPACE.test(m.remoteAddress)) v.push('remote address');
  if (!isPort(m.remotePort, 1)) v.push(`remote port ${m.remotePort}`);
  if (!isPort(m.remoteRtcpPort, 1)) v.push(`remote RTCP port ${m.remoteRtcpPort}`);
  if (m.codec !== 'PCMU' && m.codec !== 'PCMA') v.push(`codec ${String(m.codec)}`);
  const pt = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 127;
  if (!pt(m.payloadType)) v.push(`payload type ${m.payloadType}`);
  if (m.telephoneEventPt !== null && !pt(m.telephoneEventPt))
    v.push(`telephone-event PT ${m.telephoneEventPt}`);
  if (!(m.ptime >= 10 && m.ptime <= 200)) v.push(`ptime ${m.ptime}`);
  if (!DIRECTIONS.has(m.direction)) v.push(`direction ${String(m.direction)}`);
  return v;
}

function expectSdpError(error: unknown, where: string): string[] {
  return error instanceof SdpNegotiationError
    ? []
    : [`${where} threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`];
}

export interface SdpFuzzOutcome {
  parsed: boolean;
  micros: number;
  violations: string[];
}

/**
 * Every invariant for one body: parseSdp returns a well-typed description or throws
 * SdpNegotiationError, serialize∘parse is a fixpoint, and createAnswer / parseAnswer either
 * negotiate a usable stream or throw SdpNegotiationError.
 */
export function fuzzSdpOne(text: string): SdpFuzzOutcome {
  const started = process.hrtime.bigint();
  let sdp: SessionDescription | undefined;
  let violations: string[] = [];
  try {
    sdp = parseSdp(text);
  } catch (error) {
    violations = expectSdpError(error, 'parseSdp');
  }
  const micros = Number(process.hrtime.bigint() - started) / 1000;
  if (sdp === undefined) return { parsed: false, micros, violations };
  try {
    violations.push(...descriptionViolations(sdp));
    const once = serializeSdp(sdp);
    const twice = serializeSdp(parseSdp(once));
    if (twice !== once) violations.push(`serialize∘parse is not stable:\n${once}\n---\n${twice}`);
  } catch (error) {
    violations.push(`round trip threw ${String(error)}`);
  }
  try {
    const answer = createAnswer(text, { address: '192.0.2.1', port: 40_000 });
    violations.push(...negotiatedViolations(answer.media).map((x) => `createAnswer: ${x}`));
    violations.push(...descriptionViolations(parseSdp(answer.sdp)).map((x) => `our answer: ${x}`));
  } catch (error) {
    violations.push(...expectSdpError(error, 'createAnswer'));
  }
  try {
    const media = parseAnswer(text, {
      codecs: ['PCMU', 'PCMA'],
      telephoneEventPt: 101,
      direction: 'sendrecv',
    });
    violations.push(...negotiatedViolations(media).map((x) => `parseAnswer: ${x}`));
  } catch (error) {
    violations.push(...expectSdpError(error, 'parseAnswer'));
  }
  return { parsed: true, micros, violations };
}
