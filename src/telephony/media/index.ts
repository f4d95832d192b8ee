/**
 * The media module's only door (DESIGN.md §1 rule 1): the engine façade, its message types and
 * errors, and the pure codecs/parsers other layers may reuse (e.g. SDP for the B2BUA, WAV for
 * prompt tooling).
 */
export {
  MediaEngine,
  type MediaEngineOptions,
  type MediaEventListener,
  type MediaLogger,
  type TapListener,
} from './media-engine.ts';
export type {
  EndpointInfo,
  EndpointStats,
  MediaCommand,
  MediaEvent,
  NegotiationOptions,
  PlaybackInfo,
  PlayOptions,
  RecordingInfo,
  RoomInfo,
  RoomMemberInfo,
  RoomMemberOptions,
  RoomRecordingOptions,
  SendDtmfOptions,
  TapAudioEvent,
  TapEndedEvent,
  TapEndReason,
  TapEvent,
  TapOptions,
  TapTarget,
} from './media-protocol.ts';
export {
  MediaError,
  SdpNegotiationError,
  type MediaErrorCode,
  type SdpNegotiationErrorCode,
} from './media-errors.ts';
export {
  createAnswer,
  createOffer,
  parseAnswer,
  mirrorDirection,
  DEFAULT_TELEPHONE_EVENT_PT,
  type AnswerOptions,
  type AnswerResult,
  type NegotiatedMedia,
  type OfferOptions,
  type OfferedMedia,
} from './sdp-offer-answer.ts';
export { parseSdp, serializeSdp, type SdpDirection, type SessionDescription, type SdpMedia } from './sdp.ts';
export type { DtmfDigit } from './dtmf.ts';
export type { G711Law } from './g711.ts';
export type { PlaybackEndReason } from './player.ts';
export { decodeWav, decodeWavToTelephony, encodeWav, readWavFile, type WavEncoding } from './wav.ts';
