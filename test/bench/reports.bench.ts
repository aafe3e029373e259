/**
 * The monthly analysis (每月一分析) over a million cases against a plain scan of the same cases,
 * in the same run (goal: within 3 times). The cases are made with generate_series straight into
 * the ledger's tables (`cases`, `case_state`) of the bench database: a year of receipts (April
 * 2025 to March 2026) over the demo catalogue's 54 items, 55% online, 98% completed, some late.
 * No events: the analysis reads `case_state`, and events would only slow the load.
 *
 * BENCH_CASES sizes it down (PGlite: BENCH_CASES=100000 npm run bench -- reports).
 */
import { sql } from 'drizzle-orm';
import { getCalendar } from '../../src/calendar/index.ts';
import { type Db, queryRows } from '../../src/db/client.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { importOrg } from '../../src/org/service.ts';
import { computeNumbers } from '../../src/reports/figures/index.ts';
import { generateReport, monthlyLedger, parsePeriod } from '../../src/reports/index.ts';
import { type BenchRow, benchDatabase, timeMs } from './harness.ts';

const TZ = 'Asia/Shanghai';
const BATCH = 100_000;

/** Loads `n` generated cases into the ledger tables (`cases`, `case_state`) of `db`. */
export async function loadBenchCases(db: Db, n: number): Promise<void> {
  for (let lo = 1; lo <= n; lo += BATCH) {
    const hi = Math.min(n, lo + BATCH - 1);
    await db.execute(sql`
        with it as (
          select array_agg(code order by code) as codes, array_agg(business order by code) as biz,
                 array_agg(committed_days order by code) as cds, array_agg(statutory_days order by code) as sds,
                 count(*)::int as k
          from items),
        g as (
          select g, 1 + ((g::bigint * 7919) % it.k)::int as i, it.*,
                 timestamptz '2025-04-01 09:00:00+08' + ((g - 1)::float8 / ${n} * 365) * interval '1 day' as recv
          from generate_series(${lo}::int, ${hi}::int) as g, it)
        insert into cases (case_no, item_code, route, channel, received_at, applicant_kind, applicant_name, applicant_id, import_id)
        select 'B' || lpad(g::text, 9, '0'), codes[i], 'normal', case when g % 100 < 55 then 'online' else 'window' end,
               recv, 'org', '企业' || g, '9135' || lpad(g::text, 14, '0'), 0
        from g`);
    await db.execute(sql`
        with it as (
          select array_agg(code order by code) as codes, array_agg(business order by code) as biz,
                 array_agg(committed_days order by code) as cds, array_agg(statutory_days order by code) as sds,
                 count(*)::int as k
          from items),
        g as (
          select g, codes[i] as code, biz[i] as business, cds[i] as cd, sds[i] as sd,
                 timestamptz '2025-04-01 09:00:00+08' + ((g - 1)::float8 / ${n} * 365) * interval '1 day' as recv
          from (select g, 1 + ((g::bigint * 7919) % it.k)::int as i, it.* from generate_series(${lo}::int, ${hi}::int) as g, it) x),
        d as (
          select g.*, (recv at time zone ${TZ})::date as recv_on,
                 case when cd = 0 then 0 else (g * 31) % (cd + 2) end as used,
                 g % 50 <> 0 as done
          from g),
        e as (
          select d.*, recv_on + ceil(cd * 1.4)::int as due, recv_on + ceil(sd * 1.4)::int as sdue,
                 recv_on + ceil(used * 1.4)::int as done_on
          from d)
        insert into case_state (case_no, item_code, business, route, channel, state, received_at, received_on,
          accepted_on, acceptance, committed_days, statutory_days, committed_due, statutory_due, yellow_from, red_from,
          red_card_from, completed_at, completed_on, result, working_days_used, overdue, statutory_overdue, responsible,
          actors, computed_with)
        select 'B' || lpad(g::text, 9, '0'), code, business, 'normal', case when g % 100 < 55 then 'online' else 'window' end,
               case when done then 'completed' else 'accepted' end, recv, recv_on, recv_on, 'actual', cd, sd, due, sdue,
               due - 1, due + 1, due + 4,
               case when done then (done_on::timestamp + interval '15 hours') at time zone ${TZ} end,
               case when done then done_on end,
               case when done then (case when g % 25 = 0 then 'returned' else 'granted' end) end,
               case when done then used end, case when done then done_on > due end,
               case when done then done_on > sdue end,
               'S0' || (10 + g % 20), array['S0' || (10 + g % 20)], 'bench'
        from e`);
  }
  // As autovacuum would leave them: statistics, hint bits and the visibility map set.
  await db.execute(sql`vacuum analyze case_state`);
  await db.execute(sql`vacuum analyze cases`);
}

export async function bench(): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_CASES ?? 1_000_000);
  const t = await benchDatabase();
  try {
    await importOrg(t.db, demoOrg(1), { actor: 'bench', today: '2025-01-02' });
    const load = await timeMs(() => loadBenchCases(t.db, n));
    const [{ rows }] = await queryRows<{ rows: number }>(
      t.db,
      sql`select count(*)::int as rows from case_state`,
    );

    const period = parsePeriod('monthly', '2026-03');
    const ctx = { db: t.db, timeZone: TZ, calendar: getCalendar() };
    // A plain scan of the same cases: every row of case_state read once.
    const scan = () => queryRows(t.db, sql`select count(*), sum(working_days_used) from case_state`);
    await scan();
    await monthlyLedger(ctx, period);
    // Interleaved, so that the load of a shared machine weighs on all three alike.
    const runs: { scan: number; ledger: number; figures: number }[] = [];
    for (let i = 0; i < 5; i++) {
      runs.push({
        scan: await timeMs(scan),
        ledger: await timeMs(() => monthlyLedger(ctx, period)),
        figures: await timeMs(() => computeNumbers(ctx, period)),
      });
    }
    const median = (k: 'scan' | 'ledger' | 'figures') => runs.map((r) => r[k]).sort((a, b) => a - b)[2];
    const baseline = median('scan');
    const ledger = median('ledger');
    const figures = median('figures');
    const generate = await timeMs(() =>
      generateReport(t.db, {
        kind: 'monthly',
        period: '2026-03',
        timeZone: TZ,
        actor: 'bench',
        trigger: 'request',
      }),
    );
    const label = rows.toLocaleString('en');
    return [
      {
        name: `monthly analysis, ledger queries (${label} cases)`,
        figure: ledger,
        unit: 'ms',
        baseline,
        ratio: ledger / baseline,
        note: 'twelve-month trend + per item; baseline = plain scan of case_state; goal <= 3x',
      },
      {
        name: `monthly analysis, all figures (${label} cases)`,
        figure: figures,
        unit: 'ms',
        baseline,
        ratio: figures / baseline,
        note: 'with catalogue, misconduct, rotation; goal <= 3x',
      },
      {
        name: `monthly analysis, generated and frozen (${label} cases)`,
        figure: generate,
        unit: 'ms',
        note: 'figures + HTML + PDF with charts, zh-CN and en, stored',
      },
      {
        name: `load ${label} cases (generate_series)`,
        figure: load,
        unit: 'ms',
        note: 'bench setup, for reference',
      },
    ];
  } finally {
    await t.close();
  }
}
