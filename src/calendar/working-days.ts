/**
 * The working-day calendar: which days count toward a time limit (Administrative Licensing Law
 * Art. 82), and the arithmetic of deadlines on them.
 *
 * Counting rule: the day a period starts from is not counted, so N working days after D is the
 * N-th working day after D; an instant item (0 days) is due on D itself. Years with a calendar
 * file use it; any other year counts Monday to Friday only, and every answer that depended on
 * such a year says `calendarMissing: true`, so a deadline is never silently computed without the
 * State Council's notice.
 *
 * Speed: it is asked millions of times, so it is built once and every question is O(1): a prefix
 * count of working days over the covered years, the sorted list of their working days, and
 * closed-form weekday arithmetic outside them. Nothing loops day by day.
 *
 * @example
 * const cal = new WorkingCalendar(loadCalendarDir('policies/calendar'));
 * cal.addWorkingDays('2026-02-12', 5)      // { date: '2026-02-26', calendarMissing: false } (春节 in between)
 * cal.countWorkingDays('2026-02-12', '2026-02-26') // { days: 5, calendarMissing: false }
 * cal.isWorkingDay('2026-02-14')           // true (调休上班, a Saturday)
 * cal.addWorkingDays('2027-03-01', 3)      // { date: '2027-03-04', calendarMissing: true }
 */
import { fromOrdinal, toOrdinal, weekday, yearOf, yearStart } from './dates.ts';
import { type CalendarYear, calendarVersion } from './policy.ts';

/** A date answer; `calendarMissing` when a year it depended on has no calendar file. */
export interface DateResult {
  date: string;
  calendarMissing: boolean;
}

/** A count answer; `calendarMissing` when a year it depended on has no calendar file. */
export interface CountResult {
  days: number;
  calendarMissing: boolean;
}

/**
 * Why a day is or is not a working day: `workday` (Monday-Friday), `weekend`, `holiday` (the
 * notice's days off), `adjusted-workday` (调休上班), `closure` (a local closure of a working day).
 */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted-workday' | 'closure';

export interface DayInfo {
  date: string;
  working: boolean;
  kind: DayKind;
  /** The festival or closure, for holidays, adjusted working days and closures. */
  name?: string;
  calendarMissing: boolean;
}

/** The largest |n| accepted: far beyond any statutory limit, small enough to stay exact. */
const MAX_STEP = 1_000_000;

export class WorkingCalendar {
  /** The years that have a calendar file, ascending. */
  readonly years: readonly number[];
  /** SHA-256 of the calendar's canonical content (see `calendarVersion`). */
  readonly version: string;

  // The span [start, end) of ordinals from 1 January of the first covered year to the end of
  // the last one. Inside it, `prefix[i]` is the number of working days in [start, start + i)
  // and `works[k]` the ordinal of the (k+1)-th working day; outside it, Monday-Friday.
  // The cumulative count C(x) = "working days before day x" (relative to `start`) is then O(1)
  // everywhere, and so is its inverse; every question below is phrased through them.
  private readonly start: number;
  private readonly end: number;
  private readonly prefix: Int32Array;
  private readonly works: Int32Array;
  private readonly total: number;
  private readonly weekdaysBeforeStart: number;
  private readonly weekdaysBeforeEnd: number;
  /** Days inside the span that are not plain Monday-Friday / Saturday-Sunday, for `dayInfo`. */
  private readonly special = new Map<number, { kind: DayKind; name: string }>();
  private readonly firstYear: number;
  private readonly lastYear: number;
  /** `coveredBefore[i]`: how many of the years firstYear .. firstYear+i-1 have a file. */
  private readonly coveredBefore: Int32Array;
  private readonly gapless: boolean;

  /**
   * @param years validated calendar files (see `loadCalendarDir`), at most one per year
   * @example
   * new WorkingCalendar([])                // weekends only, every answer flagged calendarMissing
   */
  constructor(years: readonly CalendarYear[]) {
    const sorted = [...years].sort((a, b) => a.year - b.year);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].year === sorted[i - 1].year)
        throw new Error(`calendar year ${sorted[i].year} given twice`);
    }
    this.years = Object.freeze(sorted.map((y) => y.year));
    this.version = calendarVersion(sorted);
    this.firstYear = sorted.length ? sorted[0].year : 0;
    this.lastYear = sorted.length ? sorted[sorted.length - 1].year : -1;
    this.start = sorted.length ? yearStart(this.firstYear) : 0;
    this.end = sorted.length ? yearStart(this.lastYear + 1) : 0;

    const span = this.end - this.start;
    const working = new Uint8Array(span);
    for (let i = 0; i < span; i++) working[i] = weekday(this.start + i) <= 5 ? 1 : 0;
    const mark = (from: string, to: string, fn: (i: number) => void) => {
      for (let o = toOrdinal(from), last = toOrdinal(to); o <= last; o++) fn(o - this.start);
    };
    for (const y of sorted) {
      for (const h of y.holidays) {
        mark(h.from, h.to, (i) => {
          working[i] = 0;
          this.special.set(this.start + i, { kind: 'holiday', name: h.name });
        });
      }
      for (const w of y.workdays) {
        mark(w.date, w.date, (i) => {
          working[i] = 1;
          this.special.set(this.start + i, { kind: 'adjusted-workday', name: w.name });
        });
      }
    }
    // Closures last: a local closure shuts even an adjusted working day. A closure over a day
    // that is off anyway keeps that day's own reason.
    for (const y of sorted) {
      for (const c of y.closures) {
        mark(c.from, c.to, (i) => {
          if (working[i]) this.special.set(this.start + i, { kind: 'closure', name: c.name });
          working[i] = 0;
        });
      }
    }

    this.prefix = new Int32Array(span + 1);
    let total = 0;
    for (let i = 0; i < span; i++) {
      this.prefix[i] = total;
      total += working[i];
    }
    this.prefix[span] = total;
    this.total = total;
    this.works = new Int32Array(total);
    for (let i = 0, k = 0; i < span; i++) if (working[i]) this.works[k++] = this.start + i;

    this.weekdaysBeforeStart = weekdaysBefore(this.start);
    this.weekdaysBeforeEnd = weekdaysBefore(this.end);
    const width = Math.max(0, this.lastYear - this.firstYear + 1);
    this.coveredBefore = new Int32Array(width + 1);
    const has = new Set(this.years);
    for (let i = 0; i < width; i++)
      this.coveredBefore[i + 1] = this.coveredBefore[i] + (has.has(this.firstYear + i) ? 1 : 0);
    this.gapless = width > 0 && this.coveredBefore[width] === width;
  }

  /**
   * Whether `date` counts toward a time limit.
   * @example
   * cal.isWorkingDay('2026-02-16') // false (春节)
   * cal.isWorkingDay('2026-02-28') // true (调休上班)
   */
  isWorkingDay(date: string): boolean {
    const ord = toOrdinal(date);
    return this.cumulative(ord + 1) > this.cumulative(ord);
  }

  /**
   * Whether `date` is a working day, and why.
   * @example
   * cal.dayInfo('2026-02-14') // { date, working: true, kind: 'adjusted-workday', name: '春节调休', calendarMissing: false }
   */
  dayInfo(date: string): DayInfo {
    const ord = toOrdinal(date);
    const working = this.cumulative(ord + 1) > this.cumulative(ord);
    const calendarMissing = this.missing(ord, ord);
    const special = this.special.get(ord);
    if (special) return { date, working, kind: special.kind, name: special.name, calendarMissing };
    return { date, working, kind: working ? 'workday' : 'weekend', calendarMissing };
  }

  /**
   * The N-th working day after `from` (`from` itself not counted); `n = 0` gives `from` itself,
   * working day or not (an instant item is due the same day). A negative `n` counts back: the
   * |n|-th working day before `from`.
   *
   * `calendarMissing` is set when a day between `from` (exclusive) and the answer falls in a
   * year without a calendar file: those days were judged by weekends alone.
   *
   * @example
   * cal.addWorkingDays('2026-02-12', 5)  // { date: '2026-02-26', ... } 13th, 14th (调休), 24th, 25th, 26th
   * cal.addWorkingDays('2026-02-15', 0)  // { date: '2026-02-15', ... }
   * cal.addWorkingDays('2026-02-24', -1) // { date: '2026-02-14', ... }
   * @throws RangeError for a malformed date, a non-integer n, or an answer outside years 0001-9999
   */
  addWorkingDays(from: string, n: number): DateResult {
    const f = toOrdinal(from);
    if (!Number.isInteger(n) || Math.abs(n) > MAX_STEP) {
      throw new RangeError(`working days must be an integer of at most ${MAX_STEP}: ${n}`);
    }
    if (n === 0) return { date: from, calendarMissing: false };
    // The answer d is the working day with C(d + 1) = C(f + 1) + n (forward) or C(d) = C(f) + n
    // (backward); it is the first x with C(x) >= target, minus one.
    const target = n > 0 ? this.cumulative(f + 1) + n : this.cumulative(f) + n + 1;
    const d = this.firstReaching(target) - 1;
    const calendarMissing = n > 0 ? this.missing(f + 1, d) : this.missing(d, f - 1);
    return { date: fromOrdinal(d), calendarMissing };
  }

  /**
   * The working days after `from` up to and including `to`. When `to` is before `from` the
   * answer is negative: minus the working days after `to` up to and including `from`. So
   * `count(a, b) = -count(b, a)`, `count(a, b) + count(b, c) = count(a, c)`, and for n >= 1
   * `count(from, addWorkingDays(from, n).date) = n`.
   *
   * @example
   * cal.countWorkingDays('2026-02-12', '2026-02-26') // { days: 5, calendarMissing: false }
   * cal.countWorkingDays('2026-02-26', '2026-02-12') // { days: -5, calendarMissing: false }
   * cal.countWorkingDays('2026-02-13', '2026-02-13') // { days: 0, calendarMissing: false }
   */
  countWorkingDays(from: string, to: string): CountResult {
    const a = toOrdinal(from);
    const b = toOrdinal(to);
    const days = this.cumulative(b + 1) - this.cumulative(a + 1);
    const calendarMissing = a === b ? false : a < b ? this.missing(a + 1, b) : this.missing(b + 1, a);
    return { days, calendarMissing };
  }

  /**
   * The first working day after `date` (`date` itself not counted).
   * @example cal.nextWorkingDay('2026-02-13').date // '2026-02-14' (调休上班)
   */
  nextWorkingDay(date: string): DateResult {
    return this.addWorkingDays(date, 1);
  }

  /**
   * The last working day before `date`; e.g. the day a yellow light turns on for a deadline.
   * @example cal.previousWorkingDay('2026-02-24').date // '2026-02-14'
   */
  previousWorkingDay(date: string): DateResult {
    return this.addWorkingDays(date, -1);
  }

  /** Whether `year` has a calendar file. */
  hasYear(year: number): boolean {
    return (
      year >= this.firstYear &&
      year <= this.lastYear &&
      this.coveredBefore[year - this.firstYear + 1] > this.coveredBefore[year - this.firstYear]
    );
  }

  /** C(x): working days before ordinal x, counted from `start` (negative before it). */
  private cumulative(x: number): number {
    if (x <= this.start) return weekdaysBefore(x) - this.weekdaysBeforeStart;
    if (x >= this.end) return this.total + weekdaysBefore(x) - this.weekdaysBeforeEnd;
    return this.prefix[x - this.start];
  }

  /** The smallest x with C(x) >= target: one past the target-th working day. */
  private firstReaching(target: number): number {
    if (target <= 0) return firstWithWeekdaysBefore(target + this.weekdaysBeforeStart);
    if (target <= this.total) return this.works[target - 1] + 1;
    return firstWithWeekdaysBefore(target - this.total + this.weekdaysBeforeEnd);
  }

  /** Whether any day in [lo, hi] lies in a year without a calendar file. */
  private missing(lo: number, hi: number): boolean {
    if (lo > hi) return false;
    if (this.gapless && lo >= this.start && hi < this.end) return false;
    const yl = yearOf(lo);
    const yh = yearOf(hi);
    if (yl < this.firstYear || yh > this.lastYear) return true;
    return (
      this.coveredBefore[yh - this.firstYear + 1] - this.coveredBefore[yl - this.firstYear] !== yh - yl + 1
    );
  }
}

// Weekday arithmetic, relative to Monday 1970-01-05 (ordinal 4): a week has five working days.

/** The number of Mondays-Fridays before ordinal x, relative to the anchor (negative before it). */
function weekdaysBefore(x: number): number {
  const t = x - 4;
  const weeks = Math.floor(t / 7);
  return 5 * weeks + Math.min(t - 7 * weeks, 5);
}

/** The smallest x with weekdaysBefore(x) >= target. */
function firstWithWeekdaysBefore(target: number): number {
  const weeks = Math.floor(target / 5);
  const rest = target - 5 * weeks;
  // rest = 0: the target-th weekday is the Friday of the week before, so x is that Saturday.
  return 4 + (rest > 0 ? 7 * weeks + rest : 7 * weeks - 2);
}
