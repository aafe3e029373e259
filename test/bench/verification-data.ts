/**
 * A synthetic case ledger for the verification benchmarks, written with SQL (generate_series)
 * straight into the ledger's tables of a bench database: not through ingestion, which would take
 * far longer than what is measured. About 7 events a case (receipt, accept, review, approve, seal,
 * complete, announce; some with a supplement notice and a supplement), with faults sprinkled at
 * fixed strides so that every check has passes and failures:
 *   every 23rd case completed late, every 31st never announced, every 41st without a receipt,
 *   every 97th with a second supplement notice, every 53rd with a review outside authority.
 * Received on the days of 2025 (in case-number order), at the window, item SG-002 (committed 2
 * working days, approval seal allowed), staffed like the demo bureau's construction-permit posts.
 */
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/db/client.ts';

export const BENCH_FROM = '2025-01-01';
export const BENCH_TO = '2026-01-31';

/** Inserts `n` cases and their events; returns the number of events. */
export async function loadSyntheticLedger(db: DatabaseHandle['db'], n: number): Promise<number> {
  await db.execute(sql`insert into case_imports (id, body_sha256, actor, source, lines, result, at)
    values (1, repeat('0', 64), 'bench', 'bench', 0, '{}'::jsonb, now()) on conflict do nothing`);
  const chunk = 200_000;
  for (let lo = 1; lo <= n; lo += chunk) {
    const hi = Math.min(n, lo + chunk - 1);
    await db.execute(sql`insert into cases (case_no, item_code, route, channel, received_at, applicant_kind,
        applicant_name, applicant_id, project, import_id)
      select 'B-' || lpad(i::text, 8, '0'), 'SG-002', 'normal', 'window',
        timestamptz '2025-01-01 09:00:00+08' + ((i - 1) * 365 / ${n}) * interval '1 day' + (i % 420) * interval '1 minute',
        'person', '陈明', '350502199001011234', null, 1
      from generate_series(${lo}::int, ${hi}::int) as i`);
    await db.execute(sql`insert into case_events (case_no, seq, at, action, actor, data, anomalies, allowed, via,
        post, acting_for, rule, reasons, policy_version, import_id)
      select c.case_no, row_number() over (partition by c.case_no order by s.k)::int, c.r + s.dt, s.action, s.actor,
        s.data, '{}', s.allowed, 'own', null, null,
        case when s.allowed then '{"file":"bench.yaml","post":"P","grant":"g"}'::jsonb end,
        '[]'::jsonb, 'bench', 1
      from (select i, 'B-' || lpad(i::text, 8, '0') as case_no,
              timestamptz '2025-01-01 09:00:00+08' + ((i - 1) * 365 / ${n}) * interval '1 day' + (i % 420) * interval '1 minute' as r
            from generate_series(${lo}::int, ${hi}::int) as i) c
      cross join lateral (values
        (1, interval '5 minutes', 'receipt', 'S026', '{"receiptNo":"R"}'::jsonb, true, c.i % 41 <> 0),
        (2, interval '10 minutes', 'notify_supplement', 'S026', '{"missing":["M2"]}'::jsonb, true, c.i % 97 = 0),
        (3, interval '20 minutes', 'notify_supplement', 'S026', '{"missing":["M3"]}'::jsonb, true, c.i % 97 = 0),
        (4, interval '30 minutes', 'supplement', 'S026', '{"materials":["M2","M3"]}'::jsonb, true, c.i % 97 = 0),
        (5, interval '40 minutes', 'accept', 'S026', '{}'::jsonb, true, true),
        (6, interval '1 day', 'review', case when c.i % 53 = 0 then 'S016' else 'S009' end, '{"opinion":"grant"}'::jsonb,
           c.i % 53 <> 0, true),
        (7, case when c.i % 23 = 0 then interval '9 days' else interval '1 day 2 hours' end, 'approve', 'S010',
           '{}'::jsonb, true, true),
        (8, case when c.i % 23 = 0 then interval '9 days 5 minutes' else interval '1 day 2 hours 5 minutes' end,
           'seal', 'S010', '{"seal":"special"}'::jsonb, true, true),
        (9, case when c.i % 23 = 0 then interval '9 days 10 minutes' else interval '1 day 2 hours 10 minutes' end,
           'complete', 'S010', '{"result":"granted"}'::jsonb, true, true),
        (10, case when c.i % 23 = 0 then interval '9 days 6 hours' else interval '1 day 6 hours' end,
           'announce', 'S016', '{}'::jsonb, true, c.i % 31 <> 0)
      ) as s(k, dt, action, actor, data, allowed, present)
      where s.present`);
  }
  await db.execute(sql`analyze cases`);
  await db.execute(sql`analyze case_events`);
  const rows: any = await db.execute(sql`select count(*)::int as n from case_events`);
  return (Array.isArray(rows) ? rows : rows.rows)[0].n as number;
}

/**
 * A second import (id 2): one more event (a second announcement) for every `every`-th case.
 * Returns the number of cases touched.
 */
export async function addAnnouncements(db: DatabaseHandle['db'], every: number): Promise<number> {
  await db.execute(sql`insert into case_imports (id, body_sha256, actor, source, lines, result, at)
    values (2, repeat('0', 64), 'bench', 'bench', 0, '{}'::jsonb, now()) on conflict do nothing`);
  const rows: any = await db.execute(sql`with ins as (
      insert into case_events (case_no, seq, at, action, actor, data, anomalies, allowed, via, post, acting_for,
        rule, reasons, policy_version, import_id)
      select case_no, max(seq) + 1, max(at) + interval '1 hour', 'announce', 'S016', '{}'::jsonb, '{}', true, 'own',
        null, null, '{"file":"bench.yaml","post":"P","grant":"g"}'::jsonb, '[]'::jsonb, 'bench', 2
      from case_events
      where case when case_no like 'B-%' then substr(case_no, 3)::int % ${every} = 0 else false end
      group by case_no
      returning 1)
    select count(*)::int as n from ins`);
  return (Array.isArray(rows) ? rows : rows.rows)[0].n as number;
}
