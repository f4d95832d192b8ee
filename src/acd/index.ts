export { AcdEngine, InvalidTransitionError } from './acd-engine.ts';
export type { AgentSnapshot, Offer, QueuedCall, StateChange } from './acd-engine.ts';
export { agentRequestableStates, canTransition } from './agent-state.ts';
export type { AgentRequestableState, AgentState } from './agent-state.ts';
