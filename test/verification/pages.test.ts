/**
 * The inspector's workbench through its forms: start a run, read it by check and by clerk, drill
 * down to a case, issue a ruling and refer a failure to misconduct (once); a leader reads but
 * gets no buttons. The browser test (test/e2e/verification.e2e.test.ts) drives the same flow.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRun } from '../../src/verification/index.ts';
import { loginAs } from '../helpers.ts';
import { ingest, ledgerApp, STAFF, story } from './support.ts';

let t: Awaited<ReturnType<typeof ledgerApp>>;
let inspector: Record<string, string>;
let leader: Record<string, string>;
let runId: number;

const form = (h: Record<string, string>, fields: Record<string, string>) => ({
  method: 'POST',
  headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ _csrf: h['x-csrf-token'], ...fields }).toString(),
});
const page = async (h: Record<string, string>, path: string) => {
  const res = await t.app.request(path, { headers: { cookie: h.cookie } });
  return { status: res.status, html: await res.text() };
};

beforeAll(async () => {
  t = await ledgerApp();
  inspector = await loginAs(t, 'inspector', { staffNo: 'S036' });
  leader = await loginAs(t, 'leader', { staffNo: 'S002' });
  await ingest(t, [
    ...story(
      'W-NOANN',
      [
        ['2026-03-02T09:20:00+08:00', 'receipt'],
        ['2026-03-02T10:00:00+08:00', 'accept'],
        ['2026-03-03', 'review'],
        ['2026-03-04T10:00:00+08:00', 'approve'],
        ['2026-03-04T10:05:00+08:00', 'seal'],
        ['2026-03-04T10:10:00+08:00', 'complete'],
      ],
      { itemCode: 'SG-002' },
    ),
  ]);
});
afterAll(() => t?.close());

describe('the workbench', () => {
  it('starts a run from the form and shows it with its findings', async () => {
    const res = await t.app.request(
      '/verification/runs',
      form(inspector, { from: '2026-03-01', to: '2026-03-31' }),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    runId = Number(location.split('/').pop());
    await waitForRun(runId);
    const { html } = await page(inspector, location);
    expect(html).toContain('第 1 次核查');
    expect(html).toContain('data-status="done"');
    expect(html).toContain('办结于2026-03-04, 未办结公告');
    expect(html).toContain(`?staff=${STAFF.announce}`);
    expect(html).toContain('为全部问题案件出具核查意见书');
  });

  it('lists the runs and the pending referrals on the front page', async () => {
    const { html } = await page(inspector, '/verification');
    expect(html).toContain(`/verification/runs/${runId}`);
    expect(html).toContain('待移送过错追究 1 项');
    const pending = await page(inspector, '/verification/referrals');
    expect(pending.html).toContain('verification:W-NOANN:announced');
  });

  it('drills down to the case: timeline, every result with its basis', async () => {
    const { html } = await page(inspector, `/verification/runs/${runId}/cases/W-NOANN`);
    expect(html).toContain('data-testid="timeline"');
    expect(html).toContain('办结公告制');
    expect(html).toContain('移送过错追究');
    expect(html).toContain('出具核查意见书');
  });

  it('issues a ruling from the case page', async () => {
    const res = await t.app.request(
      `/verification/runs/${runId}/cases/W-NOANN/ruling`,
      form(inspector, { locale: 'zh-CN' }),
    );
    expect(res.status).toBe(303);
    const { html } = await page(inspector, res.headers.get('location')!);
    expect(html).toMatch(/已出具核查意见书 泉建核〔\d{4}〕1号/);
    expect(html).toContain('data-testid="ruling-pdf"');
  });

  it('refers a failure to misconduct once; it is no longer pending', async () => {
    const res = await t.app.request(
      `/verification/runs/${runId}/cases/W-NOANN/refer`,
      form(inspector, { check: 'announced' }),
    );
    expect(res.status).toBe(303);
    const { html } = await page(inspector, res.headers.get('location')!);
    expect(html).toMatch(/已移送过错追究：事项 \d+/);
    expect(html).toMatch(/已移送（事项 \d+）/);
    const again = await t.app.request(
      `/verification/runs/${runId}/cases/W-NOANN/refer`,
      form(inspector, { check: 'announced' }),
    );
    expect(again.headers.get('location')).toBe(res.headers.get('location'));
    expect((await page(inspector, '/verification/referrals')).html).toContain('没有待移送的问题');
  });

  it('lets a leader read without the buttons', async () => {
    const run = await page(leader, `/verification/runs/${runId}`);
    expect(run.status).toBe(200);
    expect(run.html).not.toContain('为全部问题案件出具核查意见书');
    const front = await page(leader, '/verification');
    expect(front.html).not.toContain('data-testid="start-run"');
    const refused = await t.app.request(
      '/verification/runs',
      form(leader, { from: '2026-03-01', to: '2026-03-31' }),
    );
    expect(refused.status).toBe(403);
  });

  it('shows the page in English', async () => {
    const en = await loginAs(t, 'inspector', { name: 'inspector-en', staffNo: 'S037' });
    await t.db.execute(sql`update users set locale = 'en' where name = 'inspector-en'`);
    const { html } = await page(en, `/verification/runs/${runId}`);
    expect(html).toContain('Verification run 1');
    expect(html).toContain('completed on 2026-03-04, never announced');
    expect(html).toContain('Issue rulings for every case with a failure');
  });
});
