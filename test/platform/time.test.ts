/**
 * Local dates come from a cached offset per quarter hour (a million calls at ingestion); they must
 * agree with Intl at every instant, in zones with and without daylight saving, whole, half and
 * three-quarter hour offsets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, localDate, startOfLocalDay } from '../../src/platform/time.ts';

const intlDate = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );

const zones = [
  'Asia/Shanghai',
  'America/New_York',
  'Europe/London',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
];

describe('localDate', () => {
  it('agrees with Intl at any instant in any zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          expect(localDate(new Date(ms), zone)).toBe(intlDate(new Date(ms), zone));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('turns the day at local midnight, also across a daylight-saving change', () => {
    expect(localDate(new Date('2026-03-01T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-03-01');
    expect(localDate(new Date('2026-03-01T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
    // New York springs forward on 8 March 2026 at 02:00 local (07:00 UTC).
    expect(localDate(new Date('2026-03-09T03:59:59Z'), 'America/New_York')).toBe('2026-03-08');
    expect(localDate(new Date('2026-03-09T04:00:00Z'), 'America/New_York')).toBe('2026-03-09');
  });

  it('refuses an unknown zone and an invalid instant', () => {
    expect(() => localDate(new Date(), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localDate(new Date(Number.NaN), 'Asia/Shanghai')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it('agrees with Date arithmetic over any span, across months, leap days and years', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        fc.integer({ min: -1000, max: 1000 }),
        (d, n) => {
          const date = d.toISOString().slice(0, 10);
          const expected = new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000)
            .toISOString()
            .slice(0, 10);
          expect(addDays(date, n)).toBe(expected);
        },
      ),
      { numRuns: 5000 },
    );
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('refuses what is not a date', () => {
    expect(() => addDays('2026-13', 1)).toThrow(RangeError);
    expect(() => addDays('soon', 1)).toThrow(RangeError);
  });
});

describe('startOfLocalDay', () => {
  it('is the first instant whose local date is the day, in any zone', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1995-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }),
        fc.constantFrom(...zones, 'America/Santiago', 'America/Havana'),
        (d, zone) => {
          const date = d.toISOString().slice(0, 10);
          const start = startOfLocalDay(date, zone).getTime();
          expect(localDate(new Date(start), zone)).toBe(date);
          expect(localDate(new Date(start - 1), zone)).not.toBe(date);
        },
      ),
      { numRuns: 3000 },
    );
    expect(startOfLocalDay('2026-03-02', 'Asia/Shanghai').toISOString()).toBe('2026-03-01T16:00:00.000Z');
  });
});
