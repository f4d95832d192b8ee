export { AcdEngine, InvalidTransitionError } from './acd-engine.ts';
export type { GroupStaffing } from './acd-engine.ts';
export type { AcdEngineOptions } from './acd-core.ts';
export { channels, defaultCapacity } from './acd-types.ts';
export type {
  AgentSnapshot,
  Channel,
  ChannelCapacity,
  EnqueueOptions,
  EscalationEvent,
  MembershipEvent,
  Offer,
  OverflowCondition,
  OverflowEvent,
  QueuedCall,
  StateChange,
  StateDurations,
  TickResult,
} from './acd-types.ts';
export type { AgentInput, MembershipInput } from './agent-record.ts';
export { agentRequestableStates, canTransition, notReadyReasons } from './agent-state.ts';
export type { AgentRequestableState, AgentState, NotReadyReason } from './agent-state.ts';
export { compileCallerRules, routeCaller } from './caller-rules.ts';
export type { CallerInput, CallerRoute, CallerRules, PrefixRule, TierRule, VipList } from './caller-rules.ts';
export { defaultGroup, normalizeGroup } from './group-config.ts';
export type { EscalationStep, GroupConfig, GroupInput, OverflowRule } from './group-config.ts';
export { seededRng } from './rng.ts';
export type { Rng } from './rng.ts';
export { compileSchedule, defaultTimeZone, isOnDuty, localTime } from './schedule.ts';
export type { Schedule, ScheduleWindow } from './schedule.ts';
export type { ServiceLevelReport } from './service-level.ts';
export { strategies, isStrategyName } from './strategies/registry.ts';
export { strategyNames } from './strategies/strategy.ts';
export type { StrategyName } from './strategies/strategy.ts';
export { estimateWaitSeconds } from './wait-estimate.ts';
