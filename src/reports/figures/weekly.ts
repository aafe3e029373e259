/**
 * 每周一报告: one ISO week (Monday to Sunday). The on-time and early-completion rates of the
 * cases completed in the week (按时办结率, 提前办结率, with their denominators), working days used
 * per item against the committed and statutory limits, the latest completed cases, and each
 * clerk's load.
 *
 * @example
 * const n = await weeklyNumbers(ctx, parsePeriod('weekly', '2026-W10'));
 * n.outcomes.onTime // { num: 118, den: 118 }
 * n.perItem['SG-001'].outcomes.daysUsed // { num: 21, den: 9 }: 2.3 working days per case
 */
import { listItems } from '../../org/service.ts';
import { type CatalogueFigures, catalogueFigures } from '../catalogue.ts';
import {
  type ClerkLoad,
  completedOutcomes,
  type LatestCase,
  latestCompleted,
  loadByClerk,
  type Outcomes,
  outcomesByItem,
  receivedCounts,
} from '../ledger.ts';
import type { Period } from '../periods.ts';
import { type FigureContext, staffNames } from './context.ts';

export interface ItemWeek {
  name: string;
  /** The catalogue's limits (working days); the cases' own limits (fast track) are in `outcomes`. */
  statutoryDays: number;
  committedDays: number;
  outcomes: Outcomes;
}

export interface WeeklyNumbers {
  kind: 'weekly';
  period: Period;
  received: { received: number; online: number };
  outcomes: Outcomes;
  perItem: Record<string, ItemWeek>;
  latest: LatestCase[];
  clerks: Record<string, ClerkLoad>;
  staff: Record<string, string>;
}

/** Item rows: the catalogue's limits beside the cases' outcomes. */
export function itemRows(cat: CatalogueFigures, by: Record<string, Outcomes>): Record<string, ItemWeek> {
  const out: Record<string, ItemWeek> = {};
  for (const [code, outcomes] of Object.entries(by)) {
    const item = cat.perItem[code];
    out[code] = {
      name: item?.name ?? code,
      statutoryDays: item?.statutoryDays ?? 0,
      committedDays: item?.committedDays ?? 0,
      outcomes,
    };
  }
  return out;
}

export async function weeklyNumbers(ctx: FigureContext, period: Period): Promise<WeeklyNumbers> {
  const { db, timeZone: tz } = ctx;
  const range = { from: period.from, to: period.to };
  const cat = catalogueFigures(await listItems(db), period.to);
  const received = await receivedCounts(db, range, tz);
  const outcomes = await completedOutcomes(db, range, tz);
  const perItem = itemRows(cat, await outcomesByItem(db, range, tz));
  const latest = await latestCompleted(db, range, tz, 10);
  const clerks = await loadByClerk(db, range, tz);
  return {
    kind: 'weekly',
    period,
    received,
    outcomes,
    perItem,
    latest,
    clerks,
    staff: await staffNames(db, [...Object.keys(clerks), ...latest.map((l) => l.clerk)]),
  };
}
