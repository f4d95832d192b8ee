/**
 * Flag parsing for the calculator commands (`simulate`, `staffing`): node's parseArgs, with every
 * mistake turned into a FlagError that names the flag, which the commands report with exit 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class FlagError extends Error {
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(message);
    this.name = 'FlagError';
  }
}

export type FlagValues = Record<string, string | boolean | undefined>;

export function parseCommandFlags(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
): FlagValues {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    if (positionals.length > 0)
      throw new FlagError(positionals[0] ?? '', `unexpected argument "${positionals[0]}"`);
    return values as FlagValues;
  } catch (err) {
    if (err instanceof FlagError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'unknown';
    throw new FlagError(flag, message.startsWith('Unknown option') ? `unknown flag ${flag}` : message);
  }
}

export interface NumberRule {
  min?: number;
  /** The value must be strictly greater than `min`. */
  exclusiveMin?: boolean;
  max?: number;
  /** The value must be strictly less than `max`. */
  exclusiveMax?: boolean;
  integer?: boolean;
}

export function numberFlag(values: FlagValues, name: string, rule: NumberRule = {}): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const flag = `--${name}`;
  if (typeof raw !== 'string' || raw.trim() === '') throw new FlagError(flag, `${flag} needs a number`);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new FlagError(flag, `${flag} must be a number, got "${raw}"`);
  if (rule.integer && !Number.isInteger(value)) throw new FlagError(flag, `${flag} must be a whole number`);
  if (rule.min !== undefined && (rule.exclusiveMin ? value <= rule.min : value < rule.min))
    throw new FlagError(flag, `${flag} must be ${rule.exclusiveMin ? '>' : '≥'} ${rule.min}, got ${raw}`);
  if (rule.max !== undefined && (rule.exclusiveMax ? value >= rule.max : value > rule.max))
    throw new FlagError(flag, `${flag} must be ${rule.exclusiveMax ? '<' : '≤'} ${rule.max}, got ${raw}`);
  return value;
}

export function requiredNumberFlag(values: FlagValues, name: string, rule: NumberRule = {}): number {
  const value = numberFlag(values, name, rule);
  if (value === undefined) throw new FlagError(`--${name}`, `--${name} is required`);
  return value;
}

/** JSON with Infinity/NaN written as null (JSON has no Infinity). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? null : v,
  );
}

export function percent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—';
}

export function seconds(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(1)} s` : '∞';
}

/** Runs a command body and maps a FlagError to exit code 2 with the flag named on stderr. */
export function withFlagErrors(command: string, usage: string, body: () => number): number {
  try {
    return body();
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`switchyard ${command}: ${err.message} (flag ${err.flag})\n\n${usage}`);
      return 2;
    }
    throw err;
  }
}
