/**
 * The periods of the four reports (四个一): a working day (每日一通报), an ISO week Monday to
 * Sunday (每周一报告), a calendar month (每月一分析) and a quarter (每季度一公布). A period has a
 * key (`2026-03-02`, `2026-W10`, `2026-03`, `2026-Q1`) and the local dates it covers.
 *
 * @example
 * parsePeriod('weekly', '2026-W10')            // { kind: 'weekly', key: '2026-W10', from: '2026-03-02', to: '2026-03-08' }
 * periodContaining('quarterly', '2026-05-20')  // { key: '2026-Q2', from: '2026-04-01', to: '2026-06-30', ... }
 * lastCompleted('daily', '2026-03-09', cal)    // the previous working day: 2026-03-06 (a Friday)
 */
import type { WorkingCalendar } from '../calendar/index.ts';
import { AppError } from '../platform/errors.ts';
import { addDays } from '../platform/time.ts';

export const REPORT_KINDS = ['daily', 'weekly', 'monthly', 'quarterly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface Period {
  kind: ReportKind;
  key: string;
  /** First and last local date covered (inclusive). */
  from: string;
  to: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Day of the week, 0 = Monday ... 6 = Sunday. */
function weekday(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function lastDayOfMonth(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** The Monday of ISO week `week` of ISO year `year`. */
function isoWeekMonday(year: number, week: number): string {
  // 4 January is always in week 1.
  const jan4 = `${year}-01-04`;
  return addDays(jan4, -weekday(jan4) + (week - 1) * 7);
}

/** ISO year and week of a date. */
function isoWeekOf(date: string): { year: number; week: number } {
  const thursday = addDays(date, 3 - weekday(date));
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((Date.parse(thursday) - Date.parse(isoWeekMonday(year, 1))) / (7 * 86_400_000)) + 1;
  return { year, week };
}

/**
 * The period of `kind` named `key`; a malformed key is a validation error naming `path`.
 * @example parsePeriod('monthly', '2026-02') // { from: '2026-02-01', to: '2026-02-28', ... }
 */
export function parsePeriod(kind: ReportKind, key: string, path = 'period'): Period {
  const bad = (expected: string) =>
    AppError.validation([{ path, message: `a ${kind} period is ${expected}, not ${JSON.stringify(key)}` }]);
  switch (kind) {
    case 'daily':
      if (!isDate(key)) throw bad('a date YYYY-MM-DD');
      return { kind, key, from: key, to: key };
    case 'weekly': {
      const m = /^(\d{4})-W(\d{2})$/.exec(key);
      if (!m) throw bad('an ISO week YYYY-Www');
      const year = Number(m[1]);
      const week = Number(m[2]);
      const monday = isoWeekMonday(year, week);
      if (week < 1 || isoWeekOf(monday).year !== year) throw bad('an ISO week YYYY-Www that exists');
      return { kind, key, from: monday, to: addDays(monday, 6) };
    }
    case 'monthly': {
      const m = /^(\d{4})-(\d{2})$/.exec(key);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw bad('a month YYYY-MM');
      return { kind, key, from: `${key}-01`, to: lastDayOfMonth(Number(m[1]), Number(m[2])) };
    }
    case 'quarterly': {
      const m = /^(\d{4})-Q([1-4])$/.exec(key);
      if (!m) throw bad('a quarter YYYY-Qn');
      const year = Number(m[1]);
      const q = Number(m[2]);
      return {
        kind,
        key,
        from: `${year}-${pad(q * 3 - 2)}-01`,
        to: lastDayOfMonth(year, q * 3),
      };
    }
  }
}

/** The period of `kind` that contains `date`. */
export function periodContaining(kind: ReportKind, date: string): Period {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  switch (kind) {
    case 'daily':
      return parsePeriod(kind, date);
    case 'weekly': {
      const w = isoWeekOf(date);
      return parsePeriod(kind, `${w.year}-W${pad(w.week)}`);
    }
    case 'monthly':
      return parsePeriod(kind, date.slice(0, 7));
    case 'quarterly':
      return parsePeriod(kind, `${year}-Q${Math.ceil(month / 3)}`);
  }
}

/**
 * The period before `p`; for a daily bulletin, the previous working day.
 * @example previousPeriod(parsePeriod('monthly', '2026-01'), cal).key // '2025-12'
 */
export function previousPeriod(p: Period, calendar: WorkingCalendar): Period {
  if (p.kind === 'daily') return parsePeriod('daily', calendar.previousWorkingDay(p.from).date);
  return periodContaining(p.kind, addDays(p.from, -1));
}

/**
 * The latest period of `kind` that is over on `today`: the previous working day for the daily
 * bulletin (a Monday's is Friday's, a day after a holiday the last day worked), last week, last
 * month, last quarter.
 */
export function lastCompleted(kind: ReportKind, today: string, calendar: WorkingCalendar): Period {
  if (kind === 'daily') return parsePeriod('daily', calendar.previousWorkingDay(today).date);
  return previousPeriod(periodContaining(kind, today), calendar);
}

/** The `n` months ending with the month of `p` (oldest first), as YYYY-MM keys. */
export function monthsEnding(monthKey: string, n: number): string[] {
  const [y, m] = monthKey.split('-').map(Number);
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const total = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(total / 12)}-${pad((total % 12) + 1)}`);
  }
  return out;
}

/** Whether the period is over on `today` (only such periods are generated). */
export function isOver(p: Period, today: string): boolean {
  return p.to < today;
}
