/**
 * Browsing 10,000 staff: the staff and post lists' queries (src/org/query.ts) and the rendered pages, on a
 * generated bureau (src/demo/large.ts). Each figure is the median of repeated runs; the baseline
 * is the cheapest possible page (50 staff rows by primary key, nothing else), in the same run.
 */
import { sql } from 'drizzle-orm';
import { createApp } from '../../src/app.ts';
import { largeOrg } from '../../src/demo/large.ts';
import { postsWithHolders, type StaffQuery, searchStaff } from '../../src/org/query.ts';
import { importOrg } from '../../src/org/service.ts';
import { createUser } from '../../src/platform/auth.ts';
import { type BenchRow, benchDatabase, timeMs } from './harness.ts';

const RUNS = 15;
const today = '2026-03-02';

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: plans and caches
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeMs(fn));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function bench(): Promise<BenchRow[]> {
  const t = await benchDatabase();
  try {
    await importOrg(t.db, largeOrg(10_000), { actor: 'bench', today });
    const baseline = await median(() => t.db.execute(sql`select * from staff order by no limit 50`));
    const q: StaffQuery = { page: 1, pageSize: 50, today };
    const cases: [string, StaffQuery][] = [
      ['staff list, first page', q],
      ['staff list, last page (200)', { ...q, page: 200 }],
      ['staff list, name search', { ...q, q: '职员99' }],
      ['staff list, number prefix', { ...q, q: 'S0099' }],
      ['staff list, one department', { ...q, department: 'D3' }],
      ['staff list, one competency, page 20', { ...q, business: 'survey-design', page: 20 }],
      ['staff list by time in post, first page', { ...q, sort: 'tenure' }],
      ['staff list by time in post, page 100', { ...q, sort: 'tenure', page: 100 }],
    ];
    const rows: BenchRow[] = [];
    for (const [name, query] of cases) {
      let total = 0;
      const figure = await median(async () => {
        total = (await searchStaff(t.db, query)).total;
      });
      rows.push({
        name,
        figure,
        unit: 'ms',
        baseline,
        ratio: figure / baseline,
        note: `${total} match; 10,000 staff`,
      });
    }

    for (const [name, page] of [
      ['posts with A/B holders, first page', 1],
      ['posts with A/B holders, last page (100)', 100],
    ] as const) {
      const figure = await median(() => postsWithHolders(t.db, { today, page, pageSize: 50 }));
      rows.push({
        name,
        figure,
        unit: 'ms',
        baseline,
        ratio: figure / baseline,
        note: '5,000 posts, 10,000 holders',
      });
    }

    // The whole page as a user gets it: session, queries, JSX rendering.
    const app = createApp(t);
    await createUser(t.db, { name: 'bench-clerk', role: 'clerk', password: 'bench password' }, 'bench');
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench-clerk', password: 'bench password' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    for (const [name, path] of [
      ['GET /org/staff (rendered page)', '/org/staff'],
      ['GET /org/staff?page=200 (rendered page)', '/org/staff?page=200'],
      ['GET /org/posts (rendered page)', '/org/posts'],
    ] as const) {
      const figure = await median(async () => {
        const res = await app.request(path, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        await res.text();
      });
      rows.push({ name, figure, unit: 'ms', baseline, ratio: figure / baseline, note: '50 rows, HTML' });
    }
    return rows;
  } finally {
    await t.close();
  }
}
