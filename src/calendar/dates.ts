/**
 * Day arithmetic on `YYYY-MM-DD` strings through day ordinals (days since 1970-01-01), using
 * integer formulas only: no `Date` objects, so no time zone can shift a day, and the working-day
 * calendar can convert millions of dates a second.
 *
 * @example
 * toOrdinal('1970-01-02') // 1
 * fromOrdinal(20_500)     // '2026-02-13'
 * weekday(toOrdinal('2026-02-14')) // 6 (Saturday)
 */

/** Years a date string may have: four digits, as the format allows. */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

const DIGIT_0 = 48;

function digits(s: string, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Days in `month` (1-12) of `year`, proleptic Gregorian. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The ordinal of a `YYYY-MM-DD` date, or `null` when it is not a real date (`2026-02-30`, `2026-2-3`). */
export function parseOrdinal(date: string): number | null {
  if (typeof date !== 'string' || date.length !== 10 || date[4] !== '-' || date[7] !== '-') return null;
  const y = digits(date, 0, 4);
  const m = digits(date, 5, 7);
  const d = digits(date, 8, 10);
  if (y < MIN_YEAR || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return daysFromCivil(y, m, d);
}

/** True for a real calendar date written `YYYY-MM-DD` (so `2026-02-30` is false). */
export const isDateString = (date: string): boolean => parseOrdinal(date) !== null;

/**
 * The ordinal of a `YYYY-MM-DD` date.
 * @throws RangeError when `date` is not a real date in that form
 */
export function toOrdinal(date: string): number {
  const ord = parseOrdinal(date);
  if (ord === null) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return ord;
}

/**
 * The `YYYY-MM-DD` date of an ordinal.
 * @throws RangeError when the date falls outside years 0001-9999
 */
export function fromOrdinal(ord: number): string {
  const { y, m, d } = civilFromDays(ord);
  if (y < MIN_YEAR || y > MAX_YEAR)
    throw new RangeError(`date out of range (years ${MIN_YEAR}-${MAX_YEAR}): day ${ord}`);
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** The year an ordinal falls in. */
export const yearOf = (ord: number): number => civilFromDays(ord).y;

/** The ordinal of 1 January of `year`. */
export const yearStart = (year: number): number => daysFromCivil(year, 1, 1);

/** Day of the week, ISO numbering: 1 Monday ... 6 Saturday, 7 Sunday (1970-01-01 was a Thursday). */
export const weekday = (ord: number): number => ((((ord + 3) % 7) + 7) % 7) + 1;

export const isWeekend = (ord: number): boolean => weekday(ord) >= 6;

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const weekdayName = (ord: number): string => WEEKDAY_NAMES[weekday(ord)];

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
function daysFromCivil(year: number, m: number, d: number): number {
  const y = m <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(ord: number): { y: number; m: number; d: number } {
  const z = ord + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}
