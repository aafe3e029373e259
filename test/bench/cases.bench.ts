/**
 * Case ledger benchmarks.
 *
 * 1. Ingestion of BENCH_EVENTS (default 1,000,000) `case-events` lines' worth of events, ~7 a
 *    case, into a database holding the demo bureau (demoOrg(1)), through `ingestCaseStream`:
 *    streaming parse, contract checks, cross-line checks, authority decision per event, anomalies,
 *    clocks, red cards, audit. Baselines, in the same run, into a fresh database with the same
 *    indexes: the same final `case_events` rows (decisions included, precomputed) loaded bare,
 *    by COPY and (on PostgreSQL) by the driver's multi-row INSERT helper.
 * 2. The ledger at BENCH_CASES (default 1,000,000) cases: the database of (1) topped up with
 *    more cases through ingestion, then a mix of ten ledger queries over HTTP, p95 latency.
 *
 * The lines are generated as they stream, so memory stays flat at any size. On PGlite use small
 * sizes, e.g. BENCH_EVENTS=20000 BENCH_CASES=20000 npm run bench -- cases.
 */
import { sql } from 'drizzle-orm';
import { getAuthorityEngine } from '../../src/authority/index.ts';
import { getCalendar } from '../../src/calendar/index.ts';
import { eventRowColumns } from '../../src/cases/apply.ts';
import { type CopyValue, withBulkSession } from '../../src/cases/bulk.ts';
import { ingestCaseStream } from '../../src/cases/ingest.ts';
import { queryRows } from '../../src/db/client.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { importOrg } from '../../src/org/service.ts';
import { createToken } from '../../src/platform/auth.ts';
import type { BenchRow } from './harness.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-12-31T12:00:00+08:00');

interface Step {
  action: string;
  actor: string;
  at: string;
  data: Record<string, unknown>;
}

interface Plan {
  caseNo: string;
  line: Record<string, unknown>;
  steps: Step[];
}

/** Who does what in the demo bureau: A holders of the posts, by business. */
function roster() {
  const org = demoOrg(1);
  const holder = (post: string) =>
    org.assignments!.find((a) => a.post === post && a.role === 'A' && !a.to)!.staff;
  const byBusiness = (prefix: string) => {
    const m = new Map<string, string>();
    for (const p of org.posts!)
      if (p.code.startsWith(prefix)) for (const b of p.businesses ?? []) m.set(b, holder(p.code));
    return m;
  };
  const items = org.items!.filter((i) => i.atWindow !== false);
  return {
    items,
    accept: holder('P-ACCEPT-1'),
    announce: holder('P-ANNOUNCE'),
    reviewer: byBusiness('P-REVIEW-'),
    approver: byBusiness('P-APPROVE-'),
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const stamp = (date: string, minutes: number) =>
  `${date}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:00+08:00`;

/**
 * Case plans, generated one at a time, spread over the working days: `full` cases go receipt ..
 * announce (7 events, an 8th `deliver` for the first `extra`); the others are completed in 4
 * events, except a few of the last two weeks' left open after acceptance.
 */
export function* plans(opts: {
  prefix: string;
  count: number;
  full: boolean;
  extra?: number;
  days: string[];
}) {
  const r = roster();
  const cal = getCalendar();
  for (let i = 0; i < opts.count; i++) {
    const item = r.items[i % r.items.length];
    const business = item.business;
    const dayIndex = i % opts.days.length;
    const day = opts.days[dayIndex];
    // Of the top-up cases, those received in the last two weeks and one in three of them are
    // still open (about 1.5% of the ledger, as in a bureau that finishes in days).
    const open = !opts.full && dayIndex >= opts.days.length - 10 && i % 3 === 0;
    const minute = 9 * 60 + (i % 420);
    const caseNo = `${opts.prefix}-${pad(i, 7)}`;
    const next = (n: number) => cal.addWorkingDays(day, n).date;
    const approver = r.approver.get(business) ?? r.accept;
    const steps: Step[] = [
      { action: 'receipt', actor: r.accept, at: stamp(day, minute + 1), data: { receiptNo: `R${caseNo}` } },
      { action: 'accept', actor: r.accept, at: stamp(day, minute + 20), data: {} },
    ];
    if (!open) {
      steps.push(
        {
          action: 'review',
          actor: r.reviewer.get(business) ?? r.accept,
          at: stamp(next(1), 600),
          data: { opinion: 'grant' },
        },
        { action: 'approve', actor: approver, at: stamp(next(1), 900), data: {} },
      );
      if (opts.full)
        steps.push({
          action: 'seal',
          actor: approver,
          at: stamp(next(1), 905),
          data: { seal: item.specialSeal === false ? 'official' : 'special' },
        });
      steps.push({
        action: 'complete',
        actor: approver,
        at: stamp(next(1), 910),
        data: { result: 'granted' },
      });
      if (opts.full) steps.push({ action: 'announce', actor: r.announce, at: stamp(next(2), 570), data: {} });
      if (opts.full && i < (opts.extra ?? 0))
        steps.push({ action: 'deliver', actor: r.accept, at: stamp(next(2), 600), data: {} });
    }
    const line = {
      type: 'case',
      caseNo,
      itemCode: item.code,
      route: i % 10 === 3 && item.fastTrackDays ? 'fast_track' : 'normal',
      channel: i % 3 === 0 ? 'window' : 'online',
      receivedAt: stamp(day, minute),
      applicant: { kind: 'org', name: `泉州第${i}建设有限公司`, id: `91350500MA${pad(i, 8)}` },
      project: null,
    };
    yield { caseNo, line, steps } satisfies Plan;
  }
}

/** NDJSON text in chunks of ~1,000 lines. */
export async function* ndjson(source: Iterable<Plan>) {
  let buf = '';
  let n = 0;
  for (const p of source) {
    buf += `${JSON.stringify(p.line)}\n`;
    p.steps.forEach((s, k) => {
      buf += `${JSON.stringify({ type: 'event', caseNo: p.caseNo, seq: k + 1, at: s.at, action: s.action, actor: s.actor, data: s.data })}\n`;
    });
    if (++n % 150 === 0) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** The same events as final `case_events` rows (decision columns filled like ingestion's). */
function* eventRows(source: Iterable<Plan>): Generator<CopyValue[]> {
  const rule = JSON.stringify({ file: 'acceptance.yaml', post: 'P-ACCEPT-1', grant: 'intake' });
  // As ingestion stores an allowed decision: no explanation beyond via, post and rule.
  const reasons = '[]';
  const version = 'a'.repeat(64);
  for (const p of source)
    for (const [k, s] of p.steps.entries())
      yield [
        p.caseNo,
        k + 1,
        s.at,
        s.action,
        s.actor,
        JSON.stringify(s.data),
        [],
        true,
        'own',
        'P-ACCEPT-1',
        null,
        rule,
        reasons,
        version,
        1,
      ];
}

export function workingDays(from: string, to: string) {
  const cal = getCalendar();
  const days: string[] = [];
  for (let d = cal.addWorkingDays(from, 0).date; d <= to; d = cal.addWorkingDays(d, 1).date)
    if (cal.isWorkingDay(d)) days.push(d);
  return days;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

export async function bench(): Promise<BenchRow[]> {
  // Loaded here, so that the generators above can be imported without the whole app.
  const { createApp } = await import('../../src/app.ts');
  const { benchDatabase, rate, timeMs } = await import('./harness.ts');
  const days = workingDays('2026-01-05', '2026-12-11');
  const fullCases = Math.floor(EVENTS / 7);
  const extra = EVENTS - fullCases * 7;
  const fullSet = () => plans({ prefix: 'QZJS-2026', count: fullCases, full: true, extra, days });
  const rows: BenchRow[] = [];
  const onPg = !!process.env.DATABASE_URL;

  // Baselines: the final rows, loaded bare into a fresh database's case_events.
  const bare = await benchDatabase();
  let copyMs: number;
  let insertMs: number | undefined;
  try {
    copyMs = await timeMs(() =>
      withBulkSession(bare.database, async (s) => {
        let batch: CopyValue[][] = [];
        for (const r of eventRows(fullSet())) {
          batch.push(r);
          if (batch.length === 20_000) {
            await s.copy('case_events', eventRowColumns, batch);
            batch = [];
          }
        }
        await s.copy('case_events', eventRowColumns, batch);
      }),
    );
    if (onPg) {
      const cols = eventRowColumns.map((c) => c.name);
      const fresh = await benchDatabase();
      try {
        const fpg = fresh.database.pg!;
        insertMs = await timeMs(() =>
          fpg.begin(async (tx) => {
            let batch: Record<string, unknown>[] = [];
            const flush = async () => {
              if (batch.length) await tx`insert into case_events ${tx(batch as any, cols)}`;
              batch = [];
            };
            for (const r of eventRows(fullSet())) {
              const o: Record<string, unknown> = {};
              cols.forEach((c, i) => {
                o[c] = r[i];
              });
              batch.push(o);
              if (batch.length === 4000) await flush();
            }
            await flush();
          }),
        );
      } finally {
        await fresh.close();
      }
    }
  } finally {
    await bare.close();
  }

  // Ingestion into a database holding the demo bureau.
  const t = await benchDatabase();
  try {
    await importOrg(t.db, demoOrg(1), { actor: 'bench', today: '2026-01-05' });
    await getAuthorityEngine(t.db); // a running server has it cached
    let result: Awaited<ReturnType<typeof ingestCaseStream>> | undefined;
    const ingestMs = await timeMs(async () => {
      result = await ingestCaseStream(t.database, ndjson(fullSet()), {
        actor: 'bench',
        source: 'bench',
        timeZone: TZ,
        now: NOW,
      });
    });
    const events = result!.events.new;
    if (events !== EVENTS) throw new Error(`expected ${EVENTS} events stored, got ${events}`);
    const ingestRate = rate(events, ingestMs);
    rows.push({
      name: `case ingestion, ${events.toLocaleString('en')} events (${result!.cases.new.toLocaleString('en')} cases)`,
      figure: ingestRate,
      unit: 'events/s',
      baseline: rate(events, copyMs),
      ratio: ingestRate / rate(events, copyMs),
      note: `authority decided per event (${result!.denied} denied); baseline = bare COPY of the final rows; ${(ingestMs / 1000).toFixed(1)} s vs ${(copyMs / 1000).toFixed(1)} s`,
    });
    if (insertMs !== undefined)
      rows.push({
        name: 'case ingestion vs multi-row INSERT baseline',
        figure: ingestRate,
        unit: 'events/s',
        baseline: rate(events, insertMs),
        ratio: ingestRate / rate(events, insertMs),
        note: `baseline = postgres.js insert helper, 4,000 rows a statement (the parameter limit); ${(insertMs / 1000).toFixed(1)} s`,
      });
    const again = await timeMs(() =>
      ingestCaseStream(t.database, ndjson(fullSet()), {
        actor: 'bench',
        source: 'bench',
        timeZone: TZ,
        now: NOW,
      }),
    );
    rows.push({
      name: 'case ingestion, the same events again (nothing new)',
      figure: rate(EVENTS, again),
      unit: 'events/s',
      note: `${(again / 1000).toFixed(1)} s`,
    });

    // Top up to CASES cases, then query the ledger.
    const more = Math.max(0, CASES - result!.cases.new);
    if (more > 0) {
      const topUp = await timeMs(() =>
        ingestCaseStream(t.database, ndjson(plans({ prefix: 'QZJS-OPEN', count: more, full: false, days })), {
          actor: 'bench',
          source: 'bench',
          timeZone: TZ,
          now: NOW,
        }),
      );
      rows.push({
        name: `case ingestion into a filled ledger, ${more.toLocaleString('en')} more cases`,
        figure: rate(more, topUp),
        unit: 'cases/s',
        note: `${(topUp / 1000).toFixed(1)} s; 4 events a case (2 for the few still open)`,
      });
    }
    if (onPg) await t.database.pg!.unsafe('analyze');
    const [{ n }] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from case_state`);
    const app = createApp(t);
    const { token } = await createToken(t.db, { name: 'bench', role: 'system' }, 'bench');
    const headers = { authorization: `Bearer ${token}` };
    const first: any = await (await app.request('/api/cases?limit=50&asOf=2026-12-15', { headers })).json();
    const queries = [
      '/api/cases?limit=50',
      `/api/cases?limit=50&cursor=${first.nextCursor}`,
      '/api/cases?state=under_review,accepted&limit=50',
      '/api/cases?light=red&limit=50',
      '/api/cases?light=yellow&business=enterprise-qualification&limit=50',
      '/api/cases?item=SG-001&receivedFrom=2026-06-01&receivedTo=2026-06-30&limit=50',
      `/api/cases?clerk=${roster().accept}&open=true&sort=due&limit=50`,
      '/api/cases?completedFrom=2026-09-01&completedTo=2026-09-30&limit=50',
      '/api/cases?route=fast_track&channel=online&limit=50',
      '/api/cases?responsible=S007&light=red,yellow&sort=due&limit=50',
    ].map((q) => `${q}&asOf=2026-12-15`);
    const samples: number[] = [];
    const perQuery = new Map<string, number[]>();
    for (let round = 0; round < 20; round++) {
      for (const q of queries) {
        const ms = await timeMs(async () => {
          const res = await app.request(q, { headers });
          if (res.status !== 200) throw new Error(`${q}: ${res.status} ${await res.text()}`);
          await res.json();
        });
        if (round > 0) {
          samples.push(ms);
          perQuery.set(q, [...(perQuery.get(q) ?? []), ms]);
        }
      }
    }
    const worst = [...perQuery.entries()]
      .map(([q, xs]) => [q, percentile(xs, 95)] as const)
      .sort((a, b) => b[1] - a[1])[0];
    rows.push({
      name: `ledger query p95, ${n.toLocaleString('en')} cases (10 filter mixes, over HTTP)`,
      figure: percentile(samples, 95),
      unit: 'ms',
      note: `p50 ${percentile(samples, 50).toFixed(1)} ms; slowest mix ${worst[0].replace('/api/cases?', '')} p95 ${worst[1].toFixed(1)} ms`,
    });
    return rows;
  } finally {
    await t.close();
  }
}

/** For profiling: the NDJSON of `events` events' worth of full cases. */
export function plansFor(events: number) {
  const days = workingDays('2026-01-05', '2026-12-11');
  const count = Math.floor(events / 7);
  return ndjson(plans({ prefix: 'QZJS-2026', count, full: true, extra: events - count * 7, days }));
}
