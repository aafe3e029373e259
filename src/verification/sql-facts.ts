/**
 * The per-case facts every check reads: ONE pass over a range of the ledger's events, grouped by
 * case (`f`), then joined to the case line and the item, with the derived dates of the
 * working-day clock (`x`). The checks (sql-checks.ts) are expressions over `x`.
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
 * sql`with ${factsCtes(ctx, range)} select case_no, due from x`
 */
import { type SQL, sql } from 'drizzle-orm';
import { caseEvents, cases } from '../cases/index.ts';
import type { RunContext } from './context.ts';
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
}

const textArray = (xs: readonly string[]) =>
  `{${xs.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** The SoD actor arrays of one rule: who did its actions, who did its conflicting ones. */
function sodAggregates(ctx: RunContext): SQL[] {
  return ctx.sod.map((r, i) => {
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
    return sql`${acting} as sod${sql.raw(String(i))}_a,
      coalesce(array_agg(actor) filter (where action = any(${textArray(r.conflicts)}::text[])), '{}') as sod${sql.raw(String(i))}_c`;
  });
}

/** `cal`, `it`, `ap`, `duty`, `ev`, `f` and `x`: the CTEs the checks read (without the leading `with`). */
export function factsCtes(input: FactsInput): SQL {
  const { ctx, policy, importId, period, range } = input;
  const tz = ctx.timeZone;
  const where =
    'list' in range
      ? sql`e.case_no = any(${textArray(range.list)}::text[])`
      : range.hi === null
        ? sql`e.case_no > ${range.lo}`
        : sql`e.case_no > ${range.lo} and e.case_no <= ${range.hi}`;
  const inScope = period
    ? sql`bool_or(action in ('complete', 'return', 'notify_supplement')
          and at >= (${period.from}::date::timestamp at time zone ${tz})
          and at < ((${period.to}::date + 1)::timestamp at time zone ${tz}))`
    : sql`true`;
  const notice = policy.checks['one-notice'].withinWorkingDays;
  const timely = policy.checks.timely;
  const maxExt = policy.checks.extension.maxDays;
  const sod = sodAggregates(ctx);
  return sql`cal as (${calendarCte(ctx.calendar)}),
it as (
  select * from jsonb_to_recordset(${JSON.stringify(ctx.items)}::jsonb) as t(code text, name text,
    business text, kind text, committed int, fast int, statutory int, special_seal boolean, secondary text[])
),
ap as (
  select * from jsonb_to_recordset(${JSON.stringify(ctx.approvers)}::jsonb) as t(staff text, "from" date, "to" date)
),
duty as (
  select * from jsonb_to_recordset(${JSON.stringify(ctx.announceDuty)}::jsonb) as t(d date, staff text[])
),
ev as (
  -- In (case, seq) order, so every array_agg below keeps the events' order (the sorted input of
  -- an aggregate is kept; the primary key gives it without a sort) and [1] is the first by seq.
  select e.case_no, e.seq, e.at, e.action, e.actor, e.data, e.allowed, e.rule, e.reasons,
    (e.at at time zone ${tz})::date as d
  from ${caseEvents} e
  where ${where} and e.import_id <= ${importId}
  order by e.case_no, e.seq
),
f as (
  select case_no,
    ${inScope} as in_scope,
    count(*) filter (where action = 'receipt') as receipt_n,
    min(d) filter (where action = 'receipt') as receipt_on,
    (array_agg(actor) filter (where action = 'receipt'))[1] as receipt_actor,
    (array_agg(actor) filter (where action in ('receipt', 'notify_supplement', 'supplement', 'accept', 'return')))[1] as intake_actor,
    count(*) filter (where action = 'notify_supplement') as notice_n,
    array_agg(d) filter (where action = 'notify_supplement') as notice_ds,
    array_agg(actor) filter (where action = 'notify_supplement') as notice_actors,
    (array_agg(data->'missing') filter (where action = 'notify_supplement'))[1] as notice_missing,
    jsonb_agg(data->'missing') filter (where action = 'notify_supplement') as notices_missing,
    jsonb_agg(jsonb_build_object('d', d, 'm', data->'materials', 'actor', actor))
      filter (where action = 'supplement') as supplements,
    min(d) filter (where action = 'accept') as accept_on,
    (array_agg(actor) filter (where action = 'accept'))[1] as acceptor,
    (array_agg(data) filter (where action = 'accept'))[1] as accept_data,
    count(*) filter (where action in ('review', 'approve') or (action = 'extend' and data->>'approvedBy' is not null)) as sod_n,
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
    ${sod.length ? sql`, ${sql.join(sod, sql`, `)}` : sql``}
  from ev
  group by case_no
),
x0 as (
  select f.*, c.route, c.project, coalesce((c.project->>'key')::boolean, false) as key_project,
    (c.received_at at time zone ${tz})::date as rec_on,
    it.code as item_code, it.name as item_name, it.kind, it.committed, it.fast, it.statutory,
    it.special_seal, it.secondary,
    case when it.kind = 'instant' or it.committed = 0 then 0
         when c.route = any(${textArray(timely.fastTrackRoutes)}::text[]) then coalesce(it.fast, it.committed)
         else it.committed end as lim
  from f
  join ${cases} c on c.case_no = f.case_no and c.import_id <= ${importId}
  join it on it.code = c.item_code
  where f.in_scope
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
