/** Time-based membership (ACD-03): windows, time zones, midnight crossing, holidays. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineWith } from './engine.test-support.ts';
import { compileSchedule, isOnDuty, localTime, minutesToNextBoundary } from './schedule.ts';

/** 2026-01-05 00:00 Asia/Shanghai, a Monday. */
const monday = Date.UTC(2026, 0, 4, 16, 0);
const at = (day: number, hh: number, mm = 0) => monday + ((day * 24 + hh) * 60 + mm) * 60_000;
const weekdayMornings = { windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '12:00' }] };

/** Independent check: Shanghai is UTC+8 all year. */
function onDutyShanghai(t: number): boolean {
  const d = new Date(t + 8 * 3600_000);
  const iso = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  return iso <= 5 && minute >= 540 && minute < 720;
}

describe('schedules (ACD-03)', () => {
  it('computes local time in Asia/Shanghai and other zones', () => {
    expect(localTime(at(0, 9, 30), 'Asia/Shanghai')).toMatchObject({
      date: '2026-01-05',
      weekday: 1,
      minute: 570,
    });
    expect(localTime(at(0, 9, 30), 'Europe/London')).toMatchObject({
      date: '2026-01-05',
      weekday: 1,
      minute: 90,
    });
    expect(localTime(at(0, 0, 30), 'Asia/Shanghai').previousDate).toBe('2026-01-04');
  });

  it('is on duty inside a window only, on the listed weekdays', () => {
    const s = compileSchedule(weekdayMornings);
    const duty = (t: number) => isOnDuty(s, localTime(t, s.timeZone), new Set());
    expect([duty(at(0, 8, 59)), duty(at(0, 9)), duty(at(0, 11, 59)), duty(at(0, 12))]).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(duty(at(5, 10))).toBe(false); // Saturday
  });

  it('handles windows that cross midnight, belonging to the day they start', () => {
    const s = compileSchedule({ windows: [{ days: [5], from: '22:00', to: '06:00' }] });
    const duty = (t: number) => isOnDuty(s, localTime(t, s.timeZone), new Set());
    expect([duty(at(4, 23)), duty(at(5, 5, 59)), duty(at(5, 6)), duty(at(3, 23))]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('switches off on holidays, from the schedule or the company calendar', () => {
    const s = compileSchedule({ ...weekdayMornings, holidays: ['2026-01-06'] });
    const duty = (t: number, cal: string[] = []) => isOnDuty(s, localTime(t, s.timeZone), new Set(cal));
    expect(duty(at(1, 10))).toBe(false);
    expect(duty(at(2, 10))).toBe(true);
    expect(duty(at(2, 10), ['2026-01-07'])).toBe(false);
  });

  it('rejects bad times, weekdays and zones at configuration time', () => {
    expect(() => compileSchedule({ windows: [{ days: [1], from: '9:00', to: '12:00' }] })).toThrow(
      RangeError,
    );
    expect(() => compileSchedule({ windows: [{ days: [0], from: '09:00', to: '12:00' }] })).toThrow(
      RangeError,
    );
    expect(() => compileSchedule({ ...weekdayMornings, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it('knows the next boundary', () => {
    const s = compileSchedule(weekdayMornings);
    expect(minutesToNextBoundary(s, localTime(at(0, 8), s.timeZone))).toBe(60);
    expect(minutesToNextBoundary(s, localTime(at(0, 13), s.timeZone))).toBe(11 * 60);
  });

  it('moves an agent in and out of a group over time without edits, and reports it on tick', () => {
    const e = engineWith([
      { id: 'a', groups: [{ name: 'g', level: 1, schedule: weekdayMornings }], readyAt: at(0, 8) },
    ]);
    e.enqueue('c1', 'g', 0, at(0, 8, 30));
    expect(e.distribute(at(0, 8, 59))).toEqual([]);
    expect(e.distribute(at(0, 9)).map((o) => o.agentId)).toEqual(['a']);
    expect(e.tick(at(0, 9)).membership).toEqual([{ agentId: 'a', group: 'g', active: true, at: at(0, 9) }]);
    expect(e.activeGroups('a')).toEqual(['g']);
    e.tick(at(0, 12));
    expect(e.activeGroups('a')).toEqual([]);
  });

  it('follows the company holiday calendar set at run time', () => {
    const e = engineWith([
      { id: 'a', groups: [{ name: 'g', level: 1, schedule: weekdayMornings }], readyAt: at(0, 10) },
    ]);
    e.tick(at(0, 10));
    expect(e.activeGroups('a')).toEqual(['g']);
    e.setHolidays(['2026-01-05'], at(0, 10, 1));
    expect(e.activeGroups('a')).toEqual([]);
  });

  it('never offers a group call to an agent outside its window, and serves when inside (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 240 }), { minLength: 20, maxLength: 200 }), (steps) => {
        const e = engineWith([
          { id: 'sched', groups: [{ name: 'g', level: 1, schedule: weekdayMornings }], readyAt: monday },
        ]);
        let t = monday;
        let n = 0;
        for (const minutes of steps) {
          t += minutes * 60_000;
          e.enqueue(`c${n++}`, 'g', 0, t);
          const offers = e.distribute(t);
          // Inside the window a ready member with callers waiting must have been given one.
          if (onDutyShanghai(t)) expect(e.agent('sched')?.state).toBe('reserved');
          for (const o of offers) {
            expect(onDutyShanghai(t)).toBe(true);
            e.offerAnswered(o.agentId, t);
            e.transition(o.agentId, 'ready', null, t);
          }
        }
      }),
    );
  });
});
