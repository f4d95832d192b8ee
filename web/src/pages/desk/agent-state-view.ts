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

/** Every reason code the server may report, including those it sets itself (missed offers). */
export const reasonCodes = [...notReadyReasons, 'break', 'no_answer'] as const;
export type ReasonCode = (typeof reasonCodes)[number];

export function isReasonCode(value: string | null): value is ReasonCode {
  return value !== null && (reasonCodes as readonly string[]).includes(value);
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

/** What one click on "extend" adds to after-call work. */
export const wrapUpExtendSeconds = 30;

/** Whole seconds of after-call work left at `now`; null when the server gave no end. */
export function wrapUpSecondsLeft(wrapUpEndsAt: string | null, now: number): number | null {
  if (!wrapUpEndsAt) return null;
  const end = Date.parse(wrapUpEndsAt);
  return Number.isNaN(end) ? null : Math.max(0, Math.ceil((end - now) / 1000));
}
