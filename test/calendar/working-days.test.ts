/** Deadline arithmetic: the counting rule, years without a file, and properties against a day-by-day reference. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromOrdinal, isDateString, toOrdinal, weekday } from '../../src/calendar/dates.ts';
import { calendarVersion } from '../../src/calendar/policy.ts';
import { WorkingCalendar } from '../../src/calendar/working-days.ts';
import { calendar, plusDays, referenceAdd, referenceWorking, shipped } from './support.ts';

describe('dates', () => {
  test('ordinals agree with Date for every day of years 0001-9999 sampled', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (at) => {
          const date = at.toISOString().slice(0, 10);
          const ord = Math.floor(at.getTime() / 86_400_000);
          expect(toOrdinal(date)).toBe(ord);
          expect(fromOrdinal(ord)).toBe(date);
          expect(weekday(ord) % 7).toBe(at.getUTCDay());
        },
      ),
    );
  });

  test('only real dates in YYYY-MM-DD', () => {
    for (const ok of ['2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01'])
      expect(isDateString(ok), ok).toBe(true);
    for (const bad of [
      '2026-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-2-3',
      '20260203',
      '2026-02-03T00:00',
      '',
      'abcd-ef-gh',
    ]) {
      expect(isDateString(bad), bad).toBe(false);
    }
    expect(() => toOrdinal('2026-02-30')).toThrow(RangeError);
  });
});

describe('the counting rule', () => {
  test('the start day is not counted: 1 working day after a Monday is the Tuesday', () => {
    expect(calendar.addWorkingDays('2026-03-02', 1).date).toBe('2026-03-03');
    expect(calendar.addWorkingDays('2026-03-06', 1).date).toBe('2026-03-09'); // Friday -> Monday
    expect(calendar.addWorkingDays('2026-03-07', 1).date).toBe('2026-03-09'); // from a Saturday
  });

  test('0 days is the same day, whatever day it is', () => {
    for (const d of ['2026-03-02', '2026-03-07', '2026-10-01', '2030-01-01']) {
      expect(calendar.addWorkingDays(d, 0)).toEqual({ date: d, calendarMissing: false });
    }
  });

  test('count: after `from`, up to and including `to`; negative when reversed; 0 on the same day', () => {
    expect(calendar.countWorkingDays('2026-03-02', '2026-03-06').days).toBe(4);
    expect(calendar.countWorkingDays('2026-03-06', '2026-03-02').days).toBe(-4);
    expect(calendar.countWorkingDays('2026-03-02', '2026-03-02').days).toBe(0);
    expect(calendar.countWorkingDays('2026-03-06', '2026-03-08').days).toBe(0); // the weekend
    // 2025: 261 Monday-Fridays, minus 18 of them off (1+6+1+3+1+6), plus 5 adjusted weekend days.
    expect(calendar.countWorkingDays('2024-12-31', '2025-12-31').days).toBe(261 - 18 + 5);
    // 2026: 261 Monday-Fridays, minus 19 of them off (2+6+1+3+1+1+5), plus 6 adjusted weekend days.
    expect(calendar.countWorkingDays('2025-12-31', '2026-12-31').days).toBe(261 - 19 + 6);
  });

  test('backwards: the n-th working day before', () => {
    expect(calendar.addWorkingDays('2026-02-24', -1).date).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-24', -2).date).toBe('2026-02-13');
    expect(calendar.previousWorkingDay('2026-03-09').date).toBe('2026-03-06');
  });

  test('bad input is a RangeError, not a wrong date', () => {
    expect(() => calendar.addWorkingDays('2026-02-30', 1)).toThrow(/not a date/);
    expect(() => calendar.addWorkingDays('2026-02-12', 1.5)).toThrow(/integer/);
    expect(() => calendar.addWorkingDays('2026-02-12', Number.NaN)).toThrow(/integer/);
    expect(() => calendar.countWorkingDays('2026-02-12', 'tomorrow')).toThrow(/not a date/);
    expect(() => calendar.addWorkingDays('9999-12-30', 5)).toThrow(/out of range/);
  });
});

describe('years without a calendar file', () => {
  test('are counted on weekends alone and flagged', () => {
    // 2027 has no file: 1 January 2027 (a Friday, surely 元旦) counts as a working day, flagged.
    expect(calendar.addWorkingDays('2026-12-30', 2)).toEqual({ date: '2027-01-01', calendarMissing: true });
    expect(calendar.addWorkingDays('2026-12-30', 1)).toEqual({ date: '2026-12-31', calendarMissing: false });
    expect(calendar.dayInfo('2027-01-01')).toEqual({
      date: '2027-01-01',
      working: true,
      kind: 'workday',
      calendarMissing: true,
    });
    expect(calendar.countWorkingDays('2026-12-30', '2027-01-04')).toEqual({ days: 3, calendarMissing: true });
  });

  test('before the first file too, but only for days that were looked at', () => {
    // From 2024-12-31 the days counted are in 2025 only.
    expect(calendar.addWorkingDays('2024-12-31', 1)).toEqual({ date: '2025-01-02', calendarMissing: false });
    expect(calendar.addWorkingDays('2024-12-30', 1)).toEqual({ date: '2024-12-31', calendarMissing: true });
    expect(calendar.addWorkingDays('2025-01-02', -1)).toEqual({ date: '2024-12-31', calendarMissing: true });
    expect(calendar.countWorkingDays('2024-12-31', '2025-01-03')).toEqual({
      days: 2,
      calendarMissing: false,
    });
    expect(calendar.countWorkingDays('2025-01-03', '2024-12-31')).toEqual({
      days: -2,
      calendarMissing: false,
    });
  });

  test('a gap year between two files is flagged', () => {
    const [y2025, y2026] = shipped;
    const withGap = new WorkingCalendar([
      y2025,
      { ...y2026, year: 2027, holidays: [], workdays: [], closures: [] },
    ]);
    expect(withGap.years).toEqual([2025, 2027]);
    expect(withGap.hasYear(2026)).toBe(false);
    expect(withGap.addWorkingDays('2026-02-12', 5)).toEqual({ date: '2026-02-19', calendarMissing: true });
    expect(withGap.addWorkingDays('2025-12-01', 10).calendarMissing).toBe(false);
    expect(withGap.countWorkingDays('2025-12-01', '2027-01-10').calendarMissing).toBe(true);
    expect(withGap.countWorkingDays('2027-01-01', '2027-01-10').calendarMissing).toBe(false);
  });

  test('with no files at all, everything is weekends and flagged', () => {
    const none = new WorkingCalendar([]);
    expect(none.years).toEqual([]);
    expect(none.addWorkingDays('2026-02-12', 5)).toEqual({ date: '2026-02-19', calendarMissing: true });
    expect(none.countWorkingDays('2026-02-12', '2026-02-19')).toEqual({ days: 5, calendarMissing: true });
  });
});

describe('closures and version', () => {
  const [y2025, y2026] = shipped;
  const closed = new WorkingCalendar([
    y2025,
    {
      ...y2026,
      closures: [
        { from: '2026-02-14', to: '2026-02-14', name: '暴雪停止办公' },
        { from: '2026-03-03', to: '2026-03-04', name: '系统迁移' },
      ],
    },
  ]);

  test('a local closure shuts working days, even an adjusted one', () => {
    expect(closed.dayInfo('2026-02-14')).toMatchObject({
      working: false,
      kind: 'closure',
      name: '暴雪停止办公',
    });
    expect(closed.addWorkingDays('2026-02-12', 5).date).toBe('2026-02-27');
    expect(closed.countWorkingDays('2026-03-02', '2026-03-06').days).toBe(2);
  });

  test('the version changes with any day and not with the order of the files', () => {
    expect(calendar.version).toMatch(/^[0-9a-f]{64}$/);
    expect(closed.version).not.toBe(calendar.version);
    expect(new WorkingCalendar([y2026, y2025]).version).toBe(calendar.version);
    expect(calendarVersion(shipped)).toBe(calendar.version);
  });

  test('a year given twice is refused', () => {
    expect(() => new WorkingCalendar([y2026, y2026])).toThrow(/2026 given twice/);
  });
});

describe('properties against the day-by-day reference', () => {
  // 2024-07 to 2027-06: half a year either side of the files, so the edges are crossed often.
  const day = fc.integer({ min: toOrdinal('2024-07-01'), max: toOrdinal('2027-06-30') }).map(fromOrdinal);
  const n = fc.integer({ min: 0, max: 400 });

  test('isWorkingDay agrees with the lists, day by day', () => {
    for (let d = '2024-07-01'; d <= '2027-06-30'; d = plusDays(d, 1)) {
      expect(calendar.isWorkingDay(d), d).toBe(referenceWorking(shipped, d));
    }
  });

  test('addWorkingDays is the n-th working day after, by walking', () => {
    fc.assert(
      fc.property(day, n, (from, k) => {
        expect(calendar.addWorkingDays(from, k).date).toBe(referenceAdd(shipped, from, k));
      }),
      { numRuns: 300 },
    );
  });

  test('add then count gives n back, and the answer is a working day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 3650 }), (from, k) => {
        const { date } = calendar.addWorkingDays(from, k);
        expect(calendar.countWorkingDays(from, date).days).toBe(k);
        expect(calendar.isWorkingDay(date)).toBe(true);
        // and it is the first such day: one day earlier is one working day short
        expect(calendar.countWorkingDays(from, plusDays(date, -1)).days).toBe(k - 1);
      }),
    );
  });

  test('count is additive and antisymmetric', () => {
    fc.assert(
      fc.property(day, day, day, (a, b, c) => {
        const ab = calendar.countWorkingDays(a, b).days;
        expect(ab + calendar.countWorkingDays(b, c).days).toBe(calendar.countWorkingDays(a, c).days);
        expect(calendar.countWorkingDays(b, a).days + ab).toBe(0);
      }),
    );
  });

  test('backwards undoes forwards from a working day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 3650 }), (from, k) => {
        const { date } = calendar.addWorkingDays(from, k);
        expect(calendar.addWorkingDays(date, -k).date).toBe(
          calendar.isWorkingDay(from) ? from : calendar.previousWorkingDay(from).date,
        );
      }),
    );
  });

  test('far from the files: weekends only, any century', () => {
    const far = fc.integer({ min: toOrdinal('1900-01-01'), max: toOrdinal('2999-01-01') }).map(fromOrdinal);
    fc.assert(
      fc.property(far, fc.integer({ min: 0, max: 60 }), (from, k) => {
        expect(calendar.addWorkingDays(from, k).date).toBe(referenceAdd(shipped, from, k));
      }),
    );
  });

  test('calendarMissing is set exactly when a day looked at lies outside 2025-2026', () => {
    fc.assert(
      fc.property(day, n, (from, k) => {
        const r = calendar.addWorkingDays(from, k);
        const looked = k === 0 ? [] : [plusDays(from, 1), r.date];
        expect(r.calendarMissing).toBe(looked.some((d) => d < '2025-01-01' || d > '2026-12-31'));
      }),
    );
  });
});
