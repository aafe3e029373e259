/**
 * The calendar module: working days from `policies/calendar/YYYY.yaml` and deadline arithmetic
 * on them. Other modules use `getCalendar()`; the routes and CLI live in `routes.ts` and `cli.ts`.
 *
 * @example
 * import { getCalendar } from '../calendar/index.ts';
 * const due = getCalendar().addWorkingDays(acceptedOn, 20); // { date, calendarMissing }
 */
import { join } from 'node:path';
import { policiesDir } from '../paths.ts';
import { loadCalendarDir } from './policy.ts';
import { WorkingCalendar } from './working-days.ts';

export { isDateString } from './dates.ts';
export {
  type AdjustedWorkday,
  type CalendarYear,
  calendarVersion,
  type DayRange,
  loadCalendarDir,
  parseCalendarYear,
} from './policy.ts';
export {
  type CountResult,
  type DateResult,
  type DayInfo,
  type DayKind,
  WorkingCalendar,
} from './working-days.ts';

/** Where the shipped calendar files are. */
export const calendarDir = join(policiesDir, 'calendar');

let cached: WorkingCalendar | undefined;

/**
 * The calendar of `policies/calendar`, loaded on first use and kept: the files change only with
 * a deployment (or `reloadCalendar`), and building it once is what makes every question O(1).
 *
 * @example
 * getCalendar().isWorkingDay('2026-10-08') // false (国庆节)
 * @throws PolicyError naming the file and line when a calendar file is wrong
 */
export function getCalendar(): WorkingCalendar {
  cached ??= loadCalendar(calendarDir);
  return cached;
}

/**
 * Reloads the calendar (after a bureau adds a year), from `dir` when given (tests use a folder
 * of their own). The old calendar stays in use if the new files do not load.
 *
 * @example
 * reloadCalendar().years // [2025, 2026, 2027]
 */
export function reloadCalendar(dir = calendarDir): WorkingCalendar {
  cached = loadCalendar(dir);
  return cached;
}

/** Builds a calendar from a folder of `YYYY.yaml` files. */
export function loadCalendar(dir: string): WorkingCalendar {
  return new WorkingCalendar(loadCalendarDir(dir));
}
