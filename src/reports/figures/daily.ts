/**
 * 每日一通报: the figures of one working day. What came in and went out (received, accepted,
 * completed, returned, supplement notices), the cases still open at the end of the day by light
 * and by clerk, red cards, actions outside the actor's authority, and new complaints.
 *
 * @example
 * const n = await dailyNumbers(ctx, parsePeriod('daily', '2026-03-02'));
 * n.flow.received // 37
 * n.open.byClerk.S026 // { open: 5, green: 3, yellow: 1, red: 1, ... }
 */
import {
  type ClerkLoad,
  type DeniedAction,
  deniedActions,
  eventsByAction,
  loadByClerk,
  type RedCardSummary,
  receivedCounts,
  redCards,
} from '../ledger.ts';
import type { Period } from '../periods.ts';
import { misconductSection, type Section } from '../sources.ts';
import { type FigureContext, staffNames } from './context.ts';

export interface LightCounts {
  open: number;
  green: number;
  yellow: number;
  red: number;
}

export interface DailyNumbers {
  kind: 'daily';
  period: Period;
  /** Whether the day is a working day (a bulletin of a day off is still possible on request). */
  workingDay: boolean;
  flow: {
    /** Cases received that day (by the time the materials arrived). */
    received: number;
    receivedOnline: number;
    /** Cases with an `accept` (受理) that day. */
    accepted: number;
    /** Cases completed (办结) that day, and of them those completed as returned. */
    completed: number;
    completedReturned: number;
    /** Cases with a `return` (退件 / 不予许可) that day. */
    returned: number;
    /** Cases sent a supplement notice (一次性告知) that day. */
    supplementNotices: number;
  };
  open: { total: LightCounts; byClerk: Record<string, LightCounts> };
  redCards: RedCardSummary;
  outsideAuthority: { events: number; list: DeniedAction[] };
  complaints: Section<{ received: number; complaints: number; bySource: Record<string, number> }>;
  /** Names of the staff the bulletin mentions. */
  staff: Record<string, string>;
}

const lights = (l: ClerkLoad): LightCounts => ({
  open: l.open,
  green: l.green,
  yellow: l.yellow,
  red: l.red,
});

export async function dailyNumbers(ctx: FigureContext, period: Period): Promise<DailyNumbers> {
  const { db, timeZone: tz } = ctx;
  const range = { from: period.from, to: period.to };
  const [received, events, load, cards, denied, misconduct] = [
    await receivedCounts(db, range, tz),
    await eventsByAction(db, range, tz),
    await loadByClerk(db, range, tz),
    await redCards(db, range, tz),
    await deniedActions(db, range, tz),
    await misconductSection(db, range),
  ];
  const total: LightCounts = { open: 0, green: 0, yellow: 0, red: 0 };
  const byClerk: Record<string, LightCounts> = {};
  let completed = 0;
  let completedReturned = 0;
  for (const [clerk, l] of Object.entries(load)) {
    completed += l.completed;
    completedReturned += l.returned;
    if (l.open === 0) continue;
    byClerk[clerk] = lights(l);
    for (const k of ['open', 'green', 'yellow', 'red'] as const) total[k] += l[k];
  }
  const cases = (action: string) => events[action]?.cases ?? 0;
  const deniedEvents = Object.values(events).reduce((a, e) => a + e.denied, 0);
  return {
    kind: 'daily',
    period,
    workingDay: ctx.calendar.isWorkingDay(period.from),
    flow: {
      received: received.received,
      receivedOnline: received.online,
      accepted: cases('accept'),
      completed,
      completedReturned,
      returned: cases('return'),
      supplementNotices: cases('notify_supplement'),
    },
    open: { total, byClerk },
    redCards: cards,
    outsideAuthority: { events: deniedEvents, list: denied },
    complaints: misconduct.available
      ? {
          available: true,
          data: {
            received: misconduct.data.received,
            complaints: misconduct.data.complaints,
            bySource: misconduct.data.bySource,
          },
        }
      : misconduct,
    staff: await staffNames(db, [
      ...Object.keys(byClerk),
      ...cards.list.map((c) => c.staffNo),
      ...denied.map((d) => d.actor),
    ]),
  };
}
