export { CtiHub } from './hub.ts';
export type { CtiListener } from './hub.ts';
export type {
  AgentRow,
  AgentStateView,
  CtiAudience,
  CtiEvent,
  CtiEventMap,
  CtiEventType,
  GroupMetrics,
  QueueMetrics,
  WorkChannel,
  WorkItemView,
  WorkStatus,
} from './events.ts';
