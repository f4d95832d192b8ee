/** What a call session may use: services and the contact center's callbacks, nothing more. */
import type { QueuedCall } from '../acd/index.ts';
import type { CustomerService } from '../crm/index.ts';
import type { CtiHub } from '../cti/index.ts';
import type { IvrDataSource } from '../ivr/index.ts';
import type { AgentRecord, DirectoryRepository, SkillGroupRecord } from '../directory/index.ts';
import type { Clock, Logger } from '../shared/index.ts';
import type { CallSwitch, ReplacesTarget } from '../telephony/call-leg.ts';
import type { SpeechRecognizer, TextToSpeech } from '../telephony/speech/index.ts';
import type { BlockDecision } from './blacklist.ts';
import type { DialTarget, Handover } from './call-floor.ts';
import type { InternalCaller } from './number-plan.ts';
import type { CdrRepository } from './cdr.repository.ts';
import type { CallSession } from './call-session.ts';
import type { IvrServices } from './ivr-services.ts';

/** What routing may know of a caller who enters a queue (ACD-05, CC-13). */
export interface CallerFacts {
  e164: string | null;
  tier: string | null;
  /** A colleague (CC-07): no caller rules, no sticky agent. */
  internal?: boolean;
  /** An agent sent the call to this group (CC-02): no caller rules, no sticky agent. */
  transferred?: boolean;
  /** false: not offered first to the caller's last agent (the call was already answered). */
  sticky?: boolean;
}

export interface CallContext {
  logger: Logger;
  clock: Clock;
  cdrs: CdrRepository;
  customers: CustomerService;
  directory: DirectoryRepository;
  cti: CtiHub;
  tts: TextToSpeech;
  /** Recognises spoken digits in asr nodes (IVR-04); absent: callers are asked for keys. */
  asr?: SpeechRecognizer;
  /** Answers IVR lookup nodes (IVR-02: shipments by waybill or caller); absent: notFound. */
  ivrData?: IvrDataSource;
  /** Voicemail, messages, webhooks and the timeline for IVR task verbs (issue #5); absent: they fail over. */
  ivrServices?: IvrServices;
  switch: CallSwitch;
  recordingsDir: string;
  holdMusic: string;
  /** Queued callback is offered when outside numbers can be dialled (a trunk is configured). */
  callbackEnabled: boolean;
  /** Attempts to reach a customer who asked for a callback, and the pause between them. */
  callbackAttempts: number;
  callbackRetryMs: number;
  /** How often a waiting caller hears their position (ACD-06). */
  announceIntervalMs: number;
  /** CC-07: a colleague (our extension or an internal range), or null for an outside caller. */
  internalCaller(fromUser: string, e164: string | null): InternalCaller | null;
  /** CC-08: the blacklist entry refusing this caller, if any. */
  blocked(callerE164: string | null, rawCaller: string): BlockDecision | null;
  /** Count a refused call against its entry. */
  recordBlocked(entryId: string): void;
  queueStatus(callId: string): { position: number | null; ewtSec: number | null };
  groupConfig(name: string): SkillGroupRecord | undefined;
  agentRecord(agentId: string): AgentRecord | undefined;
  /** CC-10: whether this call is recorded (automatic full-call recording for now). */
  recordingPolicy(
    agentId: string,
    group: string | null,
    direction: 'inbound' | 'outbound' | 'internal',
  ): boolean;
  enqueue(session: CallSession, group: string, priority: number, caller: CallerFacts): void;
  requeue(call: QueuedCall): void;
  /** The caller left the queue; `waitSec` feeds abandonment accounting (ACD-07). */
  dequeue(callId: string, group: string | null, waitSec: number | null): void;
  /** The offered agent did not answer: back to ready, or paused after repeated misses (ACD-01). */
  offerMissed(agentId: string, callId: string): void;
  /** The call went away while the agent's phone rang: release the agent. */
  offerWithdrawn(callId: string): void;
  /** `waitSec` null: the agent is on the line but the caller is not yet (a callback's first leg). */
  agentAnswered(agentId: string, callId: string, group: string, waitSec: number | null): void;
  /** A callback reached the customer: the answer counts for the service level now, once. */
  callerConnected(group: string, waitSec: number): void;
  /** `talkSec` null: no conversation took place (a callback the customer did not answer). */
  agentCallEnded(agentId: string, group: string | null, talkSec: number | null): void;
  sessionEnded(session: CallSession): void;
  /** An agent dialled into a connected call (transfer, conference) answered: on_call. */
  agentJoined(agentId: string): void;
  /** …or did not answer: ready again. */
  agentUnreached(agentId: string): void;
  /** A transfer the agent's phone asked for (REFER): an extension or a number → where to dial. */
  resolveTransfer(callId: string, agentId: string, target: string): Promise<DialTarget>;
  /** A REFER with Replaces (attended transfer): the agent's phone's other call it names, if any. */
  resolveReplaces(agentId: string, replaces: ReplacesTarget): Handover | null;
}
