/**
 * 每季度一公布: the figures the bureau publishes for a quarter. Public, so it holds no personal
 * data at all: no applicant, complainant or staff member, no case number; only counts and rates,
 * each with its denominator. On-time and early rates, the online share (of the cases received,
 * and of the window's items), the catalogue's reductions, complaints received and handled with
 * the levels given, and rotation done.
 *
 * @example
 * const n = await quarterlyNumbers(ctx, parsePeriod('quarterly', '2026-Q1'));
 * n.outcomes.onTime // { num: 2431, den: 2431 }
 */
import { listItems } from '../../org/service.ts';
import { catalogueFigures } from '../catalogue.ts';
import { completedOutcomes, monthlyTrend } from '../ledger.ts';
import { monthsEnding, type Period } from '../periods.ts';
import type { Ratio } from '../ratio.ts';
import { ratio } from '../ratio.ts';
import { misconductSection, rotationSection, type Section } from '../sources.ts';
import type { FigureContext } from './context.ts';

export interface QuarterlyNumbers {
  kind: 'quarterly';
  period: Period;
  received: number;
  /** Cases received online / cases received. */
  onlineCases: Ratio;
  completed: number;
  onTime: Ratio;
  early: Ratio;
  withinStatutory: Ratio;
  /** The three months of the quarter: received, on-time and early rates. */
  months: Record<string, { received: number; completed: number; onTime: Ratio; early: Ratio }>;
  catalogue: {
    items: number;
    atWindow: number;
    onlineShare: Ratio;
    withStatutory: number;
    reduction: Ratio;
    reductionPerItem: Ratio;
  };
  /** 投诉举报 and all misconduct matters: received, handled, levels given. */
  complaints: Section<{
    received: number;
    complaints: number;
    handled: number;
    decisions: number;
    byLevel: Record<string, number>;
  }>;
  rotation: Section<{ moves: number; staff: number }>;
}

export async function quarterlyNumbers(ctx: FigureContext, period: Period): Promise<QuarterlyNumbers> {
  const { db, timeZone: tz } = ctx;
  const range = { from: period.from, to: period.to };
  const months = monthsEnding(period.to.slice(0, 7), 3);
  const trend = await monthlyTrend(db, range, months, tz);
  const outcomes = await completedOutcomes(db, range, tz);
  const cat = catalogueFigures(await listItems(db), period.to);
  const misconduct = await misconductSection(db, range);
  const rotation = await rotationSection(db, range);
  let received = 0;
  let online = 0;
  for (const m of months) {
    received += trend[m].received;
    online += trend[m].online;
  }
  return {
    kind: 'quarterly',
    period,
    received,
    onlineCases: ratio(online, received),
    completed: outcomes.completed,
    onTime: outcomes.onTime,
    early: outcomes.early,
    withinStatutory: outcomes.withinStatutory,
    months: Object.fromEntries(
      months.map((m) => [
        m,
        {
          received: trend[m].received,
          completed: trend[m].completed,
          onTime: trend[m].onTime,
          early: trend[m].early,
        },
      ]),
    ),
    catalogue: {
      items: cat.items,
      atWindow: cat.atWindow,
      onlineShare: cat.onlineShare,
      withStatutory: cat.withStatutory,
      reduction: cat.reduction,
      reductionPerItem: cat.reductionPerItem,
    },
    complaints: misconduct.available
      ? {
          available: true,
          data: {
            received: misconduct.data.received,
            complaints: misconduct.data.complaints,
            handled: misconduct.data.handled,
            decisions: misconduct.data.decisions,
            byLevel: misconduct.data.byLevel,
          },
        }
      : misconduct,
    rotation: rotation.available
      ? { available: true, data: { moves: rotation.data.moves, staff: rotation.data.staff } }
      : rotation,
  };
}
