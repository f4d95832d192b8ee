import type {
  OverflowCondition,
  ScheduleWindow,
  SkillGroup,
  SkillGroupInput,
  Strategy,
} from '../../api/types';
import type { FieldPath } from '../../lib/server-field-errors';

export const strategies: readonly Strategy[] = [
  'linear',
  'round_robin',
  'fewest_answered',
  'longest_idle',
  'least_talk_time',
  'agent_priority',
  'random',
  'weighted_random',
  'ring_all',
  'ring_progressively',
];

export const overflowConditions: readonly OverflowCondition[] = ['all_busy', 'wait_exceeds', 'queue_exceeds'];

/** ISO weekdays as the server counts them (1 = Monday … 7 = Sunday) with their message keys. */
export const weekdays = [
  [1, 'mon'],
  [2, 'tue'],
  [3, 'wed'],
  [4, 'thu'],
  [5, 'fri'],
  [6, 'sat'],
  [7, 'sun'],
] as const;

/** Limits mirrored from the server's schema, so most mistakes are caught before saving. */
export const limits = {
  weight: { min: 1, max: 100 },
  wrapUpSeconds: { min: 0, max: 3600 },
  ringTimeoutSeconds: { min: 5, max: 300 },
  slSeconds: { min: 1, max: 3600 },
  shortAbandonSeconds: { min: 0, max: 60 },
  maxQueue: { min: 1, max: 10_000 },
  threshold: { min: 0, max: 86_400 },
  afterSeconds: { min: 1, max: 86_400 },
  level: { min: 1, max: 9 },
  overflowRules: 10,
  escalationSteps: 9,
  scheduleWindows: 14,
} as const;

export const groupNamePattern = /^[a-z][a-z0-9_-]{0,39}$/;
export const displayNameMaxLength = 60;
export const timePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

export interface ScheduleValues {
  days?: number[];
  from?: string;
  to?: string;
}

export interface MemberValues {
  agentId: string;
  extension: string;
  displayName: string;
  level?: number | null;
  /** Empty: a member at all times (the server's null). */
  schedule?: ScheduleValues[];
}

export interface OverflowValues {
  when?: OverflowCondition;
  threshold?: number | null;
  to?: string;
}

export interface EscalationValues {
  afterSeconds?: number | null;
  maxLevel?: number | null;
}

export interface GroupFormValues {
  name?: string;
  displayName?: string;
  strategy?: Strategy;
  weight?: number | null;
  wrapUpSeconds?: number | null;
  ringTimeoutSeconds?: number | null;
  slSeconds?: number | null;
  shortAbandonSeconds?: number | null;
  maxQueue?: number | null;
  overflow?: OverflowValues[];
  escalation?: EscalationValues[];
  members?: MemberValues[];
}

/** A new group starts from the server's defaults. */
export const newGroupValues: GroupFormValues = {
  name: '',
  displayName: '',
  strategy: 'longest_idle',
  weight: 1,
  wrapUpSeconds: 15,
  ringTimeoutSeconds: 20,
  slSeconds: 20,
  shortAbandonSeconds: 5,
  maxQueue: null,
  overflow: [],
  escalation: [],
  members: [],
};

export function toFormValues(group: SkillGroup): GroupFormValues {
  return {
    name: group.name,
    displayName: group.displayName,
    strategy: group.strategy,
    weight: group.weight,
    wrapUpSeconds: group.wrapUpSeconds,
    ringTimeoutSeconds: group.ringTimeoutSeconds,
    slSeconds: group.slSeconds,
    shortAbandonSeconds: group.shortAbandonSeconds,
    maxQueue: group.maxQueue,
    overflow: group.overflow.map((rule) => ({ ...rule })),
    escalation: group.escalation.map((step) => ({ ...step })),
    members: group.members.map((member) => ({
      agentId: member.agentId,
      extension: member.extension,
      displayName: member.displayName,
      level: member.level,
      schedule: (member.schedule ?? []).map((window) => ({ ...window, days: [...window.days] })),
    })),
  };
}

function int(value: number | null | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : fallback;
}

function intOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null;
}

function toWindow(values: ScheduleValues): ScheduleWindow {
  return {
    days: [...(values.days ?? [])].sort((a, b) => a - b),
    from: values.from ?? '',
    to: values.to ?? '',
  };
}

export function toPayload(values: GroupFormValues): SkillGroupInput {
  const d = newGroupValues;
  return {
    name: (values.name ?? '').trim(),
    displayName: (values.displayName ?? '').trim(),
    strategy: values.strategy ?? 'longest_idle',
    weight: int(values.weight, int(d.weight, 1)),
    wrapUpSeconds: int(values.wrapUpSeconds, int(d.wrapUpSeconds, 15)),
    ringTimeoutSeconds: int(values.ringTimeoutSeconds, int(d.ringTimeoutSeconds, 20)),
    slSeconds: int(values.slSeconds, int(d.slSeconds, 20)),
    shortAbandonSeconds: int(values.shortAbandonSeconds, int(d.shortAbandonSeconds, 5)),
    maxQueue: intOrNull(values.maxQueue),
    overflow: (values.overflow ?? []).map((rule) => {
      const when = rule.when ?? 'all_busy';
      return { when, threshold: when === 'all_busy' ? null : intOrNull(rule.threshold), to: rule.to ?? '' };
    }),
    escalation: (values.escalation ?? []).map((step) => ({
      afterSeconds: int(step.afterSeconds, 0),
      maxLevel: int(step.maxLevel, 1),
    })),
    members: (values.members ?? []).map((member) => {
      const windows = (member.schedule ?? []).map(toWindow);
      return {
        agentId: member.agentId,
        level: int(member.level, 1),
        schedule: windows.length === 0 ? null : windows,
      };
    }),
  };
}

const topLevelFields = new Set<string>([
  'name',
  'displayName',
  'strategy',
  'weight',
  'wrapUpSeconds',
  'ringTimeoutSeconds',
  'slSeconds',
  'shortAbandonSeconds',
  'maxQueue',
]);

const listFields: Record<string, readonly string[]> = {
  overflow: ['when', 'threshold', 'to'],
  escalation: ['afterSeconds', 'maxLevel'],
};

/** Whether the form shows an input at `path` (a server error path such as members.2.level), given its values. */
export function formHasField(values: GroupFormValues, path: FieldPath): boolean {
  const [head, index, sub, windowIndex, windowField] = path;
  if (path.length === 1) return typeof head === 'string' && topLevelFields.has(head);
  if (typeof index !== 'number' || typeof sub !== 'string') return false;
  if (path.length === 3 && (head === 'overflow' || head === 'escalation')) {
    return index < (values[head] ?? []).length && (listFields[head] ?? []).includes(sub);
  }
  if (head !== 'members') return false;
  const member = values.members?.[index];
  if (!member) return false;
  if (path.length === 3) return sub === 'level';
  return (
    path.length === 5 &&
    sub === 'schedule' &&
    typeof windowIndex === 'number' &&
    windowIndex < (member.schedule ?? []).length &&
    (windowField === 'days' || windowField === 'from' || windowField === 'to')
  );
}
