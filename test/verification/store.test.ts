/**
 * Storing findings: texts are shared by every run that finds the same thing, so two runs storing
 * the same failures at once meet on the same rows. Each call stores its texts in one statement,
 * in id order: they wait for each other at worst, and never deadlock (on PostgreSQL, where the
 * two transactions really run at once; PGlite runs them one after the other).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import type { RawFailure } from '../../src/verification/evaluate.ts';
import { getVerificationPolicy } from '../../src/verification/index.ts';
import { storeFailures } from '../../src/verification/store.ts';
import { testDeps } from '../helpers.ts';

let t: Awaited<ReturnType<typeof testDeps>>;
beforeAll(async () => {
  t = await testDeps();
});
afterAll(() => t?.close());

/** `n` failing cases from number `from` on, each late on the timely check. */
const failing = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    c: `ST-${String(from + i).padStart(6, '0')}`,
    f: { timely: { problems: ['late'], staff: ['S001'], params: { days: 1 } } as RawFailure },
  }));

describe('storing findings', () => {
  it('lets two runs store the same failures at once, in opposite orders, without a deadlock', async () => {
    // More than the 5,000 a call once cut its texts into: each run's first batch would have held
    // what the other's second batch needed.
    const a = failing(0, 6000);
    const b = failing(6000, 6000);
    const opts = { policy: getVerificationPolicy(), word: () => ['逾期', 'late'] as [string, string] };
    const stored = await Promise.all([
      t.db.transaction((tx) => storeFailures(tx, { runId: 900001 }, [...a, ...b], opts)),
      t.db.transaction((tx) => storeFailures(tx, { runId: 900002 }, [...b, ...a], opts)),
    ]);
    expect(stored).toEqual([12000, 12000]);
    const [counts] = await queryRows<{ texts: number; links: number; named: number }>(
      t.db,
      sql`select
        (select count(*)::int from verification_finding_texts where case_no like 'ST-%') as texts,
        (select count(*)::int from verification_run_findings where run_id in (900001, 900002)) as links,
        (select count(distinct text_id)::int from verification_run_findings where run_id in (900001, 900002)) as named`,
    );
    // one text per failure, named by both runs
    expect(counts).toEqual({ texts: 12000, links: 24000, named: 12000 });
  });
});
