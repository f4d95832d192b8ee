import type { AgentStateName } from '../../api/types';

export const agentStateColors: Record<AgentStateName, string> = {
  logged_out: 'default',
  ready: 'success',
  not_ready: 'error',
  reserved: 'warning',
  on_call: 'processing',
  after_call_work: 'purple',
};

export const notReadyReasons = ['meal', 'training', 'meeting', 'other'] as const;
export type NotReadyReason = (typeof notReadyReasons)[number];

export function isNotReadyReason(value: string | null): value is NotReadyReason {
  return value !== null && (notReadyReasons as readonly string[]).includes(value);
}

/** Which buttons make sense in each state; the server still has the last word on every transition. */
export function availableActions(state: AgentStateName): {
  ready: boolean;
  notReady: boolean;
  finishWrapup: boolean;
} {
  switch (state) {
    case 'logged_out':
    case 'not_ready':
      return { ready: true, notReady: true, finishWrapup: false };
    case 'ready':
      return { ready: false, notReady: true, finishWrapup: false };
    case 'after_call_work':
      return { ready: false, notReady: true, finishWrapup: true };
    case 'reserved':
    case 'on_call':
      return { ready: false, notReady: false, finishWrapup: false };
  }
}
