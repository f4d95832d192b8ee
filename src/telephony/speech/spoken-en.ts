/**
 * English spoken forms for IVR prompts (espeak-ng `en-us`). Conventions (American):
 * - Cardinals without "and": one hundred one, one thousand five, twenty-one; scales up to
 *   quadrillion. Decimals: "point" then each digit (three point zero five); trailing zeros of the
 *   fraction are not read. Negative numbers start with "minus".
 * - Digit strings: each digit as a word (zero, not "oh"), letters spelled in capitals; groups are
 *   separated by ", ". The letter A is written "eh", because espeak-ng reads a lone "A" as the
 *   article; '+' of a foreign number is "plus".
 * - Money: "one hundred twenty-three yuan and fifty fen"; whole amounts have no fen part; amounts
 *   under one yuan are just fen (five fen); zero is "zero yuan". US dollars: dollars and cents.
 * - Dates: "Monday, November twenty-third", with ", twenty twenty-seven" only when the year is not
 *   the current year in the caller's time zone.
 * - Times on a 12-hour dial with a.m./p.m. (written with dots so espeak-ng says the letters):
 *   "three fifteen p.m.", "nine a.m.", "three oh five p.m."; 12:00 is "twelve noon" and 0:00
 *   "twelve midnight".
 * - Durations: only the non-zero parts, "two hours fifteen minutes", "one minute thirty seconds".
 * - Ordinals: third, twenty-first, one hundred first.
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

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'];

function under100(n: number): string {
  if (n < 20) return ONES[n]!;
  const ones = n % 10;
  return TENS[Math.floor(n / 10)]! + (ones ? `-${ONES[ones]}` : '');
}

function under1000(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (!hundreds) return under100(rest);
  return `${ONES[hundreds]} hundred` + (rest ? ` ${under100(rest)}` : '');
}

function integerWords(n: bigint): string {
  if (n === 0n) return 'zero';
  const words: string[] = [];
  let rest = n;
  for (let scale = 0; rest > 0n; scale++) {
    const chunk = Number(rest % 1000n);
    rest /= 1000n;
    if (chunk) words.unshift(under1000(chunk) + (SCALES[scale] ? ` ${SCALES[scale]}` : ''));
  }
  return words.join(' ');
}

function decimalWords(d: Decimal): string {
  const fraction = d.fraction.replace(/0+$/, '');
  const head = (d.negative ? 'minus ' : '') + integerWords(d.integer);
  return fraction === '' ? head : `${head} point ${[...fraction].map((c) => ONES[Number(c)]).join(' ')}`;
}

export function enNumber(value: unknown): string {
  return decimalWords(parseDecimal(value, 'number'));
}

function readGroups(groups: string[]): string {
  return groups
    .map((g) =>
      [...g]
        .map((c) => (c === '+' ? 'plus' : c === 'A' ? 'eh' : /[A-Z]/.test(c) ? c : ONES[Number(c)]))
        .join(' '),
    )
    .join(', ');
}

export function enDigits(value: unknown): string {
  return readGroups(codeGroups(value));
}

export function enPhone(value: unknown): string {
  return readGroups(phoneGroups(value));
}

export function enWaybill(value: unknown): string {
  return readGroups(waybillGroups(value));
}

const MONEY: Record<Currency, { major: [string, string]; minor: [string, string] }> = {
  CNY: { major: ['yuan', 'yuan'], minor: ['fen', 'fen'] },
  USD: { major: ['dollar', 'dollars'], minor: ['cent', 'cents'] },
};

export function enAmount(minorUnits: bigint, negative: boolean, currency: Currency): string {
  const names = MONEY[currency];
  const major = minorUnits / 100n;
  const cents = minorUnits % 100n;
  const unit = (n: bigint, [one, many]: [string, string]) => `${integerWords(n)} ${n === 1n ? one : many}`;
  const sign = negative ? 'minus ' : '';
  if (cents === 0n) return sign + unit(major, names.major);
  if (major === 0n) return sign + unit(cents, names.minor);
  return `${sign}${unit(major, names.major)} and ${unit(cents, names.minor)}`;
}

const IRREGULAR: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

function ordinalWords(n: bigint): string {
  const words = integerWords(n);
  const match = /^(.*?)([a-z]+)$/.exec(words)!;
  const [, head = '', last = ''] = match;
  const ordinal = IRREGULAR[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return head + ordinal;
}

export function enOrdinal(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new SpokenFormError(`ordinal: ${n} is not a position (1 or more)`);
  return ordinalWords(BigInt(n));
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Years as said in dates: 2027 twenty twenty-seven, 2005 two thousand five, 1998 nineteen ninety-eight. */
function yearWords(year: number): string {
  const high = Math.floor(year / 100);
  const low = year % 100;
  if (year < 1000 || year % 1000 < 10 || (high % 10 === 0 && low === 0)) return integerWords(BigInt(year));
  if (low === 0) return `${under100(high)} hundred`;
  return `${under100(high)} ${low < 10 ? `oh ${ONES[low]}` : under100(low)}`;
}

export function enDate(parts: LocalParts, currentYear: number): string {
  const day = `${WEEKDAYS[parts.weekday]}, ${MONTHS[parts.month - 1]} ${ordinalWords(BigInt(parts.day))}`;
  return parts.year === currentYear ? day : `${day}, ${yearWords(parts.year)}`;
}

export function enTime(parts: Pick<LocalParts, 'hour' | 'minute'>): string {
  const { hour, minute } = parts;
  const dial = ONES[hour % 12 === 0 ? 12 : hour % 12];
  if (minute === 0 && hour === 12) return 'twelve noon';
  if (minute === 0 && hour === 0) return 'twelve midnight';
  const suffix = hour < 12 ? 'a.m.' : 'p.m.';
  if (minute === 0) return `${dial} ${suffix}`;
  return `${dial} ${minute < 10 ? `oh ${ONES[minute]}` : under100(minute)} ${suffix}`;
}

export function enDateTime(parts: LocalParts, currentYear: number): string {
  return `${enDate(parts, currentYear)}, at ${enTime(parts)}`;
}

export function enDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (seconds === 0) return 'zero seconds';
  const part = (n: number, one: string) =>
    n ? [`${integerWords(BigInt(n))} ${one}${n === 1 ? '' : 's'}`] : [];
  return [...part(h, 'hour'), ...part(m, 'minute'), ...part(s, 'second')].join(' ');
}
