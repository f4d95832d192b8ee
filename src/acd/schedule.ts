/**
 * Time-based group membership (ACD-03): an agent serves a group only inside weekly windows, in a
 * time zone (Asia/Shanghai unless stated), and not on holidays. Windows use ISO weekdays
 * (1 = Monday … 7 = Sunday) and "HH:MM" local times; `to` before `from` crosses midnight and the
 * window belongs to the day it starts. A holiday switches off windows that start on that date.
 *
 * Evaluating is arithmetic on a local time computed once per time zone and minute (Intl is the
 * only costly step), and the engine re-evaluates only at the next window boundary.
 */
export interface ScheduleWindow {
  days: readonly number[];
  from: string;
  to: string;
}

export interface Schedule {
  windows: readonly ScheduleWindow[];
  timeZone?: string;
  /** Local dates "YYYY-MM-DD" on which this membership is off, besides the engine's calendar. */
  holidays?: readonly string[];
}

export const defaultTimeZone = 'Asia/Shanghai';

interface CompiledWindow {
  /** Bit d set when ISO weekday d (1…7) is listed. */
  days: number;
  from: number;
  to: number;
}

export interface CompiledSchedule {
  timeZone: string;
  windows: CompiledWindow[];
  holidays: ReadonlySet<string>;
}

export interface LocalTime {
  date: string;
  previousDate: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
}

const minutesPerDay = 1440;

function parseHhmm(s: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || h > 24 || min > 59 || (h === 24 && min > 0)) throw new RangeError(`bad time of day "${s}"`);
  return h * 60 + min;
}

export function compileSchedule(s: Schedule, fallbackZone: string = defaultTimeZone): CompiledSchedule {
  const timeZone = s.timeZone ?? fallbackZone;
  localTime(0, timeZone); // throws RangeError for an unknown zone, at configuration time
  return {
    timeZone,
    holidays: new Set(s.holidays ?? []),
    windows: s.windows.map((w) => {
      let days = 0;
      for (const d of w.days) {
        if (!Number.isInteger(d) || d < 1 || d > 7) throw new RangeError(`bad ISO weekday ${d}`);
        days |= 1 << d;
      }
      return { days, from: parseHhmm(w.from), to: parseHhmm(w.to) };
    }),
  };
}

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();
const lastLocal = new Map<string, { minuteKey: number; local: LocalTime }>();

/** Local calendar facts of `epochMs` in `timeZone`, cached per zone for the current minute. */
export function localTime(epochMs: number, timeZone: string): LocalTime {
  const minuteKey = Math.floor(epochMs / 60_000);
  const hit = lastLocal.get(timeZone);
  if (hit && hit.minuteKey === minuteKey) return hit.local;
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, fmt);
  }
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(new Date(minuteKey * 60_000))) p[part.type] = part.value;
  const y = Number(p.year);
  const mo = Number(p.month);
  const d = Number(p.day);
  const local: LocalTime = {
    date: `${p.year}-${p.month}-${p.day}`,
    previousDate: new Date(Date.UTC(y, mo - 1, d - 1)).toISOString().slice(0, 10),
    weekday: weekdays[p.weekday ?? ''] ?? 1,
    minute: (Number(p.hour) % 24) * 60 + Number(p.minute),
  };
  lastLocal.set(timeZone, { minuteKey, local });
  return local;
}

/** Whether the schedule has the member on duty at `local`, given an extra holiday calendar. */
export function isOnDuty(s: CompiledSchedule, local: LocalTime, calendar: ReadonlySet<string>): boolean {
  const yesterday = local.weekday === 1 ? 7 : local.weekday - 1;
  const offToday = s.holidays.has(local.date) || calendar.has(local.date);
  const offYesterday = s.holidays.has(local.previousDate) || calendar.has(local.previousDate);
  for (const w of s.windows) {
    if (w.from < w.to) {
      if (!offToday && w.days & (1 << local.weekday) && local.minute >= w.from && local.minute < w.to)
        return true;
    } else if (w.from > w.to) {
      // Crosses midnight: the evening part today, or the morning part of a window begun yesterday.
      if (!offToday && w.days & (1 << local.weekday) && local.minute >= w.from) return true;
      if (!offYesterday && w.days & (1 << yesterday) && local.minute < w.to) return true;
    }
  }
  return false;
}

/**
 * Minutes from `local` to the next moment the answer of `isOnDuty` may change: a window edge or
 * midnight (weekday and holiday change). At least 1.
 */
export function minutesToNextBoundary(s: CompiledSchedule, local: LocalTime): number {
  let best = minutesPerDay - local.minute;
  for (const w of s.windows) {
    for (const edge of [w.from, w.to]) {
      const ahead = (edge - local.minute + minutesPerDay) % minutesPerDay;
      if (ahead > 0 && ahead < best) best = ahead;
    }
  }
  return Math.max(1, best);
}
