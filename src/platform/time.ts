/**
 * Local dates of instants, fast: ingestion asks for a million of them, and `Intl` costs
 * microseconds a call. The zone's offset is looked up once per quarter hour of UTC time (every
 * zone's offset changes only on quarter-hour boundaries) and cached.
 *
 * @example
 * const dateOf = localDater('Asia/Shanghai');
 * dateOf(Date.parse('2026-03-01T17:00:00Z')) // '2026-03-02'
 */
const QUARTER_HOUR = 15 * 60 * 1000;
const DAY = 86_400_000;

const offsetFns = new Map<string, (ms: number) => number>();

/** The zone's offset from UTC (ms) at an instant, looked up once per quarter hour and cached. */
function zoneOffset(timeZone: string): (ms: number) => number {
  const known = offsetFns.get(timeZone);
  if (known) return known;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const bucket = Math.floor(ms / QUARTER_HOUR);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      const start = bucket * QUARTER_HOUR;
      const parts: Record<string, number> = {};
      for (const p of format.formatToParts(start)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
      offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - start;
      if (offsets.size > 200_000) offsets.clear();
      offsets.set(bucket, offset);
    }
    return offset;
  };
  offsetFns.set(timeZone, offsetAt);
  return offsetAt;
}

const daters = new Map<string, (ms: number) => string>();

/** A function from epoch milliseconds to the `YYYY-MM-DD` date in `timeZone`. */
export function localDater(timeZone: string): (ms: number) => string {
  const known = daters.get(timeZone);
  if (known) return known;
  const offsetAt = zoneOffset(timeZone);
  // A million instants fall on a few hundred days: each day's text is made once.
  const days = new Map<number, string>();
  const dater = (ms: number) => {
    const day = Math.floor((ms + offsetAt(ms)) / DAY);
    let text = days.get(day);
    if (text === undefined) {
      text = new Date(day * DAY).toISOString().slice(0, 10);
      if (days.size > 100_000) days.clear();
      days.set(day, text);
    }
    return text;
  };
  daters.set(timeZone, dater);
  return dater;
}

/**
 * The local date of an instant in the bureau's time zone. Dates are `YYYY-MM-DD` strings
 * throughout neikong: they compare correctly as strings and never shift with the server's zone.
 *
 * @example
 * localDate(new Date('2026-03-01T17:00:00Z'), 'Asia/Shanghai') // '2026-03-02'
 */
export function localDate(at: Date, timeZone: string): string {
  return localDater(timeZone)(at.getTime());
}

/**
 * The instant a local date begins in `timeZone` (its first minute, also on a day whose midnight
 * a daylight-saving change skips).
 *
 * @example
 * startOfLocalDay('2026-03-02', 'Asia/Shanghai') // 2026-03-01T16:00:00.000Z
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const offsetAt = zoneOffset(timeZone);
  const midnight = Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
  );
  // The offset at the guess can differ from the offset at the answer across a change: settle it.
  let at = midnight - offsetAt(midnight);
  at = midnight - offsetAt(at);
  const dateOf = localDater(timeZone);
  while (dateOf(at) < date) at += QUARTER_HOUR; // midnight skipped: the day begins later
  while (dateOf(at - QUARTER_HOUR) === date) at -= QUARTER_HOUR;
  return new Date(at);
}

/** Adds calendar days to a date string. */
export function addDays(date: string, n: number): string {
  // By numbers, not by parsing the text as a Date (the clocks call this a million times).
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + n);
  if (date.length !== 10) throw new RangeError(`Invalid date: ${date}`);
  return new Date(ms).toISOString().slice(0, 10);
}
