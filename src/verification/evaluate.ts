/**
 * Assembles the checks into queries. `checkQuery` is one check as one set-based query (every case
 * of a range with its result); `evaluationQuery` evaluates all of a run's checks in the same pass
 * over the per-case facts (stored, or computed from the events: sql-facts.ts), stores the results
 * in chunks of cases (INSERT ... SELECT, in the database), and returns only the failing cases to
 * be worded (a bounded pass in JavaScript). `cacheEvaluationQuery` does the same into the results
 * cache, and `copyQuery` makes a run's results from that cache (results-cache.ts).
 *
 * @example
 * const [row] = await queryRows(db, evaluationQuery({ ...facts, runId: 7, checks: ['timely', 'receipt'] }));
 * row.n    // cases verified in the range
 * row.patterns // { ppnp...: 790, fpnp...: 12 }: how many cases have each result string (few distinct)
 * row.rows // [{ c: 'QZJS-2026-000123', f: { timely: { problems: ['committed'], staff: ['S010'], params: {...} } } }]
 */
import { type SQL, sql } from 'drizzle-orm';
import type { CheckName } from './policy.ts';
import { addWorking } from './sql-calendar.ts';
import { type CheckSql, checkSqls, prepareAlias } from './sql-checks.ts';
import { type FactsInput, factsCtes, inPeriod, rangeWhere } from './sql-facts.ts';

/** What a failing check carries out of SQL. */
export interface RawFailure {
  problems: string[];
  staff: string[];
  params: Record<string, unknown>;
}

/** The clock dates every check may use: the committed and the statutory deadline. */
const clockLateral = sql`cross join lateral (select
    ${addWorking('x.start_on', 'x.lim + x.stopped + x.extended')} as due,
    ${addWorking('x.start_on', 'x.statutory + x.stopped + x.extended')} as sdue offset 0) d`;

/** The prepared columns of the checks that have some, as laterals aliased `prepareAlias(check)`. */
function prepared(all: Record<CheckName, CheckSql>, checks: CheckName[]): SQL {
  return sql.join(
    checks
      .filter((name) => all[name].prepare)
      .map(
        (name) =>
          sql`cross join lateral (select ${all[name].prepare} offset 0) ${sql.raw(prepareAlias(name))}`,
      ),
    sql` `,
  );
}

/**
 * Every check's problems in ONE lateral `b` (columns pr0, pr1, ...): null when the check does not
 * apply, an empty array when it passes, the problem codes when it fails. One node per case for
 * all checks, instead of a few per check.
 */
function problemsLateral(all: Record<CheckName, CheckSql>, checks: CheckName[]): SQL {
  const cols = checks.map(
    (name, i) =>
      sql`case when coalesce(${all[name].applies}, false) then ${all[name].problems} end as ${sql.raw(`pr${i}`)}`,
  );
  return sql`cross join lateral (select ${sql.join(cols, sql`, `)} offset 0) b`;
}

const letter = (i: number) =>
  sql.raw(`(case when b.pr${i} is null then 'n' when cardinality(b.pr${i}) > 0 then 'f' else 'p' end)`);

/** The failure of check i as jsonb (null unless it failed). */
const failure = (c: CheckSql, i: number) =>
  sql`case when cardinality(${sql.raw(`b.pr${i}`)}) > 0 then jsonb_build_object('problems', to_jsonb(${sql.raw(`b.pr${i}`)}),
    'staff', to_jsonb(${c.staff}), 'params', ${c.params}) end`;

/**
 * One check as one query: every in-scope case of the range with `result` ('pass', 'fail',
 * 'not_applicable') and, for a failure, its problems, parameters and staff.
 */
export function checkQuery(check: CheckName, input: FactsInput): SQL {
  const all = checkSqls(input.ctx, input.policy, input.importId);
  return sql`with ${factsCtes(input)}
    select x.case_no, case ${letter(0)} when 'p' then 'pass' when 'f' then 'fail' else 'not_applicable' end as result,
      f.j->'problems' as problems, f.j->'params' as params, f.j->'staff' as staff
    from x cross join cal ${clockLateral} ${prepared(all, [check])} ${problemsLateral(all, [check])}
    cross join lateral (select ${failure(all[check], 0)} as j) f
    order by x.case_no`;
}

/** Cases per row of `verification_result_chunks` at most. */
export const RESULT_CHUNK = 10_000;

/**
 * Stores the rows `(case_no, results)` of the relation `source` (one range of a run) as the run's
 * result chunks of up to RESULT_CHUNK consecutive cases, each in case-number order (a
 * data-modifying CTE).
 */
function chunkInsert(runId: number, source: SQL): SQL {
  return sql`insert into verification_result_chunks (run_id, first_case, last_case, case_nos, results)
  select ${runId}, min(case_no), max(case_no), array_agg(case_no order by case_no), array_agg(results order by case_no)
  from (select case_no, results, (row_number() over (order by case_no) - 1) / ${sql.raw(String(RESULT_CHUNK))} as g
    from ${source}) q
  group by g`;
}

/**
 * `n`, `patterns` (how many cases have each result string) and the failing cases' failures of `out`.
 * The failures are json (text, up to 1 GB), not jsonb (whose values stop at 256 MB): a range of
 * 100,000 cases where a misconfigured policy fails most checks of every case stays within it.
 */
const outSummary = sql`select (select count(*) from out)::int as n,
  coalesce((select jsonb_object_agg(results, k) from (select results, count(*) as k from out group by results) g), '{}') as patterns,
  coalesce((select json_agg(json_build_object('c', case_no, 'f', fails) order by case_no)
    from out where fails is not null), '[]'::json) as rows`;

/**
 * Every in-scope case of the range with its result string and, when a check failed, its failures
 * (`out`, after the facts' CTEs).
 */
function evaluated(input: FactsInput & { checks: CheckName[] }): SQL {
  const all = checkSqls(input.ctx, input.policy, input.importId);
  const results = sql.join(
    input.checks.map((_, i) => letter(i)),
    sql` || `,
  );
  const fails = sql.join(
    input.checks.map((name, i) => sql`${name}::text, ${failure(all[name], i)}`),
    sql`, `,
  );
  return sql`with ${factsCtes(input)},
out as materialized (
  select x.case_no, x.last_import, x.scope_ds, r.results,
    case when strpos(r.results, 'f') > 0 then jsonb_strip_nulls(jsonb_build_object(${fails})) end as fails
  from x cross join cal ${clockLateral} ${prepared(all, input.checks)} ${problemsLateral(all, input.checks)}
  cross join lateral (select ${results} as results offset 0) r
)`;
}

/**
 * All `checks` over a range for a run: stores the run's result chunks and returns one row
 * `{ n, patterns, rows }` with the count, the result strings' counts and the failing cases' failures.
 */
export function evaluationQuery(input: FactsInput & { runId: number; checks: CheckName[] }): SQL {
  return sql`${evaluated(input)},
ins as (${chunkInsert(input.runId, sql`out`)})
${outSummary}`;
}

/**
 * All `checks` over a range into the results cache (`verification_case_results`): replaces the
 * range's cached results, drops their cached findings (the caller stores the new ones, worded)
 * and returns `{ n, patterns, rows }` as `evaluationQuery` does.
 */
export function cacheEvaluationQuery(input: FactsInput & { checks: CheckName[] }): SQL {
  return sql`${evaluated(input)},
del as (delete from verification_case_findings where case_no in (select case_no from out)),
ins as (
  insert into verification_case_results (case_no, last_import, scope_ds, results)
  select case_no, last_import, scope_ds, results from out
  on conflict (case_no) do update set last_import = excluded.last_import, scope_ds = excluded.scope_ds,
    results = excluded.results
)
${outSummary}`;
}

/**
 * A run's range from the results cache, current for the run's context: stores the run's result
 * chunks and findings from the cached rows of its cases, and returns `{ patterns }` (how many
 * cases have each result string: the counts of cases, of failing cases and of failures follow).
 */
export function copyQuery(input: {
  runId: number;
  importId: number;
  period: FactsInput['period'];
  range: FactsInput['range'];
  /** At most RESULT_CHUNK cases in the range. */
  small: boolean;
}): SQL {
  const { runId, importId, period, range, small } = input;
  // `out` is read from the cache's primary key in case order, and a range that fits one chunk
  // takes its arrays in that order (both built in the same pass, so case_nos[i] and results[i]
  // belong together), its first and last case from their ends: no sort and no comparisons of
  // case numbers, a third of the time of copying a range.
  const chunk = small
    ? sql`insert into verification_result_chunks (run_id, first_case, last_case, case_nos, results)
    select ${runId}, a[1], a[cardinality(a)], a, b
    from (select array_agg(case_no) as a, array_agg(results) as b from out) s
    where cardinality(a) > 0`
    : chunkInsert(runId, sql`out`);
  return sql`with out as materialized (
  select r.case_no, r.results from verification_case_results r
  where ${rangeWhere('r.case_no', range)} and r.last_import <= ${importId} and ${inPeriod('r.scope_ds', period)}
  order by r.case_no
),
ch as (${chunk}),
fi as (
  insert into verification_run_findings (run_id, case_no, "check", text_id)
  select ${runId}, f.case_no, f.check, f.text_id
  from verification_case_findings f join out on out.case_no = f.case_no
  where ${rangeWhere('f.case_no', range)} and strpos(out.results, 'f') > 0
)
select coalesce(jsonb_object_agg(results, k), '{}') as patterns
from (select results, count(*)::int as k from out group by results) g`;
}
