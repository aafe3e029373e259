/**
 * Test support for verification: the demo bureau with hand-made cases ingested into the ledger,
 * and a run over them. Builders come from the ledger's test support (test/cases/support.ts).
 */
import { ingestCaseRecords } from '../../src/cases/index.ts';
import { caseResults, runVerification } from '../../src/verification/index.ts';
import type { Line } from '../cases/support.ts';

export { caseLine, ev, ledgerApp, STAFF, story } from '../cases/support.ts';

export const TZ = 'Asia/Shanghai';
/** The time of asking for the hand-made cases (after all of them). */
export const AS_OF = new Date('2026-04-01T00:00:00+08:00');

type App = Awaited<ReturnType<typeof import('../cases/support.ts').ledgerApp>>;

/** Ingests lines; fails the test with the ledger's problems when they are refused. */
export async function ingest(t: App, lines: Line[]) {
  try {
    return await ingestCaseRecords(t.database, lines, {
      actor: 'test',
      source: 'test',
      timeZone: TZ,
      now: AS_OF,
    });
  } catch (err) {
    const e = err as { message: string; errors?: { path: string; message: string }[] };
    throw new Error(`${e.message}\n${(e.errors ?? []).map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  }
}

/** Runs verification over named cases and returns a reader of each case's results. */
export async function verifyCases(t: App, caseNos: string[]) {
  const { run, status } = await runVerification(t.db, { caseNos, actor: 'test', timeZone: TZ, asOf: AS_OF });
  const results = new Map<string, Awaited<ReturnType<typeof caseResults>>>();
  for (const c of caseNos) results.set(c, await caseResults(t.db, run.id, c));
  return {
    run,
    status,
    /** The result of one check of one case: { result, detail, staff }. */
    of(caseNo: string, check: string) {
      const row = results.get(caseNo)?.find((r) => r.check === check);
      if (!row) throw new Error(`no result for ${caseNo} ${check}`);
      return row;
    },
    /** The checks a case failed. */
    failed(caseNo: string) {
      return (results.get(caseNo) ?? []).filter((r) => r.result === 'fail').map((r) => r.check);
    },
  };
}
