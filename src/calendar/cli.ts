/**
 * `neikong calendar …`: deadline arithmetic from the shell, and a check a bureau runs after
 * adding a year's file. Answers are JSON on stdout; problems go to stderr.
 *
 * @example
 * neikong calendar add 2026-02-12 5        # {"date":"2026-02-26","calendarMissing":false,"calendarVersion":"…"}
 * neikong calendar count 2026-02-12 2026-02-26   # {"days":5,…}
 * neikong calendar check                   # {"years":[2025,2026],"version":"…"} or file:line problems
 */
import { PolicyError } from '../platform/policy-file.ts';
import { isDateString } from './dates.ts';
import { calendarDir, getCalendar, loadCalendar } from './index.ts';
import { MAX_DAYS } from './routes.ts';

/** Where the command writes; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export const calendarUsage = `usage:
  neikong calendar add DATE N        the N-th working day after DATE (DATE not counted; N = 0 gives DATE)
  neikong calendar count FROM TO     working days after FROM up to and including TO (negative if TO < FROM)
  neikong calendar check [DIR]       load and check the calendar files (default policies/calendar)
dates are YYYY-MM-DD; N is 0 to ${MAX_DAYS}
`;

class UsageError extends Error {}

function dateArg(value: string | undefined, what: string): string {
  if (value === undefined) throw new UsageError(`missing ${what}`);
  if (!/^(19|2\d)\d{2}-\d{2}-\d{2}$/.test(value) || !isDateString(value)) {
    throw new UsageError(`${what} must be a date YYYY-MM-DD between 1900 and 2999: ${value}`);
  }
  return value;
}

function daysArg(value: string | undefined): number {
  if (value === undefined) throw new UsageError('missing N (working days)');
  if (!/^\d+$/.test(value) || Number(value) > MAX_DAYS) {
    throw new UsageError(`N must be a whole number of working days, 0 to ${MAX_DAYS}: ${value}`);
  }
  return Number(value);
}

/**
 * Runs `neikong calendar ARGS…`; returns the exit code: 0 done, 1 the calendar files are wrong,
 * 2 the command line is wrong.
 *
 * @example
 * await calendarCommand(['add', '2026-02-12', '5']) // prints {"date":"2026-02-26",…}, returns 0
 * await calendarCommand(['add', '2026-02-30', '5']) // prints the problem and usage to stderr, returns 2
 */
export async function calendarCommand(args: string[], io: CliIo = processIo): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
      (sub === undefined ? io.err : io.out)(calendarUsage);
      return sub === undefined ? 2 : 0;
    }
    const extra = (max: number) => {
      if (rest.length > max) throw new UsageError(`unexpected argument: ${rest[max]}`);
    };
    if (sub === 'add') {
      extra(2);
      const from = dateArg(rest[0], 'DATE');
      const n = daysArg(rest[1]);
      const calendar = getCalendar();
      io.out(
        `${JSON.stringify({ ...calendar.addWorkingDays(from, n), calendarVersion: calendar.version })}\n`,
      );
      return 0;
    }
    if (sub === 'count') {
      extra(2);
      const from = dateArg(rest[0], 'FROM');
      const to = dateArg(rest[1], 'TO');
      const calendar = getCalendar();
      io.out(
        `${JSON.stringify({ ...calendar.countWorkingDays(from, to), calendarVersion: calendar.version })}\n`,
      );
      return 0;
    }
    if (sub === 'check') {
      extra(1);
      // A fresh load, not the cached calendar: the point is to check the files as they are now.
      const calendar = loadCalendar(rest[0] ?? calendarDir);
      io.out(`${JSON.stringify({ years: calendar.years, version: calendar.version })}\n`);
      return 0;
    }
    throw new UsageError(`unknown calendar command: ${sub}`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`neikong calendar: ${err.message}\n${calendarUsage}`);
      return 2;
    }
    if (err instanceof PolicyError) {
      io.err(`neikong calendar: the calendar files have problems:\n${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
