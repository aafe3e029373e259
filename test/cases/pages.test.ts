/**
 * The ledger's pages: "我的办件" (a clerk's open cases, most urgent first), the ledger with its
 * filters, one case with its timeline; who may open them and what they see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCaseRecords } from '../../src/cases/ingest.ts';
import { addDays, localDate } from '../../src/platform/time.ts';
import { loginAs } from '../helpers.ts';
import { ledgerApp, STAFF, story } from './support.ts';

const TZ = 'Asia/Shanghai';

describe('case pages', () => {
  let t: Awaited<ReturnType<typeof ledgerApp>>;
  const h: Record<string, Record<string, string>> = {};
  const page = async (path: string, who: string) => {
    const res = await t.app.request(path, { headers: h[who] ?? {} });
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  };

  beforeAll(async () => {
    t = await ledgerApp();
    const today = localDate(new Date(), TZ);
    const old = addDays(today, -40);
    await ingestCaseRecords(
      t.database,
      [
        ...story(
          'PG-NEW',
          [
            [`${today}T08:10:00+08:00`, 'receipt'],
            [`${today}T08:20:00+08:00`, 'accept'],
          ],
          {
            receivedAt: `${today}T08:00:00+08:00`,
            itemCode: 'ZZ-001',
          },
        ),
        ...story(
          'PG-OLD',
          [
            [`${old}T10:00:00+08:00`, 'receipt'],
            [`${old}T10:30:00+08:00`, 'approve'],
            [`${old}T11:00:00+08:00`, 'accept'],
          ],
          {
            receivedAt: `${old}T09:00:00+08:00`,
          },
        ),
        ...story('PG-OTHER', [[`${old}T10:00:00+08:00`, 'receipt', 'S007']], {
          receivedAt: `${old}T09:00:00+08:00`,
        }),
      ],
      { actor: 'test', source: 'test', timeZone: TZ },
    );
    h.clerk = await loginAs(t, 'clerk', { staffNo: STAFF.accept });
    h.inspector = await loginAs(t, 'inspector');
    h.hr = await loginAs(t, 'hr');
  });
  afterAll(() => t.close());

  it('我的办件 lists the clerk’s open cases, red before green', async () => {
    const { status, html } = await page('/cases/mine', 'clerk');
    expect(status).toBe(200);
    expect(html).toContain('我的办件');
    expect(html.indexOf('PG-OLD')).toBeGreaterThan(0);
    expect(html.indexOf('PG-OLD')).toBeLessThan(html.indexOf('PG-NEW'));
    expect(html).not.toContain('PG-OTHER');
    expect(html).toContain('红灯');
    // Applicant data masked for a clerk.
    expect(html).toContain('陈*');
    expect(html).not.toContain('陈明');
  });

  it('the ledger filters by light, and shows applicants to an inspector', async () => {
    const red = await page('/cases?light=red', 'inspector');
    expect(red.status).toBe(200);
    expect(red.html).toContain('PG-OLD');
    expect(red.html).not.toContain('PG-NEW');
    expect(red.html).toContain('陈明');
    const clerk = await page('/cases', 'clerk');
    expect(clerk.html).not.toContain('PG-OTHER');
  });

  it('the case page shows the timeline with authority decisions and anomalies', async () => {
    const { status, html } = await page('/cases/PG-OLD', 'inspector');
    expect(status).toBe(200);
    expect(html).toContain('办件 PG-OLD');
    expect(html).toContain('受理');
    expect(html).toContain('P-ACCEPT-1');
    expect(html).toContain('有权');
    expect(html).toContain('未受理即作出许可决定');
    const lang = await page('/cases/PG-OLD', 'clerk');
    expect(lang.status).toBe(200);
    expect((await page('/cases/PG-OTHER', 'clerk')).status).toBe(404);
    expect((await page('/cases/NOPE', 'inspector')).status).toBe(404);
  });

  it('sends the anonymous to log in and refuses roles without Case', async () => {
    const anon = await page('/cases/mine', 'public');
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/^\/login\?next=/);
    expect((await page('/cases', 'hr')).status).toBe(403);
    const home = await page('/', 'clerk');
    expect(home.html).toContain('/cases/mine');
  });
});
