/**
 * Instants from what people type: an ISO instant, or a date meaning the start of that day in the
 * bureau's zone (assignments and absences are dates there).
 *
 * @example
 * startOfLocalDay('2026-03-02', 'Asia/Shanghai') // 2026-03-01T16:00:00.000Z
 * parseInstant('2026-03-02T09:15:00+08:00', 'Asia/Shanghai') // 2026-03-02T01:15:00.000Z
 */
import { localDate } from '../platform/time.ts';

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The first instant of a local date, or null when the date is not a real one. */
export function startOfLocalDay(date: string, timeZone: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(midnightUtc) || new Date(midnightUtc).toISOString().slice(0, 10) !== date) return null;
  // Two passes settle the offset even across a daylight-saving change.
  let guess = midnightUtc - offsetMs(midnightUtc, timeZone);
  guess = midnightUtc - offsetMs(guess, timeZone);
  // A zone that skips midnight on this day starts it later: step to the first instant of the date.
  while (localDate(new Date(guess), timeZone) < date) guess += 15 * 60_000;
  return new Date(guess);
}

/** An ISO instant (with zone) or a local date; null when neither. */
export function parseInstant(value: string, timeZone: string): Date | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return startOfLocalDay(value, timeZone);
  // A time without a zone would be read in the server's zone: refuse it rather than guess.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}
