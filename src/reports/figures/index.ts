/**
 * The figures of each report kind, computed from the ledger, the catalogue and the other modules.
 *
 * @example
 * const numbers = await computeNumbers({ db, timeZone, calendar: getCalendar() }, parsePeriod('monthly', '2026-03'));
 */
import type { Period } from '../periods.ts';
import type { FigureContext } from './context.ts';
import { type DailyNumbers, dailyNumbers } from './daily.ts';
import { type MonthlyNumbers, monthlyNumbers } from './monthly.ts';
import { type QuarterlyNumbers, quarterlyNumbers } from './quarterly.ts';
import { type WeeklyNumbers, weeklyNumbers } from './weekly.ts';

export type { FigureContext } from './context.ts';
export type { DailyNumbers, LightCounts } from './daily.ts';
export { type MonthlyNumbers, monthlyLedger } from './monthly.ts';
export type { QuarterlyNumbers } from './quarterly.ts';
export type { ItemWeek, WeeklyNumbers } from './weekly.ts';

export type ReportNumbers = DailyNumbers | WeeklyNumbers | MonthlyNumbers | QuarterlyNumbers;

export function computeNumbers(ctx: FigureContext, period: Period): Promise<ReportNumbers> {
  switch (period.kind) {
    case 'daily':
      return dailyNumbers(ctx, period);
    case 'weekly':
      return weeklyNumbers(ctx, period);
    case 'monthly':
      return monthlyNumbers(ctx, period);
    case 'quarterly':
      return quarterlyNumbers(ctx, period);
  }
}
