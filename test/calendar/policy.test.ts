/** The calendar files: what a bureau may write, and the file:line messages when it gets one wrong. */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCalendarDir, parseCalendarYear } from '../../src/calendar/policy.ts';
import { PolicyError } from '../../src/platform/policy-file.ts';
import { calendarFolder } from './support.ts';

const good = `year: 2027
source: 国务院办公厅关于2027年部分节假日安排的通知
holidays:
  - { from: 2027-01-01, to: 2027-01-03, name: 元旦 }
  - { from: 2027-02-06, to: 2027-02-12, name: 春节 }
workdays:
  - { date: 2027-02-20, name: 春节调休 }
closures:
  - { from: 2027-07-15, name: 台风停止办公 }
`;

/** The PolicyError message of parsing `text` as `file`. */
function problems(text: string, file = 'policies/calendar/2027.yaml'): string {
  try {
    parseCalendarYear(file, text);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as PolicyError).message;
  }
  throw new Error('expected a PolicyError');
}

/** `good` with one line replaced. */
const edit = (from: string, to: string) => {
  expect(good).toContain(from);
  return good.replace(from, to);
};

describe('a good file', () => {
  test('parses, with `to` defaulting to `from`', () => {
    expect(parseCalendarYear('policies/calendar/2027.yaml', good)).toEqual({
      year: 2027,
      source: '国务院办公厅关于2027年部分节假日安排的通知',
      holidays: [
        { from: '2027-01-01', to: '2027-01-03', name: '元旦' },
        { from: '2027-02-06', to: '2027-02-12', name: '春节' },
      ],
      workdays: [{ date: '2027-02-20', name: '春节调休' }],
      closures: [{ from: '2027-07-15', to: '2027-07-15', name: '台风停止办公' }],
    });
  });

  test('closures may be left out', () => {
    const text = good.slice(0, good.indexOf('closures:'));
    expect(parseCalendarYear('x/2027.yml', text).closures).toEqual([]);
  });
});

describe('problems name the file, the line and the field', () => {
  test('a year that does not match the file name', () => {
    expect(problems(good, 'policies/calendar/2028.yaml')).toBe(
      'policies/calendar/2028.yaml:1 year: year 2027 does not match the file name 2028.yaml\n' +
        // and every date is then outside the file's year
        'policies/calendar/2028.yaml:4 holidays[0].from: 2027-01-01 is not in 2028; a day belongs in the file of its own year\n' +
        'policies/calendar/2028.yaml:5 holidays[1].from: 2027-02-06 is not in 2028; a day belongs in the file of its own year\n' +
        'policies/calendar/2028.yaml:9 closures[0].from: 2027-07-15 is not in 2028; a day belongs in the file of its own year\n' +
        'policies/calendar/2028.yaml:7 workdays[0].date: 2027-02-20 is not in 2028; a day belongs in the file of its own year',
    );
  });

  test('a date in another year', () => {
    const text = edit('{ from: 2027-01-01, to: 2027-01-03', '{ from: 2026-12-31, to: 2027-01-03');
    expect(problems(text)).toBe(
      'policies/calendar/2027.yaml:4 holidays[0].from: 2026-12-31 is not in 2027; a day belongs in the file of its own year',
    );
  });

  test('a range that runs backwards', () => {
    const text = edit('to: 2027-02-12', 'to: 2027-02-01');
    expect(problems(text)).toBe(
      'policies/calendar/2027.yaml:5 holidays[1].to: ends (2027-02-01) before it starts (2027-02-06)',
    );
  });

  test('a date that does not exist, and one in the wrong form', () => {
    expect(problems(edit('2027-02-20', '2027-02-30'))).toBe(
      'policies/calendar/2027.yaml:7 workdays[0].date: not a calendar date',
    );
    expect(problems(edit('2027-02-20', '2027-2-20'))).toBe(
      'policies/calendar/2027.yaml:7 workdays[0].date: must be a date YYYY-MM-DD',
    );
  });

  test('an adjusted working day that is not a weekend day', () => {
    expect(problems(edit('2027-02-20', '2027-02-22'))).toBe(
      'policies/calendar/2027.yaml:7 workdays[0].date: 2027-02-22 is a Monday, already a working day; list only weekend days that become working days',
    );
  });

  test('an adjusted working day inside a holiday, and one listed twice', () => {
    const inside = edit('{ date: 2027-02-20', '{ date: 2027-02-06');
    expect(problems(inside)).toBe(
      'policies/calendar/2027.yaml:7 workdays[0].date: 2027-02-06 is inside holidays[1] (2027-02-06 to 2027-02-12); a day cannot be both',
    );
    const twice = edit(
      '  - { date: 2027-02-20, name: 春节调休 }\n',
      '  - { date: 2027-02-20, name: 春节调休 }\n  - { date: 2027-02-20, name: 春节调休 }\n',
    );
    expect(problems(twice)).toBe(
      'policies/calendar/2027.yaml:8 workdays[1].date: 2027-02-20 is listed twice (also workdays[0])',
    );
  });

  test('overlapping holidays', () => {
    const text = edit('{ from: 2027-02-06,', '{ from: 2027-01-03,');
    expect(problems(text)).toBe(
      'policies/calendar/2027.yaml:5 holidays[1].from: overlaps holidays[0] (2027-01-01 to 2027-01-03)',
    );
  });

  test('a misspelt key, a missing section, a wrong type', () => {
    expect(problems(edit('name: 元旦', 'nmae: 元旦'))).toMatch(
      /^policies\/calendar\/2027\.yaml:4 holidays\[0\]: .*nmae/m,
    );
    expect(problems(good.replace(/workdays:\n.*\n/, ''))).toBe(
      'policies/calendar/2027.yaml:1 workdays: must be a list (write [] for none)',
    );
    expect(problems(edit('year: 2027', 'year: "2027"'))).toBe(
      'policies/calendar/2027.yaml:1 year: must be a year, e.g. 2026',
    );
    expect(problems(edit('name: 春节 }', 'name: "" }'))).toBe(
      'policies/calendar/2027.yaml:5 holidays[1].name: must not be empty',
    );
  });

  test('broken YAML', () => {
    expect(
      problems(
        edit(
          '  - { from: 2027-01-01, to: 2027-01-03, name: 元旦 }',
          '  - { from: 2027-01-01, to: 2027-01-03, name: 元旦',
        ),
      ),
    ).toMatch(/^policies\/calendar\/2027\.yaml:\d+ \(yaml\): /);
  });

  test('a file not named after its year', () => {
    expect(problems(good, 'policies/calendar/2027-draft.yaml')).toBe(
      'policies/calendar/2027-draft.yaml (file name): a calendar file is named after its year: YYYY.yaml',
    );
  });
});

describe('a folder of years', () => {
  test('loads every YYYY.yaml, sorted, ignoring other files', () => {
    const dir = calendarFolder({
      '2027.yaml': good,
      '2026.yml': 'year: 2026\nsource: test\nholidays: []\nworkdays: []\n',
      'README.md': '# calendars',
    });
    expect(loadCalendarDir(dir).map((y) => y.year)).toEqual([2026, 2027]);
  });

  test('refuses a misnamed YAML file rather than skipping its year', () => {
    const dir = calendarFolder({ '2027.yaml': good, 'calendar-2028.yaml': good });
    expect(() => loadCalendarDir(dir)).toThrow(
      `${join(dir, 'calendar-2028.yaml')} (file name): a calendar file is named after its year`,
    );
  });

  test('refuses a year given twice', () => {
    const dir = calendarFolder({ '2027.yaml': good, '2027.yml': good });
    expect(() => loadCalendarDir(dir)).toThrow(
      `${join(dir, '2027.yml')} (file name): 2027 is already given by 2027.yaml`,
    );
  });

  test('names the file and line of a problem', () => {
    const dir = calendarFolder({ '2027.yaml': edit('to: 2027-02-12', 'to: 2027-02-01') });
    expect(() => loadCalendarDir(dir)).toThrow(
      `${join(dir, '2027.yaml')}:5 holidays[1].to: ends (2027-02-01) before it starts (2027-02-06)`,
    );
  });

  test('a missing folder is an error, not an empty calendar', () => {
    expect(() => loadCalendarDir('/nonexistent/calendar')).toThrow(
      /^\/nonexistent\/calendar \(folder\): cannot read the calendar folder/,
    );
  });
});
