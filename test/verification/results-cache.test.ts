/**
 * The results cache (results-cache.ts): a run of the present day with the policy in force copies
 * its cases' results and findings from the cache, and finds exactly what evaluating them finds;
 * the cache follows imports case by case; a run with any other context (another day of asking,
 * a policy of its own, a ledger as it was before an import) evaluates, and leaves the cache alone.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCalendar } from '../../src/calendar/index.ts';
import { ingestCaseRecords } from '../../src/cases/index.ts';
import { queryRows } from '../../src/db/client.ts';
import { type CaseLine, generateDemoCases } from '../../src/demo/cases.ts';
import { loadDemo } from '../../src/demo/index.ts';
import { exportOrg } from '../../src/org/service.ts';
import { localDate } from '../../src/platform/time.ts';
import { contextAt } from '../../src/verification/context.ts';
import {
  allFindings,
  createRun,
  type ExecuteOptions,
  executeRun,
  type FindingRow,
  getRun,
  getVerificationPolicy,
  listFindings,
  type RunInput,
  refreshCaseFacts,
  refreshCaseResults,
  refreshPresentResults,
  resultsState,
} from '../../src/verification/index.ts';
import { testApp } from '../helpers.ts';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-05-15T00:00:00+08:00');
const PERIOD = { from: '2026-01-01', to: '2026-05-14' };

let t: Awaited<ReturnType<typeof testApp>>;
let lines: CaseLine[];

beforeAll(async () => {
  t = await testApp();
  await loadDemo(t.db, { seed: 1, today: '2026-01-02' });
  const generated = generateDemoCases({
    seed: 5,
    cases: 300,
    from: '2026-01-05',
    to: '2026-04-30',
    org: await exportOrg(t.db),
    calendar: getCalendar(),
    faultRate: 0.14,
  });
  lines = [...generated.lines];
  await ingestCaseRecords(t.database, lines, { actor: 'demo', source: 'test', timeZone: TZ, now: NOW });
});
afterAll(() => t?.close());

async function run(input: Partial<RunInput> = {}, opts: ExecuteOptions = {}) {
  const r = await createRun(t.db, { ...PERIOD, actor: 'test', timeZone: TZ, ...input });
  const status = await executeRun(t.db, r.id, opts);
  const rows: FindingRow[] = [];
  for await (const f of allFindings(t.db, r.id)) rows.push(f);
  return { id: r.id, status, rows };
}

/** Ingests the missing announcement of a completed case, an hour after its completion. */
async function announce(caseNo: string) {
  const events = lines.filter((l) => l.caseNo === caseNo && l.type === 'event') as (CaseLine & {
    at: string;
    action: string;
  })[];
  const completed = events.find((l) => l.action === 'complete')!;
  const announcer = (await exportOrg(t.db)).assignments!.find(
    (a) => a.post === 'P-ANNOUNCE' && a.role === 'A',
  )!;
  await ingestCaseRecords(
    t.database,
    [
      {
        type: 'event',
        caseNo,
        seq: events.length + 1,
        at: new Date(Date.parse(completed.at) + 3_600_000).toISOString(),
        action: 'announce',
        actor: announcer.staff,
      } as CaseLine,
    ],
    { actor: 'test', source: 'test', timeZone: TZ, now: NOW },
  );
}

const unannounced = (rows: FindingRow[]) =>
  rows.filter((r) => r.check === 'announced' && r.result === 'fail').map((r) => r.caseNo);

const cachedDetail = async (caseNo: string, check: string) =>
  (
    await queryRows<{ detail: string }>(
      t.db,
      sql`select t.detail from verification_case_findings f join verification_finding_texts t on t.id = f.text_id
        where f.case_no = ${caseNo} and f.check = ${check}`,
    )
  )[0]?.detail;

describe('the results cache', () => {
  it('gives a run of today exactly the results and findings that evaluating its cases gives', async () => {
    const copied = await run();
    const evaluated = await run({}, { cache: false });
    expect(copied.status.status).toBe('done');
    expect(copied.status.failures).toBeGreaterThan(20);
    expect(copied.rows.length).toBe(copied.status.cases * (await getRun(t.db, copied.id))!.checks.length);
    expect(copied.rows).toEqual(evaluated.rows);
    for (const k of ['cases', 'failures', 'failedCases', 'summary'] as const)
      expect(copied.status[k]).toEqual(evaluated.status[k]);
    // A month: the cache holds every case, the run only those of its period.
    const march = await run({ from: '2026-03-01', to: '2026-03-31' });
    const marchEvaluated = await run({ from: '2026-03-01', to: '2026-03-31' }, { cache: false });
    expect(march.status.cases).toBeLessThan(copied.status.cases);
    expect(march.rows).toEqual(marchEvaluated.rows);
    // A list of cases, some of them open.
    const caseNos = [...new Set(lines.map((l) => l.caseNo))].slice(0, 40);
    const listed = await run({ from: undefined, to: undefined, caseNos });
    expect(listed.status.cases).toBe(40);
    expect(listed.rows).toEqual(
      (await run({ from: undefined, to: undefined, caseNos }, { cache: false })).rows,
    );
  });

  it('pages through results chunk by chunk, in case order, with the same totals as counting', async () => {
    const copied = await run();
    const small = await run({}, { cache: false, chunkSize: 7 });
    expect(small.rows).toEqual(copied.rows);
    const caseOrder = small.rows.map((r) => r.caseNo);
    expect(caseOrder).toEqual([...caseOrder].sort());
    const filters = { check: 'announced', result: 'pass' } as const;
    const paged: FindingRow[] = [];
    let cursor: string | null = null;
    let total = -1;
    do {
      const page = await listFindings(t.db, small.id, filters, { limit: 13, cursor });
      paged.push(...page.rows);
      total = page.total;
      cursor = page.nextCursor;
    } while (cursor);
    const expected = small.rows.filter((r) => r.check === 'announced' && r.result === 'pass');
    expect(expected.length).toBeGreaterThan(26);
    expect(paged).toEqual(expected);
    expect(total).toBe(expected.length);
    // While a run is not done, totals are counted from its results (the same figure).
    await t.db.execute(sql`update verification_run_status set status = 'running' where run_id = ${small.id}`);
    expect((await listFindings(t.db, small.id, filters, { limit: 1 })).total).toBe(expected.length);
  });

  it('is what such a run copies (a cached finding changed behind its back shows in the run)', async () => {
    const failure = (await run()).rows.find((r) => r.result === 'fail')!;
    expect(await cachedDetail(failure.caseNo, failure.check)).toBe(failure.detail);
    await t.db.execute(
      sql`insert into verification_finding_texts
        select 'changed', case_no, "check", reason, params, 'from the cache', detail_en, staff, fault_type
        from verification_finding_texts t where t.id = (select text_id from verification_case_findings
          where case_no = ${failure.caseNo} and "check" = ${failure.check})`,
    );
    await t.db.execute(
      sql`update verification_case_findings set text_id = 'changed'
        where case_no = ${failure.caseNo} and "check" = ${failure.check}`,
    );
    const copied = await run();
    expect(copied.rows.find((r) => r.caseNo === failure.caseNo && r.check === failure.check)?.detail).toBe(
      'from the cache',
    );
    // Forgetting the state rebuilds the cache on the next run of today.
    await t.db.execute(sql`delete from verification_results_state`);
    const rebuilt = await run();
    expect(rebuilt.rows.find((r) => r.caseNo === failure.caseNo && r.check === failure.check)?.detail).toBe(
      failure.detail,
    );
  });

  it('follows an import, recomputing only the cases it touched', async () => {
    const before = await run();
    const [missing] = unannounced(before.rows);
    expect(missing).toBeDefined();
    await announce(missing);
    await refreshCaseFacts(t.db, { timeZone: TZ });
    expect(await refreshPresentResults(t.db, { timeZone: TZ })).toMatchObject({ cases: 1, rebuilt: false });
    const after = await run();
    expect(after.rows.find((r) => r.caseNo === missing && r.check === 'announced')?.result).toBe('pass');
    expect(after.rows).toEqual((await run({}, { cache: false })).rows);
  });

  it('is neither used nor changed by a run asked at another time, or with a policy of its own', async () => {
    const state = await resultsState(t.db);
    expect(state).not.toBeNull();
    const policy = structuredClone(getVerificationPolicy());
    policy.checks.announced.enabled = false;
    const own = await run({ policy });
    expect(own.rows.some((r) => r.check === 'announced')).toBe(false);
    expect(own.rows.length).toBeGreaterThan(0);
    const earlier = await run({ asOf: NOW });
    expect(earlier.rows).toEqual((await run({ asOf: NOW }, { cache: false })).rows);
    expect(await resultsState(t.db)).toEqual(state);
  });

  it('is left alone by a run of today over a period that ends after today (its span of dates differs)', async () => {
    const state = await resultsState(t.db);
    const later = localDate(new Date(Date.now() + 30 * 86_400_000), TZ);
    const progress: { done: number; total: number | null }[] = [];
    // small ranges: the count of the run's cases goes on beside several of them
    const ahead = await run(
      { from: PERIOD.from, to: later },
      { chunkSize: 64, onProgress: ({ done, total }) => progress.push({ done, total }) },
    );
    expect(await resultsState(t.db)).toEqual(state);
    expect(ahead.rows).toEqual((await run({ from: PERIOD.from, to: later }, { cache: false })).rows);
    expect(ahead.rows.length).toBeGreaterThan(0);
    // the finished run says how many ledger cases it read, counted while it ran
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from cases
          where import_id <= (select ledger_import_id from verification_runs where id = ${ahead.id})`,
    );
    expect(n).toBeGreaterThan(64 * 3);
    expect(ahead.status.total).toBe(n);
    expect(ahead.status.done).toBe(n);
    for (const p of progress) {
      if (p.total !== null) expect(p.total).toBe(n);
      expect(p.done).toBeLessThanOrEqual(n);
    }
  });

  it('is not copied by a run recorded before an import: it sees the ledger as it was', async () => {
    const before = await run();
    const [missing] = unannounced(before.rows);
    const pending = await createRun(t.db, { ...PERIOD, actor: 'test', timeZone: TZ });
    await announce(missing);
    await executeRun(t.db, pending.id);
    const rows: FindingRow[] = [];
    for await (const f of allFindings(t.db, pending.id)) rows.push(f);
    expect(rows).toEqual(before.rows);
    expect(unannounced((await run()).rows)).not.toContain(missing);
  });

  it('is rebuilt for a new context, and refuses facts kept for another', async () => {
    const tomorrow = await contextAt(t.db, { timeZone: TZ, asOf: new Date(Date.now() + 86_400_000) });
    expect(await refreshCaseResults(t.db, { ctx: tomorrow, policy: getVerificationPolicy() })).toMatchObject({
      rebuilt: true,
    });
    const elsewhere = await contextAt(t.db, { timeZone: 'Europe/Paris', asOf: new Date() });
    expect(await refreshCaseResults(t.db, { ctx: elsewhere, policy: getVerificationPolicy() })).toBeNull();
  });
});
