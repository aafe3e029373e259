/**
 * Office hours for the demo cases: a working day is 08:30-12:00 and 14:30-17:30 local time, and
 * a time within it is a second of "office time" (0 .. OFFICE_SECONDS - 1), so that picking times
 * in order never lands in the lunch break or after hours.
 *
 * @example
 * stamp('2026-03-02', 2700, '+08:00') // '2026-03-02T09:15:00+08:00'
 * stamp('2026-03-02', 12600, '+08:00') // '2026-03-02T14:30:00+08:00'
 */
import type { Random } from './random.ts';

const MORNING_START = 8 * 3600 + 30 * 60;
const MORNING_SECONDS = 3.5 * 3600;
const AFTERNOON_START = 14 * 3600 + 30 * 60;
/** 3.5 hours in the morning and 3 in the afternoon. */
export const OFFICE_SECONDS = MORNING_SECONDS + 3 * 3600;

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The ISO time of office second `sec` on `date`, with the bureau's fixed UTC offset. */
export function stamp(date: string, sec: number, offset: string): string {
  const clock = sec < MORNING_SECONDS ? MORNING_START + sec : AFTERNOON_START + (sec - MORNING_SECONDS);
  const h = Math.floor(clock / 3600);
  const m = Math.floor((clock % 3600) / 60);
  return `${date}T${two(h)}:${two(m)}:${two(clock % 60)}${offset}`;
}

/**
 * `count` office seconds after `after`, in increasing order, usually a minute to an hour apart;
 * each takes at most its share of what is left of the day, so none runs past closing time (they
 * only bunch up, down to the same second, when little of the day is left).
 */
export function laterTimes(rnd: Random, after: number, count: number): number[] {
  const out: number[] = [];
  let t = after;
  for (let k = 0; k < count; k++) {
    const share = Math.floor((OFFICE_SECONDS - 1 - t) / (count - k + 1));
    t += share >= 60 ? rnd.int(60, Math.min(share, 3600)) : share;
    out.push(t);
  }
  return out;
}

/**
 * The UTC offset (`+08:00`) of a time zone at a date. Asia/Shanghai has had no daylight saving
 * since 1991, so the generator asks once and uses it for the whole range.
 */
export function utcOffset(timeZone: string, date: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(
    new Date(`${date}T04:00:00Z`),
  );
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+08:00';
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return m ? `${m[1]}:${m[2] ?? '00'}` : '+00:00';
}
