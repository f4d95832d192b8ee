/**
 * Agent states (ACD-01). Allowed transitions:
 *   logged_out      → ready | not_ready
 *   ready           → not_ready | reserved | logged_out
 *   not_ready       → ready | logged_out | not_ready (new reason)
 *   reserved        → on_call (answered) | ready (offer failed) | not_ready (offer failed, auto-pause) | logged_out
 *   on_call         → after_call_work | ready (no wrap-up) | logged_out
 *   after_call_work → ready (wrap-up ended or finished early) | not_ready | logged_out
 */
export type AgentState = 'logged_out' | 'ready' | 'not_ready' | 'reserved' | 'on_call' | 'after_call_work';

const allowed: Record<AgentState, readonly AgentState[]> = {
  logged_out: ['ready', 'not_ready'],
  ready: ['not_ready', 'reserved', 'logged_out'],
  not_ready: ['ready', 'logged_out', 'not_ready'],
  reserved: ['on_call', 'ready', 'not_ready', 'logged_out'],
  on_call: ['after_call_work', 'ready', 'logged_out'],
  after_call_work: ['ready', 'not_ready', 'logged_out'],
};

export function canTransition(from: AgentState, to: AgentState): boolean {
  return allowed[from].includes(to);
}

/** States an agent may ask for themselves; the rest are the system's. */
export const agentRequestableStates = ['ready', 'not_ready', 'logged_out'] as const;
export type AgentRequestableState = (typeof agentRequestableStates)[number];
