/**
 * Spoken forms of values for the IVR's `say` (IVR-02/IVR-03): numbers, digit strings, money,
 * dates, times, durations and ordinals written out as the words a Chinese or English call-center
 * prompt says, so espeak-ng (`cmn`, `en-us`) reads them naturally instead of reading raw digits
 * and symbols. Pure functions; the conventions chosen for each language are listed at the top of
 * spoken-zh.ts and spoken-en.ts.
 *
 * Values may be numbers, bigints, numeric strings (as template variables usually are) or, for
 * dates, Date objects, epoch milliseconds and ISO 8601 strings. An ISO string with an offset or Z
 * is an instant, shown in the caller's time zone; one without ("2026-11-23", "15:15",
 * "2026-11-23 15:15") is already the caller's wall clock and is read as written. A value that cannot be read (an
 * empty string, letters in a number, a negative duration, an unknown time zone …) throws a
 * SpokenFormError saying what was wrong; nothing is guessed. Numbers with more than 16 integer
 * digits are rejected by `number` (read them with `digits`).
 */
import {
  type Currency,
  DEFAULT_TIME_ZONE,
  type SpokenLanguage,
  SpokenFormError,
  localParts,
  parseCount,
  parseDecimal,
  parseInstant,
  parseWallClock,
} from './spoken-input.ts';
import * as EN from './spoken-en.ts';
import * as ZH from './spoken-zh.ts';

export { type Currency, type SpokenLanguage, SpokenFormError } from './spoken-input.ts';

export interface SpokenOptions {
  /** IANA time zone of the caller for dates and times; default Asia/Shanghai. */
  timeZone?: string;
  /** "Now", to decide whether a date needs its year; default the current time. */
  now?: Date;
  /** Currency of `amount`; default CNY. */
  currency?: Currency;
  /** Chinese numbers: read a 2 counting 百/千/万/亿 as 两 (default true). */
  liang?: boolean;
  /** Chinese ordinals: measure word after the number, default 位 (第三位); '' for a bare 第三. */
  unit?: string;
}

function checkLanguage(lang: SpokenLanguage): void {
  if (lang !== 'zh' && lang !== 'en')
    throw new SpokenFormError(`language ${JSON.stringify(lang)} is not zh or en`);
}

/** Cardinal number: 一百零一 / one hundred one; decimals and negatives included. */
export function number(value: unknown, lang: SpokenLanguage = 'zh', options: SpokenOptions = {}): string {
  checkLanguage(lang);
  return lang === 'zh' ? ZH.zhNumber(value, { liang: options.liang }) : EN.enNumber(value);
}

/** A code read character by character: 幺二三四 / one two three four. */
export function digits(value: unknown, lang: SpokenLanguage = 'zh'): string {
  checkLanguage(lang);
  return lang === 'zh' ? ZH.zhDigits(value) : EN.enDigits(value);
}

/** A phone number in the groups Chinese callers expect (mobile 3-4-4, 400/800 3-3-4, area code first). */
export function phone(value: unknown, lang: SpokenLanguage = 'zh'): string {
  checkLanguage(lang);
  return lang === 'zh' ? ZH.zhPhone(value) : EN.enPhone(value);
}

/** A waybill number: letters spelled, digits in groups of four. */
export function waybill(value: unknown, lang: SpokenLanguage = 'zh'): string {
  checkLanguage(lang);
  return lang === 'zh' ? ZH.zhWaybill(value) : EN.enWaybill(value);
}

/** Money, rounded half up to the minor unit: 一百二十三元五角 / one hundred twenty-three yuan and fifty fen. */
export function amount(value: unknown, lang: SpokenLanguage = 'zh', options: SpokenOptions = {}): string {
  checkLanguage(lang);
  const currency = options.currency ?? 'CNY';
  if (currency !== 'CNY' && currency !== 'USD') {
    throw new SpokenFormError(`amount: currency ${JSON.stringify(currency)} is not CNY or USD`);
  }
  const d = parseDecimal(value, 'amount');
  const fraction = d.fraction.padEnd(3, '0');
  const minor = d.integer * 100n + BigInt(fraction.slice(0, 2)) + (Number(fraction[2]) >= 5 ? 1n : 0n);
  const negative = d.negative && minor > 0n;
  return lang === 'zh' ? ZH.zhAmount(minor, negative, currency) : EN.enAmount(minor, negative, currency);
}

function when(value: unknown, what: string, options: SpokenOptions, need: 'date' | 'time' | 'both') {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const currentYear = localParts(options.now ?? new Date(), timeZone).year;
  const wall = parseWallClock(value, what);
  if (!wall) return { parts: localParts(parseInstant(value, what), timeZone), currentYear };
  if (need !== 'time' && !wall.date)
    throw new SpokenFormError(`${what}: ${JSON.stringify(value)} has no date`);
  if (need !== 'date' && !wall.time)
    throw new SpokenFormError(`${what}: ${JSON.stringify(value)} has no time`);
  const parts = { year: 0, month: 1, day: 1, weekday: 0, hour: 0, minute: 0, ...wall.date, ...wall.time };
  return { parts, currentYear };
}

/** Calendar date in the caller's time zone: 十一月二十三日，星期一 / Monday, November twenty-third. */
export function date(value: unknown, lang: SpokenLanguage = 'zh', options: SpokenOptions = {}): string {
  checkLanguage(lang);
  const { parts, currentYear } = when(value, 'date', options, 'date');
  return lang === 'zh' ? ZH.zhDate(parts, currentYear) : EN.enDate(parts, currentYear);
}

/** Wall-clock time in the caller's time zone: 下午三点十五分 / three fifteen p.m. */
export function time(value: unknown, lang: SpokenLanguage = 'zh', options: SpokenOptions = {}): string {
  checkLanguage(lang);
  const { parts } = when(value, 'time', options, 'time');
  return lang === 'zh' ? ZH.zhTime(parts) : EN.enTime(parts);
}

/** Date and time: 十一月二十三日，星期一，下午三点十五分 / Monday, November twenty-third, at three fifteen p.m. */
export function dateTime(value: unknown, lang: SpokenLanguage = 'zh', options: SpokenOptions = {}): string {
  checkLanguage(lang);
  const { parts, currentYear } = when(value, 'date and time', options, 'both');
  return lang === 'zh' ? ZH.zhDateTime(parts, currentYear) : EN.enDateTime(parts, currentYear);
}

/** A length of time given in whole seconds (fractions are dropped): 两小时十五分钟 / two hours fifteen minutes. */
export function duration(seconds: unknown, lang: SpokenLanguage = 'zh'): string {
  checkLanguage(lang);
  const d = parseDecimal(seconds, 'duration');
  if (d.negative) throw new SpokenFormError(`duration: ${String(seconds)} is negative`);
  const whole = parseCount(d.integer, 'duration', 0);
  return lang === 'zh' ? ZH.zhDuration(whole) : EN.enDuration(whole);
}

/** A position such as a place in the queue: 第三位 / third. */
export function ordinal(value: unknown, lang: SpokenLanguage = 'zh', options: SpokenOptions = {}): string {
  checkLanguage(lang);
  const n = parseCount(value, 'ordinal', 1);
  return lang === 'zh' ? ZH.zhOrdinal(n, options.unit ?? '位') : EN.enOrdinal(n);
}

export const SPOKEN_KINDS = [
  'number',
  'digits',
  'amount',
  'date',
  'time',
  'datetime',
  'duration',
  'ordinal',
  'phone',
  'waybill',
] as const;

export type SpokenKind = (typeof SPOKEN_KINDS)[number];

export function isSpokenKind(kind: string): kind is SpokenKind {
  return (SPOKEN_KINDS as readonly string[]).includes(kind);
}

/** One entry point for templates: format('waybill', 'SF1234567890', 'zh'). */
export function format(
  kind: SpokenKind,
  value: unknown,
  lang: SpokenLanguage = 'zh',
  options: SpokenOptions = {},
): string {
  switch (kind) {
    case 'number':
      return number(value, lang, options);
    case 'digits':
      return digits(value, lang);
    case 'amount':
      return amount(value, lang, options);
    case 'date':
      return date(value, lang, options);
    case 'time':
      return time(value, lang, options);
    case 'datetime':
      return dateTime(value, lang, options);
    case 'duration':
      return duration(value, lang);
    case 'ordinal':
      return ordinal(value, lang, options);
    case 'phone':
      return phone(value, lang);
    case 'waybill':
      return waybill(value, lang);
    default:
      throw new SpokenFormError(`unknown spoken form ${JSON.stringify(kind)}`);
  }
}
