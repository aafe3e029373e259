/**
 * The working-day calendar inside SQL, so that the checks stay set-based: two integer arrays
 * built once per run from `WorkingCalendar` and handed to the query as parameters.
 *
 * - `o[i]`: how many working days there are from `start` up to and including `start + i - 1`
 *   (a cumulative count, so `countWorkingDays(a, b) = o[b] - o[a]`, as the calendar defines it:
 *   the working days after `a` up to and including `b`);
 * - `w[k]`: the offset from `start` of the k-th working day (so `addWorkingDays(a, n)` for n >= 1
 *   is `start + w[o[a] + n]`).
 * Both are O(1) array subscripts per row: no join, no loop over days.
 *
 * @example
 * const cal = sqlCalendar(getCalendar(), '2025-01-01', '2027-12-31');
 * sql`with cal as (${calendarCte(cal)}) select ${ordOf(sql`d`)} from t cross join cal`
 */
import { type SQL, sql } from 'drizzle-orm';
import type { WorkingCalendar } from '../calendar/index.ts';
import { addDays } from '../platform/time.ts';

export interface SqlCalendar {
  start: string;
  end: string;
  /** Cumulative working days per day of [start, end]. */
  ords: number[];
  /** Offsets from start of each working day in [start, end]. */
  works: number[];
  /** Years of the span without a calendar file (judged by weekends alone). */
  missingYears: number[];
}

/** Builds the arrays for [start, end]; a span of years costs a few thousand numbers. */
export function sqlCalendar(calendar: WorkingCalendar, start: string, end: string): SqlCalendar {
  const ords: number[] = [];
  const works: number[] = [];
  const missing = new Set<number>();
  let count = 0;
  for (let d = start, i = 0; d <= end; d = addDays(d, 1), i++) {
    if (calendar.isWorkingDay(d)) {
      count++;
      works.push(i);
    }
    ords.push(count);
    const year = Number(d.slice(0, 4));
    if (!calendar.hasYear(year)) missing.add(year);
  }
  return { start, end, ords, works, missingYears: [...missing] };
}

/** The one-row CTE body `cal(s, o, w)`. */
export function calendarCte(cal: SqlCalendar): SQL {
  return sql`select ${cal.start}::date as s, ${`{${cal.ords.join(',')}}`}::int[] as o, ${`{${cal.works.join(',')}}`}::int[] as w`;
}

/** The cumulative working-day count of a date expression (null outside the span). */
export const ordOf = (date: SQL | string): SQL =>
  sql`cal.o[(${typeof date === 'string' ? sql.raw(date) : date}) - cal.s + 1]`;

/**
 * The date `n` working days after a date expression (`n` = 0: the date itself), as
 * `WorkingCalendar.addWorkingDays` gives it; null outside the span.
 */
export function addWorking(date: SQL | string, n: SQL | string): SQL {
  const d = typeof date === 'string' ? sql.raw(date) : date;
  const k = typeof n === 'string' ? sql.raw(n) : n;
  return sql`(case when (${k}) <= 0 then (${d}) else cal.s + cal.w[${ordOf(d)} + (${k})] end)`;
}

/** Working days after `a` up to and including `b` (negative when b < a). */
export const workingBetween = (a: SQL | string, b: SQL | string): SQL => sql`(${ordOf(b)} - ${ordOf(a)})`;
