/**
 * The reports' questions to the case ledger, each one aggregate query over `case_state`,
 * `case_events` or `case_alerts` (the ledger's stable tables, src/cases/index.ts): nothing here
 * loops over cases in JavaScript. Periods are local dates in the bureau's zone; a case belongs to
 * a day by the instant it was received or completed, compared as timestamps so the ledger's
 * indexes on `received_at` and `completed_at` serve the ranges.
 *
 * Definitions (the reports print them with their denominators):
 * - on time (按时办结): completed on or before the committed deadline (`completed_on <=
 *   committed_due`; the deadline already includes stopped clock and approved extensions), over
 *   the completed cases that had a committed deadline (accepted, actually or by Art. 32).
 * - early (提前办结): completed before the committed deadline (`completed_on < committed_due`),
 *   over the completed cases with a committed limit of at least one working day (承诺件): an
 *   instant item is due the day it is accepted and cannot be early.
 * - within the statutory limit: `completed_on <= statutory_due`, over those with one.
 *
 * @example
 * const o = await completedOutcomes(db, { from: '2026-03-01', to: '2026-03-31' }, 'Asia/Shanghai');
 * o.onTime // { num: 812, den: 812 }
 */
import { type SQL, sql } from 'drizzle-orm';
import { caseAlerts, caseEvents, caseState } from '../cases/index.ts';
import type { DbOrTx } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import { type Ratio, ratio } from './ratio.ts';

export interface Range {
  from: string;
  to: string;
}

/** The instant local date `d` starts in `tz`. */
export const dayStart = (d: string, tz: string) => sql`(${d}::date::timestamp at time zone ${tz})`;
/** The instant after local date `d` ends in `tz`. */
export const dayAfter = (d: string, tz: string) => sql`((${d}::date + 1)::timestamp at time zone ${tz})`;

const s = caseState;

/** Aggregates of completed cases; the row source must expose case_state's columns. */
const outcomeColumns = sql`
  count(*)::int as completed,
  count(*) filter (where ${s.result} = 'returned')::int as returned,
  count(${s.committedDue})::int as with_deadline,
  count(*) filter (where ${s.completedOn} <= ${s.committedDue})::int as on_time,
  count(*) filter (where ${s.committedDue} is not null and ${s.committedDays} > 0)::int as committed,
  count(*) filter (where ${s.committedDays} > 0 and ${s.completedOn} < ${s.committedDue})::int as early,
  count(${s.statutoryDue})::int as with_statutory,
  count(*) filter (where ${s.completedOn} <= ${s.statutoryDue})::int as within_statutory,
  coalesce(sum(${s.workingDaysUsed}), 0)::int as days_used,
  count(${s.workingDaysUsed})::int as days_counted,
  coalesce(sum(${s.committedDays}) filter (where ${s.workingDaysUsed} is not null), 0)::int as committed_days,
  coalesce(sum(${s.statutoryDays}) filter (where ${s.workingDaysUsed} is not null), 0)::int as statutory_days`;

interface OutcomeRow {
  completed: number;
  returned: number;
  with_deadline: number;
  on_time: number;
  committed: number;
  early: number;
  with_statutory: number;
  within_statutory: number;
  days_used: number;
  days_counted: number;
  committed_days: number;
  statutory_days: number;
}

/** What happened to the cases completed in a period. */
export interface Outcomes {
  completed: number;
  /** Completed with result `returned` (退件 / 不予许可). */
  returned: number;
  /** 按时办结率: on or before the committed deadline / completed with a committed deadline. */
  onTime: Ratio;
  /** 提前办结率: before the committed deadline / completed committed items (limit >= 1 day). */
  early: Ratio;
  /** Within the statutory limit / completed with a statutory deadline. */
  withinStatutory: Ratio;
  /** Completed without a deadline (closed at intake within the notice period): in no rate. */
  withoutDeadline: number;
  /** Working days used: the sum over the cases that have a count, and how many they are. */
  daysUsed: Ratio;
  /** The committed and statutory limits of the same cases, summed (route-specific limits). */
  committedDays: Ratio;
  statutoryDays: Ratio;
}

function toOutcomes(r: OutcomeRow): Outcomes {
  return {
    completed: r.completed,
    returned: r.returned,
    onTime: ratio(r.on_time, r.with_deadline),
    early: ratio(r.early, r.committed),
    withinStatutory: ratio(r.within_statutory, r.with_statutory),
    withoutDeadline: r.completed - r.with_deadline,
    daysUsed: ratio(r.days_used, r.days_counted),
    committedDays: ratio(r.committed_days, r.days_counted),
    statutoryDays: ratio(r.statutory_days, r.days_counted),
  };
}

const completedIn = (range: Range, tz: string) =>
  sql`${s.completedAt} >= ${dayStart(range.from, tz)} and ${s.completedAt} < ${dayAfter(range.to, tz)}`;

/** Outcomes of the cases completed in `range`. */
export async function completedOutcomes(db: DbOrTx, range: Range, tz: string): Promise<Outcomes> {
  const [row] = await queryRows<OutcomeRow>(
    db,
    sql`select ${outcomeColumns} from ${s} where ${completedIn(range, tz)}`,
  );
  return toOutcomes(row);
}

/** Outcomes of the cases completed in `range`, per item code. */
export async function outcomesByItem(
  db: DbOrTx,
  range: Range,
  tz: string,
): Promise<Record<string, Outcomes>> {
  const rows = await queryRows<OutcomeRow & { item: string }>(
    db,
    sql`select ${s.itemCode} as item, ${outcomeColumns} from ${s} where ${completedIn(range, tz)}
        group by ${s.itemCode} order by ${s.itemCode}`,
  );
  return Object.fromEntries(rows.map((r) => [r.item, toOutcomes(r)]));
}

/** One month of the twelve-month trend. */
export interface MonthTrend {
  /** Received in the month, and of them online (网上审批). */
  received: number;
  online: number;
  /** Completed in the month, with the rates and days of those cases. */
  completed: number;
  onTime: Ratio;
  early: Ratio;
  daysUsed: Ratio;
}

/** Outcomes summed over groups (per item -> the whole period): sums of integers, exact. */
export function sumOutcomes(list: Iterable<Outcomes>): Outcomes {
  const r = (a: Ratio, b: Ratio) => ratio(a.num + b.num, a.den + b.den);
  let total = toOutcomes({
    completed: 0,
    returned: 0,
    with_deadline: 0,
    on_time: 0,
    committed: 0,
    early: 0,
    with_statutory: 0,
    within_statutory: 0,
    days_used: 0,
    days_counted: 0,
    committed_days: 0,
    statutory_days: 0,
  });
  for (const o of list) {
    total = {
      completed: total.completed + o.completed,
      returned: total.returned + o.returned,
      onTime: r(total.onTime, o.onTime),
      early: r(total.early, o.early),
      withinStatutory: r(total.withinStatutory, o.withinStatutory),
      withoutDeadline: total.withoutDeadline + o.withoutDeadline,
      daysUsed: r(total.daysUsed, o.daysUsed),
      committedDays: r(total.committedDays, o.committedDays),
      statutoryDays: r(total.statutoryDays, o.statutoryDays),
    };
  }
  return total;
}

/**
 * Month by month over [from, to] (whole months): cases received (and online) by the month they
 * were received; completed, on-time, early and days used by the month they were completed.
 *
 * One scan of the period's cases, which PostgreSQL runs in parallel: the cases are first
 * grouped by (received day, completed day), a few thousand groups, and those are summed into
 * months by grouping sets. For that query alone, JIT compilation is off (on a query of under a
 * second it costs more than it saves) and work_mem is 32 MB: the planner overestimates the
 * day pairs (~100,000 against a few thousand) and, with the default 4 MB, sorts a million rows
 * through temporary files instead of hashing them.
 */
export async function monthlyTrend(
  db: DbOrTx,
  range: Range,
  months: string[],
  tz: string,
): Promise<Record<string, MonthTrend>> {
  const start = dayStart(range.from, tz);
  const end = dayAfter(range.to, tz);
  type Row = {
    by_received: number;
    rm: string | null;
    cm: string | null;
    n: number;
    online: number;
    with_deadline: number;
    on_time: number;
    committed: number;
    early: number;
    days_used: number;
    days_counted: number;
  };
  const query = sql`
    with days as (
      select ${s.receivedOn} as received_on, ${s.completedOn} as completed_on, count(*)::int as n,
        count(*) filter (where ${s.channel} = 'online')::int as online,
        count(${s.committedDue})::int as with_deadline,
        count(*) filter (where ${s.completedOn} <= ${s.committedDue})::int as on_time,
        count(*) filter (where ${s.committedDue} is not null and ${s.committedDays} > 0)::int as committed,
        count(*) filter (where ${s.committedDays} > 0 and ${s.completedOn} < ${s.committedDue})::int as early,
        coalesce(sum(${s.workingDaysUsed}), 0)::int as days_used,
        count(${s.workingDaysUsed})::int as days_counted
      from ${s}
      where (${s.receivedAt} >= ${start} and ${s.receivedAt} < ${end})
         or (${s.completedAt} >= ${start} and ${s.completedAt} < ${end})
      group by ${s.receivedOn}, ${s.completedOn})
    select (grouping(rm) = 0)::int as by_received, rm, cm, sum(n)::int as n, sum(online)::int as online,
      sum(with_deadline)::int as with_deadline, sum(on_time)::int as on_time, sum(committed)::int as committed,
      sum(early)::int as early, sum(days_used)::int as days_used, sum(days_counted)::int as days_counted
    from (select to_char(received_on, 'YYYY-MM') as rm, to_char(completed_on, 'YYYY-MM') as cm, days.* from days) as m
    group by grouping sets ((rm), (cm))`;
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local work_mem = '32MB'`);
    return queryRows<Row>(tx, query);
  });
  const out: Record<string, MonthTrend> = {};
  for (const m of months) {
    out[m] = {
      received: 0,
      online: 0,
      completed: 0,
      onTime: ratio(0, 0),
      early: ratio(0, 0),
      daysUsed: ratio(0, 0),
    };
  }
  for (const r of rows) {
    if (r.by_received) {
      if (r.rm && out[r.rm]) Object.assign(out[r.rm], { received: r.n, online: r.online });
    } else if (r.cm && out[r.cm]) {
      Object.assign(out[r.cm], {
        completed: r.n,
        onTime: ratio(r.on_time, r.with_deadline),
        early: ratio(r.early, r.committed),
        daysUsed: ratio(r.days_used, r.days_counted),
      });
    }
  }
  return out;
}

export interface ClerkLoad {
  received: number;
  completed: number;
  /** Completed with result `returned`. */
  returned: number;
  /** Open when the period ended, by light on its last day. */
  open: number;
  green: number;
  yellow: number;
  red: number;
  /** Working days used by the cases completed in the period, and how many they are. */
  daysUsed: Ratio;
}

/**
 * Per responsible clerk (the accepting one, `responsible`): received and completed in `range`,
 * and open at its end by light on `range.to`. Lights are judged from the stored yellow and red
 * days, as the ledger shows them. Key '' is a case nobody has acted on yet.
 */
export async function loadByClerk(db: DbOrTx, range: Range, tz: string): Promise<Record<string, ClerkLoad>> {
  const start = dayStart(range.from, tz);
  const end = dayAfter(range.to, tz);
  const open = sql`(${s.completedAt} is null or ${s.completedAt} >= ${end})`;
  const d = range.to;
  const rows = await queryRows<{
    clerk: string;
    received: number;
    completed: number;
    returned: number;
    open: number;
    red: number;
    yellow: number;
    days_used: number;
    days_counted: number;
  }>(
    db,
    sql`select coalesce(${s.responsible}, '') as clerk,
          count(*) filter (where ${s.receivedAt} >= ${start})::int as received,
          count(*) filter (where ${s.completedAt} < ${end})::int as completed,
          count(*) filter (where ${s.completedAt} < ${end} and ${s.result} = 'returned')::int as returned,
          count(*) filter (where ${open})::int as open,
          count(*) filter (where ${open} and ${s.redFrom} <= ${d})::int as red,
          count(*) filter (where ${open} and ${s.yellowFrom} <= ${d}
                             and (${s.redFrom} is null or ${s.redFrom} > ${d}))::int as yellow,
          coalesce(sum(${s.workingDaysUsed}) filter (where ${s.completedAt} < ${end}), 0)::int as days_used,
          count(${s.workingDaysUsed}) filter (where ${s.completedAt} < ${end})::int as days_counted
        from ${s}
        where ${s.receivedAt} < ${end} and (${s.completedAt} is null or ${s.completedAt} >= ${start})
        group by 1 order by 1`,
  );
  return Object.fromEntries(
    rows.map((r) => [
      r.clerk,
      {
        received: r.received,
        completed: r.completed,
        returned: r.returned,
        open: r.open,
        green: r.open - r.red - r.yellow,
        yellow: r.yellow,
        red: r.red,
        daysUsed: ratio(r.days_used, r.days_counted),
      },
    ]),
  );
}

export interface EventCounts {
  /** Events of this action in the period. */
  events: number;
  /** Distinct cases with such an event. */
  cases: number;
  /** Of them, decided outside the actor's authority (`allowed = false`). */
  denied: number;
}

/** Events in `range` by action (received = 'receipt', accepted = 'accept', ...). */
export async function eventsByAction(
  db: DbOrTx,
  range: Range,
  tz: string,
): Promise<Record<string, EventCounts>> {
  const e = caseEvents;
  const rows = await queryRows<{ action: string; events: number; cases: number; denied: number }>(
    db,
    sql`select ${e.action} as action, count(*)::int as events, count(distinct ${e.caseNo})::int as cases,
          count(*) filter (where ${e.allowed} = false)::int as denied
        from ${e} where ${e.at} >= ${dayStart(range.from, tz)} and ${e.at} < ${dayAfter(range.to, tz)}
        group by ${e.action} order by ${e.action}`,
  );
  return Object.fromEntries(
    rows.map((r) => [r.action, { events: r.events, cases: r.cases, denied: r.denied }]),
  );
}

export interface DeniedAction {
  caseNo: string;
  seq: number;
  action: string;
  actor: string;
  at: string;
  post: string | null;
  actingFor: string | null;
  reasons: string[];
}

/** Actions taken outside the actor's authority in `range` (the first `limit`, oldest first). */
export async function deniedActions(
  db: DbOrTx,
  range: Range,
  tz: string,
  limit = 50,
): Promise<DeniedAction[]> {
  const e = caseEvents;
  const rows = await queryRows<{
    case_no: string;
    seq: number;
    action: string;
    actor: string;
    at: string;
    post: string | null;
    acting_for: string | null;
    reasons: string[];
  }>(
    db,
    sql`select ${e.caseNo} as case_no, ${e.seq} as seq, ${e.action} as action, ${e.actor} as actor,
          to_char(${e.at} at time zone ${tz}, 'YYYY-MM-DD HH24:MI') as at, ${e.post} as post,
          ${e.actingFor} as acting_for, ${e.reasons} as reasons
        from ${e}
        where ${e.at} >= ${dayStart(range.from, tz)} and ${e.at} < ${dayAfter(range.to, tz)} and ${e.allowed} = false
        order by ${e.at}, ${e.caseNo}, ${e.seq} limit ${limit}`,
  );
  return rows.map((r) => ({
    caseNo: r.case_no,
    seq: r.seq,
    action: r.action,
    actor: r.actor,
    at: r.at,
    post: r.post,
    actingFor: r.acting_for,
    reasons: Array.isArray(r.reasons) ? r.reasons : [],
  }));
}

export interface RedCardSummary {
  /** Red cards applying from a day in the period. */
  raised: number;
  /** Red cards still unresolved when the period ended. */
  open: number;
  /** The ones raised in the period (the first `limit`). */
  list: {
    caseNo: string;
    staffNo: string | null;
    committedDue: string | null;
    raisedOn: string;
    resolution: string | null;
  }[];
}

/** Red cards (红牌) raised in `range` and open at its end. */
export async function redCards(db: DbOrTx, range: Range, tz: string, limit = 50): Promise<RedCardSummary> {
  const a = caseAlerts;
  const end = dayAfter(range.to, tz);
  const [counts] = await queryRows<{ raised: number; open: number }>(
    db,
    sql`select count(*) filter (where ${a.raisedOn} >= ${range.from})::int as raised,
          count(*) filter (where ${a.resolvedAt} is null or ${a.resolvedAt} >= ${end})::int as open
        from ${a} where ${a.kind} = 'red_card' and ${a.raisedOn} <= ${range.to}`,
  );
  const list = await queryRows<{
    case_no: string;
    staff_no: string | null;
    committed_due: string | null;
    raised_on: string;
    resolution: string | null;
  }>(
    db,
    sql`select ${a.caseNo} as case_no, ${a.staffNo} as staff_no, ${a.committedDue}::text as committed_due,
          ${a.raisedOn}::text as raised_on,
          case when ${a.resolvedAt} < ${end} then ${a.resolution} end as resolution
        from ${a} where ${a.kind} = 'red_card' and ${a.raisedOn} >= ${range.from} and ${a.raisedOn} <= ${range.to}
        order by ${a.raisedOn}, ${a.caseNo} limit ${limit}`,
  );
  return {
    raised: counts.raised,
    open: counts.open,
    list: list.map((r) => ({
      caseNo: r.case_no,
      staffNo: r.staff_no,
      committedDue: r.committed_due,
      raisedOn: r.raised_on,
      resolution: r.resolution,
    })),
  };
}

export interface LatestCase {
  caseNo: string;
  item: string;
  clerk: string | null;
  route: string;
  channel: string;
  completedOn: string;
  result: string | null;
  daysUsed: number | null;
  committedDays: number;
  statutoryDays: number;
  committedDue: string | null;
}

/** The last `limit` cases completed in `range`, newest first. */
export async function latestCompleted(
  db: DbOrTx,
  range: Range,
  tz: string,
  limit = 10,
): Promise<LatestCase[]> {
  const rows = await queryRows<{
    case_no: string;
    item: string;
    clerk: string | null;
    route: string;
    channel: string;
    completed_on: string;
    result: string | null;
    days_used: number | null;
    committed_days: number;
    statutory_days: number;
    committed_due: string | null;
  }>(
    db,
    sql`select ${s.caseNo} as case_no, ${s.itemCode} as item, ${s.responsible} as clerk, ${s.route} as route,
          ${s.channel} as channel, ${s.completedOn}::text as completed_on, ${s.result} as result,
          ${s.workingDaysUsed} as days_used, ${s.committedDays} as committed_days,
          ${s.statutoryDays} as statutory_days, ${s.committedDue}::text as committed_due
        from ${s} where ${completedIn(range, tz)}
        order by ${s.completedAt} desc, ${s.caseNo} desc limit ${limit}`,
  );
  return rows.map((r) => ({
    caseNo: r.case_no,
    item: r.item,
    clerk: r.clerk,
    route: r.route,
    channel: r.channel,
    completedOn: r.completed_on,
    result: r.result,
    daysUsed: r.days_used,
    committedDays: r.committed_days,
    statutoryDays: r.statutory_days,
    committedDue: r.committed_due,
  }));
}

/** Cases received in `range`, and how many of them online. */
export async function receivedCounts(
  db: DbOrTx,
  range: Range,
  tz: string,
): Promise<{ received: number; online: number }> {
  const [row] = await queryRows<{ received: number; online: number }>(
    db,
    sql`select count(*)::int as received, count(*) filter (where ${s.channel} = 'online')::int as online
        from ${s} where ${s.receivedAt} >= ${dayStart(range.from, tz)} and ${s.receivedAt} < ${dayAfter(range.to, tz)}`,
  );
  return row;
}

/** Whether the ledger holds any case at all (reports of an empty bureau say so). */
export async function ledgerEmpty(db: DbOrTx): Promise<boolean> {
  const rows = await queryRows(db, sql`select 1 from ${s} limit 1` as SQL);
  return rows.length === 0;
}
