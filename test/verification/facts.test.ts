/**
 * The stored per-case facts (`verification_case_facts`) follow the ledger import by import: a
 * later import that adds to a case rewrites its facts, a run right after an ingestion brings
 * them up to date itself, a run recorded before an import still sees the ledger as it was, and
 * the facts agree with those computed from the events.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { separationRules } from '../../src/verification/context.ts';
import { factsKey, factsState, refreshCaseFacts } from '../../src/verification/facts.ts';
import { caseResults, createRun, executeRun } from '../../src/verification/index.ts';
import { eventFacts, FACT_COLUMNS } from '../../src/verification/sql-facts.ts';
import { AS_OF, ev, ingest, ledgerApp, STAFF, story, TZ, verifyCases } from './support.ts';

let t: Awaited<ReturnType<typeof ledgerApp>>;

const steps = (day: string): [string, string][] => [
  [`${day}T09:20:00+08:00`, 'receipt'],
  [`${day}T10:00:00+08:00`, 'accept'],
  [`${day}T11:00:00+08:00`, 'review'],
  [`${day}T14:00:00+08:00`, 'approve'],
  [`${day}T14:05:00+08:00`, 'seal'],
  [`${day}T14:10:00+08:00`, 'complete'],
];
/** A case completed on `day` and not (yet) announced: seq 1-6. */
const unannounced = (no: string, day: string) =>
  story(no, steps(day), { itemCode: 'SG-002', receivedAt: `${day}T09:15:00+08:00` });

async function factsOf(caseNo: string) {
  const [row] = await queryRows<{
    last_import: number;
    announce_on: string | null;
    announcer: string | null;
  }>(
    t.db,
    sql`select last_import, announce_on::text as announce_on, announcer from verification_case_facts where case_no = ${caseNo}`,
  );
  return row;
}

const announcedResult = async (runId: number, caseNo: string) =>
  (await caseResults(t.db, runId, caseNo))?.find((r) => r.check === 'announced')?.result;

beforeAll(async () => {
  t = await ledgerApp();
});
afterAll(() => t?.close());

describe('facts kept per import', () => {
  it('are computed by a run right after an ingestion, without the background job', async () => {
    const first = await ingest(t, [
      ...unannounced('F-001', '2026-03-02'),
      ...unannounced('F-002', '2026-03-03'),
    ]);
    const v = await verifyCases(t, ['F-001', 'F-002']);
    expect(v.of('F-001', 'announced').result).toBe('fail');
    expect(v.failed('F-002')).toEqual(['announced']);
    expect(await factsState(t.db)).toMatchObject({ importId: first.importId });
    expect(await factsOf('F-001')).toEqual({
      last_import: first.importId,
      announce_on: null,
      announcer: null,
    });
  });

  it('rewrite the facts of a case a later import adds to, and only of such cases', async () => {
    const before = await factsOf('F-002');
    const second = await ingest(t, [ev('F-001', 7, '2026-03-02T16:00:00+08:00', 'announce', STAFF.announce)]);
    const refreshed = await refreshCaseFacts(t.db, { timeZone: TZ });
    expect(refreshed).toMatchObject({ importId: second.importId, cases: 1, rebuilt: false });
    expect(await factsOf('F-001')).toEqual({
      last_import: second.importId,
      announce_on: '2026-03-02',
      announcer: STAFF.announce,
    });
    expect(await factsOf('F-002')).toEqual(before);
    const v = await verifyCases(t, ['F-001', 'F-002']);
    expect(v.failed('F-001')).toEqual([]);
    expect(v.failed('F-002')).toEqual(['announced']);
    // Nothing new: nothing to do.
    expect(await refreshCaseFacts(t.db, { timeZone: TZ })).toMatchObject({ cases: 0, rebuilt: false });
  });

  it('give a run the ledger as it was recorded, even when the facts are further on', async () => {
    const run = await createRun(t.db, {
      from: '2026-03-01',
      to: '2026-03-31',
      actor: 'test',
      timeZone: TZ,
      asOf: AS_OF,
    });
    await ingest(t, [
      ev('F-002', 7, '2026-03-03T16:00:00+08:00', 'announce', STAFF.announce),
      ...unannounced('F-003', '2026-03-04'),
    ]);
    await refreshCaseFacts(t.db, { timeZone: TZ });
    expect((await factsOf('F-002')).announce_on).toBe('2026-03-03');
    const status = await executeRun(t.db, run.id);
    // F-003 came after the run was recorded: not in it; F-002 still unannounced as recorded.
    expect(status.cases).toBe(2);
    expect(await announcedResult(run.id, 'F-001')).toBe('pass');
    expect(await announcedResult(run.id, 'F-002')).toBe('fail');
    expect(await caseResults(t.db, run.id, 'F-003')).toBeNull();
    const now = await verifyCases(t, ['F-002', 'F-003']);
    expect(now.failed('F-002')).toEqual([]);
    expect(now.failed('F-003')).toEqual(['announced']);
  });

  it('are rebuilt when what they depend on changes (the time zone), and agree with the events', async () => {
    const utc = await refreshCaseFacts(t.db, { timeZone: 'UTC' });
    expect(utc.rebuilt).toBe(true);
    expect(utc.cases).toBe(3);
    // A run in another zone than the kept facts' computes from the events and leaves them be
    // (runs and the jobs never take turns rebuilding the table).
    const v = await verifyCases(t, ['F-001', 'F-002', 'F-003']);
    expect(await factsState(t.db)).toMatchObject({ key: factsKey('UTC', await separationRules(t.db)) });
    expect(v.failed('F-003')).toEqual(['announced']);
    expect(v.failed('F-001')).toEqual([]);
    // The bureau's own refresh (the jobs') rebuilds them for its zone.
    expect(await refreshCaseFacts(t.db, { timeZone: TZ })).toMatchObject({ rebuilt: true, cases: 3 });
    expect(await refreshCaseFacts(t.db, { timeZone: TZ })).toMatchObject({ rebuilt: false, cases: 0 });
    // The stored facts equal what the same SQL computes from the events now, column for column.
    const live = eventFacts({
      timeZone: TZ,
      sod: await separationRules(t.db),
      importId: 1_000_000,
      events: { where: sql`true` },
    });
    const cols = sql.raw(FACT_COLUMNS.join(', '));
    const [diff] = await queryRows<{ n: number; all: number }>(
      t.db,
      sql`select (select count(*) from verification_case_facts)::int as all, (select count(*) from (
          (select ${cols} from verification_case_facts except all select ${cols} from (${live}) l)
          union all (select ${cols} from (${live}) l except all select ${cols} from verification_case_facts)) d)::int as n`,
    );
    expect(diff.all).toBe(3);
    expect(diff.n).toBe(0);
  });
});

describe('a run read a range at a time', () => {
  it('reaches every case it covers, however later imports interleave their numbers', async () => {
    await ingest(t, [...unannounced('G-001', '2026-03-05'), ...unannounced('G-003', '2026-03-05')]);
    const run = await createRun(t.db, {
      from: '2026-03-05',
      to: '2026-03-05',
      actor: 'test',
      timeZone: TZ,
      asOf: AS_OF,
    });
    // Imported after the run was recorded, numbered between the two it covers.
    await ingest(t, unannounced('G-002', '2026-03-05'));
    const status = await executeRun(t.db, run.id, { chunkSize: 1 });
    expect(status.cases).toBe(2);
    expect(await announcedResult(run.id, 'G-001')).toBe('fail');
    expect(await announcedResult(run.id, 'G-003')).toBe('fail');
    expect(await caseResults(t.db, run.id, 'G-002')).toBeNull();
  });
});
