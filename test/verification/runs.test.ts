/**
 * Runs through the API and the CLI: a run is a job with progress, its findings are filtered and
 * paged, bad input is refused naming every field, runs and their results are immutable (a re-run
 * is a new run, and the old one keeps what it found), and failures are handed to misconduct
 * once per case and check however often they are found again.
 */

import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { tracker as misconductTracker } from '../../src/misconduct/referrals.ts';
import { verifyCommand } from '../../src/verification/cli.ts';
import {
  listFailuresForReferral,
  pendingReferrals,
  recordReferral,
  setReferralTracker,
  waitForRun,
} from '../../src/verification/index.ts';
import { jsonHeaders, loginAs } from '../helpers.ts';
import { AS_OF, ev, ingest, ledgerApp, STAFF, story } from './support.ts';

let t: Awaited<ReturnType<typeof ledgerApp>>;
let inspector: Record<string, string>;

const clean = (no: string, day: string, announce = true) =>
  story(
    no,
    [
      [`${day}T09:20:00+08:00`, 'receipt'],
      [`${day}T10:00:00+08:00`, 'accept'],
      [`${day}T11:00:00+08:00`, 'review'],
      [`${day}T14:00:00+08:00`, 'approve'],
      [`${day}T14:05:00+08:00`, 'seal'],
      [`${day}T14:10:00+08:00`, 'complete'],
      ...(announce ? ([[`${day}T16:00:00+08:00`, 'announce']] as [string, string][]) : []),
    ],
    { itemCode: 'SG-002', receivedAt: `${day}T09:15:00+08:00` },
  );

beforeAll(async () => {
  t = await ledgerApp();
  inspector = { ...(await loginAs(t, 'inspector', { staffNo: 'S036' })), ...jsonHeaders };
  await ingest(t, [
    ...clean('R-001', '2026-03-02'),
    ...clean('R-002', '2026-03-03', false),
    ...clean('R-003', '2026-03-04', false),
    ...clean('R-004', '2026-03-05'),
    ...clean('R-APRIL', '2026-04-01', false),
  ]);
});
afterAll(() => t?.close());

async function startRun(body: Record<string, unknown>) {
  const res = await t.app.request('/api/verification/runs', {
    method: 'POST',
    headers: inspector,
    body: JSON.stringify(body),
  });
  return { res, body: (await res.json()) as any };
}

async function get(path: string) {
  const res = await t.app.request(path, { headers: inspector });
  return { res, body: (await res.json()) as any };
}

describe('a run over a period', () => {
  let runId: number;
  it('starts as a job (202) and finishes with its progress and counts', async () => {
    const { res, body } = await startRun({ from: '2026-03-01', to: '2026-03-31', asOf: AS_OF.toISOString() });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/verification/runs/${body.id}`);
    expect(['queued', 'running', 'done']).toContain(body.status.status);
    runId = body.id;
    await waitForRun(runId);
    const { body: run } = await get(`/api/verification/runs/${runId}`);
    expect(run.status).toMatchObject({ status: 'done', cases: 4, failures: 2, failedCases: 2 });
    expect(run.status.done).toBe(run.status.total);
    expect(run.periodFrom).toBe('2026-03-01');
    expect(run.checks).toContain('timely');
    expect(run.status.summary.announced).toEqual({ pass: 2, fail: 2, not_applicable: 0 });
  });

  it('lists failures with filters, in pages', async () => {
    const first = await get(`/api/verification/runs/${runId}/findings?result=fail&limit=1`);
    expect(first.res.status).toBe(200);
    expect(first.body.total).toBe(2);
    expect(first.body.rows).toEqual([
      {
        caseNo: 'R-002',
        check: 'announced',
        result: 'fail',
        detail: '办结于2026-03-03, 未办结公告',
        staff: [STAFF.announce],
        reason: 'missing',
        faultType: 'not-announced',
        params: { completedOn: '2026-03-03', due: '2026-03-04', within: 1 },
      },
    ]);
    const second = await get(
      `/api/verification/runs/${runId}/findings?result=fail&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.rows.map((r: any) => r.caseNo)).toEqual(['R-003']);
    expect(second.body.nextCursor).toBeNull();
    const byStaff = await get(`/api/verification/runs/${runId}/findings?staff=${STAFF.announce}&lang=en`);
    expect(byStaff.body.rows[0].detail).toBe('completed on 2026-03-03, never announced');
    const none = await get(`/api/verification/runs/${runId}/findings?staff=S999`);
    expect(none.body).toEqual({ rows: [], nextCursor: null, total: 0 });
  });

  it('lists every result of a case, passes included, with readable details', async () => {
    const { body } = await get(`/api/verification/runs/${runId}/findings?caseNo=R-001`);
    expect(body.total).toBe(11);
    expect(body.rows.find((r: any) => r.check === 'receipt')).toEqual({
      caseNo: 'R-001',
      check: 'receipt',
      result: 'pass',
      detail: '收件当日出具回执',
      staff: [],
    });
    const na = await get(
      `/api/verification/runs/${runId}/findings?check=extension&result=not_applicable&limit=2`,
    );
    expect(na.body.total).toBe(4);
    expect(na.body.rows).toHaveLength(2);
    expect(na.body.rows[0].detail).toBe('未延期');
    const paged = await get(
      `/api/verification/runs/${runId}/findings?check=extension&result=not_applicable&limit=2&cursor=${na.body.nextCursor}`,
    );
    expect(paged.body.rows.map((r: any) => r.caseNo)).toEqual(['R-003', 'R-004']);
  });

  it('sums up by check and by clerk', async () => {
    const { body } = await get(`/api/verification/runs/${runId}/summary`);
    expect(body.byCheck.timely).toEqual({ pass: 4, fail: 0, not_applicable: 0 });
    expect(body.byClerk).toEqual([{ staff: STAFF.announce, total: 2, byCheck: { announced: 2 } }]);
  });

  it('leaves out cases outside the period', async () => {
    const { body } = await get(`/api/verification/runs/${runId}/findings?caseNo=R-APRIL`);
    expect(body.total).toBe(0);
  });
});

describe('bad input', () => {
  it('names every field at fault', async () => {
    const { res, body } = await startRun({ from: '2026-03-31', to: '2026-03-01' });
    expect(res.status).toBe(400);
    expect(body.errors).toEqual([{ path: 'to', message: 'must not be before from' }]);
    const both = await startRun({});
    expect(both.body.errors.map((e: any) => e.path)).toEqual(['from', 'to']);
    const shape = await startRun({ from: 'March', caseNos: 'R-001' });
    expect(shape.res.status).toBe(400);
    expect(shape.body.errors.map((e: any) => e.path).sort()).toEqual(['caseNos', 'from']);
  });
  it('refuses unknown case numbers, listing them', async () => {
    const { res, body } = await startRun({ caseNos: ['R-001', 'NOPE-1', 'NOPE-2'] });
    expect(res.status).toBe(400);
    expect(body.errors).toEqual([
      { path: 'caseNos[1]', message: 'no case NOPE-1' },
      { path: 'caseNos[2]', message: 'no case NOPE-2' },
    ]);
  });
  it('answers 404 for an unknown run', async () => {
    expect((await get('/api/verification/runs/99999')).res.status).toBe(404);
    expect((await get('/api/verification/runs/99999/findings')).res.status).toBe(404);
  });
});

describe('runs are immutable', () => {
  it('refuses to change or delete a run, its results or its findings', async () => {
    for (const stmt of [
      sql`update verification_runs set period_to = '2026-12-31'`,
      sql`delete from verification_runs`,
      sql`update verification_result_chunks set results = '{ppppppppppp}'`,
      sql`delete from verification_run_findings`,
      sql`update verification_run_findings set text_id = 'x'`,
      sql`update verification_finding_texts set detail = 'nothing'`,
      sql`delete from verification_finding_texts`,
      sql`truncate verification_result_chunks`,
    ]) {
      const err = await t.db.execute(stmt).then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
      expect(String(err?.cause?.message ?? err?.message)).toMatch(/append-only/);
    }
  });

  it('a re-run is a new run; the old one keeps what it found', async () => {
    const before = await startRun({ caseNos: ['R-002'], asOf: AS_OF.toISOString() });
    await waitForRun(before.body.id);
    // The missing announcement is made late, after the first run.
    await ingest(t, [ev('R-002', 7, '2026-03-10T09:00:00+08:00', 'announce', STAFF.announce)]);
    const after = await startRun({ caseNos: ['R-002'], asOf: AS_OF.toISOString() });
    await waitForRun(after.body.id);
    expect(after.body.id).toBeGreaterThan(before.body.id);
    const old = await get(`/api/verification/runs/${before.body.id}/findings?caseNo=R-002&check=announced`);
    const now = await get(`/api/verification/runs/${after.body.id}/findings?caseNo=R-002&check=announced`);
    expect(old.body.rows[0].detail).toBe('办结于2026-03-03, 未办结公告');
    expect(now.body.rows[0].detail).toBe('办结于2026-03-03, 公告于2026-03-10, 超过1个工作日');
    // The first run's record says which imports it read.
    const [r] = await queryRows<{ a: number; b: number }>(
      t.db,
      sql`select (select ledger_import_id from verification_runs where id = ${before.body.id}) as a,
                 (select ledger_import_id from verification_runs where id = ${after.body.id}) as b`,
    );
    expect(r.b).toBeGreaterThan(r.a);
  });

  it('executes a recorded run once only', async () => {
    const { executeRun } = await import('../../src/verification/run.ts');
    const { body } = await startRun({ caseNos: ['R-001'] });
    await waitForRun(body.id);
    await expect(executeRun(t.db, body.id)).rejects.toThrow(/already been executed/);
  });
});

describe('from finding to misconduct', () => {
  it('hands each failure over once per case and check, whatever the number of runs', async () => {
    const { items } = await listFailuresForReferral(t.db);
    const refs = items.map((i) => i.ref);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs).toEqual(['verification:R-002:announced', 'verification:R-003:announced']);
    // R-002's latest run found it late, not missing: the latest finding is handed over.
    const r2 = items.find((i) => i.caseNo === 'R-002')!;
    expect(r2).toMatchObject({ check: 'announced', faultType: 'not-announced', staff: [STAFF.announce] });
    expect(r2.detail).toBe('办结于2026-03-03, 公告于2026-03-10, 超过1个工作日');
    const since = await listFailuresForReferral(t.db, { sinceRunId: r2.runId });
    expect(since.items).toEqual([]);
  });

  it('lists failures as pending until referred or taken by misconduct', async () => {
    const pending = await pendingReferrals(t.db);
    expect(pending.items.map((i) => i.ref)).toEqual([
      'verification:R-002:announced',
      'verification:R-003:announced',
    ]);
    // Misconduct registers itself as the tracker when it loads (the app loads it).
    expect(pending.trackerConnected).toBe(true);
    const first = await recordReferral(
      t.db,
      { runId: pending.items[0].runId, caseNo: 'R-002', check: 'announced', matterId: 12 },
      'user:inspector',
    );
    const again = await recordReferral(
      t.db,
      { runId: pending.items[0].runId, caseNo: 'R-002', check: 'announced', matterId: 12 },
      'user:inspector',
    );
    expect([first.created, again.created]).toEqual([true, false]);
    setReferralTracker({ taken: async (_db, refs) => new Set(refs.filter((r) => r.includes('R-003'))) });
    try {
      const left = await pendingReferrals(t.db);
      expect(left).toMatchObject({ items: [], total: 0, trackerConnected: true });
    } finally {
      setReferralTracker(misconductTracker);
    }
  });
});

describe('neikong verify', () => {
  const capture = () => {
    let text = '';
    const out = new Writable({
      write(chunk, _enc, done) {
        text += chunk.toString();
        done();
      },
    });
    return { out, text: () => text };
  };
  it('prints one NDJSON line per case and check', async () => {
    const c = capture();
    const code = await verifyCommand(
      t,
      ['--from', '2026-03-01', '--to', '2026-03-31', '--as-of', AS_OF.toISOString()],
      c.out,
    );
    expect(code).toBe(0);
    const lines = c
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4 * 11);
    expect(lines.find((l) => l.caseNo === 'R-003' && l.check === 'announced')).toEqual({
      caseNo: 'R-003',
      check: 'announced',
      result: 'fail',
      detail: '办结于2026-03-04, 未办结公告',
      staff: [STAFF.announce],
    });
    expect(Object.keys(lines[0])).toEqual(['caseNo', 'check', 'result', 'detail', 'staff']);
  });
  it('prints a table of counts and failures, for named cases too', async () => {
    const c = capture();
    await verifyCommand(t, ['--case', 'R-003', '--case', 'R-004', '--format', 'table'], c.out);
    const text = c.text();
    expect(text).toMatch(/办结公告\s+1\s+1\s+0/);
    expect(text).toContain('R-003');
    expect(text).toContain('办结于2026-03-04, 未办结公告');
  });
  it('refuses a format it does not know', async () => {
    await expect(
      verifyCommand(t, ['--from', '2026-03-01', '--to', '2026-03-31', '--format', 'xml']),
    ).rejects.toThrow();
  });
});
