/**
 * Generation and freezing: the scheduler's catch-up, stored versions served byte for byte however
 * the ledger changes after, a new version on request with the changes listed, append-only rows,
 * and the document itself (both locales, charts drawn in the PDF, definitions with denominators).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCalendar } from '../../src/calendar/index.ts';
import { ingestCaseRecords } from '../../src/cases/index.ts';
import { queryRows } from '../../src/db/client.ts';
import { reportsCommands } from '../../src/reports/cli.ts';
import { catchUpReports, generateReport, periodsDue, startReportTimer } from '../../src/reports/index.ts';
import { ledgerApp, story } from '../cases/support.ts';
import { pdfPages } from '../documents/poppler.ts';
import { loginAs } from '../helpers.ts';
import { fixtureLines, INGESTED_AT } from './fixture.ts';

const TZ = 'Asia/Shanghai';
let t: Awaited<ReturnType<typeof ledgerApp>>;
let leader: Record<string, string>;
const sha = (b: ArrayBuffer | Buffer | string) =>
  createHash('sha256')
    .update(Buffer.isBuffer(b) || typeof b === 'string' ? b : Buffer.from(b))
    .digest('hex');

beforeAll(async () => {
  t = await ledgerApp();
  await ingestCaseRecords(t.db, fixtureLines(), {
    actor: 'test',
    source: 'test',
    timeZone: TZ,
    now: INGESTED_AT,
  });
  leader = await loginAs(t, 'leader');
}, 120_000);
afterAll(() => t?.close());

const get = (path: string) => t.app.request(path, { headers: leader });
const post = (path: string) => t.app.request(path, { method: 'POST', headers: leader });

describe('the timer catches up on what is missing', () => {
  it('on a Wednesday: the previous working day, last week, last month, last quarter', async () => {
    const now = new Date('2026-03-18T09:00:00+08:00');
    const done = await catchUpReports(t.db, now, { timeZone: TZ });
    expect(done.map((d) => `${d.kind}:${d.period}:v${d.version}`)).toEqual([
      'daily:2026-03-17:v1',
      'weekly:2026-W11:v1',
      'monthly:2026-02:v1',
      'quarterly:2025-Q4:v1',
    ]);
    expect(await catchUpReports(t.db, now, { timeZone: TZ })).toEqual([]);
  }, 120_000);

  it('after a stop, every missed working day since the last bulletin (not the weekend)', async () => {
    // Tuesday 24 March: missed Wed 18 .. Mon 23 except Sat 21 and Sun 22; and week 12.
    const now = new Date('2026-03-24T08:30:00+08:00');
    const due = await periodsDue(t.db, 'daily', '2026-03-24', getCalendar());
    expect(due.map((p) => p.key)).toEqual(['2026-03-18', '2026-03-19', '2026-03-20', '2026-03-23']);
    const done = await catchUpReports(t.db, now, { timeZone: TZ });
    expect(done.map((d) => `${d.kind}:${d.period}`)).toEqual([
      'daily:2026-03-18',
      'daily:2026-03-19',
      'daily:2026-03-20',
      'daily:2026-03-23',
      'weekly:2026-W12',
    ]);
  }, 120_000);

  it('every scheduled version says so, by whom', async () => {
    const body = (await (await get('/api/reports/daily/2026-03-17')).json()) as any;
    expect(body).toMatchObject({ version: 1, trigger: 'schedule', createdBy: 'system', changes: null });
  });
});

describe('a generated report is frozen', () => {
  let v1pdf: ArrayBuffer;
  let v1html: string;

  it('generates version 1 of March on request, in both languages', async () => {
    const res = await post('/api/reports/monthly/2026-03');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ kind: 'monthly', period: '2026-03', version: 1, changes: null });
    const zh = (await (await get('/api/reports/monthly/2026-03')).json()) as any;
    const en = (await (await get('/api/reports/monthly/2026-03?locale=en')).json()) as any;
    expect(zh.locale).toBe('zh-CN');
    expect(en.locale).toBe('en');
    expect(en.numbersSha256).toBe(zh.numbersSha256);
    expect(en.sha256).not.toBe(zh.sha256);
    expect(zh.numbers.trend['2026-03'].received).toBe(9);
  }, 120_000);

  it('serves the stored bytes, with their hash, the same every time', async () => {
    const a = await get('/api/reports/monthly/2026-03/pdf?version=1');
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('application/pdf');
    v1pdf = await a.arrayBuffer();
    expect(a.headers.get('x-content-sha256')).toBe(sha(v1pdf));
    const b = await (await get('/api/reports/monthly/2026-03/pdf?version=1')).arrayBuffer();
    expect(sha(b)).toBe(sha(v1pdf));
    const h = await get('/api/reports/monthly/2026-03/html?version=1');
    v1html = await h.text();
    expect(h.headers.get('x-content-sha256')).toBe(sha(v1html));
  });

  it('the PDF holds the figures, the definitions with their denominators, and the charts', () => {
    const text = pdfPages(Buffer.from(v1pdf)).join('\n').replace(/\s+/g, '');
    expect(text).toContain('泉州市建设局窗口2026年3月运行分析');
    expect(text).toContain('按时办结率为80.0%（4/5）');
    expect(text).toContain('提前办结率为50.0%（2/4）');
    expect(text).toContain('平均每项缩短17.3个工作日（935÷54）');
    expect(text).toContain('平均每项缩短19.1个工作日（935÷49）');
    expect(text).toContain('78.3%');
    // Chart titles are text drawn from the SVG, so the charts are in the PDF.
    expect(text).toContain('近十二个月收件、办结与按时办结率');
    expect(text).toContain('窗口事项的办理方式');
    expect(text).toContain('暂无数据：尚无覆盖本期的已完成核查运行');
  });

  it('the HTML page holds the same figures and the charts as inline SVG, in Chinese', () => {
    expect(v1html).toContain('<html lang="zh-CN">');
    expect(v1html).toContain('按时办结率为80.0%（4/5）');
    expect((v1html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(3);
    // No inline style in the charts: the site's CSP allows none.
    for (const svg of v1html.match(/<svg [\s\S]*?<\/svg>/g) ?? []) expect(svg).not.toContain(' style="');
  });

  it('stays byte-identical when the ledger changes after it', async () => {
    // A tenth case, completed in March: the figures of March move.
    await ingestCaseRecords(
      t.db,
      story(
        'RPT-J',
        [
          ['2026-03-09T09:10:00+08:00', 'receipt'],
          ['2026-03-09T09:20:00+08:00', 'accept'],
          ['2026-03-10T10:00:00+08:00', 'review'],
          ['2026-03-11T10:00:00+08:00', 'approve'],
          ['2026-03-11T11:00:00+08:00', 'complete'],
        ],
        { receivedAt: '2026-03-09T09:00:00+08:00' },
      ),
      { actor: 'test', source: 'test', timeZone: TZ, now: INGESTED_AT },
    );
    const again = await (await get('/api/reports/monthly/2026-03/pdf?version=1')).arrayBuffer();
    expect(sha(again)).toBe(sha(v1pdf));
    expect(await (await get('/api/reports/monthly/2026-03/html?version=1')).text()).toBe(v1html);
    const json = (await (await get('/api/reports/monthly/2026-03?version=1')).json()) as any;
    expect(json.numbers.trend['2026-03'].received).toBe(9);
  }, 120_000);

  it('generating again makes version 2, listing what changed', async () => {
    const res = await post('/api/reports/monthly/2026-03');
    expect(res.status).toBe(201);
    const v2 = (await res.json()) as any;
    expect(v2.version).toBe(2);
    const changed = Object.fromEntries(v2.changes.map((c: any) => [c.path, [c.before, c.after]]));
    expect(changed['trend.2026-03.received']).toEqual([9, 10]);
    expect(changed['trend.2026-03.completed']).toEqual([6, 7]);
    expect(changed['trend.2026-03.onTime.num']).toEqual([4, 5]);
    expect(changed['trend.2026-03.onTime.den']).toEqual([5, 6]);
    expect(changed['perItem.SG-001.outcomes.completed']).toEqual([5, 6]);
    // Nothing else moved: the catalogue and earlier months are the same.
    expect(
      v2.changes.every((c: any) => !c.path.startsWith('catalogue') && !c.path.startsWith('trend.2026-02')),
    ).toBe(true);

    const latest = (await (await get('/api/reports/monthly/2026-03')).json()) as any;
    expect(latest.version).toBe(2);
    expect(latest.versions.map((v: any) => v.version)).toEqual([1, 2]);
    const text = pdfPages(Buffer.from(await (await get('/api/reports/monthly/2026-03/pdf')).arrayBuffer()))
      .join('')
      .replace(/\s+/g, '');
    expect(text).toContain('与第1版相比的变化');
    expect(text).toContain('trend.2026-03.received');
    // Version 1 is still what it was.
    expect(sha(await (await get('/api/reports/monthly/2026-03/pdf?version=1')).arrayBuffer())).toBe(
      sha(v1pdf),
    );
  }, 120_000);

  it('version 3 of unchanged figures says they are the same as version 2', async () => {
    const v3 = (await (await post('/api/reports/monthly/2026-03')).json()) as any;
    expect(v3).toMatchObject({ version: 3, changes: [] });
    const html = await (await get('/api/reports/monthly/2026-03/html?version=3')).text();
    expect(html).toContain('各项数字与第2版相同');
  }, 120_000);

  it('the leader page shows the document, its versions and the changes', async () => {
    const res = await get('/reports/monthly/2026-03?v=2');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('第2版（共3版）');
    expect(html).toContain('与第1版相比的变化');
    expect(html).toContain('trend.2026-03.received');
    expect(html).toContain('<article class="nk-doc"');
    expect(html).toContain('/reports/document.css');
    expect(html).toContain('<svg ');
    const list = await (await get('/reports')).text();
    expect(list).toContain('/reports/monthly/2026-03');
    expect(list).toContain('/reports/daily/2026-03-17');
    const css = await t.app.request('/reports/document.css');
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    expect(await css.text()).toContain('.nk-doc');
  });

  it('the generate form opens the new version, and names a bad period', async () => {
    const form = (body: Record<string, string>) =>
      t.app.request('/reports', {
        method: 'POST',
        headers: { ...leader, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
    const ok = await form({ kind: 'weekly', period: '2026-W10' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/reports/weekly/2026-W10?v=1');
    const bad = await form({ kind: 'weekly', period: '2026-03' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('YYYY-Www');
  }, 120_000);

  it('two generations at once: one version each, the later one against the earlier', async () => {
    const gen = (onlyIfMissing: boolean) =>
      generateReport(t.db, {
        kind: 'weekly',
        period: '2026-W09',
        timeZone: TZ,
        actor: 'test',
        trigger: 'request',
        onlyIfMissing,
      });
    const missing = await Promise.all([gen(true), gen(true)]);
    expect(missing.filter((v) => v !== null).map((v) => v!.version)).toEqual([1]);
    const both = await Promise.all([gen(false), gen(false)]);
    expect(both.map((v) => v!.version).sort()).toEqual([2, 3]);
    for (const v of both) expect(v!.changes).toEqual([]);
    const list = (await (await get('/api/reports/weekly/2026-W09')).json()) as any;
    expect(list.versions.map((v: any) => v.version)).toEqual([1, 2, 3]);
  }, 120_000);

  it('refuses a period that is not over, and a malformed one, naming the parameter', async () => {
    const future = await post('/api/reports/monthly/2099-01');
    expect(future.status).toBe(422);
    const bad = await post('/api/reports/quarterly/2026-Q5');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors).toEqual([
      { path: 'path.period', message: 'a quarterly period is a quarter YYYY-Qn, not "2026-Q5"' },
    ]);
    expect((await get('/api/reports/monthly/2025-01')).status).toBe(404);
  });

  it('stored versions cannot be changed or deleted', async () => {
    const refused = async (q: ReturnType<typeof sql>) => {
      try {
        await t.db.execute(q);
        return 'accepted';
      } catch (err: any) {
        return String(err?.cause?.message ?? err?.message);
      }
    };
    expect(await refused(sql`update report_versions set html = 'x'`)).toMatch(/append-only/);
    expect(await refused(sql`delete from report_versions`)).toMatch(/append-only/);
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from report_versions where html = 'x'`,
    );
    expect(n).toBe(0);
  });

  it('every generation is in the audit log', async () => {
    const rows = await queryRows<{ entity_id: string }>(
      t.db,
      sql`select entity_id from audit_log where action = 'reports.generate' and entity_id like 'monthly:2026-03:%' order by id`,
    );
    const ids = rows.map((r) => r.entity_id);
    expect(ids).toEqual(['monthly:2026-03:v1', 'monthly:2026-03:v2', 'monthly:2026-03:v3']);
  });
});

describe('the command line', () => {
  it('writes a stored version to a file, byte for byte, and generates a new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nk-reports-'));
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      const out = join(dir, 'march.pdf');
      expect(
        await reportsCommands['reports get'](t.deps, ['monthly', '2026-03', '--version', '1', '--out', out]),
      ).toBe(0);
      const api = await (await get('/api/reports/monthly/2026-03/pdf?version=1')).arrayBuffer();
      expect(sha(readFileSync(out))).toBe(sha(api));
      expect(await reportsCommands['reports generate'](t.deps, ['weekly', '2026-W11'])).toBe(0);
      expect(((await (await get('/api/reports/weekly/2026-W11')).json()) as any).version).toBe(2);
      await expect(reportsCommands['reports generate'](t.deps, ['yearly', '2026'])).rejects.toThrow(
        /the input has problems/,
      );
    } finally {
      process.stdout.write = write;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the timer', () => {
  it('runs at once, never keeps the process alive, and stops', async () => {
    const timer = startReportTimer({ db: t.db, config: t.config }, 60_000);
    await new Promise((r) => setTimeout(r, 10));
    await timer.running;
    timer.stop();
    const list = (await (await get('/api/reports?kind=daily')).json()) as any;
    // Today's previous working day, whatever today is, now has its bulletin.
    expect(list.reports.length).toBeGreaterThan(5);
  }, 240_000);
});
