/**
 * Typed errors of the media engine. They cross the worker boundary as `{ name, code, message }`
 * and are rebuilt on the main thread, so callers can `instanceof` them (e.g. map
 * SdpNegotiationError to SIP 488 Not Acceptable Here, RFC 3261 §21.4.26).
 */

/** Why an offer or answer could not be used (RFC 3264 §6: the answerer rejects the offer). */
export type SdpNegotiationErrorCode =
  'malformed_sdp' | 'no_audio_stream' | 'unsupported_transport' | 'no_common_codec';

export class SdpNegotiationError extends Error {
  override readonly name = 'SdpNegotiationError';
  constructor(
    readonly code: SdpNegotiationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type MediaErrorCode =
  | 'ports_exhausted'
  | 'unknown_endpoint'
  | 'unknown_room'
  | 'not_in_room'
  | 'room_full'
  | 'unknown_tap'
  | 'not_negotiated'
  /** sendDtmf: a digit outside 0-9 * # A-D (nothing was sent). */
  | 'invalid_digits'
  /** sendDtmf: the peer did not offer/accept RFC 4733 telephone-event. */
  | 'no_telephone_event'
  /** sendDtmf: the endpoint may not send (hold: recvonly/inactive, or no remote address). */
  | 'not_sending'
  /** sendDtmf: the endpoint was destroyed before every digit was sent. */
  | 'dtmf_aborted'
  | 'file_unreadable'
  | 'file_unwritable'
  | 'unsupported_wav'
  | 'already_recording'
  | 'not_recording'
  | 'invalid_argument'
  | 'engine_stopped'
  | 'internal';

export class MediaError extends Error {
  override readonly name = 'MediaError';
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Plain-data form of an error for postMessage. */
export interface SerializedMediaError {
  readonly name: 'SdpNegotiationError' | 'MediaError';
  readonly code: string;
  readonly message: string;
}

const SDP_CODES: readonly string[] = [
  'malformed_sdp',
  'no_audio_stream',
  'unsupported_transport',
  'no_common_codec',
];
const MEDIA_CODES: readonly string[] = [
  'ports_exhausted',
  'unknown_endpoint',
  'unknown_room',
  'not_in_room',
  'room_full',
  'unknown_tap',
  'not_negotiated',
  'invalid_digits',
  'no_telephone_event',
  'not_sending',
  'dtmf_aborted',
  'file_unreadable',
  'file_unwritable',
  'unsupported_wav',
  'already_recording',
  'not_recording',
  'invalid_argument',
  'engine_stopped',
  'internal',
];

export function serializeMediaError(error: unknown): SerializedMediaError {
  if (error instanceof SdpNegotiationError)
    return { name: error.name, code: error.code, message: error.message };
  if (error instanceof MediaError) return { name: error.name, code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'MediaError', code: 'internal', message };
}

function isSdpCode(code: string): code is SdpNegotiationErrorCode {
  return SDP_CODES.includes(code);
}

function isMediaCode(code: string): code is MediaErrorCode {
  return MEDIA_CODES.includes(code);
}

export function deserializeMediaError(data: SerializedMediaError): SdpNegotiationError | MediaError {
  if (data.name === 'SdpNegotiationError' && isSdpCode(data.code)) {
    return new SdpNegotiationError(data.code, data.message);
  }
  return new MediaError(isMediaCode(data.code) ? data.code : 'internal', data.message);
}
