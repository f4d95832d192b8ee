export { DirectoryRepository } from './directory.repository.ts';
export type { AgentRecord, Role, SkillGroupRecord, UserRecord } from './directory.repository.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { SkillGroupRepository } from './skill-group.repository.ts';
export {
  escalationStep,
  overflowRule,
  scheduleWindow,
  skillGroupInput,
  skillGroupView,
  strategyNames,
} from './skill-group.schemas.ts';
export type {
  ScheduleWindow,
  SkillGroupConfig,
  SkillGroupInput,
  SkillGroupView,
  StrategyName,
} from './skill-group.schemas.ts';
export { RoutingRulesRepository } from './routing-rules.repository.ts';
export {
  holidayInput,
  normalizePrefix,
  routingRulesInput,
  routingRulesView,
} from './routing-rules.schemas.ts';
export type { Holiday, RoutingRules, RoutingRulesInput, RoutingRulesView } from './routing-rules.schemas.ts';
export { IvrFlowRepository } from './ivr-flow.repository.ts';
export type { FlowDetail, FlowSummary, FlowVersionSummary, PublishResult } from './ivr-flow.repository.ts';
export { IvrFlowService } from './ivr-flow.service.ts';
export type { FlowWrite, IvrFlowServiceOptions } from './ivr-flow.service.ts';
