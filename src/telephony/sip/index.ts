/**
 * Switchyard SIP stack (RFC 3261 and friends). This file is the module's only door; layers
 * inside import downward only: message → parser → transports → transactions → dialogs →
 * registrar / UA core.
 */
export { SipCallError, type SipCallErrorCode } from './call-error.ts';
export { type RegisterParams, type RegisterResult } from './client-registration.ts';
export { parseCSeq, serializeCSeq, type CSeq } from './cseq.ts';
export { Dialog, type DialogState, type DtmfInfo, type ReinviteHandler } from './dialog.ts';
export {
  DigestAuthenticator,
  buildAuthorization,
  computeDigestResponse,
  parseDigestChallenge,
  parseDigestCredentials,
  type DigestAlgorithm,
  type DigestAuthenticatorOptions,
  type DigestChallenge,
  type DigestCredentials,
} from './digest-auth.ts';
export { type InboundInvite, type InboundInviteState, type PartyInfo } from './inbound-invite.ts';
export { maskNumber, maskUri, silentLogger, type SipLogger } from './logger.ts';
export { createResponse, reasonPhrase } from './message-factory.ts';
export {
  SipHeaders,
  createRequest,
  serialize,
  type HeaderField,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './message.ts';
export { parseNameAddr, serializeNameAddr, type NameAddr } from './name-addr.ts';
export { type AnsweredCall, type OutboundInvite } from './outbound-invite.ts';
export {
  parseMessage,
  type ParseError,
  type ParseErrorCode,
  type ParseResult,
  type PartialRequest,
} from './parser.ts';
export { Registrar, type Binding, type CredentialsLookup, type RegistrarOptions } from './registrar.ts';
export {
  DEFAULT_SCANNER_USER_AGENTS,
  SECURITY_DEFAULTS,
  SourceGuard,
  type SipSecurityOptions,
} from './security.ts';
export { StreamFramer, type FramerEvent } from './stream-framer.ts';
export { DEFAULT_TIMERS, type TimerConfig } from './transaction/index.ts';
export { StreamTransport, type StreamTransportOptions } from './transport-stream.ts';
export { TcpTransport, type TcpTransportOptions } from './transport-tcp.ts';
export { TlsTransport, type TlsCredentials, type TlsTransportOptions } from './transport-tls.ts';
export { UdpTransport } from './transport-udp.ts';
export { SIP_SUBPROTOCOL, WsTransport, type WsTransportOptions } from './transport-ws.ts';
export {
  isReliable,
  viaTransportToken,
  type LocalAddress,
  type PeerAddress,
  type Transport,
  type TransportDelegate,
  type TransportOptions,
  type TransportProtocol,
  type TransportStats,
} from './transport.ts';
export { parseUri, serializeUri, type SipUri } from './uri.ts';
export { parseVia, serializeVia, type Via } from './via.ts';
export {
  SipUserAgent,
  type OutboundCallRequest,
  type SipSecureListenOptions,
  type SipTlsListenOptions,
  type SipUserAgentDelegate,
  type SipUserAgentOptions,
  type SipWsListenOptions,
} from './user-agent.ts';
