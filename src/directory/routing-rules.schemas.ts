/**
 * Caller-number routing as supervisors edit it (主叫号码排队, ACD-05; CC-13): VIP number lists,
 * customer tiers and number prefixes (area codes, mobile ranges) that raise the caller's priority
 * or pick a skill group, and the sticky-agent window. Numbers are typed in any common form and
 * stored as E.164; prefixes as "+86…".
 */
import { z } from 'zod';

const groupRef = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a skill group name')
  .nullable()
  .default(null);
const boost = z.number().int().min(0).max(100);

export const vipListInput = z.object({
  name: z.string().trim().min(1).max(60),
  numbers: z.array(z.string().trim().min(1).max(40)).max(20_000).default([]),
  priority: boost.default(5),
  group: groupRef,
});

export const tierRuleInput = z.object({
  tier: z.enum(['key', 'ordinary', 'small']),
  priority: boost.default(0),
  group: groupRef,
});

export const prefixRuleInput = z.object({
  /** "010", "0755", "139", "+8610" or "+1…": area codes and ranges; see normalizePrefix. */
  prefix: z
    .string()
    .trim()
    .regex(/^\+?[\d -]{1,20}$/, 'digits, optionally starting with +'),
  label: z.string().trim().max(60).default(''),
  priority: boost.nullable().default(null),
  group: groupRef,
});

export const stickyInput = z.object({
  enabled: z.boolean().default(true),
  /** How far back the last agent who served the caller counts. */
  windowHours: z.number().int().min(1).max(720).default(24),
  /** How long the call waits for that agent before any member may take it. */
  fallbackSeconds: z.number().int().min(0).max(600).default(20),
});

export const routingRulesInput = z.object({
  vipLists: z.array(vipListInput).max(50).default([]),
  tiers: z
    .array(tierRuleInput)
    .max(3)
    .default([{ tier: 'key', priority: 1, group: null }]),
  prefixes: z.array(prefixRuleInput).max(2000).default([]),
  sticky: stickyInput.default({ enabled: true, windowHours: 24, fallbackSeconds: 20 }),
});
export type RoutingRulesInput = z.input<typeof routingRulesInput>;
export type RoutingRules = z.output<typeof routingRulesInput>;

/** Stored and returned form: numbers and prefixes canonical. */
export const routingRulesView = routingRulesInput.extend({
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  updatedByName: z.string().nullable(),
});
export type RoutingRulesView = z.infer<typeof routingRulesView>;

export const holidayInput = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD')
    .refine(
      (d) =>
        !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
      'not a calendar date',
    ),
  name: z.string().trim().min(1).max(60),
});
export type Holiday = z.infer<typeof holidayInput>;

/**
 * A written prefix as E.164: "+…" stays; a Chinese trunk prefix "0" (area codes such as "010",
 * "0755") becomes "+86" without it; other digits are a national range ("139", "400") under "+86".
 */
export function normalizePrefix(raw: string): string {
  const digits = raw.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) return digits;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('0')) return `+86${digits.slice(1)}`;
  return `+86${digits}`;
}
