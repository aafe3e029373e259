/** The module's loader: the shipped files, loaded once, reloadable. */
import { afterAll, expect, test } from 'vitest';
import { calendarDir, getCalendar, reloadCalendar } from '../../src/calendar/index.ts';
import { calendarFolder } from './support.ts';

afterAll(() => reloadCalendar());

test('getCalendar loads policies/calendar once', () => {
  const cal = getCalendar();
  expect(cal.years).toEqual([2025, 2026]);
  expect(getCalendar()).toBe(cal);
  expect(calendarDir).toMatch(/policies[\\/]calendar$/);
});

test('reloadCalendar picks up a new year, and keeps the old calendar when the files are wrong', () => {
  const dir = calendarFolder({ '2030.yaml': 'year: 2030\nsource: s\nholidays: []\nworkdays: []\n' });
  expect(reloadCalendar(dir).years).toEqual([2030]);
  expect(getCalendar().years).toEqual([2030]);
  const bad = calendarFolder({ '2031.yaml': 'year: 2030\nsource: s\nholidays: []\nworkdays: []\n' });
  expect(() => reloadCalendar(bad)).toThrow(
    /2031\.yaml:1 year: year 2030 does not match the file name 2031\.yaml/,
  );
  expect(getCalendar().years).toEqual([2030]);
});
