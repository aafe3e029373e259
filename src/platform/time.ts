/**
 * Local dates in the bureau's time zone. Dates are `YYYY-MM-DD` strings throughout neikong:
 * they compare correctly as strings and never shift with the server's zone.
 *
 * @example
 * localDate(new Date('2026-03-01T17:00:00Z'), 'Asia/Shanghai') // '2026-03-02'
 */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** Adds calendar days to a date string. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
