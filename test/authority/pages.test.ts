/**
 * The "我的权限" page and its print: a clerk's own scope as a table they can filter, anyone's for
 * those who may read all authority, and the same list as a PDF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suspend } from '../../src/authority/index.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { importOrg } from '../../src/org/service.ts';
import { loginAs, testApp } from '../helpers.ts';

const base = demoOrg(1);
const holder = (post: string, role: 'A' | 'B' = 'A') =>
  base.assignments!.find((a) => a.post === post && a.role === role && !a.to)!.staff;
const doc = {
  ...base,
  absences: [{ staff: holder('P-ANNOUNCE'), from: '2026-03-02', to: '2026-03-04', reason: 'leave' }],
};

describe('我的权限', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let clerk: Record<string, string>;
  let inspector: Record<string, string>;
  const self = holder('P-ACCEPT-1'); // also B of P-ANNOUNCE in the demo bureau
  beforeAll(async () => {
    t = await testApp();
    await importOrg(t.db, doc, { actor: 'test', today: '2026-03-01' });
    clerk = await loginAs(t, 'clerk', { staffNo: self });
    inspector = await loginAs(t, 'inspector');
  });
  afterAll(() => t.close());

  const page = async (query: string, headers: Record<string, string>) => {
    const res = await t.app.request(`/authority/mine${query}`, { headers });
    return { status: res.status, html: await res.text() };
  };
  const rowsOf = (html: string) =>
    [...html.matchAll(/<tr data-item="([^"]+)" data-action="([^"]+)"/g)].map((m) => `${m[1]}:${m[2]}`);

  it('shows a clerk their own powers with the rule, the conditions and the dates', async () => {
    const { status, html } = await page('?at=2026-03-05', clerk);
    expect(status).toBe(200);
    expect(html).toContain('我的权限');
    const rows = rowsOf(html);
    expect(rows).toContain('SG-002:accept');
    expect(rows).toContain('SG-002:deliver');
    expect(rows.some((r) => r.endsWith(':approve'))).toBe(false);
    expect(html).toContain('acceptance.yaml · intake');
    expect(html).toContain('办理方式：普通、限时快办、并联审批');
    expect(html).toContain('综合受理岗一（P-ACCEPT-1） · A角（本岗）');
    expect(html).toContain('accept-not-approve');
    expect(html).toContain('/api/authority/scope.pdf?staff=');
  });

  it('filters by step, by item and by how the power is held', async () => {
    const deliver = rowsOf((await page('?at=2026-03-05&action=deliver', clerk)).html);
    expect(deliver.length).toBeGreaterThan(0);
    expect(deliver.every((r) => r.endsWith(':deliver'))).toBe(true);
    const sg = rowsOf((await page('?at=2026-03-05&q=SG-00', clerk)).html);
    expect(sg.every((r) => r.startsWith('SG-00'))).toBe(true);
    // while the announcement post's A is away the clerk also acts as its B
    const acting = await page('?at=2026-03-03&via=acting-for', clerk);
    expect(rowsOf(acting.html)).toContain('SG-002:announce');
    expect(acting.html).toContain(`代岗（${holder('P-ANNOUNCE')}）`);
    expect(rowsOf((await page('?at=2026-03-05&via=acting-for', clerk)).html)).toEqual([]);
    const printed = (await page('?at=2026-03-05&action=deliver&q=SG', clerk)).html;
    expect(printed).toContain('action=deliver');
    expect(printed).toContain('q=SG');
  });

  it("a clerk may not look at someone else's powers; an inspector may", async () => {
    const other = holder('P-APPROVE-1');
    expect((await page(`?staff=${other}`, clerk)).status).toBe(403);
    const { status, html } = await page(`?staff=${other}&at=2026-03-05`, inspector);
    expect(status).toBe(200);
    expect(rowsOf(html)).toContain('SG-002:approve');
    expect((await page('', inspector)).html).toContain('请输入要查看的工作人员工号');
    expect((await page('?staff=S999', inspector)).html).toContain('没有工号为S999的工作人员');
  });

  it('says so when the authority is suspended', async () => {
    const staff = holder('P-REVIEW-SG');
    await suspend(t.db, { staff, from: '2026-04-01', reason: '立案调查', ref: 'MC-9' }, 'test');
    const { html } = await page(`?staff=${staff}&at=2026-04-02`, inspector);
    expect(html).toContain('权限已暂停');
    expect(rowsOf(html)).toEqual([]);
  });

  it('prints the same list as a PDF', async () => {
    const res = await t.app.request('/api/authority/scope.pdf?at=2026-03-05&action=deliver', {
      headers: clerk,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(2000);
    expect(res.headers.get('content-disposition')).toContain(`authority-${self}-2026-03-05.pdf`);
    const en = await t.app.request(`/api/authority/scope.pdf?staff=${self}&locale=en`, {
      headers: inspector,
    });
    expect(en.status).toBe(200);
    expect(
      (await t.app.request(`/api/authority/scope.pdf?staff=${holder('P-APPROVE-1')}`, { headers: clerk }))
        .status,
    ).toBe(403);
  });
});
