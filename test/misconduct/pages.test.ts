/**
 * The misconduct pages through app.request: the public form and status lookup in both languages
 * with their errors, the inspector's and leader's pages driving a matter to its decision, the
 * clerk's own record, HR's effects and the statistics; and who may open which page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureClientKey } from '../../src/misconduct/rate-limit.ts';
import { publicLimiters } from '../../src/misconduct/routes.ts';
import {
  type Headers,
  type MisconductTestApp,
  misconductApp,
  S,
  setToday,
  useFreshClients,
} from './support.ts';

let t: MisconductTestApp;
beforeAll(async () => {
  t = await misconductApp();
});
afterAll(() => t?.close());

async function page(path: string, headers: Headers = {}) {
  const res = await t.app.request(path, { headers });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

async function submit(path: string, headers: Headers, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, val] of Object.entries(fields))
    for (const x of Array.isArray(val) ? val : [val]) body.append(k, x);
  const res = await t.app.request(path, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

const codeIn = (html: string) => /data-testid="tracking-code">([0-9A-Z-]{19})</.exec(html)?.[1];
const refIn = (html: string) => Number(/data-testid="reference">(\d+)</.exec(html)?.[1]);

describe('the public form', () => {
  it('shows the form in Chinese, and in English when chosen', async () => {
    const zh = await page('/complaints');
    expect(zh.status).toBe(200);
    expect(zh.html).toContain('投诉举报');
    expect(zh.html).toContain('name="facts"');
    const en = await page('/complaints', { cookie: 'nk_locale=en' });
    expect(en.html).toContain('Complaints and reports');
    expect(en.html).toContain('Stay anonymous');
  });

  it('names every field at fault beside it, keeping what was typed', async () => {
    const r = await submit(
      '/complaints',
      {},
      { kind: 'complaint', facts: '太短', caseNo: 'a/b', email: 'nope', phone: 'x' },
    );
    expect(r.status).toBe(400);
    expect(r.html).toContain('data-testid="form-errors"');
    for (const msg of [
      '请描述事情经过',
      '办件编号只能包含字母',
      '电子邮箱格式不正确',
      '请填写正确的联系电话',
    ])
      expect(r.html).toContain(msg);
    expect(r.html).toContain('太短</textarea>');
    const en = await submit('/complaints', { cookie: 'nk_locale=en' }, { facts: '太短' });
    expect(en.html).toContain('Describe what happened');
    expect(en.html).toContain('Give your name');
  });

  it('files a complaint and shows the tracking code once; the status page finds it', async () => {
    const r = await submit(
      '/complaints',
      {},
      { kind: 'report', facts: '窗口人员要求另付加急费两百元。', anonymous: 'on' },
    );
    expect(r.status).toBe(200);
    const code = codeIn(r.html);
    expect(code).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
    const s = await submit('/complaints/status', {}, { code: code!.toLowerCase() });
    expect(s.status).toBe(200);
    expect(s.html).toContain('data-status="received"');
    expect(s.html).toContain('已受理，待分派调查');
    const none = await submit('/complaints/status', {}, { code: 'AAAA-BBBB-CCCC-DDDD' });
    expect(none.status).toBe(404);
    expect(none.html).toContain('没有找到');
  });

  it('refuses a too-large body and a flood with a page that says so', async () => {
    const big = await submit('/complaints', {}, { facts: '长'.repeat(9000), anonymous: 'on' });
    expect(big.status).toBe(413);
    expect(big.html).toContain('提交的内容太长');
    configureClientKey({ keyOf: () => 'page-flooder' });
    publicLimiters().submit.reset();
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await submit('/complaints', {}, { facts: '窗口人员推诿扯皮，多次往返。', anonymous: 'on' })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    useFreshClients();
  });

  it('files an internal report for staff who are logged in', async () => {
    const r = await submit('/complaints', t.as.clerk2, { facts: '发现同事私下收取材料费。' });
    expect(r.status).toBe(200);
    const d = await page(`/misconduct/${refIn(r.html)}`, t.as.inspector);
    expect(d.html).toContain('内部举报');
  });
});

describe('complaint to decision through the pages', () => {
  let id: number;
  it('an inspector sees it in the list with its light, assigns and starts', async () => {
    setToday('2026-03-02');
    const r = await submit(
      '/complaints',
      {},
      { facts: '综合窗口工作人员服务态度生硬，推诿扯皮。', name: '李先生', phone: '13800000000' },
    );
    id = refIn(r.html);
    const list = await page('/misconduct', t.as.inspector);
    expect(list.status).toBe(200);
    expect(list.html).toContain(`data-id="${id}"`);
    expect(list.html).toContain('data-light="green"');
    const a = await submit(`/misconduct/${id}/assign`, t.as.inspector, { inspector: 'insp-wang' });
    expect(a.status).toBe(303);
    expect(a.location).toBe(`/misconduct/${id}?ok=assign`);
    expect((await page(a.location!, t.as.inspector)).html).toContain('已分派');
    expect((await submit(`/misconduct/${id}/start`, t.as.inspector, {})).status).toBe(303);
    const d = await page(`/misconduct/${id}`, t.as.inspector);
    expect(d.html).toContain('data-state="investigating"');
    expect(d.html).toContain('data-testid="show-complainant"');
    const who = await page(`/misconduct/${id}/complainant`, t.as.inspector);
    expect(who.html).toContain('13800000000');
    expect((await page(`/misconduct/${id}/complainant`, t.as.inspector2)).status).toBe(403);
  });

  it('names the people concerned, previews the grading and proposes', async () => {
    expect(
      (await submit(`/misconduct/${id}/details`, t.as.inspector, { staff_0: S.clerk, resp_0: 'handler' }))
        .status,
    ).toBe(303);
    const fields = {
      faultType: 'poor-service',
      severity: 'serious',
      factors: ['intent'],
      summary: '经查属实。',
    };
    const preview = await submit(`/misconduct/${id}/propose`, t.as.inspector, {
      ...fields,
      action: 'preview',
    });
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('data-testid="lines"');
    expect(preview.html).toContain('基础等级：服务态度生硬、推诿扯皮（情节严重）');
    expect(preview.html).toContain('从重：故意违规');
    const bad = await submit(`/misconduct/${id}/propose`, t.as.inspector, {
      ...fields,
      [`level_${S.clerk}`]: '5',
      action: 'propose',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('departureReason');
    const ok = await submit(`/misconduct/${id}/propose`, t.as.inspector, { ...fields, action: 'propose' });
    expect(ok.status).toBe(303);
  });

  it('the leader finds it in the queue and decides; the document is linked', async () => {
    const q = await page('/misconduct/queue', t.as.leader);
    expect(q.html).toContain(`data-id="${id}"`);
    const d = await page(`/misconduct/${id}`, t.as.leader);
    expect(d.html).toContain('data-testid="decide"');
    const r = await submit(`/misconduct/${id}/decide`, t.as.leader, { note: '同意。' });
    expect(r.status).toBe(303);
    const after = await page(`/misconduct/${id}`, t.as.leader);
    expect(after.html).toContain('data-state="decided"');
    expect(after.html).toMatch(/data-testid="document">泉建纪〔2026〕\d+号/);
    expect(after.html).toContain('3级 诫勉教育');
  });

  it('shows the clerk their record and the matter, without the complainant', async () => {
    expect(
      (await submit(`/misconduct/${id}/notify`, t.as.inspector, { publicReply: '已依规处理。' })).status,
    ).toBe(303);
    const mine = await page('/misconduct/mine', t.as.clerk);
    expect(mine.status).toBe(200);
    expect(mine.html).toContain(`data-id="${id}"`);
    expect(mine.html).toContain('不参加评优评先');
    const d = await page(`/misconduct/${id}`, t.as.clerk);
    expect(d.status).toBe(200);
    expect(d.html).toContain('data-testid="appeal"');
    expect(d.html).not.toContain('李先生');
    expect(d.html).not.toContain('13800000000');
  });

  it('HR sees levels and effects only; the statistics count it', async () => {
    const e = await page('/misconduct/effects', t.as.hr);
    expect(e.status).toBe(200);
    expect(e.html).toContain(`data-staff="${S.clerk}"`);
    expect(e.html).toContain('当年不予评优评先');
    expect(e.html).not.toContain('态度生硬');
    const s = await page('/misconduct/stats', t.as.leader);
    expect(s.status).toBe(200);
    expect(s.html).toContain('3级 诫勉教育');
    expect(s.html).toContain('群众投诉举报');
  });
});

describe('who may open which page', () => {
  const cases: [string, Partial<Record<keyof MisconductTestApp['as'], number>>][] = [
    ['/complaints', { anonymous: 200, clerk: 200, inspector: 200, hr: 200, leader: 200, admin: 200 }],
    ['/complaints/status', { anonymous: 200, clerk: 200, inspector: 200, hr: 200, leader: 200, admin: 200 }],
    ['/misconduct', { anonymous: 302, clerk: 403, inspector: 200, hr: 403, leader: 200, admin: 403 }],
    ['/misconduct/queue', { anonymous: 302, clerk: 403, inspector: 403, hr: 403, leader: 200, admin: 403 }],
    ['/misconduct/mine', { anonymous: 302, clerk: 200, inspector: 200, hr: 403, leader: 200, admin: 403 }],
    ['/misconduct/effects', { anonymous: 302, clerk: 403, inspector: 200, hr: 200, leader: 200, admin: 403 }],
    ['/misconduct/stats', { anonymous: 302, clerk: 403, inspector: 200, hr: 403, leader: 200, admin: 403 }],
  ];
  for (const [path, want] of cases) {
    it(path, async () => {
      const got: Record<string, number> = {};
      for (const role of Object.keys(want) as (keyof MisconductTestApp['as'])[])
        got[role] = (await page(path, t.as[role])).status;
      expect(got).toEqual(want);
    });
  }

  it('a matter page: its inspector and leaders, the clerk concerned once decided, nobody else', async () => {
    const r = await submit('/complaints', {}, { facts: '窗口人员擅离岗位半小时。', anonymous: 'on' });
    const id = refIn(r.html);
    const want = { anonymous: 302, clerk: 403, inspector: 200, hr: 403, leader: 200, admin: 403 };
    const got: Record<string, number> = {};
    for (const role of Object.keys(want) as (keyof typeof want)[])
      got[role] = (await page(`/misconduct/${id}`, t.as[role])).status;
    expect(got).toEqual(want);
    expect((await submit(`/misconduct/${id}/assign`, t.as.clerk, { inspector: 'insp-wang' })).status).toBe(
      403,
    );
    expect((await submit(`/misconduct/${id}/decide`, t.as.inspector, {})).status).toBe(403);
  });
});
