/**
 * The checks of DESIGN.md ("Default rules"), each a set of SQL expressions over the per-case
 * facts `x` (sql-facts.ts), the calendar `cal` and the clock dates `d`: whether it applies, the
 * codes of what is wrong (`problems`; none: pass), the parameters a reader needs to see why, and
 * who is responsible. `checkSelect` turns one check into one set-based query; a run evaluates all
 * enabled checks in the same pass (evaluate.ts).
 *
 * Problem codes and their wording (templates/verification/findings.yaml):
 * - timely: committed | statutory
 * - one-notice: repeated | late | incomplete (supplied, but named in no notice)
 * - receipt: missing | late
 * - refusal-filed: not-filed | filed-late | no-reasons | no-basis | no-remedies | no-appeal-rights
 * - announced: missing | late | early
 * - authorized: denied (the authority decision stored at ingestion refused it, with no grant;
 *   a refusal by a separation-of-duties rule is the separation check's)
 * - separation: breach
 * - seal: special-not-allowed
 * - tolerance: not-key | primary-missing | no-due | due-beyond-limit | unsupplied
 * - green-channel: not-key
 * - extension: too-long | unapproved | wrong-approver | not-notified
 */
import { type SQL, sql } from 'drizzle-orm';
import { caseEvents } from '../cases/index.ts';
import type { RunContext } from './context.ts';
import type { CheckName, VerificationPolicy } from './policy.ts';
import { addWorking, ordOf, workingBetween } from './sql-calendar.ts';

export interface CheckSql {
  /** Whether the check applies to the case (else `not_applicable`). */
  applies: SQL;
  /**
   * Columns the problems and parameters need, computed once per case (a lateral `select ...`
   * aliased `prepareAlias(check)`); guarded so a case the check does not concern pays nothing.
   */
  prepare?: SQL;
  /** A text[] of problem codes; empty when the case passes. */
  problems: SQL;
  /** A jsonb object of parameters (evaluated only for a failure). */
  params: SQL;
  /** A text[] of the staff responsible (evaluated only for a failure). */
  staff: SQL;
}

const n = (v: number) => sql.raw(String(Math.trunc(v)));
const codes = (...parts: SQL[]) => sql`array_remove(array[${sql.join(parts, sql`, `)}]::text[], null)`;
const textArray = (xs: readonly string[]) =>
  `{${xs.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
const one = (actor: SQL) => sql`array_remove(array[${actor}]::text[], null)`;

/** The alias of a check's prepared columns (`p_one_notice`). */
export const prepareAlias = (check: CheckName) => `p_${check.replace(/-/g, '_')}`;

/** The SQL of every check, for a run's context and policy. */
export function checkSqls(
  ctx: RunContext,
  policy: VerificationPolicy,
  importId: number,
): Record<CheckName, CheckSql> {
  const c = policy.checks;
  const notice = c['one-notice'];
  const refusal = c['refusal-filed'];
  const ext = c.extension;
  const P = (check: CheckName) => sql.raw(prepareAlias(check));
  return {
    timely: {
      applies: sql`x.complete_on is not null and x.start_on is not null and d.due is not null`,
      problems: codes(
        sql`case when ${c.timely.statutory ? sql`x.complete_on > d.sdue` : sql`false`} then 'statutory'
                 when x.complete_on > d.due then 'committed' end`,
      ),
      params: sql`jsonb_build_object('completedOn', x.complete_on, 'due', d.due, 'statutoryDue', d.sdue,
        'days', greatest(1, ${ordOf('x.complete_on')} - ${ordOf('d.due')}),
        'statutoryDays', greatest(1, ${ordOf('x.complete_on')} - ${ordOf('d.sdue')}),
        'limit', x.lim, 'statutory', x.statutory, 'start', x.start_on, 'stopped', x.stopped,
        'extended', x.extended, 'route', x.route)`,
      staff: one(sql`x.completer`),
    },
    'one-notice': {
      prepare: sql`case when x.supplements is null then '{}'::text[] else array(
          select distinct mm.m from jsonb_array_elements(x.supplements) as sp(v),
            jsonb_array_elements_text(case when jsonb_typeof(sp.v->'m') = 'array' then sp.v->'m' else '[]' end) as mm(m)
          where not exists (select 1 from jsonb_array_elements(coalesce(x.notices_missing, '[]')) as nm(v)
                            where nm.v @> to_jsonb(mm.m))
            and not coalesce(x.accept_data->'missing' @> to_jsonb(mm.m), false)
          order by mm.m) end as unnamed`,
      applies: sql`x.notice_n > 0 or cardinality(${P('one-notice')}.unnamed) > 0`,
      problems: codes(
        sql`case when x.notice_n > ${n(notice.maxNotices)} then 'repeated' end`,
        sql`case when x.notice_ds[1] > x.notice_due then 'late' end`,
        sql`case when cardinality(${P('one-notice')}.unnamed) > 0 then 'incomplete' end`,
      ),
      params: sql`jsonb_build_object('notices', x.notice_n, 'max', ${n(notice.maxNotices)},
        'first', x.notice_ds[1], 'later', to_jsonb(x.notice_ds[${n(notice.maxNotices + 1)}:]),
        'received', x.rec_on, 'due', x.notice_due, 'within', ${n(notice.withinWorkingDays)},
        'unnamed', to_jsonb(${P('one-notice')}.unnamed), 'asked', x.notice_missing)`,
      staff: sql`case when x.notice_n > ${n(notice.maxNotices)}
          then array(select distinct a from unnest(x.notice_actors[${n(notice.maxNotices + 1)}:]) a order by a)
        else ${one(sql`coalesce(x.notice_actors[1], x.supplements->0->>'actor', x.intake_actor)`)} end`,
    },
    receipt: {
      applies: sql`true`,
      problems: codes(
        sql`case when x.receipt_n = 0 then 'missing'
                 when x.receipt_on > ${addWorking('x.rec_on', n(c.receipt.withinWorkingDays))} then 'late' end`,
      ),
      params: sql`jsonb_build_object('received', x.rec_on, 'receiptOn', x.receipt_on,
        'due', ${addWorking('x.rec_on', n(c.receipt.withinWorkingDays))}, 'within', ${n(c.receipt.withinWorkingDays)})`,
      staff: sql`case when x.receipt_n = 0 then ${one(sql`x.intake_actor`)} else ${one(sql`x.receipt_actor`)} end`,
    },
    'refusal-filed': {
      prepare: sql`case when x.returns is null then null else (
          select jsonb_agg(jsonb_build_object('seq', rt.v->'seq', 'd', rt.v->'d', 'stage', rt.v->'data'->>'stage',
            'actor', rt.v->>'actor', 'filedOn', fo.filed, 'problems', to_jsonb(pr.p)) order by (rt.v->>'seq')::int)
          from jsonb_array_elements(x.returns) as rt(v)
          cross join lateral (select min(fl.fd) as filed from unnest(x.file_seqs, x.file_ds) as fl(fs, fd)
            where fl.fs > (rt.v->>'seq')::int) fo
          cross join lateral (select ${codes(
            sql`case when fo.filed is null then 'not-filed'
                     when ${workingBetween(sql`(rt.v->>'d')::date`, sql`fo.filed`)} > ${n(refusal.fileWithinWorkingDays)} then 'filed-late' end`,
            sql`case when jsonb_typeof(rt.v->'data'->'reasons') is distinct from 'array'
                       or jsonb_array_length(rt.v->'data'->'reasons') = 0 then 'no-reasons' end`,
            sql`case when coalesce(btrim(rt.v->'data'->>'legalBasis'), '') = '' then 'no-basis' end`,
            sql`case when jsonb_typeof(rt.v->'data'->'remedies') is distinct from 'array'
                       or jsonb_array_length(rt.v->'data'->'remedies') = 0 then 'no-remedies' end`,
            sql`case when rt.v->'data'->>'stage' = any(${textArray(refusal.appealRightsStages)}::text[])
                       and (rt.v->'data'->>'appealRightsNotified') is distinct from 'true' then 'no-appeal-rights' end`,
          )} as p) pr
          where cardinality(pr.p) > 0
        ) end as bad`,
      applies: sql`x.returns is not null`,
      problems: sql`case when ${P('refusal-filed')}.bad is null then '{}'::text[] else array(
          select distinct pc.c from jsonb_array_elements(${P('refusal-filed')}.bad) as bd(v), jsonb_array_elements_text(bd.v->'problems') as pc(c)
          order by pc.c) end`,
      params: sql`jsonb_build_object('returns', ${P('refusal-filed')}.bad, 'within', ${n(refusal.fileWithinWorkingDays)})`,
      staff: sql`array(select distinct bd.v->>'actor' from jsonb_array_elements(${P('refusal-filed')}.bad) as bd(v) order by 1)`,
    },
    announced: {
      applies: sql`x.complete_on is not null`,
      problems: codes(
        sql`case when x.announce_on is null then 'missing'
                 when x.announce_on < x.complete_on then 'early'
                 when x.announce_on > ${addWorking('x.complete_on', n(c.announced.withinWorkingDays))} then 'late' end`,
      ),
      params: sql`jsonb_build_object('completedOn', x.complete_on, 'announcedOn', x.announce_on,
        'due', ${addWorking('x.complete_on', n(c.announced.withinWorkingDays))}, 'within', ${n(c.announced.withinWorkingDays)})`,
      // Nobody announced: whoever was on duty at the announcement desk between completion and the
      // last day it was due (AB岗: the B holder on the days the A holder was away).
      staff: sql`case when x.announce_on is null then coalesce(
          (select array_agg(distinct ds.s order by ds.s)
           from generate_series(x.complete_on - cal.s, ${addWorking('x.complete_on', n(c.announced.withinWorkingDays))} - cal.s) as g(i),
             jsonb_array_elements_text(case when g.i >= 0 then coalesce(cal.duty -> g.i, '[]') else '[]' end) as ds(s)),
          ${one(sql`x.completer`)})
        else ${one(sql`x.announcer`)} end`,
    },
    authorized: {
      applies: sql`true`,
      problems: codes(sql`case when x.denied is not null then 'denied' end`),
      params: sql`jsonb_build_object('events', x.denied)`,
      staff: sql`array(select distinct de.v->>'actor' from jsonb_array_elements(x.denied) as de(v) order by 1)`,
    },
    separation: {
      prepare: sql`${separationBreaches(ctx, importId)} as breaches`,
      applies: sql`x.sod_n > 0`,
      problems: codes(sql`case when ${P('separation')}.breaches is not null then 'breach' end`),
      params: sql`jsonb_build_object('breaches', ${P('separation')}.breaches)`,
      staff: sql`array(select distinct br.v->>'actor' from jsonb_array_elements(${P('separation')}.breaches) as br(v) order by 1)`,
    },
    seal: {
      prepare: sql`case when x.seals is null or x.special_seal then null else (
          select jsonb_agg(se.v) from jsonb_array_elements(x.seals) as se(v) where se.v->>'seal' = 'special') end as bad`,
      applies: sql`x.seals is not null`,
      problems: codes(sql`case when ${P('seal')}.bad is not null then 'special-not-allowed' end`),
      params: sql`jsonb_build_object('seals', ${P('seal')}.bad, 'item', x.item_code, 'itemName', x.item_name)`,
      staff: sql`array(select distinct se.v->>'actor' from jsonb_array_elements(${P('seal')}.bad) as se(v) order by 1)`,
    },
    tolerance: {
      prepare: sql`t.owed, t.due_by,
        case when cardinality(t.owed) = 0 then '{}'::text[] else array(select ow.m from unnest(t.owed) as ow(m)
          where not (ow.m = any(coalesce(x.secondary, '{}'))) order by ow.m) end as primary_owed,
        case when cardinality(t.owed) = 0 then '{}'::text[] else array(select ow.m from unnest(t.owed) as ow(m) where not exists (
          select 1 from jsonb_array_elements(coalesce(x.supplements, '[]')) as sp(v),
            jsonb_array_elements_text(case when jsonb_typeof(sp.v->'m') = 'array' then sp.v->'m' else '[]' end) as sm(m)
          where sm.m = ow.m and (t.due_by is null or (sp.v->>'d')::date <= t.due_by)) order by ow.m) end as unsupplied
        from (select case when x.route = 'tolerance' and jsonb_typeof(x.accept_data->'missing') = 'array'
                then array(select jsonb_array_elements_text(x.accept_data->'missing')) else '{}'::text[] end as owed,
              case when x.accept_data->>'dueBy' ~ '^\\d{4}-\\d{2}-\\d{2}$' then (x.accept_data->>'dueBy')::date end as due_by) t`,
      applies: sql`x.route = 'tolerance'`,
      problems: codes(
        c.tolerance.requireKeyProject ? sql`case when not x.key_project then 'not-key' end` : sql`null`,
        sql`case when cardinality(${P('tolerance')}.primary_owed) > 0 then 'primary-missing' end`,
        sql`case when cardinality(${P('tolerance')}.owed) > 0 and ${P('tolerance')}.due_by is null then 'no-due' end`,
        c.tolerance.withinCommittedLimit
          ? sql`case when ${P('tolerance')}.due_by > ${addWorking('x.accept_on', 'x.lim')} then 'due-beyond-limit' end`
          : sql`null`,
        sql`case when cardinality(${P('tolerance')}.unsupplied) > 0 and coalesce(${P('tolerance')}.due_by, ${ctx.asOfDate}::date) <= ${ctx.asOfDate}::date
                 then 'unsupplied' end`,
      ),
      params: sql`jsonb_build_object('owed', to_jsonb(${P('tolerance')}.owed), 'dueBy', ${P('tolerance')}.due_by, 'primary', to_jsonb(${P('tolerance')}.primary_owed),
        'unsupplied', to_jsonb(${P('tolerance')}.unsupplied), 'acceptedOn', x.accept_on,
        'limitDue', ${addWorking('x.accept_on', 'x.lim')}, 'project', x.project)`,
      staff: one(sql`coalesce(x.acceptor, x.intake_actor)`),
    },
    'green-channel': {
      applies: sql`x.route = 'green_channel'`,
      problems: codes(
        c['green-channel'].requireKeyProject
          ? sql`case when not x.key_project then 'not-key' end`
          : sql`null`,
      ),
      params: sql`jsonb_build_object('project', x.project)`,
      staff: one(sql`coalesce(x.acceptor, x.intake_actor)`),
    },
    extension: {
      prepare: sql`case when x.extends is null then null else (
          select jsonb_agg(jsonb_build_object('seq', ex.v->'seq', 'd', ex.v->'d', 'actor', ex.v->>'actor',
            'days', ex.v->'data'->'days', 'approvedBy', ex.v->'data'->>'approvedBy', 'problems', to_jsonb(pr.p)) order by (ex.v->>'seq')::int)
          from jsonb_array_elements(x.extends) as ex(v)
          cross join lateral (select ${codes(
            sql`case when (ex.v->'data'->>'days')::int > ${n(ext.maxDays)} then 'too-long' end`,
            sql`case when coalesce(ex.v->'data'->>'approvedBy', '') = '' then 'unapproved'
                     when not exists (select 1 from ap where ap.staff = ex.v->'data'->>'approvedBy'
                       and (ap."from" is null or ap."from" <= (ex.v->>'d')::date)
                       and (ap."to" is null or (ex.v->>'d')::date <= ap."to")) then 'wrong-approver' end`,
            ext.requireApplicantNotified
              ? sql`case when (ex.v->'data'->>'applicantNotified') is distinct from 'true' then 'not-notified' end`
              : sql`null`,
          )} as p) pr
          where cardinality(pr.p) > 0) end as bad,
        case when x.extends is null then 0 else (
          select coalesce(sum((ex.v->'data'->>'days')::int), 0) from jsonb_array_elements(x.extends) as ex(v)) end as total`,
      applies: sql`x.extends is not null`,
      problems: sql`array(select distinct u.c from (
          select jsonb_array_elements_text(bd.v->'problems') as c from jsonb_array_elements(coalesce(${P('extension')}.bad, '[]')) as bd(v)
          union all select 'too-long' where ${P('extension')}.total > ${n(ext.maxDays)}) as u(c) order by u.c)`,
      params: sql`jsonb_build_object('extensions', ${P('extension')}.bad, 'total', ${P('extension')}.total, 'max', ${n(ext.maxDays)})`,
      staff: sql`case when ${P('extension')}.bad is null then ${one(sql`x.extends->-1->>'actor'`)}
        else array(select distinct bd.v->>'actor' from jsonb_array_elements(${P('extension')}.bad) as bd(v) order by 1) end`,
    },
  };
}

/**
 * Separation-of-duties breaches of a case as a jsonb array (null when none): for each rule of
 * the authority policies, an event of its actions by someone who did one of its conflicting
 * actions earlier in the case. The facts tell for each rule whether its actors overlap
 * (`sod_ov`); only a case where they do is looked at event by event (an index lookup on the
 * case's events).
 */
function separationBreaches(ctx: RunContext, importId: number): SQL {
  if (ctx.sod.length === 0) return sql`null::jsonb`;
  const overlaps = ctx.sod.map(
    (r, i) =>
      sql`(coalesce(x.sod_ov[${sql.raw(String(i + 1))}], false) and x.item_code = any(${textArray(r.items)}::text[]))`,
  );
  const parts = ctx.sod.map((r, i) => {
    const real = r.actions.filter((a) => a !== 'approve_extension');
    const byApprover = r.actions.includes('approve_extension');
    const who = sql`case when a.action = 'extend' and ${sql.raw(String(byApprover))} and not (a.action = any(${textArray(real)}::text[]))
      then a.data->>'approvedBy' else a.actor end`;
    const idx = sql.raw(String(i + 1));
    return sql`case when coalesce(x.sod_ov[${idx}], false) and x.item_code = any(${textArray(r.items)}::text[]) then (
      select jsonb_agg(distinct jsonb_build_object('rule', ${r.id}::text, 'actor', ${who}, 'action',
          case when a.action = 'extend' then 'approve_extension' else a.action end,
          'seq', a.seq, 'conflict', b.action, 'conflictSeq', b.seq))
      from ${caseEvents} a join ${caseEvents} b on b.case_no = a.case_no and b.seq < a.seq
      where a.case_no = x.case_no and a.import_id <= ${importId} and b.import_id <= ${importId}
        and (a.action = any(${textArray(real)}::text[])
             ${byApprover ? sql`or (a.action = 'extend' and a.data->>'approvedBy' is not null)` : sql``})
        and b.action = any(${textArray(r.conflicts)}::text[]) and b.actor = ${who}) end`;
  });
  return sql`case when ${sql.join(overlaps, sql` or `)} then (select jsonb_agg(q.v order by (q.v->>'seq')::int, q.v->>'rule') from (
      select jsonb_array_elements(coalesce(bb.j, '[]')) as v from unnest(array[${sql.join(parts, sql`, `)}]::jsonb[]) as bb(j)) q) end`;
}
