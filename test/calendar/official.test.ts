/**
 * The shipped calendar against the State Council's notices, written out here a second time from
 * the notices' text (国办发明电〔2024〕12号 for 2025, 国办发明电〔2025〕7号 for 2026), and against
 * the chinese-days package as an independent cross-check.
 */
import chineseDays from 'chinese-days';
import { describe, expect, test } from 'vitest';
import { calendar, datesBetween, plusDays, shipped } from './support.ts';

/** [festival, first day off, last day off, days (共N天), weekend days that become working days]. */
type Block = [string, string, string, number, string[]];

const notices: Record<number, { source: RegExp; blocks: Block[] }> = {
  2025: {
    source: /国办发明电〔2024〕12号/,
    blocks: [
      ['元旦', '2025-01-01', '2025-01-01', 1, []],
      ['春节', '2025-01-28', '2025-02-04', 8, ['2025-01-26', '2025-02-08']],
      ['清明节', '2025-04-04', '2025-04-06', 3, []],
      ['劳动节', '2025-05-01', '2025-05-05', 5, ['2025-04-27']],
      ['端午节', '2025-05-31', '2025-06-02', 3, []],
      ['国庆节、中秋节', '2025-10-01', '2025-10-08', 8, ['2025-09-28', '2025-10-11']],
    ],
  },
  2026: {
    source: /国办发明电〔2025〕7号/,
    blocks: [
      ['元旦', '2026-01-01', '2026-01-03', 3, ['2026-01-04']],
      ['春节', '2026-02-15', '2026-02-23', 9, ['2026-02-14', '2026-02-28']],
      ['清明节', '2026-04-04', '2026-04-06', 3, []],
      ['劳动节', '2026-05-01', '2026-05-05', 5, ['2026-05-09']],
      ['端午节', '2026-06-19', '2026-06-21', 3, []],
      ['中秋节', '2026-09-25', '2026-09-27', 3, []],
      ['国庆节', '2026-10-01', '2026-10-07', 7, ['2026-09-20', '2026-10-10']],
    ],
  },
};

const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

describe.each([2025, 2026])('%i against the notice', (year) => {
  const notice = notices[year];
  const file = shipped.find((y) => y.year === year)!;

  test('the file names the notice', () => {
    expect(file.source).toMatch(notice.source);
    expect(calendar.hasYear(year)).toBe(true);
  });

  test('the holidays are exactly the notice blocks', () => {
    expect(file.holidays.map((h) => [h.name, h.from, h.to])).toEqual(
      notice.blocks.map(([n, f, t]) => [n, f, t]),
    );
    expect(file.closures).toEqual([]);
  });

  test.each(notice.blocks)('%s %s to %s: %i days off, all non-working', (name, from, to, days) => {
    const off = datesBetween(from, to);
    expect(off).toHaveLength(days);
    for (const d of off) expect(calendar.dayInfo(d)).toMatchObject({ working: false, kind: 'holiday', name });
    // The block is bounded by working days or a plain weekend: nothing else around it was moved.
    expect(calendar.dayInfo(plusDays(from, -1)).kind).not.toBe('holiday');
    expect(calendar.dayInfo(plusDays(to, 1)).kind).not.toBe('holiday');
  });

  test('the adjusted working days (调休上班) are weekend days that are working days', () => {
    const expected = notice.blocks.flatMap(([, , , , w]) => w).sort();
    expect(file.workdays.map((w) => w.date).sort()).toEqual(expected);
    for (const d of expected) {
      expect(isWeekend(d)).toBe(true);
      expect(calendar.dayInfo(d)).toMatchObject({
        working: true,
        kind: 'adjusted-workday',
        calendarMissing: false,
      });
    }
  });

  test('every other day is Monday to Friday', () => {
    const off = new Set(notice.blocks.flatMap(([, f, t]) => datesBetween(f, t)));
    const on = new Set(notice.blocks.flatMap(([, , , , w]) => w));
    for (const d of datesBetween(`${year}-01-01`, `${year}-12-31`)) {
      expect(calendar.isWorkingDay(d), d).toBe(on.has(d) || (!off.has(d) && !isWeekend(d)));
    }
  });

  test('chinese-days agrees on every day of the year', () => {
    const disagree = datesBetween(`${year}-01-01`, `${year}-12-31`).filter(
      (d) => calendar.isWorkingDay(d) !== chineseDays.isWorkday(d),
    );
    expect(disagree).toEqual([]);
  });

  test('chinese-days lists the same holidays and adjusted working days', () => {
    const theirOff = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false);
    const ourOff = file.holidays.flatMap((h) => datesBetween(h.from, h.to));
    expect(ourOff.sort()).toEqual([...theirOff].sort());
    const theirOn = datesBetween(`${year}-01-01`, `${year}-12-31`).filter(
      (d) => isWeekend(d) && chineseDays.isWorkday(d),
    );
    expect(file.workdays.map((w) => w.date).sort()).toEqual(theirOn);
  });
});

describe('deadlines across the holidays', () => {
  test('5 working days from Thursday 2026-02-12 cross the Spring Festival', () => {
    // 13th (Fri) 1, 14th (Sat, 调休上班) 2, 15th-23rd 春节, 24th 3, 25th 4, 26th 5.
    expect(calendar.addWorkingDays('2026-02-12', 5)).toEqual({ date: '2026-02-26', calendarMissing: false });
    expect(calendar.countWorkingDays('2026-02-12', '2026-02-26')).toEqual({
      days: 5,
      calendarMissing: false,
    });
  });

  test('the statutory 20 working days (Art. 42) from 2026-02-10', () => {
    // 11,12,13,14(调休),24,25,26,27,28(调休) = 9 by 28 Feb; March 2-6 = 14; March 9-13 = 19; March 16 = 20.
    expect(calendar.addWorkingDays('2026-02-10', 20).date).toBe('2026-03-16');
  });

  test('2025 Spring Festival: from the adjusted Sunday 2025-01-26', () => {
    // 27th (Mon) 1, 28th-4th 春节, 5th 2, 6th 3, 7th 4, 8th (Sat, 调休上班) 5.
    expect(calendar.addWorkingDays('2025-01-26', 5).date).toBe('2025-02-08');
    expect(calendar.nextWorkingDay('2025-01-27').date).toBe('2025-02-05');
    expect(calendar.previousWorkingDay('2025-02-05').date).toBe('2025-01-27');
  });

  test('2025 National Day and Mid-Autumn: 8 days off between two adjusted working days', () => {
    // After Friday 26 Sept: 28th (Sun, 调休上班), 29th, 30th; 1st-8th off; 9th, 10th, 11th (Sat, 调休上班).
    expect(calendar.countWorkingDays('2025-09-26', '2025-10-12')).toEqual({
      days: 6,
      calendarMissing: false,
    });
    expect(calendar.addWorkingDays('2025-09-30', 1).date).toBe('2025-10-09');
  });

  test('New Year 2026 across the year boundary', () => {
    // 2025-12-31 (Wed) -> 1st-3rd 元旦, 4th (Sun, 调休上班) is the first working day.
    expect(calendar.nextWorkingDay('2025-12-31')).toEqual({ date: '2026-01-04', calendarMissing: false });
  });

  test('an instant item (0 days) is due the same day, even on a holiday', () => {
    expect(calendar.addWorkingDays('2026-02-17', 0)).toEqual({ date: '2026-02-17', calendarMissing: false });
  });
});
