/** "m:ss" below an hour, "h:mm:ss" above; what agents read on phones and wallboards. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Seconds between an ISO timestamp and `now`, never negative (clocks of browser and server differ a little). */
export function secondsSince(iso: string, now: number): number {
  const start = Date.parse(iso);
  return Number.isNaN(start) ? 0 : Math.max(0, Math.floor((now - start) / 1000));
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function cached(
  cache: Map<string, Intl.DateTimeFormat>,
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let format = cache.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    cache.set(locale, format);
  }
  return format;
}

const shortDateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(iso: string | null, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return cached(dateTimeFormats, locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** Like formatDateTime but without the year when it is the current one: keeps busy tables narrow. */
export function formatShortDateTime(iso: string | null, locale: string, now = new Date()): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (date.getFullYear() !== now.getFullYear()) return formatDateTime(iso, locale);
  return cached(shortDateTimeFormats, locale, {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

export function formatTime(iso: string | null, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return cached(timeFormats, locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** Phone-like input (digits with + - space parentheses) searches by phone, anything else by name. */
export function looksLikePhone(text: string): boolean {
  const trimmed = text.trim();
  return /^[+\d][\d\s\-()]*$/.test(trimmed) && trimmed.replace(/\D/g, '').length >= 3;
}

const chinaOffsetMs = 8 * 3600_000;

/** Today's date (YYYY-MM-DD) in Asia/Shanghai, the contact center's reporting day, whatever the browser's zone. */
export function chinaToday(now = Date.now()): string {
  return new Date(now + chinaOffsetMs).toISOString().slice(0, 10);
}

/** The Asia/Shanghai day `date` (YYYY-MM-DD) as an ISO [from, to) pair; China keeps no summer time. */
export function chinaDayRange(date: string): { from: string; to: string } {
  const start = Date.parse(`${date}T00:00:00+08:00`);
  return { from: new Date(start).toISOString(), to: new Date(start + 86_400_000).toISOString() };
}

/** "2025-10-01 00:00" in Asia/Shanghai time. */
export function formatChinaDateTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms + chinaOffsetMs).toISOString().slice(0, 16).replace('T', ' ');
}

/** 0…1 as "87.5%"; null as null. */
export function formatPercent(ratio: number | null): string | null {
  return ratio === null ? null : `${(ratio * 100).toFixed(1)}%`;
}
