/**
 * Verification runs: a run covers the cases completed, returned or sent a supplement notice in a
 * period (local dates, inclusive), or a list of case numbers. It is recorded first (with the
 * policy, calendar and authority versions and the ledger's last import, so it can be understood
 * later), then carried out range by range of case numbers, each range in its own transaction,
 * two at a time on a server, with the progress row updated after each:
 * - the stored per-case facts are brought up to the ledger's last import (facts.ts; nothing to
 *   do when the background job or an earlier run already did);
 * - a run asked today with the policy in force brings the results cache up to date too
 *   (results-cache.ts) and copies its cases' results and findings from it, ten thousand cases a
 *   statement (evaluate.ts `copyQuery`);
 * - any other run (asked as of another day, a policy of its own, a ledger that has moved on since
 *   it was recorded) evaluates each range in one set-based query over the facts (evaluate.ts).
 * Either way a range's results are stored in chunks of cases and its failures as findings. The
 * record and its results are append-only: a re-run is a new run.
 *
 * @example
 * const run = await createRun(db, { from: '2026-03-01', to: '2026-03-31', actor: 'user:inspector', timeZone });
 * await executeRun(db, run.id); // { status: 'done', cases: 812, failures: 23, ... }
 * // or as a job: const { run, done } = await startRun(db, input); ... await done;
 */
import { and, eq, sql } from 'drizzle-orm';
import { getAuthorityEngine } from '../authority/index.ts';
import { getCalendar, isDateString, type WorkingCalendar } from '../calendar/index.ts';
import { caseImports, caseNumberRanges, cases } from '../cases/index.ts';
import type { Db } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError, type FieldProblem } from '../platform/errors.ts';
import { localDate } from '../platform/time.ts';
import { contextAt, type RunContext } from './context.ts';
import { copyQuery, evaluationQuery, type RawFailure, RESULT_CHUNK } from './evaluate.ts';
import { FACTS_LOCK, factsKey, factsState, refreshCaseFacts } from './facts.ts';
import {
  type CheckName,
  enabledChecks,
  getVerificationPolicy,
  isCheckName,
  type VerificationPolicy,
  verificationPolicyVersion,
} from './policy.ts';
import { refreshCaseResults, resultsKey, resultsState } from './results-cache.ts';
import { type RunSummary, verificationRunStatus, verificationRuns } from './schema.ts';
import type { CaseRange } from './sql-facts.ts';
import { countPatterns, evaluationSettings, storeFailures, type Wording, wording } from './store.ts';

export const MAX_CASES_LISTED = 10_000;
/** Ledger cases per range: evaluated, or copied from the results cache (a chunk of results each). */
const CHUNK = 100_000;
const COPY_CHUNK = RESULT_CHUNK;
const LIST_CHUNK = 5_000;
const PROGRESS_MS = 250;

export interface RunInput {
  from?: string;
  to?: string;
  caseNos?: string[];
  /** The time of asking (default now). */
  asOf?: Date;
  /** Who started it (`user:NAME`, `cli`, ...). */
  actor: string;
  timeZone: string;
  policy?: VerificationPolicy;
}

export type Run = typeof verificationRuns.$inferSelect;
export type RunStatus = typeof verificationRunStatus.$inferSelect;

export interface ExecuteOptions {
  calendar?: WorkingCalendar;
  /** Ledger cases per evaluated range (default 100,000; 10,000 when copied from the results cache). */
  chunkSize?: number;
  /** `total` is null until the run's ledger cases are counted. */
  onProgress?: (s: { done: number; total: number | null; cases: number; failures: number }) => void;
  /**
   * Copy results from the results cache when it holds this run's context (default true); false
   * evaluates every case from the facts.
   */
  cache?: boolean;
  /**
   * Ranges evaluated at the same time, each in its own transaction and connection (default on a
   * PostgreSQL server: 2 evaluated, 3 copied from the results cache; 1 on embedded PGlite).
   */
  concurrency?: number;
}

/**
 * A server (postgres.js: a pool of connections) evaluates two ranges at once: an evaluated range
 * keeps a core busy. A copied range is a few milliseconds of work between round trips, so a third
 * keeps the server's cores busy meanwhile (measured on 2 cores, a million cases: 0.93 s against
 * 1.05 s with two, 1.55 s with one; a fourth adds nothing). PGlite has one connection.
 */
const defaultConcurrency = (db: Db, copying: boolean) =>
  typeof (db as { $client?: unknown }).$client === 'function' ? (copying ? 3 : 2) : 1;

/** Checks the input; throws VALIDATION_FAILED naming every field at fault. */
function validate(input: RunInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const hasList = input.caseNos !== undefined && input.caseNos.length > 0;
  if (hasList) {
    if (input.from || input.to)
      problems.push({ path: 'caseNos', message: 'give a period or a list of case numbers, not both' });
    if (input.caseNos!.length > MAX_CASES_LISTED)
      problems.push({ path: 'caseNos', message: `at most ${MAX_CASES_LISTED} case numbers` });
    input.caseNos!.forEach((c, i) => {
      if (typeof c !== 'string' || !c.trim() || c.length > 64)
        problems.push({ path: `caseNos[${i}]`, message: 'a case number (1-64 characters)' });
    });
    return problems;
  }
  if (!input.from) problems.push({ path: 'from', message: 'required (YYYY-MM-DD), or give caseNos' });
  else if (!isDateString(input.from)) problems.push({ path: 'from', message: 'must be a date YYYY-MM-DD' });
  if (!input.to) problems.push({ path: 'to', message: 'required (YYYY-MM-DD), or give caseNos' });
  else if (!isDateString(input.to)) problems.push({ path: 'to', message: 'must be a date YYYY-MM-DD' });
  if (input.from && input.to && isDateString(input.from) && isDateString(input.to) && input.from > input.to)
    problems.push({ path: 'to', message: 'must not be before from' });
  return problems;
}

/** Records a run (queued). Throws VALIDATION_FAILED for bad input or unknown case numbers. */
export async function createRun(db: Db, input: RunInput): Promise<Run> {
  const problems = validate(input);
  if (problems.length) throw AppError.validation(problems);
  const policy = input.policy ?? getVerificationPolicy();
  const checks = enabledChecks(policy);
  if (checks.length === 0)
    throw new AppError('UNPROCESSABLE', 'every check is switched off in the verification policy');
  const caseNos = input.caseNos?.length ? [...new Set(input.caseNos.map((c) => c.trim()))] : null;
  if (caseNos) {
    const known = new Set(
      (
        await queryRows<{ case_no: string }>(
          db,
          sql`select case_no from ${cases} where case_no = any(${`{${caseNos.map((c) => `"${c.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[])`,
        )
      ).map((r) => r.case_no),
    );
    const unknown = caseNos.map((c, i) => [c, i] as const).filter(([c]) => !known.has(c));
    if (unknown.length)
      throw AppError.validation(
        unknown.map(([c, i]) => ({ path: `caseNos[${i}]`, message: `no case ${c}` })),
      );
  }
  const calendar = getCalendar();
  const authority = await getAuthorityEngine(db);
  const asOf = input.asOf ?? new Date();
  return db.transaction(async (tx) => {
    const [imp] = await queryRows<{ id: number }>(
      tx,
      sql`select coalesce(max(id), 0)::int as id from ${caseImports}`,
    );
    const [run] = await tx
      .insert(verificationRuns)
      .values({
        periodFrom: caseNos ? null : input.from!,
        periodTo: caseNos ? null : input.to!,
        caseNos,
        asOf,
        checks,
        policy: policy as unknown as Record<string, unknown>,
        policyVersion: verificationPolicyVersion(policy),
        calendarVersion: calendar.version,
        authorityVersion: authority.policyVersion,
        ledgerImportId: imp.id,
        timeZone: input.timeZone,
        startedBy: input.actor,
      })
      .returning();
    await tx.insert(verificationRunStatus).values({ runId: run.id, status: 'queued' });
    await appendAudit(tx, {
      actor: input.actor,
      action: 'verification.run',
      entity: 'verification_run',
      entityId: String(run.id),
      content: {
        period: caseNos ? null : [run.periodFrom, run.periodTo],
        caseNos,
        checks,
        policyVersion: run.policyVersion,
      },
    });
    return run;
  });
}

const jobs = new Map<number, Promise<RunStatus>>();

/**
 * Evaluates a recorded run. Each range of cases is one transaction: its results and findings go
 * in together. Sets the status to done (or failed, with the error) at the end.
 */
export async function executeRun(db: Db, runId: number, opts: ExecuteOptions = {}): Promise<RunStatus> {
  const [run] = await db.select().from(verificationRuns).where(eq(verificationRuns.id, runId));
  if (!run) throw new AppError('NOT_FOUND', `no verification run ${runId}`);
  const claimed = await db
    .update(verificationRunStatus)
    .set({ status: 'running', phase: 'preparing', startedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(verificationRunStatus.runId, runId), eq(verificationRunStatus.status, 'queued')))
    .returning();
  if (!claimed.length) throw new AppError('CONFLICT', `verification run ${runId} has already been executed`);
  const counts = { done: 0, total: 0, cases: 0, failures: 0, failedCases: 0 };
  const summary: RunSummary = {};
  try {
    const policy = run.policy as unknown as VerificationPolicy;
    const checks = run.checks.filter(isCheckName);
    const ctx = await contextAt(db, {
      timeZone: run.timeZone,
      asOf: run.asOf,
      periodTo: run.periodTo,
      calendar: opts.calendar,
    });
    const word = wording(Object.fromEntries(ctx.sod.map((r) => [r.id, r.message])));
    // The facts of cases touched by imports since the last refresh (none, usually). Facts kept
    // for another context (a run in another time zone than the bureau's, whose facts the jobs
    // keep) are not rebuilt for this run: its ranges are computed from the events instead, so
    // runs and jobs never take turns truncating the table.
    await setStatus(db, runId, { phase: 'facts' });
    const key = factsKey(run.timeZone, ctx.sod);
    const kept = await factsState(db);
    if (!kept || kept.key === key) await refreshCaseFacts(db, { timeZone: run.timeZone, sod: ctx.sod });
    // The results cache, for a run of the present day with the policy in force over a period
    // that has ended (the context the jobs keep: a period ending later stretches the run's span
    // of dates, so its context is another), or when it is this run's context already; any other
    // run evaluates its cases. The cache only saves time: when it cannot be brought up to date,
    // the run evaluates.
    const resultKey = resultsKey(ctx, run.policyVersion);
    let copying = false;
    if (opts.cache !== false) {
      const present =
        ctx.asOfDate === localDate(new Date(), run.timeZone) &&
        (run.periodTo === null || run.periodTo <= ctx.asOfDate) &&
        run.policyVersion === verificationPolicyVersion(getVerificationPolicy());
      try {
        if (present || (await resultsState(db))?.key === resultKey) {
          await setStatus(db, runId, { phase: 'results' });
          await refreshCaseResults(db, { ctx, policy });
        }
        const cached = await resultsState(db);
        copying = cached?.key === resultKey && cached.importId === run.ledgerImportId;
      } catch (err) {
        console.error(`[verification] run ${runId}: the results cache could not be used, evaluating:`, err);
      }
    }
    const period = run.periodFrom && run.periodTo ? { from: run.periodFrom, to: run.periodTo } : null;
    // Counting the run's ledger cases is a scan of the cases (~0.1 s at a million): done while
    // the first ranges are, for the progress bar and the size of the last range.
    let known: number | null = null;
    const total = totalOf(db, run);
    total.then((n) => (known = n)).catch(() => {});
    await setStatus(db, runId, { phase: 'evaluating' });
    const ranges = rangesOf(db, run, opts.chunkSize ?? (copying ? COPY_CHUNK : CHUNK), total);
    // Progress rows in the order the ranges finished, one update at a time, at most every
    // PROGRESS_MS (a copied range takes a few milliseconds); the final counts go with `done`.
    let progress: Promise<void> = Promise.resolve();
    let written = 0;
    let failed = false;
    const worker = async () => {
      while (!failed) {
        const next = await ranges.next();
        if (next.done) return;
        const { range, size } = next.value;
        const r = await evaluateRange(db, {
          run,
          ctx,
          policy,
          checks,
          period,
          range,
          size,
          word,
          key,
          resultKey: opts.cache === false ? null : resultKey,
        });
        counts.done += size;
        counts.cases += r.cases;
        counts.failures += r.failures;
        counts.failedCases += r.failedCases;
        for (const [check, [pass, fail, na]] of Object.entries(r.counts)) {
          summary[check] ??= { pass: 0, fail: 0, not_applicable: 0 };
          const s = summary[check];
          s.pass += pass;
          s.fail += fail;
          s.not_applicable += na;
        }
        const now = {
          ...counts,
          total: known,
          done: known === null ? counts.done : Math.min(counts.done, known),
          summary: structuredClone(summary),
        };
        if (Date.now() - written >= PROGRESS_MS) {
          written = Date.now();
          progress = progress.then(() =>
            setStatus(db, runId, {
              summary: now.summary,
              total: now.total,
              done: now.done,
              cases: now.cases,
              failures: now.failures,
              failedCases: now.failedCases,
            }),
          );
          await progress;
        }
        opts.onProgress?.({ done: now.done, total: now.total, cases: now.cases, failures: now.failures });
      }
    };
    const settled = await Promise.allSettled(
      Array.from({ length: Math.max(1, opts.concurrency ?? defaultConcurrency(db, copying)) }, () =>
        worker().catch((err) => {
          failed = true;
          throw err;
        }),
      ),
    );
    const error = settled.find((x) => x.status === 'rejected');
    if (error) throw (error as PromiseRejectedResult).reason;
    counts.total = await total;
    return await db.transaction(async (tx) => {
      const [done] = await tx
        .update(verificationRunStatus)
        .set({
          status: 'done',
          phase: null,
          summary,
          cases: counts.cases,
          failures: counts.failures,
          failedCases: counts.failedCases,
          done: counts.total,
          total: counts.total,
          finishedAt: new Date(),
          updatedAt: new Date(),
        })
        .where(eq(verificationRunStatus.runId, runId))
        .returning();
      await appendAudit(tx, {
        actor: run.startedBy,
        action: 'verification.run.done',
        entity: 'verification_run',
        entityId: String(runId),
        content: { cases: counts.cases, failures: counts.failures, failedCases: counts.failedCases },
      });
      return done;
    });
  } catch (err) {
    await setStatus(db, runId, {
      status: 'failed',
      error: err instanceof Error ? err.message.slice(0, 2000) : String(err),
      finishedAt: new Date(),
    });
    throw err;
  }
}

async function setStatus(db: Db, runId: number, set: Partial<RunStatus>) {
  await db
    .update(verificationRunStatus)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(verificationRunStatus.runId, runId));
}

/**
 * The ranges a run reads: for a list, slices of it; for a period, consecutive ranges of the
 * ledger's case numbers (keyset over the primary key), each bound found just before its range.
 */
async function* rangesOf(
  db: Db,
  run: Run,
  chunk: number,
  total: Promise<number>,
): AsyncGenerator<{ range: CaseRange; size: number }> {
  if (run.caseNos) {
    const list = [...run.caseNos].sort();
    for (let i = 0; i < list.length; i += LIST_CHUNK) {
      const slice = list.slice(i, i + LIST_CHUNK);
      yield { range: { list: slice }, size: slice.length };
    }
    return;
  }
  // Every range of the ledger, to its end: the cases a run reads (imported up to its import) are
  // spread among later ones, so the count read so far says nothing of where they end. The next
  // bound is looked up while the workers carry out the ranges already handed out. The last
  // range counts what is left of the total (if the total is less than the ledger, the progress
  // shown stops at it).
  let handed = 0;
  for await (const range of readAhead(caseNumberRanges(db, chunk))) {
    const size = range.hi === null ? Math.max((await total) - handed, 0) : chunk;
    handed += size;
    yield { range, size };
  }
}

/** Yields what `source` yields, asking it for the next item as soon as one is taken. */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  for (;;) {
    const item = await next;
    if (item.done) return;
    next = source.next();
    // A failure of the look-ahead is thrown when its item is asked for, not left unhandled.
    next.catch(() => {});
    yield item.value;
  }
}

/** How many ledger cases a run reads (for its progress bar). */
async function totalOf(db: Db, run: Run): Promise<number> {
  if (run.caseNos) return run.caseNos.length;
  const [{ n }] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${cases} where ${cases.importId} <= ${run.ledgerImportId}`,
  );
  return n;
}

interface RangeInput {
  run: Run;
  ctx: RunContext;
  policy: VerificationPolicy;
  checks: CheckName[];
  period: { from: string; to: string } | null;
  range: CaseRange;
  /** Ledger cases in the range (about). */
  size: number;
  word: Wording;
  /** The key the stored facts must have to be read (facts.ts). */
  key: string;
  /** The key the results cache must have to be copied (results-cache.ts); null: never copy. */
  resultKey: string | null;
}

/**
 * One range, in one transaction: copied from the results cache when it holds this run's context
 * up to exactly the run's import; else evaluated (results stored by SQL, failures worded and stored).
 */
async function evaluateRange(db: Db, input: RangeInput) {
  const { run, ctx, policy, checks, period, range, size, word, key, resultKey } = input;
  return db.transaction(async (tx) => {
    // No refresh between reading the states and reading the facts or results (a refresh takes
    // the lock exclusively).
    // A range's commit does not wait for its WAL to reach the disk: the run's final status is
    // written after every range, and waits, so a run recorded as done has all its ranges on disk
    // (a crash before that leaves it interrupted, to be run again). One statement for both: a
    // copied range is a few milliseconds, and each round trip counts.
    await tx.execute(
      sql`select pg_advisory_xact_lock_shared(${FACTS_LOCK}), set_config('synchronous_commit', 'off', true)`,
    );
    const cached = resultKey ? await resultsState(tx) : null;
    if (cached && cached.key === resultKey && cached.importId === run.ledgerImportId) {
      const [{ patterns }] = await queryRows<{ patterns: Record<string, number> }>(
        tx,
        copyQuery({
          runId: run.id,
          importId: run.ledgerImportId,
          period,
          range,
          small: size <= RESULT_CHUNK,
        }),
      );
      // Every failure letter of the cache has its finding, copied with it.
      const counts = countPatterns(patterns, checks);
      const cases = Object.values(patterns).reduce((a, k) => a + k, 0);
      const failedCases = Object.entries(patterns).reduce((a, [r, k]) => a + (r.includes('f') ? k : 0), 0);
      const failures = Object.values(counts).reduce((a, [, fail]) => a + fail, 0);
      return { cases, failures, failedCases, counts };
    }
    await evaluationSettings(tx);
    const state = await factsState(tx);
    // Stored facts when they are current for this run's context up to its import; else (another
    // time zone, other separation rules) this range is computed from the events, as it always can be.
    const stored =
      state && state.key === key && state.importId >= run.ledgerImportId
        ? { newer: state.importId > run.ledgerImportId }
        : undefined;
    const [row] = await queryRows<{
      n: number;
      patterns: Record<string, number>;
      rows: { c: string; f: Record<string, RawFailure> }[];
    }>(
      tx,
      evaluationQuery({
        ctx,
        policy,
        importId: run.ledgerImportId,
        period,
        range,
        runId: run.id,
        checks,
        stored,
      }),
    );
    const failures = await storeFailures(tx, { runId: run.id }, row.rows, { policy, word });
    return {
      cases: row.n,
      failures,
      failedCases: row.rows.length,
      counts: countPatterns(row.patterns, checks),
    };
  });
}

/**
 * Records a run and starts it in the background (a job); the promise `done` settles when it
 * finishes. Progress is in `verification_run_status` meanwhile.
 *
 * @example
 * const { run } = await startRun(db, { from, to, actor, timeZone }); // 202 with run.id
 */
export async function startRun(db: Db, input: RunInput, opts: ExecuteOptions = {}) {
  const run = await createRun(db, input);
  const done = executeRun(db, run.id, opts);
  jobs.set(run.id, done);
  done
    .catch((err) => console.error(`[verification] run ${run.id} failed:`, err))
    .finally(() => jobs.delete(run.id));
  return { run, done };
}

/** Waits for a run started in this process (resolves at once when it is not running here). */
export async function waitForRun(runId: number): Promise<void> {
  await jobs.get(runId)?.catch(() => {});
}

/** Records and evaluates a run, waiting for it (the CLI). */
export async function runVerification(db: Db, input: RunInput, opts: ExecuteOptions = {}) {
  const run = await createRun(db, input);
  const status = await executeRun(db, run.id, opts);
  return { run, status };
}
