export { buildApp } from './app.ts';
export type { AgentDesk, ServerDeps } from './ports.ts';
