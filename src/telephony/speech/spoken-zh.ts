/**
 * Mandarin spoken forms for IVR prompts (espeak-ng `cmn`). Conventions:
 * - Cardinals group by 万 and 亿 (十二万, 一亿, 一万亿). One 零 stands for any run of zeros inside
 *   the number (一百零一, 一千零五, 一万零一十) and none is said at the end (一百一十, 十二万).
 *   A number starting with 1x is read 十x (十, 十二, 十万), elsewhere 一十 (一百一十, 一万零一十).
 * - 两 vs 二: a 2 that counts 百, 千, or a bare 2 before 万/亿, is 两 (两百, 两千两百, 两万, 两亿);
 *   everywhere else 二 (二, 十二, 二十, 二十二万, 二点五). A bare 2 before a measure word is 两 (两元,
 *   两角, 两分, 两点, 两小时, 两分钟, 两秒). Ordinals and digit strings always use 二 (第二位).
 * - Decimals: 点 then each digit (三点零五); trailing zeros of the fraction are not read.
 *   Negative numbers start with 负.
 * - Digit strings (phone, waybill, codes): 1 is 幺, 0 is 零, 2 is 二; letters are spelled in
 *   capitals separated by spaces; groups are separated by '，'. '+' of a foreign number is 加.
 * - Money (CNY): 元, 角, 分; a whole amount ends in 整 (一百元整, 两元整); a gap between 元 and 分 is
 *   零 (一百元零五分); amounts under one yuan have no 元 (五分, 五角); zero is 零元. A bare 2 is 两 in
 *   the first unit said (两元, 两角五分) and 二 in the units after it, which read like the trailing
 *   digits of one number (三元二角, 五角二分, 两元零二分).
 * - Dates: 十一月二十三日，星期一; the year (read digit by digit, 二零二七年) only when it is not the
 *   current year in the caller's time zone. Sunday is 星期日.
 * - Times: 凌晨 0–5 点, 早上 6–8, 上午 9–11, 中午 12, 下午 13–17, 晚上 18–23, on a 12-hour dial (凌晨
 *   零点 for midnight). On the hour adds 整 (上午九点整) except noon (中午十二点); :30 is 半 (晚上八点半);
 *   :01–:09 are 零x分 (三点零五分); others x分 (下午三点十五分).
 * - Durations: 小时, 分钟, 秒, only the non-zero parts (两小时十五分钟, 一分钟三十秒); zero is 零秒.
 * - Ordinals: 第 + number + measure word, 位 by default (第三位).
 */
import {
  type Currency,
  type Decimal,
  type LocalParts,
  SpokenFormError,
  codeGroups,
  parseDecimal,
  phoneGroups,
  waybillGroups,
} from './spoken-input.ts';

const DIGIT = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** Digits as read in phone, waybill and other code numbers. */
const CODE_DIGIT = ['零', '幺', '二', '三', '四', '五', '六', '七', '八', '九'];
const PLACE = ['千', '百', '十', ''];

export interface ZhNumberOptions {
  /** Read a 2 that counts 百/千/万/亿 as 两 (default true); false reads 二 everywhere. */
  liang?: boolean;
}

/** 1 … 9999. `leading`: these are the first words of the whole number (10–19 → 十…). */
function group(n: number, leading: boolean, liang: boolean): string {
  const digits = [Math.floor(n / 1000), Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10];
  let out = '';
  let started = false;
  let gap = false;
  digits.forEach((d, i) => {
    if (d === 0) {
      if (started) gap = true;
      return;
    }
    if (gap) out += '零';
    gap = false;
    if (i === 2 && d === 1 && leading && !started) out += '十';
    else out += `${d === 2 && liang && i < 2 ? '两' : DIGIT[d]}${PLACE[i]}`;
    started = true;
  });
  return out;
}

/** A positive integer. Above 9999 it splits at 亿 (10^8) or 万 (10^4) and reads both halves. */
function positive(n: bigint, leading: boolean, liang: boolean): string {
  if (n < 10000n) return group(Number(n), leading, liang);
  const [unit, name] = n >= 100000000n ? [100000000n, '亿'] : [10000n, '万'];
  const high = n / unit;
  const low = n % unit;
  let out = (high === 2n && liang ? '两' : positive(high, leading, liang)) + name;
  // Zeros between the halves (low has fewer digits than the half can hold) are one 零.
  if (low > 0n) out += (low < unit / 10n ? '零' : '') + positive(low, false, liang);
  return out;
}

function integerWords(n: bigint, liang = true): string {
  return n === 0n ? '零' : positive(n, true, liang);
}

/** A count before a measure word: a bare 2 is 两 (两元, 两小时). */
function count(n: bigint | number): string {
  const v = BigInt(n);
  return v === 2n ? '两' : integerWords(v);
}

function decimalWords(d: Decimal, liang: boolean): string {
  const fraction = d.fraction.replace(/0+$/, '');
  const head = (d.negative ? '负' : '') + integerWords(d.integer, liang);
  return fraction === '' ? head : `${head}点${[...fraction].map((c) => DIGIT[Number(c)]).join('')}`;
}

export function zhNumber(value: unknown, options: ZhNumberOptions = {}): string {
  return decimalWords(parseDecimal(value, 'number'), options.liang ?? true);
}

/** Reads groups of characters: digits one by one, letters spelled, groups split by '，'. */
function readGroups(groups: string[]): string {
  return groups
    .map((g) => {
      let out = '';
      let prevLetter = false;
      for (const c of g) {
        const letter = /[A-Z]/.test(c);
        const word = c === '+' ? '加' : letter ? c : CODE_DIGIT[Number(c)];
        if (out !== '' && (letter || prevLetter)) out += ' ';
        out += word;
        prevLetter = letter;
      }
      return out;
    })
    .join('，');
}

export function zhDigits(value: unknown): string {
  return readGroups(codeGroups(value));
}

export function zhPhone(value: unknown): string {
  return readGroups(phoneGroups(value));
}

export function zhWaybill(value: unknown): string {
  return readGroups(waybillGroups(value));
}

const MONEY: Record<Currency, { major: string; tenth?: string; minor: string }> = {
  CNY: { major: '元', tenth: '角', minor: '分' },
  USD: { major: '美元', minor: '美分' },
};

/** Money, given in minor units (fen, cents) already rounded. */
export function zhAmount(minorUnits: bigint, negative: boolean, currency: Currency): string {
  const names = MONEY[currency];
  if (minorUnits === 0n) return `零${names.major}`;
  const major = minorUnits / 100n;
  const cents = minorUnits % 100n;
  const units: [bigint, string][] = names.tenth
    ? [
        [major, names.major],
        [cents / 10n, names.tenth],
        [cents % 10n, names.minor],
      ]
    : [
        [major, names.major],
        [cents, names.minor],
      ];
  let out = negative ? '负' : '';
  let first = true;
  let gap = false;
  for (const [n, name] of units) {
    if (n === 0n) {
      if (!first) gap = true;
      continue;
    }
    // Only the first unit counts with 两; a hole after it (元 … 分) is one 零, as in numbers.
    if (gap || (!first && name === names.minor && !names.tenth && n < 10n)) out += '零';
    out += (first ? count(n) : integerWords(n)) + name;
    first = false;
    gap = false;
  }
  return cents === 0n ? `${out}整` : out;
}

const WEEKDAY = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

export function zhDate(parts: LocalParts, currentYear: number): string {
  const year =
    parts.year === currentYear ? '' : `${[...String(parts.year)].map((c) => DIGIT[Number(c)]).join('')}年`;
  return `${year}${integerWords(BigInt(parts.month))}月${integerWords(BigInt(parts.day))}日，${WEEKDAY[parts.weekday]}`;
}

function period(hour: number): string {
  if (hour < 6) return '凌晨';
  if (hour < 9) return '早上';
  if (hour < 12) return '上午';
  if (hour === 12) return '中午';
  if (hour < 18) return '下午';
  return '晚上';
}

export function zhTime(parts: Pick<LocalParts, 'hour' | 'minute'>): string {
  const { hour, minute } = parts;
  const dial = hour === 0 ? '零' : count(hour > 12 ? hour - 12 : hour);
  const head = `${period(hour)}${dial}点`;
  if (minute === 0) return hour === 12 ? head : `${head}整`;
  if (minute === 30) return `${head}半`;
  return `${head}${minute < 10 ? '零' + DIGIT[minute] : integerWords(BigInt(minute))}分`;
}

export function zhDateTime(parts: LocalParts, currentYear: number): string {
  return `${zhDate(parts, currentYear)}，${zhTime(parts)}`;
}

export function zhDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (seconds === 0) return '零秒';
  return (h ? `${count(h)}小时` : '') + (m ? `${count(m)}分钟` : '') + (s ? `${count(s)}秒` : '');
}

export function zhOrdinal(n: number, unit = '位'): string {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new SpokenFormError(`ordinal: ${n} is not a position (1 or more)`);
  return `第${integerWords(BigInt(n), false)}${unit}`;
}
