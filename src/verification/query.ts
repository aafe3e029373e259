/**
 * Reading runs and what they found: a run with its progress, the list of runs, the findings of a
 * run (filtered by check, result, staff or case; keyset-paged), the failures by clerk, and one
 * case's results. Pass and not-applicable results carry their check's standard wording; failures
 * carry the detail worded when the run stored them.
 *
 * @example
 * const page = await listFindings(db, 7, { result: 'fail', check: 'timely' }, { limit: 50 });
 * page.rows[0] // { caseNo, check: 'timely', result: 'fail', detail: '办结于2026-03-12, ...', staff: ['S010'] }
 * const next = await listFindings(db, 7, { result: 'fail' }, { cursor: page.nextCursor });
 */
import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import type { DocLocale } from '../documents/index.ts';
import { AppError } from '../platform/errors.ts';
import { type CheckName, isCheckName } from './policy.ts';
import {
  verificationFindings,
  verificationResultChunks,
  verificationRunStatus,
  verificationRuns,
} from './schema.ts';
import { textArray } from './sql-facts.ts';
import { describeResult, type ResultName } from './wording.ts';

/** A running run whose progress row has not moved for this long is reported as interrupted. */
const STALE_MS = 10 * 60 * 1000;

export type RunView = typeof verificationRuns.$inferSelect & {
  status: Omit<typeof verificationRunStatus.$inferSelect, 'status'> & {
    status: 'queued' | 'running' | 'done' | 'failed' | 'interrupted';
  };
};

function withStatus(
  run: typeof verificationRuns.$inferSelect,
  s: typeof verificationRunStatus.$inferSelect,
): RunView {
  const stale =
    (s.status === 'running' || s.status === 'queued') && Date.now() - s.updatedAt.getTime() > STALE_MS;
  return {
    ...run,
    status: { ...s, status: (stale ? 'interrupted' : s.status) as RunView['status']['status'] },
  };
}

/** A run with its status, or null. */
export async function getRun(db: DbOrTx, id: number): Promise<RunView | null> {
  const [row] = await db
    .select({ run: verificationRuns, status: verificationRunStatus })
    .from(verificationRuns)
    .innerJoin(verificationRunStatus, eq(verificationRunStatus.runId, verificationRuns.id))
    .where(eq(verificationRuns.id, id));
  return row ? withStatus(row.run, row.status) : null;
}

/** Runs, newest first (`before`: ids below it, for paging). */
export async function listRuns(
  db: DbOrTx,
  opts: { limit?: number; before?: number } = {},
): Promise<RunView[]> {
  const rows = await db
    .select({ run: verificationRuns, status: verificationRunStatus })
    .from(verificationRuns)
    .innerJoin(verificationRunStatus, eq(verificationRunStatus.runId, verificationRuns.id))
    .where(opts.before ? lt(verificationRuns.id, opts.before) : undefined)
    .orderBy(desc(verificationRuns.id))
    .limit(Math.min(Math.max(opts.limit ?? 50, 1), 200));
  return rows.map((r) => withStatus(r.run, r.status));
}

export interface FindingFilters {
  check?: CheckName;
  result?: ResultName;
  staff?: string;
  caseNo?: string;
}

export interface FindingRow {
  caseNo: string;
  check: CheckName;
  result: ResultName;
  detail: string;
  staff: string[];
  /** For a failure: why (the problem code) and the misconduct fault type it counts as. */
  reason?: string;
  faultType?: string;
  /** For a failure: what its wording was made from (the denied events, the late days, ...). */
  params?: Record<string, unknown>;
}

export interface FindingPage {
  rows: FindingRow[];
  nextCursor: string | null;
  total: number;
}

/** The result strings (one letter per check) of `caseNos` in a run; cases not in it are absent. */
export async function resultStrings(
  db: DbOrTx,
  runId: number,
  caseNos: string[],
): Promise<Map<string, string>> {
  if (caseNos.length === 0) return new Map();
  // The chunks that may hold them, by the smallest and largest of the list in the database's
  // own order of text (which a JavaScript sort need not share).
  const rows = await queryRows<{ case_no: string; results: string }>(
    db,
    sql`with wanted as (select unnest(${textArray(caseNos)}::text[]) as case_no),
      bounds as (select min(case_no) as lo, max(case_no) as hi from wanted)
      select u.case_no, u.results
      from bounds cross join ${verificationResultChunks} k cross join unnest(k.case_nos, k.results) as u(case_no, results)
      where k.run_id = ${runId} and k.last_case >= bounds.lo and k.first_case <= bounds.hi
        and u.case_no in (select case_no from wanted)`,
  );
  return new Map(rows.map((r) => [r.case_no, r.results]));
}

const LETTER: Record<ResultName, string> = { pass: 'p', fail: 'f', not_applicable: 'n' };
const RESULT: Record<string, ResultName> = { p: 'pass', f: 'fail', n: 'not_applicable' };

function encode(v: [kind: 'f' | 'r', key: string, ...at: (number | string)[]]) {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}
/** A cursor's key and positions: `f` (findings) [caseNo, check], `r` (results) [firstCase, ord, i]. */
function decode(cursor: string, kind: 'f' | 'r'): [string, ...(number | string)[]] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === (kind === 'f' ? 3 : 4) && v[0] === kind && typeof v[1] === 'string')
      return v.slice(1) as [string, ...(number | string)[]];
  } catch {
    // fall through
  }
  throw AppError.validation([{ path: 'query.cursor', message: 'not a cursor of this listing' }]);
}

/** Findings of a run, keyset-paged in case-number order. Throws NOT_FOUND for an unknown run. */
export async function listFindings(
  db: DbOrTx,
  runId: number,
  f: FindingFilters,
  opts: { limit?: number; cursor?: string | null; locale?: DocLocale } = {},
): Promise<FindingPage> {
  const [run] = await db
    .select({ checks: verificationRuns.checks })
    .from(verificationRuns)
    .where(eq(verificationRuns.id, runId));
  if (!run) throw new AppError('NOT_FOUND', `no verification run ${runId}`);
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 1000);
  const locale = opts.locale ?? 'zh-CN';
  const checks = run.checks.filter(isCheckName);
  if (f.check && !checks.includes(f.check)) return { rows: [], nextCursor: null, total: 0 };
  // Only failures carry staff; a failure listing reads the findings alone.
  if (f.result === 'fail' || f.staff) {
    if (f.result && f.result !== 'fail') return { rows: [], nextCursor: null, total: 0 };
    const where: SQL[] = [eq(verificationFindings.runId, runId)];
    if (f.check) where.push(eq(verificationFindings.check, f.check));
    if (f.caseNo) where.push(eq(verificationFindings.caseNo, f.caseNo));
    if (f.staff) where.push(sql`${verificationFindings.staff} @> array[${f.staff}]::text[]`);
    const [{ n }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(verificationFindings)
      .where(and(...where));
    if (opts.cursor) {
      const [caseNo, check] = decode(opts.cursor, 'f');
      where.push(
        sql`(${verificationFindings.caseNo}, ${verificationFindings.check}) > (${caseNo}, ${String(check)})`,
      );
    }
    const rows = await db
      .select()
      .from(verificationFindings)
      .where(and(...where))
      .orderBy(verificationFindings.caseNo, verificationFindings.check)
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      rows: page.map((r) => ({
        caseNo: r.caseNo,
        check: r.check as CheckName,
        result: 'fail',
        detail: locale === 'en' ? r.detailEn : r.detail,
        staff: r.staff,
        reason: r.reason,
        faultType: r.faultType,
        params: r.params,
      })),
      nextCursor: rows.length > limit && last ? encode(['f', last.caseNo, last.check]) : null,
      total: n,
    };
  }
  // Results are read chunk by chunk (results-cache.ts, evaluate.ts), in the order of the chunks
  // (by first case) and of the cases within each (their position `ord`), so a page sorts only
  // the chunks it reaches.
  const conds: SQL[] = [sql`k.run_id = ${runId}`];
  if (f.check) conds.push(sql`c.name = ${f.check}`);
  if (f.caseNo) conds.push(sql`${f.caseNo} between k.first_case and k.last_case and u.case_no = ${f.caseNo}`);
  if (f.result) conds.push(sql`substr(u.results, c.i::int, 1) = ${LETTER[f.result]}`);
  const from = sql`${verificationResultChunks} k
    cross join unnest(k.case_nos, k.results) with ordinality as u(case_no, results, ord)
    cross join unnest(${`{${checks.join(',')}}`}::text[]) with ordinality as c(name, i)`;
  const n = f.caseNo ? null : await summedTotal(db, runId, checks, f);
  const [counted] =
    n === null
      ? await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from ${from} where ${sql.join(conds, sql` and `)}`,
        )
      : [{ n }];
  if (opts.cursor) {
    const [first, ord, i] = decode(opts.cursor, 'r');
    conds.push(sql`k.first_case >= ${first}`);
    conds.push(sql`(k.first_case, u.ord, c.i) > (${first}, ${Number(ord)}::bigint, ${Number(i)}::bigint)`);
  }
  const rows = await queryRows<{
    first_case: string;
    ord: number;
    case_no: string;
    name: string;
    i: number;
    res: string;
    detail: string | null;
    detail_en: string | null;
    staff: string[] | null;
    reason: string | null;
    fault_type: string | null;
  }>(
    db,
    // The page first, then the findings of its failures (not looked up for every result read).
    sql`select p.*, f.detail, f.detail_en, f.staff, f.reason, f.fault_type
        from (
          select k.first_case, u.ord::int as ord, u.case_no, c.name, c.i::int as i, substr(u.results, c.i::int, 1) as res
          from ${from}
          where ${sql.join(conds, sql` and `)}
          order by k.first_case, u.ord, c.i
          limit ${limit + 1}
        ) p
        left join ${verificationFindings} f on p.res = 'f' and f.run_id = ${runId} and f.case_no = p.case_no
          and f.check = p.name
        order by p.first_case, p.ord, p.i`,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => {
      const check = r.name as CheckName;
      const result = RESULT[r.res] ?? 'not_applicable';
      if (result === 'fail')
        return {
          caseNo: r.case_no,
          check,
          result,
          detail: (locale === 'en' ? r.detail_en : r.detail) ?? '',
          staff: r.staff ?? [],
          reason: r.reason ?? undefined,
          faultType: r.fault_type ?? undefined,
        };
      return { caseNo: r.case_no, check, result, detail: describeResult(check, result, locale), staff: [] };
    }),
    nextCursor: rows.length > limit && last ? encode(['r', last.first_case, last.ord, last.i]) : null,
    total: counted.n,
  };
}

/**
 * How many results a finished run has for a check and/or result (from its summary, instead of
 * counting millions of results); null while it runs.
 */
async function summedTotal(
  db: DbOrTx,
  runId: number,
  checks: CheckName[],
  f: FindingFilters,
): Promise<number | null> {
  const [s] = await db
    .select({ status: verificationRunStatus.status, summary: verificationRunStatus.summary })
    .from(verificationRunStatus)
    .where(eq(verificationRunStatus.runId, runId));
  if (s?.status !== 'done') return null;
  let n = 0;
  for (const check of f.check ? [f.check] : checks) {
    const c = s.summary[check] ?? { pass: 0, fail: 0, not_applicable: 0 };
    n += f.result ? c[f.result] : c.pass + c.fail + c.not_applicable;
  }
  return n;
}

/** Every result of one case in a run (in the run's check order); null when the case was not in it. */
export async function caseResults(db: DbOrTx, runId: number, caseNo: string, locale: DocLocale = 'zh-CN') {
  if (!(await resultStrings(db, runId, [caseNo])).has(caseNo)) return null;
  const page = await listFindings(db, runId, { caseNo }, { limit: 100, locale });
  return page.rows;
}

export interface ClerkFailures {
  staff: string;
  total: number;
  byCheck: Partial<Record<CheckName, number>>;
}

/** Failures per staff member responsible, most first. */
export async function failuresByClerk(db: DbOrTx, runId: number): Promise<ClerkFailures[]> {
  const rows = await queryRows<{ staff: string; check: string; n: number }>(
    db,
    sql`select s.staff, f.check, count(*)::int as n
        from ${verificationFindings} f cross join unnest(f.staff) as s(staff)
        where f.run_id = ${runId} group by 1, 2`,
  );
  const by = new Map<string, ClerkFailures>();
  for (const r of rows) {
    const e = by.get(r.staff) ?? { staff: r.staff, total: 0, byCheck: {} };
    e.total += r.n;
    e.byCheck[r.check as CheckName] = r.n;
    by.set(r.staff, e);
  }
  return [...by.values()].sort((a, b) => b.total - a.total || (a.staff < b.staff ? -1 : 1));
}

/**
 * Every result of a run as NDJSON-shaped objects, page by page (the CLI streams them).
 * `failuresOnly` skips passes and not-applicable results.
 */
export async function* allFindings(
  db: DbOrTx,
  runId: number,
  opts: { locale?: DocLocale; failuresOnly?: boolean } = {},
) {
  let cursor: string | null = null;
  do {
    const page: FindingPage = await listFindings(db, runId, opts.failuresOnly ? { result: 'fail' } : {}, {
      limit: 1000,
      cursor,
      locale: opts.locale,
    });
    for (const r of page.rows) yield r;
    cursor = page.nextCursor;
  } while (cursor);
}
