/**
 * The calendar policy: one YAML file a year in `policies/calendar/` (`2026.yaml`), holding the
 * State Council's holidays, the weekend days that become working days (调休上班) and any local
 * closures. A bureau adds a year by adding a file; a mistake stops loading with the file and line.
 *
 * @example
 * const years = loadCalendarDir('policies/calendar');
 * // PolicyError: policies/calendar/2026.yaml:14 holidays[2].to: ends (2026-04-03) before it starts (2026-04-04)
 * calendarVersion(years) // '5f1c…' (sha256; changes whenever a day changes)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { contentHash } from '../platform/hash.ts';
import { loadYamlFile, PolicyError } from '../platform/policy-file.ts';
import { isDateString, isWeekend, toOrdinal, weekdayName } from './dates.ts';

/** A run of days off: an official holiday or a local closure. */
export interface DayRange {
  from: string;
  /** Last day, inclusive; equal to `from` for a single day. */
  to: string;
  name: string;
}

/** A weekend day that becomes a working day (调休上班). */
export interface AdjustedWorkday {
  date: string;
  name: string;
}

/** One year's calendar file, validated. */
export interface CalendarYear {
  year: number;
  /** The notice the days come from. */
  source: string;
  holidays: DayRange[];
  workdays: AdjustedWorkday[];
  closures: DayRange[];
}

// `abort`: one message for a bad date, not "wrong form" and "not a calendar date" both.
const isoDate = z
  .string({ error: 'must be a date YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true })
  .refine(isDateString, { message: 'not a calendar date', abort: true });
const name = z.string({ error: 'must be text' }).trim().min(1, 'must not be empty');
const range = z.strictObject({ from: isoDate, to: isoDate.optional(), name });

const fileSchema = z.strictObject({
  year: z.number({ error: 'must be a year, e.g. 2026' }).int().min(1000).max(9999),
  source: name,
  // Required even when empty, so a file cannot silently forget a section.
  holidays: z.array(range, { error: 'must be a list (write [] for none)' }),
  workdays: z.array(z.strictObject({ date: isoDate, name }), { error: 'must be a list (write [] for none)' }),
  closures: z.array(range, { error: 'must be a list (write [] for none)' }).default([]),
});

/** What a file name must look like; its digits are the year the file is for. */
const FILE_NAME = /^(\d{4})\.ya?ml$/;

/**
 * Parses and checks one year's file. `file` is used in messages and must be named `YYYY.yaml`:
 * the year in the file must match its name, every date must lie in that year, ranges must not
 * run backwards, holidays must not overlap, and an adjusted working day must be a weekend day
 * outside every holiday.
 *
 * @example
 * parseCalendarYear('policies/calendar/2026.yaml', readFileSync(file, 'utf8')).holidays[1]
 * // { from: '2026-02-15', to: '2026-02-23', name: '春节' }
 * @throws PolicyError naming the file, line and field of every problem
 */
export function parseCalendarYear(file: string, text: string): CalendarYear {
  const base = file.split(/[\\/]/).pop() ?? file;
  const match = FILE_NAME.exec(base);
  if (!match) {
    throw new PolicyError(file, [
      { path: '(file name)', message: 'a calendar file is named after its year: YYYY.yaml' },
    ]);
  }
  const expected = Number(match[1]);
  const parsed = loadYamlFile(
    file,
    text,
    fileSchema.superRefine((y, ctx) => checkYear(y, expected, base, ctx)),
  );
  const fill = (r: { from: string; to?: string; name: string }): DayRange => ({
    from: r.from,
    to: r.to ?? r.from,
    name: r.name,
  });
  return {
    year: parsed.year,
    source: parsed.source,
    holidays: parsed.holidays.map(fill),
    workdays: parsed.workdays.map((w) => ({ date: w.date, name: w.name })),
    closures: parsed.closures.map(fill),
  };
}

type RawYear = z.output<typeof fileSchema>;

// zod 4 runs this even when a field above failed a non-fatal check, so every value is checked
// for shape before it is used: a malformed date has its own message already.
function checkYear(y: RawYear, expected: number, base: string, ctx: z.RefinementCtx) {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  if (typeof y.year === 'number' && y.year !== expected) {
    issue(['year'], `year ${y.year} does not match the file name ${base}`);
  }
  const prefix = `${expected}-`;
  const inYear = (path: (string | number)[], date: string) => {
    if (!isDateString(date)) return false;
    if (date.startsWith(prefix)) return true;
    issue(path, `${date} is not in ${expected}; a day belongs in the file of its own year`);
    return false;
  };

  const checkRanges = (list: 'holidays' | 'closures') => {
    const spans: { from: string; to: string; at: number }[] = [];
    y[list].forEach((r, i) => {
      const to = r.to ?? r.from;
      const ok = inYear([list, i, 'from'], r.from) && (r.to === undefined || inYear([list, i, 'to'], r.to));
      if (!ok) return;
      if (to < r.from) issue([list, i, 'to'], `ends (${to}) before it starts (${r.from})`);
      else spans.push({ from: r.from, to, at: i });
    });
    // A holiday listed twice or overlapping another is almost always a typo in one of the dates.
    if (list === 'holidays') {
      const sorted = [...spans].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.at - b.at));
      let reach: (typeof spans)[number] | undefined; // the range seen so far that ends last
      for (const cur of sorted) {
        if (reach && cur.from <= reach.to) {
          issue([list, cur.at, 'from'], `overlaps holidays[${reach.at}] (${reach.from} to ${reach.to})`);
        }
        if (!reach || cur.to > reach.to) reach = cur;
      }
    }
    return spans;
  };
  const holidays = checkRanges('holidays');
  checkRanges('closures');

  const seen = new Map<string, number>();
  y.workdays.forEach((w, i) => {
    const path = ['workdays', i, 'date'];
    if (!inYear(path, w.date)) return;
    const ord = toOrdinal(w.date);
    if (!isWeekend(ord)) {
      issue(
        path,
        `${w.date} is a ${weekdayName(ord)}, already a working day; list only weekend days that become working days`,
      );
    }
    const dup = seen.get(w.date);
    if (dup !== undefined) issue(path, `${w.date} is listed twice (also workdays[${dup}])`);
    seen.set(w.date, i);
    const h = holidays.find((r) => r.from <= w.date && w.date <= r.to);
    if (h) issue(path, `${w.date} is inside holidays[${h.at}] (${h.from} to ${h.to}); a day cannot be both`);
  });
}

/**
 * Loads every `YYYY.yaml` (or `.yml`) file of a folder, sorted by year. Files that are not YAML
 * (a README) are ignored; a YAML file with another name is refused rather than skipped, so a
 * misnamed year cannot silently turn into "weekends only".
 *
 * @example
 * loadCalendarDir(join(policiesDir, 'calendar')).map((y) => y.year) // [2025, 2026]
 * @throws PolicyError for the first file with problems
 */
export function loadCalendarDir(dir: string): CalendarYear[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new PolicyError(dir, [
      { path: '(folder)', message: `cannot read the calendar folder: ${(err as Error).message}` },
    ]);
  }
  const years = new Map<number, string>();
  const out: CalendarYear[] = [];
  for (const base of names.filter((n) => /\.ya?ml$/i.test(n)).sort()) {
    const file = join(dir, base);
    const year = parseCalendarYear(file, readFileSync(file, 'utf8'));
    const other = years.get(year.year);
    if (other)
      throw new PolicyError(file, [
        { path: '(file name)', message: `${year.year} is already given by ${other}` },
      ]);
    years.set(year.year, base);
    out.push(year);
  }
  return out.sort((a, b) => a.year - b.year);
}

/**
 * The version of a set of calendar years: the SHA-256 of their canonical content (key order,
 * comments and layout do not count; any changed day, name or source does). Stored with every
 * deadline, it tells which calendar computed it.
 *
 * @example
 * calendarVersion(loadCalendarDir(dir)) // 64 hex digits
 */
export function calendarVersion(years: readonly CalendarYear[]): string {
  const canonical = [...years]
    .sort((a, b) => a.year - b.year)
    .map((y) => ({
      year: y.year,
      source: y.source,
      holidays: y.holidays,
      workdays: y.workdays,
      closures: y.closures,
    }));
  return contentHash(canonical);
}
