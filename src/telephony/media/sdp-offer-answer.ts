/**
 * The offer/answer model (RFC 3264) for one G.711 audio stream with RFC 4733 telephone-events.
 *
 * What we support is deliberately small: RTP/AVP, PCMU (PT 0) and PCMA (PT 8) at 8000 Hz,
 * telephone-event/8000 on a dynamic PT, 20 ms packets. Everything else in an offer is declined
 * the way RFC 3264 §6 says: a second audio stream or a video stream is answered with port 0,
 * and an offer with no usable audio raises SdpNegotiationError (the SIP layer answers 488).
 */
import type { G711Law } from './g711.ts';
import { SdpNegotiationError } from './media-errors.ts';
import {
  attributeValue,
  mediaConnection,
  mediaDirection,
  parseSdp,
  rtpMaps,
  serializeSdp,
  type SdpAttribute,
  type SdpDirection,
  type SdpMedia,
  type SessionDescription,
} from './sdp.ts';

/** Static payload types of RFC 3551 table 4. */
export const STATIC_PAYLOAD_TYPES: Readonly<Record<G711Law, number>> = { PCMU: 0, PCMA: 8 };
export const DEFAULT_TELEPHONE_EVENT_PT = 101;
export const DEFAULT_PTIME = 20;
const ALL_CODECS: readonly G711Law[] = ['PCMU', 'PCMA'];

/** What both sides agreed on, from our point of view. */
export interface NegotiatedMedia {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** RFC 3605 `a=rtcp`, else RTP port + 1 (RFC 3550 §11). */
  readonly remoteRtcpPort: number;
  readonly codec: G711Law;
  /** The payload type number for `codec` on this stream (0 or 8 unless remapped). */
  readonly payloadType: number;
  /** RFC 4733 telephone-event PT, or null when the peer did not take it. */
  readonly telephoneEventPt: number | null;
  /** Packetization time the peer asked for (a=ptime), in ms. */
  readonly ptime: number;
  /** Our direction: whether we may send and whether we expect to receive. */
  readonly direction: SdpDirection;
}

export interface SdpOrigin {
  readonly sessionId: string;
  readonly sessionVersion: number;
}

export interface OfferOptions {
  readonly address: string;
  readonly port: number;
  /** In preference order; default PCMU, PCMA. */
  readonly codecs?: readonly G711Law[];
  /** Offer telephone-event on this PT; null to leave it out. Default 101. */
  readonly telephoneEventPt?: number | null;
  readonly direction?: SdpDirection;
  readonly origin?: SdpOrigin;
}

export interface AnswerOptions {
  readonly address: string;
  readonly port: number;
  /** Codecs we accept; the offer's order decides among them (RFC 3264 §6.1). */
  readonly supported?: readonly G711Law[];
  /** Set false to decline telephone-event even when offered. Default true. */
  readonly telephoneEvent?: boolean;
  /** Our own wish, e.g. 'sendonly' to put the peer on hold; intersected with the offer's. */
  readonly direction?: SdpDirection;
  readonly origin?: SdpOrigin;
}

export interface AnswerResult {
  readonly sdp: string;
  readonly media: NegotiatedMedia;
}

/** The parts of our offer that parseAnswer needs to check the answer against. */
export interface OfferedMedia {
  readonly codecs: readonly G711Law[];
  readonly telephoneEventPt: number | null;
  readonly direction: SdpDirection;
}

function canSend(d: SdpDirection): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}

function canReceive(d: SdpDirection): boolean {
  return d === 'sendrecv' || d === 'recvonly';
}

function directionOf(send: boolean, receive: boolean): SdpDirection {
  if (send && receive) return 'sendrecv';
  if (send) return 'sendonly';
  if (receive) return 'recvonly';
  return 'inactive';
}

/**
 * Mirrors the peer's direction (RFC 3264 §6.1: sendonly is answered recvonly, recvonly
 * sendonly, inactive inactive), limited by what we want ourselves.
 */
export function mirrorDirection(remote: SdpDirection, local: SdpDirection = 'sendrecv'): SdpDirection {
  return directionOf(canReceive(remote) && canSend(local), canSend(remote) && canReceive(local));
}

function defaultOrigin(): SdpOrigin {
  return { sessionId: String(Date.now()), sessionVersion: 1 };
}

function codecName(media: SdpMedia, payloadType: number): string | null {
  const map = rtpMaps(media).get(payloadType);
  if (map) return map.clockRate === 8000 ? map.encodingName.toUpperCase() : null;
  if (payloadType === 0) return 'PCMU';
  if (payloadType === 8) return 'PCMA';
  return null;
}

function findTelephoneEvent(media: SdpMedia): number | null {
  for (const map of rtpMaps(media).values()) {
    if (map.encodingName.toLowerCase() === 'telephone-event' && map.clockRate === 8000)
      return map.payloadType;
  }
  return null;
}

function isAudioRtp(media: SdpMedia): boolean {
  return media.media === 'audio' && media.protocol.toUpperCase() === 'RTP/AVP';
}

/** Old-style hold (RFC 3264 §8.4): c=0.0.0.0 means "do not send to me". */
function effectiveRemoteDirection(sdp: SessionDescription, media: SdpMedia, address: string): SdpDirection {
  const direction = mediaDirection(sdp, media);
  if (address === '0.0.0.0') return canSend(direction) ? 'sendonly' : 'inactive';
  return direction;
}

function remoteRtcpPort(sdp: SessionDescription, media: SdpMedia): number {
  const rtcp = attributeValue(sdp, media, 'rtcp');
  const port = rtcp === null ? NaN : Number(rtcp.split(/\s+/)[0]);
  if (Number.isInteger(port) && port > 0 && port <= 65535) return port;
  // RTP + 1 (RFC 3550 §11), except from the last port, where there is no next one: 65536 is no port.
  return media.port < 65535 ? media.port + 1 : media.port;
}

function remotePtime(sdp: SessionDescription, media: SdpMedia): number {
  const ptime = Number(attributeValue(sdp, media, 'ptime'));
  return Number.isFinite(ptime) && ptime >= 10 && ptime <= 200 ? ptime : DEFAULT_PTIME;
}

function audioSection(
  port: number,
  formats: readonly { pt: number; name: string }[],
  telephoneEventPt: number | null,
  direction: SdpDirection,
): SdpMedia {
  const attributes: SdpAttribute[] = formats.map((f) => ({
    name: 'rtpmap',
    value: `${f.pt} ${f.name}/8000`,
  }));
  if (telephoneEventPt !== null) {
    attributes.push({ name: 'rtpmap', value: `${telephoneEventPt} telephone-event/8000` });
    // Events 0-15 are DTMF 0-9 * # A-D and 16 is flash (RFC 4733 §3.2).
    attributes.push({ name: 'fmtp', value: `${telephoneEventPt} 0-16` });
  }
  attributes.push({ name: 'ptime', value: String(DEFAULT_PTIME) });
  attributes.push({ name: direction, value: null });
  const pts = formats.map((f) => String(f.pt));
  if (telephoneEventPt !== null) pts.push(String(telephoneEventPt));
  return {
    media: 'audio',
    port,
    portCount: null,
    protocol: 'RTP/AVP',
    formats: pts,
    // The address goes in the session-level c= line, which some older devices insist on.
    connection: null,
    bandwidths: [],
    attributes,
    otherLines: [],
  };
}

function session(address: string, origin: SdpOrigin, media: SdpMedia[]): SessionDescription {
  return {
    version: 0,
    origin: {
      username: 'switchyard',
      sessionId: origin.sessionId,
      sessionVersion: String(origin.sessionVersion),
      netType: 'IN',
      addrType: address.includes(':') ? 'IP6' : 'IP4',
      address,
    },
    sessionName: 'switchyard',
    connection: { netType: 'IN', addrType: address.includes(':') ? 'IP6' : 'IP4', address },
    bandwidths: [],
    timing: ['0 0'],
    attributes: [],
    otherLines: [],
    media,
  };
}

/** Our offer: one audio stream listing `codecs` in order, plus telephone-event (RFC 4733 §7.1). */
export function createOffer(options: OfferOptions): string {
  const codecs = options.codecs ?? ALL_CODECS;
  const telephoneEventPt =
    options.telephoneEventPt === undefined ? DEFAULT_TELEPHONE_EVENT_PT : options.telephoneEventPt;
  const formats = codecs.map((name) => ({ pt: STATIC_PAYLOAD_TYPES[name], name }));
  const media = audioSection(options.port, formats, telephoneEventPt, options.direction ?? 'sendrecv');
  return serializeSdp(session(options.address, options.origin ?? defaultOrigin(), [media]));
}

function rejectedSection(media: SdpMedia): SdpMedia {
  // RFC 3264 §6: a declined stream keeps its m= line with port 0 and at least one format.
  return {
    media: media.media,
    port: 0,
    portCount: null,
    protocol: media.protocol,
    formats: media.formats.slice(0, 1),
    connection: null,
    bandwidths: [],
    attributes: [],
    otherLines: [],
  };
}

function parseOrThrow(text: string): SessionDescription {
  return parseSdp(text);
}

/**
 * Answers a remote offer. Picks the first codec in the offer's order that we support, keeps
 * telephone-event on the offer's PT, mirrors the direction, declines other streams.
 */
export function createAnswer(remoteOfferText: string, options: AnswerOptions): AnswerResult {
  const offer = parseOrThrow(remoteOfferText);
  const supported = options.supported ?? ALL_CODECS;
  let sawAudio = false;
  let sawRtpAudio = false;
  for (let index = 0; index < offer.media.length; index++) {
    const media = offer.media[index];
    if (!media || media.media !== 'audio' || media.port === 0) continue;
    sawAudio = true;
    const connection = mediaConnection(offer, media);
    if (!isAudioRtp(media) || !connection) continue;
    sawRtpAudio = true;
    const negotiated = negotiateOffered(offer, media, connection.address, supported, options);
    if (!negotiated) continue;
    const sections = offer.media.map((m, i) =>
      i === index
        ? audioSection(
            options.port,
            [{ pt: negotiated.payloadType, name: negotiated.codec }],
            negotiated.telephoneEventPt,
            negotiated.direction,
          )
        : rejectedSection(m),
    );
    const sdp = serializeSdp(session(options.address, options.origin ?? defaultOrigin(), sections));
    return { sdp, media: negotiated };
  }
  if (!sawAudio) throw new SdpNegotiationError('no_audio_stream', 'offer has no active audio stream');
  if (!sawRtpAudio)
    throw new SdpNegotiationError('unsupported_transport', 'audio is not offered over RTP/AVP');
  throw new SdpNegotiationError('no_common_codec', `no codec in common (we support ${supported.join(', ')})`);
}

function negotiateOffered(
  offer: SessionDescription,
  media: SdpMedia,
  address: string,
  supported: readonly G711Law[],
  options: AnswerOptions,
): NegotiatedMedia | null {
  for (const format of media.formats) {
    const pt = Number(format);
    const codec = supported.find((c) => c === codecName(media, pt));
    if (!codec) continue;
    return {
      remoteAddress: address,
      remotePort: media.port,
      remoteRtcpPort: remoteRtcpPort(offer, media),
      codec,
      payloadType: pt,
      telephoneEventPt: options.telephoneEvent === false ? null : findTelephoneEvent(media),
      ptime: remotePtime(offer, media),
      direction: mirrorDirection(
        effectiveRemoteDirection(offer, media, address),
        options.direction ?? 'sendrecv',
      ),
    };
  }
  return null;
}

/**
 * Reads the answer to our offer (RFC 3264 §7). We send with the first answered codec that we
 * offered; an answer that declines the stream or names none of our codecs is an error.
 */
export function parseAnswer(answerText: string, offered: OfferedMedia): NegotiatedMedia {
  const answer = parseOrThrow(answerText);
  const media = answer.media.find((m) => m.media === 'audio');
  if (!media || media.port === 0)
    throw new SdpNegotiationError('no_common_codec', 'answer declined the audio stream');
  if (!isAudioRtp(media)) throw new SdpNegotiationError('unsupported_transport', 'answer is not RTP/AVP');
  const connection = mediaConnection(answer, media);
  if (!connection) throw new SdpNegotiationError('malformed_sdp', 'answer has no c= line for audio');
  for (const format of media.formats) {
    const pt = Number(format);
    const codec = offered.codecs.find((c) => c === codecName(media, pt));
    if (!codec) continue;
    const telephoneEventPt = offered.telephoneEventPt === null ? null : findTelephoneEvent(media);
    const remoteDirection = effectiveRemoteDirection(answer, media, connection.address);
    return {
      remoteAddress: connection.address,
      remotePort: media.port,
      remoteRtcpPort: remoteRtcpPort(answer, media),
      codec,
      payloadType: pt,
      telephoneEventPt,
      ptime: remotePtime(answer, media),
      direction: mirrorDirection(remoteDirection, offered.direction),
    };
  }
  throw new SdpNegotiationError('no_common_codec', 'answer names none of the offered codecs');
}
