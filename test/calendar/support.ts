/**
 * Test support for the calendar: a slow, obviously-correct reference that walks day by day with
 * `Date`, and throw-away calendar folders.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCalendarDir } from '../../src/calendar/policy.ts';
import { WorkingCalendar } from '../../src/calendar/working-days.ts';
import { policiesDir } from '../../src/paths.ts';

export const shipped = loadCalendarDir(join(policiesDir, 'calendar'));
export const calendar = new WorkingCalendar(shipped);

/** Adds calendar days with `Date` in UTC: the reference the integer arithmetic is checked against. */
export function plusDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = plusDays(d, 1)) out.push(d);
  return out;
}

/** Day by day: is `date` a working day by the given years' lists, else Monday-Friday. */
export function referenceWorking(years: typeof shipped, date: string): boolean {
  const y = years.find((c) => c.year === Number(date.slice(0, 4)));
  const inRanges = (rs: { from: string; to: string }[]) => rs.some((r) => r.from <= date && date <= r.to);
  if (y && inRanges(y.closures)) return false;
  if (y?.workdays.some((w) => w.date === date)) return true;
  if (y && inRanges(y.holidays)) return false;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** Day by day: the n-th working day after `from` (n >= 0). */
export function referenceAdd(years: typeof shipped, from: string, n: number): string {
  let d = from;
  for (let k = 0; k < n; ) {
    d = plusDays(d, 1);
    if (referenceWorking(years, d)) k++;
  }
  return d;
}

/** A fresh folder holding the given files (name -> YAML text). */
export function calendarFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'neikong-calendar-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
