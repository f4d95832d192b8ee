import type { CallerRules, CallerRulesView, CustomerTier, FieldError, StickySettings } from '../../api/types';
import { toFieldPath, type FieldPath } from '../../lib/server-field-errors';

export const customerTiers: readonly CustomerTier[] = ['key', 'ordinary', 'small'];

/** Limits mirrored from the server's schema, so most mistakes are caught before saving. */
export const limits = {
  priority: { min: 0, max: 100 },
  windowHours: { min: 1, max: 720 },
  fallbackSeconds: { min: 0, max: 600 },
  vipLists: 50,
  vipNameLength: 60,
  numberLength: 40,
  tiers: 3,
  prefixes: 2000,
  labelLength: 60,
} as const;

/** What the server accepts as a prefix: digits (spaces and dashes allowed), optionally after a "+". */
export const prefixPattern = /^\+?[\d -]{1,20}$/;

export interface VipListValues {
  name: string;
  /** One number per line, as typed. */
  numbers: string;
  priority: number | null;
  group?: string | null;
}

export interface TierValues {
  tier?: CustomerTier;
  priority: number | null;
  group?: string | null;
}

export interface PrefixValues {
  prefix: string;
  label?: string;
  priority?: number | null;
  group?: string | null;
}

export interface RulesFormValues {
  vipLists: VipListValues[];
  tiers: TierValues[];
  prefixes: PrefixValues[];
  sticky: StickySettings;
}

export const defaultSticky: StickySettings = { enabled: true, windowHours: 24, fallbackSeconds: 20 };

export function toFormValues(rules: CallerRulesView): RulesFormValues {
  return {
    vipLists: rules.vipLists.map((list) => ({
      name: list.name,
      numbers: list.numbers.join('\n'),
      priority: list.priority,
      group: list.group,
    })),
    tiers: rules.tiers.map((tier) => ({ ...tier })),
    prefixes: rules.prefixes.map((prefix) => ({ ...prefix })),
    sticky: { ...defaultSticky, ...rules.sticky },
  };
}

/** The numbers textarea: one number per line; blank lines are ignored (commas and semicolons split too). */
export function splitNumbers(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\n,;，；]+/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * Line numbers in the textarea (1-based) of each number the server sees, so an error on
 * "vipLists.0.numbers.3" can say which line is wrong even when blank lines were skipped.
 */
export function numberLines(text: string | undefined): number[] {
  const lines: number[] = [];
  (text ?? '').split('\n').forEach((line, index) => {
    line
      .split(/[,;，；]+/)
      .filter((part) => part.trim() !== '')
      .forEach(() => lines.push(index + 1));
  });
  return lines;
}

const groupOrNull = (group: string | null | undefined): string | null => group ?? null;
const numberOrNull = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

export function toPayload(values: RulesFormValues): CallerRules {
  return {
    vipLists: (values.vipLists ?? []).map((list) => ({
      name: (list.name ?? '').trim(),
      numbers: splitNumbers(list.numbers),
      priority: numberOrNull(list.priority) ?? 0,
      group: groupOrNull(list.group),
    })),
    // The form requires a tier on every row, so indices match the server's field errors.
    tiers: (values.tiers ?? []).map((tier) => ({
      tier: tier.tier ?? 'key',
      priority: numberOrNull(tier.priority) ?? 0,
      group: groupOrNull(tier.group),
    })),
    prefixes: (values.prefixes ?? []).map((prefix) => ({
      prefix: (prefix.prefix ?? '').trim(),
      label: (prefix.label ?? '').trim(),
      priority: numberOrNull(prefix.priority),
      group: groupOrNull(prefix.group),
    })),
    sticky: { ...defaultSticky, ...values.sticky },
  };
}

const vipFields = ['name', 'numbers', 'priority', 'group'] as const;
const tierFields = ['tier', 'priority', 'group'] as const;
const prefixFields = ['prefix', 'label', 'priority', 'group'] as const;
const stickyFields = ['enabled', 'windowHours', 'fallbackSeconds'] as const;

export type RulesFieldPath =
  | ['vipLists', number, (typeof vipFields)[number]]
  | ['tiers', number, (typeof tierFields)[number]]
  | ['prefixes', number, (typeof prefixFields)[number]]
  | ['sticky', (typeof stickyFields)[number]];

function oneOf<T extends string>(options: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (options as readonly string[]).includes(value);
}

/** A server field error, located in the form. */
export interface RulesFieldError {
  /** The input it belongs to; null when the form has none (whole-list errors, unknown fields). */
  path: RulesFieldPath | null;
  /** The server's path without the "body." prefix, e.g. ["vipLists", 0, "numbers", 3]. */
  source: FieldPath;
  /** For one number in a VIP list: its line in the textarea (1-based). */
  line: number | null;
  message: string;
}

/**
 * "vipLists.0.numbers.3" (from the rules check) or "body.prefixes.0.prefix" (from request
 * validation) → the input that shows it. A bad number points at its list's textarea, with its line.
 */
export function locateFieldError(error: FieldError, values: RulesFormValues): RulesFieldError {
  let source = toFieldPath(error.field);
  if (source[0] === 'body') source = source.slice(1);
  const [head, index, sub, numberIndex] = source;
  const base = { source, line: null, message: error.message };
  if (typeof index === 'number') {
    const has = (rows: unknown[] | undefined) => index < (rows ?? []).length;
    if (head === 'vipLists' && has(values.vipLists) && oneOf(vipFields, sub)) {
      const line =
        sub === 'numbers' && typeof numberIndex === 'number'
          ? (numberLines(values.vipLists[index]?.numbers)[numberIndex] ?? numberIndex + 1)
          : null;
      return { ...base, path: ['vipLists', index, sub], line };
    }
    if (head === 'tiers' && has(values.tiers) && oneOf(tierFields, sub)) {
      return { ...base, path: ['tiers', index, sub] };
    }
    if (head === 'prefixes' && has(values.prefixes) && oneOf(prefixFields, sub)) {
      return { ...base, path: ['prefixes', index, sub] };
    }
  }
  if (head === 'sticky' && oneOf(stickyFields, index)) return { ...base, path: ['sticky', index] };
  return { ...base, path: null };
}
