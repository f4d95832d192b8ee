/** What the HTTP layer needs from the running contact center, as narrow interfaces. */
import type { AgentRequestableState } from '../acd/index.ts';
import type { CdrRepository } from '../calls/cdr.repository.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Blacklist } from '../calls/blacklist.ts';
import type { DialPolicyStore } from '../calls/dial-policy.ts';
import type { NumberPlanStore } from '../calls/number-plan.ts';
import type { RecordingPolicy } from '../calls/recording-policy.ts';
import type { CallFloor, DialTarget } from '../calls/call-floor.ts';
import type { LiveCallView, WaitingCallView } from '../calls/contact-center.ts';
import type { WorkItemRouter } from '../calls/work-item-router.ts';
import type { TrunkStore } from '../calls/trunks.ts';
import type { RouteMonitorRow, TrunkMonitorRow } from '../telephony/index.ts';
import type { CustomerService } from '../crm/index.ts';
import type { AgentRow, CtiHub, AgentStateView, QueueMetrics } from '../cti/index.ts';
import type {
  DirectoryRepository,
  IvrFlowService,
  Role,
  RoutingRulesRepository,
  SkillGroupRepository,
} from '../directory/index.ts';
import type { IvrDataSource } from '../ivr/index.ts';
import type { Database } from '../store/index.ts';
import type { Logger } from '../shared/index.ts';

export interface AgentDesk {
  agentIdForUser(userId: string): string | null;
  state(agentId: string): AgentStateView;
  /** Throws AppError('invalid_state') when ACD-01 forbids the change (e.g. ready while on a call). */
  setState(agentId: string, state: AgentRequestableState, reason: string | null): AgentStateView;
  /** Click-to-dial (CC-01): the agent's phone first, then the number through the trunk. */
  dialOut(
    agentId: string,
    role: Role,
    number: string,
    callerId: string | null,
  ): Promise<{ callId: string; number: string; callerId: string }>;
  hangupOutbound(agentId: string, callId: string): Promise<void>;
  /** Record my connected call now (CC-10 on demand). */
  recordOnDemand(agentId: string, callId: string): Promise<void>;
  /** Pause (true) or resume (false) the recording of my connected call (CC-10). */
  pauseRecording(agentId: string, callId: string, paused: boolean): Promise<void>;
  /** Throws AppError('invalid_state') unless the agent is in after-call work. */
  extendWrapUp(agentId: string, seconds: number): AgentStateView;
}

export interface AgentStateReportRow {
  agentId: string;
  extension: string;
  displayName: string;
  states: Record<string, number>;
  notReadyReasons: Record<string, number>;
  loggedInSec: number;
  occupancy: number | null;
}

/** The live ACD as supervisors see and steer it. */
export interface AcdConsole {
  agentRows(): AgentRow[];
  metrics(): Promise<QueueMetrics>;
  agentStateReport(from: Date, to: Date): Promise<AgentStateReportRow[]>;
  waitingCalls(): WaitingCallView[];
  /** Throws AppError('not_found') when the call is not waiting. */
  changePriority(callId: string, priority: number): WaitingCallView;
  /** Apply configuration changes to the running engine without a restart. */
  reload(): Promise<void>;
}

export interface ServerDeps {
  database: Database;
  directory: DirectoryRepository;
  customers: CustomerService;
  cdrs: CdrRepository;
  cti: CtiHub;
  desk: AgentDesk;
  acd: AcdConsole;
  /** Call control and supervision on connected calls (CC-02…CC-05, CC-11). */
  calls: {
    liveCalls(): LiveCallView[];
    channelCounts(): {
      ivr: number;
      queued: number;
      offering: number;
      connected: number;
      callbacks: number;
      outbound: number;
    };
    callOf(agentId: string, callId: string): CallFloor;
    liveCall(callId: string): CallFloor;
    resolveTarget(
      role: Role,
      callId: string,
      target: { agentId: string } | { number: string; dtmf?: string },
    ): Promise<DialTarget>;
    /**
     * CC-02: blind transfer to a skill group's queue or an IVR flow (by id); AppError validation
     * on `target.group` or `target.flow`.
     */
    handOff(agentId: string, callId: string, to: { group: string } | { flow: string }): Promise<void>;
    forceRelease(callId: string, by: string): Promise<void>;
    forceState(agentId: string, state: AgentRequestableState, reason: string | null): AgentStateView;
    isRegistered(extension: string): boolean;
  };
  /** CC-08 blocked callers. */
  blacklist: Pick<Blacklist, 'add' | 'list' | 'remove'>;
  dialPolicy: Pick<DialPolicyStore, 'get' | 'save'>;
  /** PLT-02 audit trail of sensitive actions. */
  audit: Pick<AuditLog, 'record' | 'list'>;
  numberPlan: Pick<NumberPlanStore, 'current' | 'save'>;
  /** CC-10 recording policy and retention. */
  recordings: {
    readonly current: RecordingPolicy;
    save(policy: RecordingPolicy, userId: string): Promise<RecordingPolicy>;
    purge(): Promise<{ deleted: number; before: string | null }>;
  };
  /** ACD-08 chats, e-mails, SMS and tasks. */
  work: Pick<WorkItemRouter, 'create' | 'list' | 'cancel' | 'accept' | 'decline' | 'complete'>;
  skillGroups: SkillGroupRepository;
  routingRules: RoutingRulesRepository;
  /** Issue #5: IVR flows as versions; publishing reaches the next call without a restart. */
  flows: IvrFlowService;
  /** What IVR lookups read on calls (IVR-02); test calls read it too. Without it they find nothing. */
  ivrData?: IvrDataSource;
  /** Issue #4: trunks and outbound routes (each write applies to the switch at once); CC-15 monitor. */
  trunks: Pick<
    TrunkStore,
    | 'listTrunks'
    | 'createTrunk'
    | 'updateTrunk'
    | 'removeTrunk'
    | 'listRoutes'
    | 'createRoute'
    | 'updateRoute'
    | 'removeRoute'
  > & { monitor(): { trunks: TrunkMonitorRow[]; routes: RouteMonitorRow[] } };
  /** Whether the SIP switch is listening. */
  telephonyUp(): boolean;
  recordingsDir: string;
  /** Built SPA (web/dist); served at / when present. */
  webDir: string | null;
  logger: Logger;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies?: boolean;
}
