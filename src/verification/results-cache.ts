/**
 * Upkeep of the results cache (`verification_case_results`, `verification_case_findings`): the
 * result string and the worded failures of every case with facts, for one context at a time.
 *
 * A run's results depend on its cases' facts and on its context: the policy, the calendar, the
 * catalogue, the authority's rules, who was on duty, the date of asking (runContext). Runs asked
 * on the same day with the current policy share that context (contextAt), so the cache holds the
 * results for it, and such a run copies its cases' rows (evaluate.ts `copyQuery`) instead of
 * evaluating a million cases again. The key hashes everything the results were computed from;
 * a run with any other context (another date of asking, a policy of its own, another time zone)
 * evaluates from the facts as before.
 *
 * `refreshCaseResults` brings the cache to a context and to the facts' last import: nothing when
 * current; the cases whose facts changed since (a few, after an import); everything when the key
 * changed (a new day, a changed policy, catalogue, calendar or roster: the background job does
 * it every tick, so a run seldom waits for it). It holds the facts' exclusive lock, so a run,
 * reading under the shared one, never sees half a refresh.
 *
 * @example
 * const ctx = await contextAt(db, { timeZone, asOf: new Date() });
 * await refreshCaseResults(db, { ctx, policy }); // { importId: 12, cases: 3, rebuilt: false }
 */
import { eq, sql } from 'drizzle-orm';
import { caseNumberRanges } from '../cases/index.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import { contentHash } from '../platform/hash.ts';
import { contextAt, type RunContext } from './context.ts';
import { cacheEvaluationQuery, type RawFailure } from './evaluate.ts';
import { FACTS_LOCK, factsKey, factsState } from './facts.ts';
import {
  enabledChecks,
  getVerificationPolicy,
  type VerificationPolicy,
  verificationPolicyVersion,
} from './policy.ts';
import { verificationCaseFindings, verificationCaseResults, verificationResultsState } from './schema.ts';
import type { CaseRange } from './sql-facts.ts';
import { evaluationSettings, storeFailures, wording } from './store.ts';

/** Bump when what the checks compute changes: the cache is then rebuilt. */
const RESULTS_VERSION = 1;
const STATE_ID = 1;
/** Ledger cases per evaluated range of a rebuild; cases per list of an update. */
const RANGE = 100_000;
const LIST = 5_000;
/** More changed cases than this: rebuild instead of updating case by case. */
const UPDATE_AT_MOST = 100_000;

/** The key of a context's results: what they are computed from besides the facts. */
export function resultsKey(ctx: RunContext, policyVersion: string): string {
  return contentHash({
    version: RESULTS_VERSION,
    facts: factsKey(ctx.timeZone, ctx.sod),
    policy: policyVersion,
    ctx,
  });
}

export interface ResultsState {
  importId: number;
  key: string;
}

/** How far the cache is (null before the first refresh). */
export async function resultsState(db: DbOrTx): Promise<ResultsState | null> {
  const [row] = await db
    .select({ importId: verificationResultsState.importId, key: verificationResultsState.key })
    .from(verificationResultsState)
    .where(eq(verificationResultsState.id, STATE_ID));
  return row ?? null;
}

export interface ResultsRefresh extends ResultsState {
  /** Cases whose results were (re)computed. */
  cases: number;
  rebuilt: boolean;
}

/**
 * Brings the cache to `ctx` and `policy` and to the facts' last import. The facts must be current
 * for the context (refreshCaseFacts); returns null, doing nothing, when they are not.
 */
export async function refreshCaseResults(
  db: Db,
  opts: { ctx: RunContext; policy: VerificationPolicy },
): Promise<ResultsRefresh | null> {
  const { ctx, policy } = opts;
  const key = resultsKey(ctx, verificationPolicyVersion(policy));
  const facts = await factsState(db);
  if (!facts || facts.key !== factsKey(ctx.timeZone, ctx.sod)) return null;
  const seen = await resultsState(db);
  if (seen?.key === key && seen.importId >= facts.importId) return { ...seen, cases: 0, rebuilt: false };
  const done = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FACTS_LOCK})`);
    await evaluationSettings(tx);
    const [state, now] = [await resultsState(tx), await factsState(tx)];
    if (!now || now.key !== facts.key) return null;
    if (state?.key === key && state.importId >= now.importId) return { ...state, cases: 0, rebuilt: false };
    const checks = enabledChecks(policy);
    const word = wording(Object.fromEntries(ctx.sod.map((r) => [r.id, r.message])));
    const evaluate = async (range: CaseRange) => {
      const [row] = await queryRows<{ n: number; rows: { c: string; f: Record<string, RawFailure> }[] }>(
        tx,
        cacheEvaluationQuery({
          ctx,
          policy,
          importId: now.importId,
          period: null,
          range,
          checks,
          stored: { newer: false },
        }),
      );
      await storeFailures(tx, 'cache', row.rows, { policy, word });
      return row.n;
    };
    let changed: string[] | null = null;
    if (state?.key === key) {
      const rows = await queryRows<{ case_no: string }>(
        tx,
        sql`select case_no from verification_case_facts where last_import > ${state.importId}
          order by case_no limit ${UPDATE_AT_MOST + 1}`,
      );
      if (rows.length <= UPDATE_AT_MOST) changed = rows.map((r) => r.case_no);
    }
    let cases = 0;
    if (changed) {
      for (let i = 0; i < changed.length; i += LIST)
        cases += await evaluate({ list: changed.slice(i, i + LIST) });
    } else {
      await tx.execute(sql`truncate ${verificationCaseResults}, ${verificationCaseFindings}`);
      for await (const range of caseNumberRanges(tx, RANGE)) cases += await evaluate(range);
      await tx.execute(sql`analyze ${verificationCaseResults}, ${verificationCaseFindings}`);
    }
    await tx
      .insert(verificationResultsState)
      .values({ id: STATE_ID, importId: now.importId, key, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: verificationResultsState.id,
        set: { importId: now.importId, key, updatedAt: new Date() },
      });
    return { importId: now.importId, key, cases, rebuilt: changed === null };
  });
  // A million rows just written carry no hint bits yet: the first run copying them would set
  // them (measured: its copy 1.47 s, 1.30 s after this vacuum of ~0.1 s). Outside the transaction,
  // as VACUUM must be.
  if (done?.rebuilt)
    await db
      .execute(sql`vacuum ${verificationCaseResults}, ${verificationCaseFindings}`)
      .catch((err) =>
        console.error('[verification] vacuum of the results cache failed (it stays usable):', err),
      );
  return done;
}

/**
 * The results of today's context with the policy in force (what a run started now over a past
 * period has): the background job keeps them, after the facts.
 */
export async function refreshPresentResults(db: Db, opts: { timeZone: string; now?: Date }) {
  const ctx = await contextAt(db, { timeZone: opts.timeZone, asOf: opts.now ?? new Date() });
  return refreshCaseResults(db, { ctx, policy: getVerificationPolicy() });
}
