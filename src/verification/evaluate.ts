/**
 * Assembles the checks into queries. `checkQuery` is one check as one set-based query (every case
 * of a range with its result); `evaluationQuery` evaluates all of a run's checks in the same pass
 * over the per-case facts (stored, or computed from the events: sql-facts.ts), stores one result
 * row per case (INSERT ... SELECT, in the database), and returns only the failing cases to be
 * worded (a bounded pass in JavaScript).
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
import { type FactsInput, factsCtes } from './sql-facts.ts';

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

/**
 * All `checks` over a range: stores `(runId, case_no, results)` for each in-scope case and returns
 * one row `{ n, rows }` with the count and the failing cases' failures.
 */
export function evaluationQuery(input: FactsInput & { runId: number; checks: CheckName[] }): SQL {
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
  select x.case_no, r.results,
    case when strpos(r.results, 'f') > 0 then jsonb_strip_nulls(jsonb_build_object(${fails})) end as fails
  from x cross join cal ${clockLateral} ${prepared(all, input.checks)} ${problemsLateral(all, input.checks)}
  cross join lateral (select ${results} as results offset 0) r
),
ins as (
  insert into verification_results (run_id, case_no, results)
  select ${input.runId}, case_no, results from out
)
select (select count(*) from out)::int as n,
  coalesce((select jsonb_object_agg(results, k) from (select results, count(*) as k from out group by results) g), '{}') as patterns,
  coalesce((select jsonb_agg(jsonb_build_object('c', case_no, 'f', fails) order by case_no)
    from out where fails is not null), '[]'::jsonb) as rows`;
}
