import { request } from './http';
import type { CallerRules, CallerRulesView, Holiday } from './types';

export const callerRulesQueryKey = ['acd-caller-rules'] as const;
export const holidaysQueryKey = ['acd-holidays'] as const;

export function fetchCallerRules(signal?: AbortSignal): Promise<CallerRulesView> {
  return request<CallerRulesView>('/api/acd/caller-rules', { signal });
}

/** Full replace; the server answers with the stored form (numbers and prefixes as E.164). */
export function saveCallerRules(rules: CallerRules): Promise<CallerRulesView> {
  return request<CallerRulesView>('/api/acd/caller-rules', { method: 'PUT', body: rules });
}

export function fetchHolidays(signal?: AbortSignal): Promise<Holiday[]> {
  return request<Holiday[]>('/api/acd/holidays', { signal });
}

/** Replaces the whole calendar. */
export function saveHolidays(holidays: Holiday[]): Promise<Holiday[]> {
  return request<Holiday[]>('/api/acd/holidays', { method: 'PUT', body: holidays });
}
