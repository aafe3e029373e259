/** `neikong calendar …` through its handler, with stdout and stderr captured. */
import { describe, expect, test } from 'vitest';
import { calendarCommand } from '../../src/calendar/cli.ts';
import { getCalendar } from '../../src/calendar/index.ts';
import { calendarFolder } from './support.ts';

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await calendarCommand(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('neikong calendar', () => {
  test('add DATE N', async () => {
    const r = await run('add', '2026-02-12', '5');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out)).toEqual({
      date: '2026-02-26',
      calendarMissing: false,
      calendarVersion: getCalendar().version,
    });
    expect(JSON.parse((await run('add', '2026-02-17', '0')).out).date).toBe('2026-02-17');
    expect(JSON.parse((await run('add', '2026-12-30', '2')).out)).toMatchObject({
      date: '2027-01-01',
      calendarMissing: true,
    });
  });

  test('count FROM TO', async () => {
    const r = await run('count', '2026-02-26', '2026-02-12');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ days: -5, calendarMissing: false });
  });

  test.each([
    [['add', '2026-02-30', '5'], /DATE must be a date YYYY-MM-DD between 1900 and 2999: 2026-02-30/],
    [['add', '2026-02-12', '-1'], /N must be a whole number of working days, 0 to 3650: -1/],
    [['add', '2026-02-12', '3651'], /N must be a whole number/],
    [['add', '2026-02-12'], /missing N/],
    [['add', '2026-02-12', '5', 'extra'], /unexpected argument: extra/],
    [['count', '2026-02-12'], /missing TO/],
    [['count', 'today', '2026-02-12'], /FROM must be a date/],
    [['frobnicate'], /unknown calendar command: frobnicate/],
    [[], /usage:/],
  ])('%j is a usage error (exit 2) on stderr', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).toContain('neikong calendar add DATE N');
  });

  test('help goes to stdout', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, err: '', out: expect.stringContaining('usage:') });
  });

  test('check loads the files and prints the years and version', async () => {
    const r = await run('check');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ years: [2025, 2026], version: getCalendar().version });
  });

  test('check names the file and line of a problem (exit 1)', async () => {
    const dir = calendarFolder({
      '2027.yaml':
        'year: 2027\nsource: s\nholidays:\n  - { from: 2027-01-03, to: 2027-01-01, name: 元旦 }\nworkdays: []\n',
    });
    const r = await run('check', dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('2027.yaml:4 holidays[0].to: ends (2027-01-01) before it starts (2027-01-03)');
  });
});
