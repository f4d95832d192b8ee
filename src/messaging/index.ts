export type {
  EmailAttachment,
  EmailRequest,
  FaxRequest,
  MessageChannel,
  MessageContext,
  MessageResult,
  MessageStatus,
  Messaging,
  SmsRequest,
} from './messaging.ts';
export { loadMessagingConfig, messagingConfigHelp } from './messaging-config.ts';
export type { MessagingConfig, SmppConfig, SmtpConfig } from './messaging-config.ts';
export { MessagingService } from './messaging.service.ts';
export type { MessageSentListener, MessagingServiceOptions } from './messaging.service.ts';
export type { MessageRow } from './message.repository.ts';
export { MessageLog } from './message-log.ts';
export type { MessageFilter } from './message-log.ts';
export { readSmsPart, smsParts } from './sms-segments.ts';
