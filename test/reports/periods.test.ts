/** Report periods: keys, bounds, the previous working day over weekends and holidays. */
import { describe, expect, it } from 'vitest';
import { getCalendar } from '../../src/calendar/index.ts';
import { AppError } from '../../src/platform/errors.ts';
import { lastCompleted, parsePeriod, periodContaining, previousPeriod } from '../../src/reports/index.ts';
import { monthsEnding } from '../../src/reports/periods.ts';

const cal = getCalendar();

describe('periods', () => {
  it('parses each kind of key into its dates', () => {
    expect(parsePeriod('daily', '2026-03-02')).toEqual({
      kind: 'daily',
      key: '2026-03-02',
      from: '2026-03-02',
      to: '2026-03-02',
    });
    expect(parsePeriod('weekly', '2026-W10')).toMatchObject({ from: '2026-03-02', to: '2026-03-08' });
    expect(parsePeriod('weekly', '2026-W01')).toMatchObject({ from: '2025-12-29', to: '2026-01-04' });
    expect(parsePeriod('weekly', '2026-W53')).toMatchObject({ from: '2026-12-28', to: '2027-01-03' });
    expect(parsePeriod('monthly', '2024-02')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(parsePeriod('quarterly', '2026-Q4')).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
  });

  it('refuses malformed keys as validation errors naming the path', () => {
    for (const [kind, key] of [
      ['daily', '2026-02-30'],
      ['weekly', '2025-W53'], // 2025 has 52 ISO weeks
      ['weekly', '2026-10'],
      ['monthly', '2026-13'],
      ['quarterly', '2026-Q0'],
    ] as const) {
      try {
        parsePeriod(kind, key, 'path.period');
        expect.unreachable(`${kind} ${key}`);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).errors?.[0].path).toBe('path.period');
      }
    }
  });

  it('finds the period containing a date', () => {
    expect(periodContaining('weekly', '2027-01-01').key).toBe('2026-W53');
    expect(periodContaining('weekly', '2026-03-08').key).toBe('2026-W10');
    expect(periodContaining('monthly', '2026-03-31').key).toBe('2026-03');
    expect(periodContaining('quarterly', '2026-05-20').key).toBe('2026-Q2');
  });

  it('the last period over: a Monday bulletin is Friday, after 国庆节 the last day worked', () => {
    expect(lastCompleted('daily', '2026-03-09', cal).key).toBe('2026-03-06');
    // 2026: 国庆节 10-01..10-07 off; back at work on 10-08, and the last day worked was 09-30.
    expect(lastCompleted('daily', '2026-10-08', cal).key).toBe('2026-09-30');
    // 春节 02-15..02-23 off; the last day worked before was Saturday 02-14 (调休上班).
    expect(lastCompleted('daily', '2026-02-24', cal).key).toBe('2026-02-14');
    expect(lastCompleted('weekly', '2026-03-09', cal).key).toBe('2026-W10');
    expect(lastCompleted('monthly', '2026-01-15', cal).key).toBe('2025-12');
    expect(lastCompleted('quarterly', '2026-04-01', cal).key).toBe('2026-Q1');
    expect(previousPeriod(parsePeriod('weekly', '2026-W01'), cal).key).toBe('2025-W52');
  });

  it('twelve months ending with one, across the year', () => {
    expect(monthsEnding('2026-03', 12)).toEqual([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
  });
});
