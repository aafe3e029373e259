/**
 * A verification run over a million cases (about 7 million events), against a plain count(*)
 * scan of the events table in the same database, same run (goal: within 5 times the scan).
 * What the background job keeps between imports is measured on its own rows: verification's
 * per-case facts (after the whole ledger came in, and after a later import touching 1% of it)
 * and today's results cache (results-cache.ts). The run is asked now, as an inspector asks: it
 * copies its cases' results from the cache. A run asked at another time (here: as of
 * 2026-02-01) cannot, and evaluates every case from the facts: measured too.
 * The ledger is written synthetically with SQL (verification-data.ts). BENCH_CASES sizes it
 * (default 1,000,000; use e.g. 20000 on PGlite). Run on PostgreSQL for the figures:
 *   DATABASE_URL=postgres://... npm run bench -- verification
 */
import { sql } from 'drizzle-orm';
import { loadDemo } from '../../src/demo/index.ts';
import { refreshCaseFacts, refreshPresentResults, runVerification } from '../../src/verification/index.ts';
import { type BenchRow, benchDatabase, timeMs } from './harness.ts';
import { addAnnouncements, BENCH_FROM, BENCH_TO, loadSyntheticLedger } from './verification-data.ts';

export async function bench(): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_CASES ?? 1_000_000);
  const t = await benchDatabase();
  try {
    await loadDemo(t.db, { seed: 1, today: '2025-01-01' });
    let events = 0;
    const load = await timeMs(async () => {
      events = await loadSyntheticLedger(t.db, n);
    });
    // Warm both the same way: one untimed pass each, then the best of three scans.
    await t.db.execute(sql`select count(*) from case_events`);
    const scans: number[] = [];
    for (let i = 0; i < 3; i++)
      scans.push(await timeMs(() => t.db.execute(sql`select count(*) from case_events`)));
    const scan = Math.min(...scans);
    // Verification's per-case facts, built from the events (what a run or the background job
    // does first after an ingestion); then the run reads them.
    let built = 0;
    const catchUp = await timeMs(async () => {
      ({ cases: built } = await refreshCaseFacts(t.db, { timeZone: 'Asia/Shanghai' }));
    });
    let results = 0;
    const cache = await timeMs(async () => {
      results = (await refreshPresentResults(t.db, { timeZone: 'Asia/Shanghai' }))?.cases ?? 0;
    });
    type Status = Awaited<ReturnType<typeof runVerification>>['status'];
    const verify = async (asOf?: Date) => {
      let status: Status | undefined;
      const ms = await timeMs(async () => {
        ({ status } = await runVerification(t.db, {
          from: BENCH_FROM,
          to: BENCH_TO,
          actor: 'bench',
          timeZone: 'Asia/Shanghai',
          asOf,
        }));
      });
      return { ms, status: status! };
    };
    const copied = await verify();
    const evaluated = await verify(new Date('2026-02-01T00:00:00+08:00'));
    // A second import adding an event to every 100th case: the catch-up recomputes only those.
    const touched = await addAnnouncements(t.db, 100);
    let redone = 0;
    const increment = await timeMs(async () => {
      ({ cases: redone } = await refreshCaseFacts(t.db, { timeZone: 'Asia/Shanghai' }));
    });
    return [
      {
        name: `verification facts catch-up after ingesting ${n.toLocaleString('en')} cases`,
        figure: catchUp,
        unit: 'ms',
        baseline: scan,
        ratio: catchUp / scan,
        note: `${built.toLocaleString('en')} cases' facts from ${events.toLocaleString('en')} events (once per import, by the run or the background job)`,
      },
      {
        name: `verification facts catch-up after an import touching ${touched.toLocaleString('en')} cases`,
        figure: increment,
        unit: 'ms',
        baseline: scan,
        ratio: increment / scan,
        note: `${redone.toLocaleString('en')} cases recomputed; finding them scans case_events by import id`,
      },
      {
        name: `verification results cache for today, ${n.toLocaleString('en')} cases`,
        figure: cache,
        unit: 'ms',
        baseline: scan,
        ratio: cache / scan,
        note: `${results.toLocaleString('en')} cases evaluated into the cache (by the background job, once a day and after each import for the cases it touched)`,
      },
      {
        name: `verification run, ${n.toLocaleString('en')} cases`,
        figure: copied.ms,
        unit: 'ms',
        baseline: scan,
        ratio: copied.ms / scan,
        note: `asked now, results cache current; ${events.toLocaleString('en')} events, ${copied.status.cases.toLocaleString('en')} cases verified, ${copied.status.failures.toLocaleString('en')} failures; baseline = select count(*) from case_events (best of 3); ${t.database.kind}; ledger written in ${(load / 1000).toFixed(0)} s`,
      },
      {
        name: `verification run asked at another time, ${n.toLocaleString('en')} cases`,
        figure: evaluated.ms,
        unit: 'ms',
        baseline: scan,
        ratio: evaluated.ms / scan,
        note: `as of 2026-02-01: every case evaluated from the facts; ${evaluated.status.failures.toLocaleString('en')} failures`,
      },
    ];
  } finally {
    await t.close();
  }
}
