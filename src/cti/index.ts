export { CtiHub } from './hub.ts';
export type { CtiListener } from './hub.ts';
export type { AgentStateView, CtiAudience, CtiEvent, CtiEventMap, CtiEventType } from './events.ts';
