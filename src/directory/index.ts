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
