/**
 * The per-case facts every check reads. They come in two levels:
 *
 * 1. What the events say, aggregated per case in ONE pass over the ledger's events (`eventFacts`):
 *    counts, first dates and actors, the notices, supplements, returns, extensions, seals and
 *    denied events as arrays, the days of the actions that bring a case into a period. These
 *    depend on the events, the case line and the bureau's time zone only, so verification keeps
 *    them in `verification_case_facts` (facts.ts), brought up to date per ledger import; a run
 *    reads them instead of the events. The same SQL computes them live for the cases a run
 *    cannot take from the table (imported after the run's ledger import, or no table yet).
 * 2. What depends on the run (`factsCtes`): the catalogue's limits, the working-day calendar,
 *    who may approve an extension, the period. These are joined in at run time, so a changed
 *    item, calendar or assignment never leaves a stale fact behind.
 *
 * The clock follows the ledger's rules (src/cases/clock.ts), recomputed here from the events so
 * that a verification does not trust what ingestion derived:
 * - acceptance (Art. 32): an `accept` within the notice period (or after a timely notice) counts
 *   from its day; a case with no timely notice that was accepted or closed later counts from the
 *   day of receipt; otherwise there is no acceptance to count from;
 * - the committed limit is the item's fast-track limit on the policy's fast-track routes, 0 for an
 *   instant item, else its committed days;
 * - working days between `clock_stop` and `clock_resume` (after acceptance) do not count
 *   (Art. 45); approved extensions (approver entitled on the day, at most `maxDays` in all) add.
 *
 * Each level ends with `offset 0`, a planner fence: without it the levels are flattened into one
 * and every derived column (a deadline, the stopped days) is copied into each expression that
 * uses it, multiplying both planning and evaluation.
 *
 * @example
 * sql`with ${factsCtes({ ctx, policy, importId, period, range })} select case_no, due from x`
 */
import { type SQL, sql } from 'drizzle-orm';
import { caseEvents, cases } from '../cases/index.ts';
import type { RunContext, SodRule } from './context.ts';
import type { VerificationPolicy } from './policy.ts';
import { addWorking, calendarCte, ordOf } from './sql-calendar.ts';

/** Which cases a query reads: a range of case numbers (lo exclusive, hi inclusive) or a list. */
export type CaseRange = { lo: string; hi: string | null } | { list: string[] };

export interface FactsInput {
  ctx: RunContext;
  policy: VerificationPolicy;
  /** Only events and cases imported up to this id (the ledger as the run found it). */
  importId: number;
  /** The run's period as local dates; null for a list of cases. */
  period: { from: string; to: string } | null;
  range: CaseRange;
  /**
   * Read the stored facts (`verification_case_facts`, current for this context up to at least
   * `importId`); `newer`: some stored cases were touched after `importId`, so those are computed
   * live from their events up to `importId`. Absent: every case is computed live.
   */
  stored?: { newer: boolean };
}

/** The columns of a case's facts, in the order of `verification_case_facts`. */
export const FACT_COLUMNS = [
  'case_no',
  'last_import',
  'item_code',
  'route',
  'project',
  'rec_on',
  'scope_ds',
  'receipt_n',
  'receipt_on',
  'receipt_actor',
  'intake_actor',
  'notice_n',
  'notice_ds',
  'notice_actors',
  'notice_missing',
  'notices_missing',
  'supplements',
  'accept_on',
  'acceptor',
  'accept_data',
  'sod_n',
  'sod_ov',
  'complete_on',
  'completer',
  'announce_on',
  'announcer',
  'returns',
  'file_seqs',
  'file_ds',
  'stop_ds',
  'resume_ds',
  'extends',
  'seals',
  'denied',
] as const;

export const textArray = (xs: readonly string[]) =>
  `{${xs.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

const columnList = (prefix: string) =>
  sql.raw(FACT_COLUMNS.map((c) => (prefix ? `${prefix}.${c}` : c)).join(', '));

/**
 * Whether each separation rule's actors overlap, in rule order: someone who did one of the
 * rule's actions also did one of its conflicting ones (an extension's approver counting for
 * `approve_extension`). Only such a case is looked at event by event (sql-checks.ts).
 */
function sodOverlaps(sod: Pick<SodRule, 'actions' | 'conflicts'>[]): SQL {
  if (sod.length === 0) return sql`'{}'::boolean[]`;
  const each = sod.map((r) => {
    const real = r.actions.filter((a) => a !== 'approve_extension');
    const byApprover = r.actions.includes('approve_extension');
    const acting = sql.join(
      [
        sql`coalesce(array_agg(actor) filter (where action = any(${textArray(real)}::text[])), '{}')`,
        byApprover
          ? sql`coalesce(array_agg(data->>'approvedBy') filter (where action = 'extend' and data->>'approvedBy' is not null), '{}')`
          : sql`'{}'::text[]`,
      ],
      sql` || `,
    );
    return sql`((${acting}) && coalesce(array_agg(actor) filter (where action = any(${textArray(r.conflicts)}::text[])), '{}'))`;
  });
  return sql`array[${sql.join(each, sql`, `)}]::boolean[]`;
}

/** Which events `eventFacts` reads, besides the import bound. */
export type EventSelection = { range: CaseRange } | { where: SQL };

function eventWhere(sel: EventSelection): SQL {
  return 'where' in sel ? sel.where : rangeWhere('e.case_no', sel.range);
}

/**
 * The facts of the events, one row per case with events (columns `FACT_COLUMNS`), from the
 * events and case lines imported up to `importId`: a subquery for `from (...)`.
 */
export function eventFacts(opts: {
  timeZone: string;
  sod: Pick<SodRule, 'actions' | 'conflicts'>[];
  importId: number;
  events: EventSelection;
}): SQL {
  const tz = opts.timeZone;
  return sql`select f.case_no, greatest(f.max_import, c.import_id) as last_import, c.item_code, c.route, c.project,
    (c.received_at at time zone ${tz})::date as rec_on, ${sql.raw(
      FACT_COLUMNS.slice(6)
        .map((col) => `f.${col}`)
        .join(', '),
    )}
  from (
    select case_no,
      max(import_id) as max_import,
      array_agg(distinct d order by d) filter (where action in ('complete', 'return', 'notify_supplement')) as scope_ds,
      count(*) filter (where action = 'receipt')::int as receipt_n,
      min(d) filter (where action = 'receipt') as receipt_on,
      (array_agg(actor) filter (where action = 'receipt'))[1] as receipt_actor,
      (array_agg(actor) filter (where action in ('receipt', 'notify_supplement', 'supplement', 'accept', 'return')))[1] as intake_actor,
      count(*) filter (where action = 'notify_supplement')::int as notice_n,
      array_agg(d) filter (where action = 'notify_supplement') as notice_ds,
      array_agg(actor) filter (where action = 'notify_supplement') as notice_actors,
      (array_agg(data->'missing') filter (where action = 'notify_supplement'))[1] as notice_missing,
      jsonb_agg(data->'missing') filter (where action = 'notify_supplement') as notices_missing,
      jsonb_agg(jsonb_build_object('d', d, 'm', data->'materials', 'actor', actor))
        filter (where action = 'supplement') as supplements,
      min(d) filter (where action = 'accept') as accept_on,
      (array_agg(actor) filter (where action = 'accept'))[1] as acceptor,
      (array_agg(data) filter (where action = 'accept'))[1] as accept_data,
      count(*) filter (where action in ('review', 'approve') or (action = 'extend' and data->>'approvedBy' is not null))::int as sod_n,
      ${sodOverlaps(opts.sod)} as sod_ov,
      min(d) filter (where action = 'complete') as complete_on,
      (array_agg(actor) filter (where action = 'complete'))[1] as completer,
      min(d) filter (where action = 'announce') as announce_on,
      (array_agg(actor) filter (where action = 'announce'))[1] as announcer,
      jsonb_agg(jsonb_build_object('seq', seq, 'd', d, 'actor', actor, 'data', data))
        filter (where action = 'return') as returns,
      array_agg(seq) filter (where action = 'file_rejection') as file_seqs,
      array_agg(d) filter (where action = 'file_rejection') as file_ds,
      array_agg(d) filter (where action = 'clock_stop') as stop_ds,
      array_agg(d) filter (where action = 'clock_resume') as resume_ds,
      jsonb_agg(jsonb_build_object('seq', seq, 'd', d, 'actor', actor, 'data', data))
        filter (where action = 'extend') as extends,
      jsonb_agg(jsonb_build_object('seq', seq, 'd', d, 'actor', actor, 'seal', data->>'seal'))
        filter (where action = 'seal') as seals,
      jsonb_agg(jsonb_build_object('seq', seq, 'd', d, 'action', action, 'actor', actor, 'reason', reasons->>0))
        filter (where allowed = false and (rule is null or rule = 'null'::jsonb)) as denied
    from (
      -- In (case, seq) order, so every array_agg above keeps the events' order (the sorted input
      -- of an aggregate is kept; the primary key gives it without a sort) and [1] is the first by seq.
      select e.case_no, e.seq, e.action, e.actor, e.data, e.allowed, e.rule, e.reasons, e.import_id,
        (e.at at time zone ${tz})::date as d
      from ${caseEvents} e
      where ${eventWhere(opts.events)} and e.import_id <= ${opts.importId}
      order by e.case_no, e.seq
    ) ev
    group by case_no
  ) f
  join ${cases} c on c.case_no = f.case_no and c.import_id <= ${opts.importId}`;
}

/**
 * Whether a case's sorted scope days (`scope_ds`) hold a day of the period. The first and last
 * day settle it for nearly every case; only one whose days straddle the period is looked through.
 */
export function inPeriod(col: string, period: { from: string; to: string } | null): SQL {
  if (!period) return sql`true`;
  const c = sql.raw(col);
  const first = sql`${c}[1]`;
  const last = sql`${c}[cardinality(${c})]`;
  return sql`case when ${c} is null or ${first} > ${period.to}::date or ${last} < ${period.from}::date then false
    when ${first} >= ${period.from}::date or ${last} <= ${period.to}::date then true
    else exists (select 1 from unnest(${c}) as sd(d) where sd.d between ${period.from}::date and ${period.to}::date) end`;
}

/** The condition on a column of case numbers for a range. */
export function rangeWhere(col: string, range: CaseRange): SQL {
  const c = sql.raw(col);
  return 'list' in range
    ? sql`${c} = any(${textArray(range.list)}::text[])`
    : range.hi === null
      ? sql`${c} > ${range.lo}`
      : sql`${c} > ${range.lo} and ${c} <= ${range.hi}`;
}

/** `cal` (with `duty`), `it`, `ap`, `f` and `x`: the CTEs the checks read (without the leading `with`). */
export function factsCtes(input: FactsInput): SQL {
  const { ctx, policy, importId, period, range, stored } = input;
  const notice = policy.checks['one-notice'].withinWorkingDays;
  const timely = policy.checks.timely;
  const maxExt = policy.checks.extension.maxDays;
  const live = (events: EventSelection) =>
    sql`select ${columnList('l')} from (${eventFacts({ timeZone: ctx.timeZone, sod: ctx.sod, importId, events })}) l
      where ${inPeriod('l.scope_ds', period)}`;
  let facts: SQL;
  if (!stored) facts = live({ range });
  else {
    facts = sql`select ${columnList('s')} from verification_case_facts s
      where ${rangeWhere('s.case_no', range)} and s.last_import <= ${importId} and ${inPeriod('s.scope_ds', period)}`;
    if (stored.newer)
      facts = sql`${facts} union all ${live({
        where: sql`e.case_no in (select n.case_no from verification_case_facts n
          where ${rangeWhere('n.case_no', range)} and n.last_import > ${importId})`,
      })}`;
  }
  // Who was on duty, as a jsonb array by day of the calendar's span: a missing announcement
  // looks up its few days by position instead of scanning the roster.
  const start = ctx.calendar.start;
  const dayIndex = (d: string) =>
    Math.round((Date.parse(`${d}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
  const duty: string[][] = [];
  for (const { d, staff } of ctx.announceDuty) {
    const i = dayIndex(d);
    if (i >= 0 && i < ctx.calendar.ords.length) duty[i] = staff;
  }
  return sql`cal as (select c0.*, ${JSON.stringify(Array.from(duty, (v) => v ?? []))}::jsonb as duty
  from (${calendarCte(ctx.calendar)}) c0),
it as (
  select * from jsonb_to_recordset(${JSON.stringify(ctx.items)}::jsonb) as t(code text, name text,
    business text, kind text, committed int, fast int, statutory int, special_seal boolean, secondary text[])
),
ap as materialized (
  select * from jsonb_to_recordset(${JSON.stringify(ctx.approvers)}::jsonb) as t(staff text, "from" date, "to" date)
),
f as (${facts}),
x0 as (
  select f.*, coalesce((f.project->>'key')::boolean, false) as key_project,
    it.name as item_name, it.kind, it.committed, it.fast, it.statutory, it.special_seal, it.secondary,
    case when it.kind = 'instant' or it.committed = 0 then 0
         when f.route = any(${textArray(timely.fastTrackRoutes)}::text[]) then coalesce(it.fast, it.committed)
         else it.committed end as lim
  from f
  join it on it.code = f.item_code
  offset 0
),
x1 as (
  select x0.*, ${addWorking('x0.rec_on', sql.raw(String(notice)))} as notice_due,
    (x0.notice_ds[1] <= ${addWorking('x0.rec_on', sql.raw(String(notice)))}) as timely_notice
  from x0 cross join cal
  offset 0
),
x2 as (
  select x1.*,
    case when accept_on is not null and (accept_on <= notice_due or coalesce(timely_notice, false)) then accept_on
         when coalesce(timely_notice, false) then null
         when accept_on is not null or complete_on > notice_due then rec_on
         else null end as start_on
  from x1
  offset 0
),
x as (
  select x2.*,
    case when stop_ds is null or start_on is null then 0 else (
      select coalesce(sum(greatest(0, ${ordOf(sql`coalesce(p.r, x2.complete_on)`)} - ${ordOf(sql`greatest(p.s, x2.start_on)`)})), 0)
      from unnest(x2.stop_ds, x2.resume_ds) as p(s, r) where p.s is not null
    ) end as stopped,
    case when extends is null then 0 else least(${maxExt}, (
      select coalesce(sum((ex.v->'data'->>'days')::int), 0) from jsonb_array_elements(x2.extends) as ex(v)
      where exists (select 1 from ap where ap.staff = ex.v->'data'->>'approvedBy'
        and (ap."from" is null or ap."from" <= (ex.v->>'d')::date) and (ap."to" is null or (ex.v->>'d')::date <= ap."to"))
    )) end as extended
  from x2 cross join cal
  offset 0
)`;
}
