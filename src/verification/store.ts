/**
 * Storing what an evaluation found: failures worded in Chinese and English and written as
 * finding rows (a run's, or the results cache's), and the result strings counted per check.
 *
 * @example
 * const word = wording(sodMessages);
 * const failures = await storeFailures(tx, { runId: 7 }, row.rows, { policy, word });
 * const counts = countPatterns(row.patterns, checks); // { timely: [pass, fail, n/a], ... }
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import type { RawFailure } from './evaluate.ts';
import type { CheckName, VerificationPolicy } from './policy.ts';
import { verificationCaseFindings, verificationFindingTexts, verificationRunFindings } from './schema.ts';
import { describeFailure } from './wording.ts';

/** A failure's detail in Chinese and in English. */
export type Wording = (check: CheckName, raw: RawFailure) => [string, string];

/**
 * Words failures, each distinct failure once: a month of cases repeats the same problems, dates
 * and staff many times, and wording is most of an evaluation's time in JavaScript.
 * `rules`: the separation rules' messages by id.
 */
export function wording(rules: Record<string, string>): Wording {
  const seen = new Map<string, [string, string]>();
  return (check, raw) => {
    const key = `${check}\u0000${JSON.stringify(raw)}`;
    let hit = seen.get(key);
    if (!hit) {
      if (seen.size >= 100_000) seen.clear();
      hit = [describeFailure(check, raw, 'zh-CN', rules), describeFailure(check, raw, 'en', rules)];
      seen.set(key, hit);
    }
    return hit;
  };
}

/**
 * Words the failing cases' failures and stores them as findings of a run, or of the results
 * cache. Returns how many were stored.
 */
export async function storeFailures(
  tx: DbOrTx,
  target: { runId: number } | 'cache',
  rows: { c: string; f: Record<string, RawFailure> }[],
  opts: { policy: VerificationPolicy; word: Wording },
): Promise<number> {
  const findings = rows.flatMap(({ c, f }) =>
    Object.entries(f).map(([check, raw]) => {
      const name = check as CheckName;
      const [detail, detailEn] = opts.word(name, raw);
      return {
        case_no: c,
        check: name,
        reason: raw.problems[0] ?? 'fail',
        params: raw.params,
        detail,
        detail_en: detailEn,
        staff: raw.staff ?? [],
        fault_type: opts.policy.checks[name].faultType,
      };
    }),
  );
  const into =
    target === 'cache'
      ? sql`${verificationCaseFindings} (case_no, "check", text_id) select t.case_no, t.check, t.id from t`
      : sql`${verificationRunFindings} (run_id, case_no, "check", text_id) select ${target.runId}, t.case_no, t.check, t.id from t`;
  if (!findings.length) return 0;
  // One json parameter unpacked by the database: a row costs a few microseconds, not the nine
  // bound parameters of a row-by-row VALUES list. json, not jsonb: read as it is parsed, and text
  // goes to 1 GB where a jsonb value stops at 256 MB (a range's worded findings can be hundreds of
  // megabytes when a misconfigured policy fails every case). Texts already stored (found by an earlier run,
  // or kept by the cache) are not stored again. All of a call's texts go in one statement, in
  // id order: two runs evaluating the same cases at once (texts are shared) then wait for each
  // other at worst, and never deadlock, as they could when each cut its texts into batches of
  // its own. (The evaluation query returned all these failures as one value already.)
  await tx.execute(sql`with t as materialized (
      select ${findingId('r')} as id, r.* from json_to_recordset(${JSON.stringify(findings)}::json)
        as r(case_no text, "check" text, reason text, params jsonb, detail text, detail_en text, staff text[], fault_type text)
    ),
    texts as (
      insert into ${verificationFindingTexts} (id, case_no, "check", reason, params, detail, detail_en, staff, fault_type)
      select id, case_no, "check", reason, params, detail, detail_en, staff, fault_type from t order by id
      on conflict (id) do nothing
    )
    insert into ${into}`);
  return findings.length;
}

/**
 * The id of a finding's text: the SHA-256 of its content (the same expression migrated the
 * findings of earlier runs, migration 0018). `alias` names a row with the finding's columns.
 */
export function findingId(alias: string): SQL {
  const r = (c: string) => sql.raw(`${alias}.${c}`);
  return sql`encode(sha256(convert_to(jsonb_build_array(${r('case_no')}, ${r('"check"')}, ${r('reason')}, ${r('params')},
    ${r('detail')}, ${r('detail_en')}, ${r('staff')}, ${r('fault_type')})::text, 'UTF8')), 'hex')`;
}

/** Per check [pass, fail, not applicable], from the counts of the few distinct result strings. */
export function countPatterns(
  patterns: Record<string, number>,
  checks: CheckName[],
): Record<string, [number, number, number]> {
  const counts: Record<string, [number, number, number]> = {};
  for (const [results, k] of Object.entries(patterns)) {
    checks.forEach((name, i) => {
      counts[name] ??= [0, 0, 0];
      const at = 'pfn'.indexOf(results[i]);
      if (at >= 0) counts[name][at] += Number(k);
    });
  }
  return counts;
}

/** Session settings of a transaction that evaluates checks. */
export async function evaluationSettings(tx: DbOrTx): Promise<void> {
  // The checks' many small subqueries give the planner huge cost estimates, which switch on JIT
  // compilation: seconds of compiling for a query that runs in a fraction of that.
  await tx.execute(sql`set local jit = off`);
  // A range's per-case facts are held in memory while its checks run (and not spilled to disk).
  await tx.execute(sql`set local work_mem = '64MB'`);
}
