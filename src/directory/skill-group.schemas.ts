/**
 * Skill-group configuration as supervisors edit it (ACD-02…ACD-05): strategy, weight, timers,
 * overflow rules, level escalation and members with levels and schedules.
 */
import { z } from 'zod';
import { strategyNames, type StrategyName } from '../acd/index.ts';

export { strategyNames, type StrategyName };

const groupName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, - or _, starting with a letter');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time as HH:MM');

export const scheduleWindow = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    from: hhmm,
    to: hhmm,
  })
  .refine((w) => w.from < w.to, { message: 'from must be before to', path: ['to'] });
export type ScheduleWindow = z.infer<typeof scheduleWindow>;

export const overflowRule = z
  .object({
    when: z.enum(['all_busy', 'wait_exceeds', 'queue_exceeds']),
    threshold: z.number().int().min(0).max(86_400).nullable().default(null),
    to: groupName,
  })
  .refine((r) => r.when === 'all_busy' || r.threshold !== null, {
    message: 'required for this condition',
    path: ['threshold'],
  });

export const escalationStep = z.object({
  afterSeconds: z.number().int().min(1).max(86_400),
  maxLevel: z.number().int().min(1).max(9),
});

export const skillGroupInput = z.object({
  name: groupName,
  displayName: z.string().trim().min(1).max(60),
  strategy: z.enum(strategyNames).default('longest_idle'),
  weight: z.number().int().min(1).max(100).default(1),
  wrapUpSeconds: z.number().int().min(0).max(3600).default(15),
  ringTimeoutSeconds: z.number().int().min(5).max(300).default(20),
  slSeconds: z.number().int().min(1).max(3600).default(20),
  shortAbandonSeconds: z.number().int().min(0).max(60).default(5),
  maxQueue: z.number().int().min(1).max(10_000).nullable().default(null),
  overflow: z.array(overflowRule).max(10).default([]),
  escalation: z.array(escalationStep).max(9).default([]),
  members: z
    .array(
      z.object({
        agentId: z.string().min(1),
        level: z.number().int().min(1).max(9).default(1),
        schedule: z.array(scheduleWindow).max(14).nullable().default(null),
      }),
    )
    .max(5000)
    .default([]),
});
export type SkillGroupInput = z.input<typeof skillGroupInput>;
export type SkillGroupConfig = z.output<typeof skillGroupInput>;

export const skillGroupView = skillGroupInput.extend({
  members: z.array(
    z.object({
      agentId: z.string(),
      extension: z.string(),
      displayName: z.string(),
      level: z.number(),
      schedule: z.array(scheduleWindow).nullable(),
    }),
  ),
});
export type SkillGroupView = z.infer<typeof skillGroupView>;
