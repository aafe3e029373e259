/**
 * 每月一分析: one calendar month, with the twelve months ending with it. Month by month: cases
 * received (and online), completed, on-time and early rates, working days used. For the month:
 * per item, the committed limit against the statutory one (the catalogue) and the days actually
 * used (the cases); the catalogue's own figures (54 items, 935 days shorter, 36 of 46 online);
 * verification failures by check, misconduct by level and source, rotation done.
 *
 * The ledger part is three aggregate queries (the twelve-month trend in one scan with grouping
 * sets, outcomes per item, received counts); the benchmark runs it over a million cases.
 *
 * @example
 * const n = await monthlyNumbers(ctx, parsePeriod('monthly', '2026-03'));
 * n.outcomes.onTime              // { num: 812, den: 812 }
 * n.trend['2025-10'].completed      // 790
 * n.catalogue.reductionPerItem       // { num: 935, den: 54 }
 */
import { listItems } from '../../org/service.ts';
import { type CatalogueFigures, catalogueFigures } from '../catalogue.ts';
import { type MonthTrend, monthlyTrend, type Outcomes, outcomesByItem, sumOutcomes } from '../ledger.ts';
import { monthsEnding, type Period, parsePeriod } from '../periods.ts';
import {
  type MisconductFigures,
  misconductSection,
  type RotationFigures,
  rotationSection,
  type Section,
  type VerificationFigures,
  verificationSection,
} from '../sources.ts';
import type { FigureContext } from './context.ts';
import { type ItemWeek, itemRows } from './weekly.ts';

export interface MonthlyNumbers {
  kind: 'monthly';
  period: Period;
  /** The twelve months ending with this one, oldest first. */
  months: string[];
  trend: Record<string, MonthTrend>;
  /** The month itself: cases received (and online), and the outcomes of those completed. */
  received: { received: number; online: number };
  outcomes: Outcomes;
  catalogue: CatalogueFigures;
  /** Items with cases completed in the month: limits and working days actually used. */
  perItem: Record<string, ItemWeek>;
  verification: Section<VerificationFigures>;
  misconduct: Section<MisconductFigures>;
  rotation: Section<RotationFigures>;
}

/** The ledger part alone (what the benchmark times). */
export async function monthlyLedger(ctx: FigureContext, period: Period) {
  const months = monthsEnding(period.key, 12);
  const first = parsePeriod('monthly', months[0]);
  const trend = await monthlyTrend(ctx.db, { from: first.from, to: period.to }, months, ctx.timeZone);
  const byItem = await outcomesByItem(ctx.db, period, ctx.timeZone);
  return { months, trend, byItem };
}

export async function monthlyNumbers(ctx: FigureContext, period: Period): Promise<MonthlyNumbers> {
  const { db } = ctx;
  const range = { from: period.from, to: period.to };
  const { months, trend, byItem } = await monthlyLedger(ctx, period);
  const catalogue = catalogueFigures(await listItems(db), period.to);
  const month = trend[period.key];
  return {
    kind: 'monthly',
    period,
    months,
    trend,
    received: { received: month.received, online: month.online },
    // The month's outcomes are the sum of its items' (the same cases, counted once each).
    outcomes: sumOutcomes(Object.values(byItem)),
    catalogue,
    perItem: itemRows(catalogue, byItem),
    verification: await verificationSection(db, range),
    misconduct: await misconductSection(db, range),
    rotation: await rotationSection(db, range),
  };
}
