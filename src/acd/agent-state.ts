/**
 * Agent states (ACD-01). Allowed transitions:
 *   logged_out      → ready | not_ready
 *   ready           → not_ready | reserved | on_call (agent dials out) | logged_out
 *   not_ready       → ready | logged_out | not_ready (new reason) | on_call (agent dials out)
 *   reserved        → on_call (answered) | ready (offer failed) | not_ready (offer failed, auto-pause) | logged_out
 *   on_call         → after_call_work | ready (no wrap-up) | logged_out
 *   after_call_work → ready (wrap-up ended or finished early) | not_ready | on_call (dials out) | logged_out
 *
 * This is the voice state machine. Chat, e-mail, SMS and task items (ACD-08) do not move it: they
 * only use channel capacity while the agent is `ready` (see agent-record.ts).
 */
export type AgentState = 'logged_out' | 'ready' | 'not_ready' | 'reserved' | 'on_call' | 'after_call_work';

export const agentStates: readonly AgentState[] = [
  'logged_out',
  'ready',
  'not_ready',
  'reserved',
  'on_call',
  'after_call_work',
];

const allowed: Record<AgentState, readonly AgentState[]> = {
  logged_out: ['ready', 'not_ready'],
  ready: ['not_ready', 'reserved', 'on_call', 'logged_out'],
  not_ready: ['ready', 'logged_out', 'not_ready', 'on_call'],
  reserved: ['on_call', 'ready', 'not_ready', 'logged_out'],
  on_call: ['after_call_work', 'ready', 'logged_out'],
  after_call_work: ['ready', 'not_ready', 'on_call', 'logged_out'],
};

export function canTransition(from: AgentState, to: AgentState): boolean {
  return allowed[from].includes(to);
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: AgentState,
    readonly to: AgentState,
  ) {
    super(`agent state ${from} → ${to} is not allowed`);
    this.name = 'InvalidTransitionError';
  }
}

/** The one validating step of the machine: returns `to` or throws (an illegal move is a bug). */
export function transition(from: AgentState, to: AgentState): AgentState {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
  return to;
}

/** States an agent may ask for themselves; the rest are the system's. */
export const agentRequestableStates = ['ready', 'not_ready', 'logged_out'] as const;
export type AgentRequestableState = (typeof agentRequestableStates)[number];

/**
 * Not-ready reason codes (置忙, ACD-01). Sites add their own strings; `no_answer` is set by the
 * engine when an agent misses too many offers in a row.
 */
export const notReadyReasons = ['meal', 'training', 'meeting', 'break', 'no_answer', 'other'] as const;
export type NotReadyReason = (typeof notReadyReasons)[number] | (string & {});
