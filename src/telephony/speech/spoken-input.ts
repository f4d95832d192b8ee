/**
 * Input side of the spoken forms (IVR-02/IVR-03): turns the loosely typed values an IVR flow
 * carries (numbers, numeric strings, ISO dates, phone and waybill numbers) into checked parts
 * that the Chinese and English readers (spoken-zh.ts, spoken-en.ts) put into words.
 * Anything that cannot be read is rejected with a SpokenFormError naming the value.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export type SpokenLanguage = 'zh' | 'en';

export type Currency = 'CNY' | 'USD';

export class SpokenFormError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpokenFormError';
  }
}

/** Largest integer part read as a number (16 digits: up to 千万亿 / quadrillions); longer is a code. */
export const MAX_INTEGER_DIGITS = 16;

export interface Decimal {
  negative: boolean;
  integer: bigint;
  /** Digits after the point as written, possibly with trailing zeros; '' for an integer. */
  fraction: string;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return String(value);
}

function decimalText(value: unknown, what: string): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SpokenFormError(`${what}: ${show(value)} is not a finite number`);
    if (Number.isInteger(value)) return BigInt(value).toString();
    const text = String(value);
    // Tiny numbers print as 1e-7; write them out in full instead.
    return text.includes('e') ? value.toFixed(20).replace(/0+$/, '') : text;
  }
  if (typeof value === 'string') return value.trim().replace(/[,_\s]/g, '');
  throw new SpokenFormError(`${what}: ${show(value)} is not a number`);
}

/** A number, bigint or numeric string ("1,234.50", "-3", "+7") split into sign, integer and fraction. */
export function parseDecimal(value: unknown, what = 'number'): Decimal {
  const text = decimalText(value, what);
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new SpokenFormError(`${what}: ${show(value)} is not a number`);
  }
  const digits = (match[2] ?? '').replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_INTEGER_DIGITS) {
    throw new SpokenFormError(
      `${what}: ${show(value)} has more than ${MAX_INTEGER_DIGITS} integer digits; read it digit by digit instead`,
    );
  }
  const integer = BigInt(digits === '' ? '0' : digits);
  const fraction = match[3] ?? '';
  const zero = integer === 0n && /^0*$/.test(fraction);
  return { negative: match[1] === '-' && !zero, integer, fraction };
}

/** A whole number; "3.00" is accepted, "3.5" is not. */
export function parseInteger(value: unknown, what = 'integer'): { negative: boolean; value: bigint } {
  const d = parseDecimal(value, what);
  if (!/^0*$/.test(d.fraction)) throw new SpokenFormError(`${what}: ${show(value)} is not a whole number`);
  return { negative: d.negative, value: d.integer };
}

/** A whole number of at least `min`, as a JS number. */
export function parseCount(value: unknown, what: string, min: number): number {
  const { negative, value: n } = parseInteger(value, what);
  const signed = negative ? -n : n;
  if (signed < BigInt(min)) throw new SpokenFormError(`${what}: ${show(value)} is below ${min}`);
  if (signed > BigInt(Number.MAX_SAFE_INTEGER))
    throw new SpokenFormError(`${what}: ${show(value)} is too large`);
  return Number(signed);
}

/** A Date, epoch milliseconds or an ISO 8601 string. */
export function parseInstant(value: unknown, what = 'date'): Date {
  let date: Date | undefined;
  if (value instanceof Date) date = new Date(value.getTime());
  else if (typeof value === 'number') date = new Date(value);
  else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    date = /^-?\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
  }
  if (!date || Number.isNaN(date.getTime()))
    throw new SpokenFormError(`${what}: ${show(value)} is not a date`);
  return date;
}

const CLOCK = /^(\d{1,2}):(\d{2})(?::\d{2})?$/;
const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/;

export interface WallClock {
  date?: Pick<LocalParts, 'year' | 'month' | 'day' | 'weekday'>;
  time?: Pick<LocalParts, 'hour' | 'minute'>;
}

function clock(hour: string, minute: string, value: string, what: string): WallClock['time'] {
  const h = Number(hour);
  const m = Number(minute);
  if (h > 23 || m > 59) throw new SpokenFormError(`${what}: ${show(value)} is not a time of day`);
  return { hour: h, minute: m };
}

/**
 * Values without a time zone are wall-clock readings in the caller's zone, not instants: "15:15"
 * (a time of day, e.g. opening hours), "2026-11-23" (a calendar date), "2026-11-23 15:15" or
 * "2026-11-23T15:15:00" (both). Anything else (undefined result) is parsed as an instant.
 */
export function parseWallClock(value: unknown, what: string): WallClock | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const c = CLOCK.exec(text);
  if (c) return { time: clock(c[1]!, c[2]!, text, what) };
  const w = WALL.exec(text);
  if (!w) return undefined;
  const [year, month, day] = [Number(w[1]), Number(w[2]), Number(w[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (year < 1000 || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    throw new SpokenFormError(`${what}: ${show(value)} is not a calendar date`);
  }
  const date = { year, month, day, weekday: utc.getUTCDay() };
  return w[4] === undefined ? { date } : { date, time: clock(w[4], w[5]!, text, what) };
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  hour: number;
  minute: number;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Calendar date and wall-clock time of `date` in `timeZone` (an IANA name such as Asia/Shanghai). */
export function localParts(date: Date, timeZone = DEFAULT_TIME_ZONE): LocalParts {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        weekday: 'short',
      });
    } catch {
      throw new SpokenFormError(`time zone ${JSON.stringify(timeZone)} is unknown`);
    }
    formatters.set(timeZone, fmt);
  }
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(date)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
  };
}

// ---------------------------------------------------------------------------------------------
// Grouping of digit strings. A group is a string of characters read together; the readers put
// a short pause (a comma) between groups.

/** Splits a run of digits into groups of four; a lone digit left over joins the group before it. */
export function chunkFours(run: string): string[] {
  const groups: string[] = [];
  for (let i = 0; i < run.length; i += 4) groups.push(run.slice(i, i + 4));
  const last = groups.at(-1);
  if (groups.length > 1 && last?.length === 1) {
    groups.pop();
    groups[groups.length - 1] += last;
  }
  return groups;
}

function split(run: string, sizes: number[]): string[] {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    groups.push(run.slice(at, at + size));
    at += size;
  }
  return groups;
}

/** The subscriber part of a landline: 8 digits 4-4, 7 digits 3-4. */
function subscriber(run: string): string[] {
  if (run.length === 8) return split(run, [4, 4]);
  if (run.length === 7) return split(run, [3, 4]);
  return chunkFours(run);
}

/**
 * Groups a telephone number the way it is read aloud in China. +86 / 0086 is dropped (the caller
 * is in China); a foreign number is grouped as in its international format (+44 20 7946 0958), or
 * failing that '+' then groups of four.
 * - mobile 1xx xxxx xxxx (3-4-4)
 * - 400 / 800 service numbers 3-3-4
 * - landline with trunk prefix 0: area code (010 and 02x are three digits, others four), then
 *   the subscriber number (8 digits 4-4, 7 digits 3-4)
 * - short numbers of up to six digits (110, 95338, 12345) in one breath
 * - anything else in groups of four
 */
export function phoneGroups(value: unknown): string[] {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
    throw new SpokenFormError(`phone number: ${show(value)} is not a phone number`);
  }
  const text = String(value).replace(/[\s\-().]/g, '');
  if (!/^\+?\d+$/.test(text)) throw new SpokenFormError(`phone number: ${show(value)} is not a phone number`);
  let national = text;
  if (text.startsWith('+86')) national = text.slice(3);
  else if (text.startsWith('0086')) national = text.slice(4);
  else if (text.startsWith('+')) {
    // Foreign numbers in the groups of their own country's international format.
    const parsed = parsePhoneNumberFromString(text);
    return parsed ? parsed.formatInternational().split(' ') : ['+', ...chunkFours(text.slice(1))];
  }
  if (national === '')
    throw new SpokenFormError(`phone number: ${show(value)} has no number after the country code`);
  if (/^1\d{10}$/.test(national)) return split(national, [3, 4, 4]);
  if (/^[48]00\d{7}$/.test(national)) return split(national, [3, 3, 4]);
  if (/^0(?:10|2\d)\d{7,8}$/.test(national)) return [national.slice(0, 3), ...subscriber(national.slice(3))];
  if (/^0[3-9]\d{2}\d{7,8}$/.test(national)) return [national.slice(0, 4), ...subscriber(national.slice(4))];
  if (national.length <= 6) return [national];
  return chunkFours(national);
}

/**
 * Groups a waybill (tracking) number: letters (SF, YT, JD, JDVA …) form their own group and are
 * spelled; digit runs are read in groups of four. Spaces and dashes in the input are ignored.
 */
export function waybillGroups(value: unknown): string[] {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
    throw new SpokenFormError(`waybill number: ${show(value)} is not a waybill number`);
  }
  const text = String(value).replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z0-9]+$/.test(text))
    throw new SpokenFormError(`waybill number: ${show(value)} is not a waybill number`);
  const groups: string[] = [];
  for (const run of text.match(/[A-Z]+|\d+/g) ?? []) {
    if (/^\d/.test(run)) groups.push(...chunkFours(run));
    else groups.push(run);
  }
  return groups;
}

/**
 * Groups a code read character by character (order numbers, verification codes, extensions):
 * spaces and dashes in the input mark the groups; an unbroken run longer than six characters is
 * split into fours so the caller can follow it.
 */
export function codeGroups(value: unknown): string[] {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
    throw new SpokenFormError(`digits: ${show(value)} is not a string of digits`);
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new SpokenFormError(`digits: ${show(value)} is not a whole number; pass codes as strings`);
  }
  const text = String(value).trim().toUpperCase();
  if (!/^[A-Z0-9]+(?:[\s-]+[A-Z0-9]+)*$/.test(text)) {
    throw new SpokenFormError(`digits: ${show(value)} is not a string of digits and letters`);
  }
  return text.split(/[\s-]+/).flatMap((run) => (run.length > 6 ? chunkFours(run) : [run]));
}
