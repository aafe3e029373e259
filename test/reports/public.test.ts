/**
 * The quarterly publication (每季度一公布) is public: anyone reads it without logging in, as a
 * page and as a PDF, and it holds no personal data. Checked against every applicant and the
 * complainant of the fixture (names, ids, telephone), every staff member of the bureau and every
 * case number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCaseRecords } from '../../src/cases/index.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { misconductClock } from '../../src/misconduct/common.ts';
import { generateReport, getReportVersion } from '../../src/reports/index.ts';
import { ledgerApp } from '../cases/support.ts';
import { pdfPages } from '../documents/poppler.ts';
import { jsonHeaders } from '../helpers.ts';
import { APPLICANTS, fixtureLines, INGESTED_AT } from './fixture.ts';

const TZ = 'Asia/Shanghai';
const COMPLAINANT = { name: '赵投诉', phone: '13905951234', email: 'zhao.complains@example.com' };
let t: Awaited<ReturnType<typeof ledgerApp>>;

beforeAll(async () => {
  t = await ledgerApp();
  await ingestCaseRecords(t.db, fixtureLines(), {
    actor: 'test',
    source: 'test',
    timeZone: TZ,
    now: INGESTED_AT,
  });
  // A named public complaint about case A, received in March.
  const realNow = misconductClock.now;
  misconductClock.now = () => new Date('2026-03-20T10:00:00+08:00');
  try {
    const res = await t.app.request('/api/complaints', {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({
        kind: 'complaint',
        facts: '窗口工作人员办理施工许可证时态度生硬，多次让我补交材料。',
        concerned: '受理窗口的林同志',
        caseNo: 'RPT-A',
        name: COMPLAINANT.name,
        phone: COMPLAINANT.phone,
        email: COMPLAINANT.email,
      }),
    });
    expect(res.status).toBe(201);
  } finally {
    misconductClock.now = realNow;
  }
  await generateReport(t.db, {
    kind: 'quarterly',
    period: '2026-Q1',
    timeZone: TZ,
    actor: 'test',
    trigger: 'request',
  });
}, 120_000);
afterAll(() => t?.close());

/** Every piece of personal data the fixture holds, and every staff member and case number. */
function personalData(): string[] {
  const out: string[] = [];
  for (const a of Object.values(APPLICANTS)) out.push(a.name, a.id, a.id.slice(-4), `${a.name[0]}*`);
  out.push(COMPLAINANT.name, COMPLAINANT.phone, COMPLAINANT.email, '林同志');
  for (const s of demoOrg(1).staff ?? []) out.push(s.no, s.name);
  out.push('RPT-');
  return out;
}

describe('the quarterly publication, without logging in', () => {
  it('lists the published quarters', async () => {
    const res = await t.app.request('/public/reports');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/public/reports/2026-Q1');
    const api = await t.app.request('/api/public/reports');
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual({
      reports: [{ period: '2026-Q1', periodFrom: '2026-01-01', periodTo: '2026-03-31', version: 1 }],
    });
  });

  it('shows the public figures on a page', async () => {
    const res = await t.app.request('/public/reports/2026-Q1');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('泉州市建设局2026年第1季度');
    expect(html).toContain('按时办结率80.0%（4/5）');
    expect(html).toContain('提前办结率50.0%（2/4）');
    expect(html).toContain('78.3%');
    expect(html).toContain('本季度共受理投诉举报1件');
    expect(html).toContain('此件公开发布');
    expect(html).toContain('<svg ');
  });

  it('in English too, and as a PDF', async () => {
    const en = await t.app.request('/public/reports/2026-Q1', { headers: { cookie: 'nk_locale=en' } });
    expect(await en.text()).toContain('On-time rate 80.0% (4/5)');
    const pdf = await t.app.request('/api/public/reports/2026-Q1/pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = pdfPages(Buffer.from(await pdf.arrayBuffer()))
      .join('')
      .replace(/\s+/g, '');
    expect(text).toContain('按时办结率80.0%（4/5）');
  });

  it('holds no personal data: no applicant, complainant, staff member or case number', async () => {
    const sources = {
      page: await (await t.app.request('/public/reports/2026-Q1')).text(),
      pageEn: await (
        await t.app.request('/public/reports/2026-Q1', { headers: { cookie: 'nk_locale=en' } })
      ).text(),
      pdf: pdfPages(
        Buffer.from(await (await t.app.request('/api/public/reports/2026-Q1/pdf')).arrayBuffer()),
      ).join(''),
      pdfEn: pdfPages(
        Buffer.from(await (await t.app.request('/api/public/reports/2026-Q1/pdf?locale=en')).arrayBuffer()),
      ).join(''),
      numbers: JSON.stringify(
        (await getReportVersion(t.db, { kind: 'quarterly', period: '2026-Q1', locale: 'zh-CN' })).numbers,
      ),
      list: await (await t.app.request('/public/reports')).text(),
    };
    const data = personalData();
    expect(data.length).toBeGreaterThan(40);
    for (const [where, text] of Object.entries(sources)) {
      const found = data.filter((d) => text.includes(d));
      expect(found, `${where} shows personal data`).toEqual([]);
    }
  });

  it('other reports stay behind the login', async () => {
    expect((await t.app.request('/reports')).status).toBe(302);
    expect((await t.app.request('/api/reports')).status).toBe(401);
    expect((await t.app.request('/api/reports/quarterly/2026-Q1/pdf')).status).toBe(401);
    expect((await t.app.request('/public/reports/2026-Q2')).status).toBe(404);
  });
});
