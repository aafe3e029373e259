/**
 * Browsing the organisation: the search, filter and paging queries (src/org/query.ts) and the
 * pages built on them: departments and windows, posts with their A and B holders on the day,
 * staff with competencies and tenure, the catalogue with its limits, seal rule and materials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgDocumentInput } from '../../src/org/contract.ts';
import { postsWithHolders, searchItems, searchStaff, staffProfile } from '../../src/org/query.ts';
import { importOrg } from '../../src/org/service.ts';
import { addDays, localDate } from '../../src/platform/time.ts';
import { loginAs, testApp } from '../helpers.ts';

const today = '2026-03-02';
const realToday = localDate(new Date(), 'Asia/Shanghai');

/** A small bureau whose every number is known, plus 70 filler clerks to page through. */
function bureau(): OrgDocumentInput {
  const filler = Array.from({ length: 70 }, (_, i) => ({
    no: `T${String(i + 1).padStart(3, '0')}`,
    name: `填充人员${i + 1}`,
    department: 'D-APPROVAL',
    competencies: i % 7 === 0 ? ['survey-design'] : [],
  }));
  return {
    version: 1,
    bureau: { code: 'QZJS', name: '泉州市建设局', timeZone: 'Asia/Shanghai', head: 'S010' },
    departments: [
      { code: 'D-APPROVAL', name: '审核审批科', kind: 'section' },
      { code: 'D-QUALITY', name: '质量安全监督站', kind: 'institution' },
    ],
    windows: [
      { code: 'W1', name: '综合窗口', department: 'D-APPROVAL' },
      { code: 'W2', name: '城建窗口', department: 'D-APPROVAL' },
    ],
    posts: [
      { code: 'P-ACCEPT-1', name: '受理岗', window: 'W1', key: false },
      { code: 'P-APPROVE-1', name: '审批岗', window: 'W1', key: true, businesses: ['construction-permit'] },
      { code: 'P-CJ', name: '城建审核岗', window: 'W2', key: false, businesses: ['urban-construction'] },
    ],
    staff: [
      {
        no: 'S001',
        name: '陈明',
        department: 'D-APPROVAL',
        hiredOn: '2015-07-01',
        competencies: ['construction-permit'],
      },
      {
        no: 'S002',
        name: '林华',
        department: 'D-APPROVAL',
        competencies: ['construction-permit', 'urban-construction'],
        conflicts: [{ kind: 'relative', item: 'SG-001', note: '配偶任职于申请企业' }],
      },
      { no: 'S003', name: '黄小_明', department: 'D-QUALITY', competencies: ['urban-construction'] },
      { no: 'S010', name: '黄局长', department: 'D-APPROVAL' },
      ...filler,
    ],
    assignments: [
      { staff: 'S001', post: 'P-APPROVE-1', role: 'A', from: '2019-03-01' },
      { staff: 'S002', post: 'P-APPROVE-1', role: 'B', from: '2023-01-01', to: null },
      { staff: 'S002', post: 'P-ACCEPT-1', role: 'A', from: '2020-01-01', to: '2022-12-31' },
      { staff: 'S003', post: 'P-CJ', role: 'A', from: '2025-09-15' },
      // Starts after "today": not current yet.
      { staff: 'S010', post: 'P-ACCEPT-1', role: 'A', from: '2099-06-01' },
    ],
    absences: [
      { staff: 'S001', from: '2026-03-01', to: '2026-03-04', reason: 'training' },
      // Pages use the real date: S001 is also away around it.
      ...(realToday > '2026-03-05'
        ? [{ staff: 'S001', from: addDays(realToday, -1), to: addDays(realToday, 1), reason: 'leave' }]
        : []),
    ],
    items: [
      {
        code: 'SG-001',
        name: '建筑工程施工许可证核发',
        business: 'construction-permit',
        kind: 'committed',
        statutoryDays: 15,
        committedDays: 3,
        fastTrackDays: 1,
        online: true,
        specialSeal: false,
        department: 'D-APPROVAL',
        materials: [
          { code: 'M1', name: '申请表', primary: true },
          { code: 'M3', name: '监理合同', primary: false },
        ],
      },
      {
        code: 'GW-001',
        name: '岗位证书补办',
        business: 'post-certificate',
        kind: 'instant',
        statutoryDays: 0,
        committedDays: 0,
        online: false,
      },
      {
        code: 'CJ-001',
        name: '挖掘城市道路审批',
        business: 'urban-construction',
        kind: 'joint',
        statutoryDays: 20,
        committedDays: 5,
        online: true,
      },
    ],
  };
}

let t: Awaited<ReturnType<typeof testApp>>;
let clerk: Record<string, string>;
let hr: Record<string, string>;
beforeAll(async () => {
  t = await testApp();
  await importOrg(t.db, bureau(), { actor: 'test', today });
  clerk = await loginAs(t, 'clerk', { staffNo: 'S001' });
  hr = await loginAs(t, 'hr');
});
afterAll(() => t.close());

const page = async (path: string, h = clerk) => {
  const res = await t.app.request(path, { headers: h });
  expect(res.status, path).toBe(200);
  return res.text();
};

describe('searchStaff', () => {
  const q = { page: 1, pageSize: 50, today };

  it('pages through every active staff member in staff-number order, with the total', async () => {
    const first = await searchStaff(t.db, q);
    expect(first.total).toBe(74);
    expect(first.rows).toHaveLength(50);
    const second = await searchStaff(t.db, { ...q, page: 2 });
    expect(second.rows).toHaveLength(24);
    const all = [...first.rows, ...second.rows].map((r) => r.no);
    expect(new Set(all).size).toBe(74);
    expect([...all].sort()).toEqual(all);
    expect((await searchStaff(t.db, { ...q, page: 3 })).rows).toEqual([]);
  });

  it('searches names anywhere and staff numbers from the start; % and _ are literal', async () => {
    expect((await searchStaff(t.db, { ...q, q: '林' })).rows.map((r) => r.no)).toEqual(['S002']);
    expect((await searchStaff(t.db, { ...q, q: 's00' })).rows.map((r) => r.no)).toEqual([
      'S001',
      'S002',
      'S003',
    ]);
    expect((await searchStaff(t.db, { ...q, q: '001' })).rows.map((r) => r.no)).toEqual([]);
    expect((await searchStaff(t.db, { ...q, q: '_' })).rows.map((r) => r.no)).toEqual(['S003']);
    expect((await searchStaff(t.db, { ...q, q: '%' })).total).toBe(0);
  });

  it('filters by department and by competency', async () => {
    expect((await searchStaff(t.db, { ...q, department: 'D-QUALITY' })).rows.map((r) => r.no)).toEqual([
      'S003',
    ]);
    const cj = await searchStaff(t.db, { ...q, business: 'urban-construction' });
    expect(cj.rows.map((r) => r.no)).toEqual(['S002', 'S003']);
    const both = await searchStaff(t.db, {
      ...q,
      business: 'urban-construction',
      department: 'D-APPROVAL',
      q: '林',
    });
    expect(both.total).toBe(1);
    expect((await searchStaff(t.db, { ...q, business: 'survey-design' })).total).toBe(10);
  });

  it('gives current posts on the day (not ended, not future) and in-post-since for tenure', async () => {
    const { rows } = await searchStaff(t.db, { ...q, q: 'S0' });
    const by = Object.fromEntries(rows.map((r) => [r.no, r]));
    expect(by.S001.posts).toEqual([
      { post: 'P-APPROVE-1', postName: '审批岗', key: true, role: 'A', from: '2019-03-01' },
    ]);
    expect(by.S001.since).toBe('2019-03-01');
    // The ended A on P-ACCEPT-1 is history, not a current post.
    expect(by.S002.posts.map((p) => `${p.role}:${p.post}`)).toEqual(['B:P-APPROVE-1']);
    expect(by.S002.since).toBe('2023-01-01');
    expect(by.S002.conflicts).toBe(1);
    expect(by.S010.posts).toEqual([]);
    expect(by.S010.since).toBeNull();
  });

  it('sorts by time in post, longest first, those without a post last', async () => {
    const { rows } = await searchStaff(t.db, { ...q, sort: 'tenure' });
    expect(rows.slice(0, 3).map((r) => r.no)).toEqual(['S001', 'S002', 'S003']);
    expect(rows[3].since).toBeNull();
  });
});

describe('other queries', () => {
  it('posts with their A and B holders on the day, and who is away', async () => {
    const { rows: list, total } = await postsWithHolders(t.db, { today, page: 1, pageSize: 50 });
    expect(total).toBe(3);
    const approve = list.find((p) => p.code === 'P-APPROVE-1')!;
    expect(approve.a.map((h) => [h.staffNo, h.absent])).toEqual([['S001', true]]);
    expect(approve.b.map((h) => [h.staffNo, h.absent])).toEqual([['S002', false]]);
    const accept = list.find((p) => p.code === 'P-ACCEPT-1')!;
    expect(accept.a).toEqual([]);
    const w2 = await postsWithHolders(t.db, { today, window: 'W2', page: 1, pageSize: 50 });
    expect(w2.rows.map((p) => p.code)).toEqual(['P-CJ']);
    const keyOnly = await postsWithHolders(t.db, { today, key: true, page: 1, pageSize: 50 });
    expect(keyOnly.rows.map((p) => p.code)).toEqual(['P-APPROVE-1']);
    const second = await postsWithHolders(t.db, { today, page: 2, pageSize: 2 });
    expect([second.total, second.rows.map((p) => p.code)]).toEqual([3, ['P-CJ']]);
  });

  it('items by kind, business, online and text', async () => {
    const page1 = { page: 1, pageSize: 50 };
    expect((await searchItems(t.db, page1)).total).toBe(3);
    expect((await searchItems(t.db, { ...page1, kind: 'instant' })).rows.map((r) => r.code)).toEqual([
      'GW-001',
    ]);
    expect((await searchItems(t.db, { ...page1, online: true })).rows.map((r) => r.code)).toEqual([
      'CJ-001',
      'SG-001',
    ]);
    expect((await searchItems(t.db, { ...page1, q: '施工' })).rows.map((r) => r.code)).toEqual(['SG-001']);
    expect((await searchItems(t.db, { ...page1, q: 'sg' })).rows[0]).toMatchObject({
      materials: 2,
      specialSeal: false,
    });
  });

  it('one person with history and absences', async () => {
    const p = await staffProfile(t.db, 'S002');
    expect(p!.history.map((h) => [h.post, h.role, h.to])).toEqual([
      ['P-APPROVE-1', 'B', null],
      ['P-ACCEPT-1', 'A', '2022-12-31'],
    ]);
    expect((await staffProfile(t.db, 'S001'))!.absences).toContainEqual({
      from: '2026-03-01',
      to: '2026-03-04',
      reason: 'training',
    });
    expect(await staffProfile(t.db, 'NOPE')).toBeNull();
  });
});

describe('organisation pages', () => {
  it('departments and windows with their counts', async () => {
    const html = await page('/org');
    expect(html).toContain('<h1>机构与窗口</h1>');
    expect(html).toMatch(
      /<td>质量安全监督站<\/td><td>下属事业单位<\/td><td class="num">0<\/td><td class="num"><a href="\/org\/staff\?department=D-QUALITY">1<\/a><\/td>/,
    );
    expect(html).toMatch(
      /<td>审核审批科<\/td><td>科室<\/td><td class="num">2<\/td><td class="num"><a href="\/org\/staff\?department=D-APPROVAL">73<\/a><\/td>/,
    );
    expect(html).toContain('href="/org/posts?window=W2">城建窗口</a>');
    expect(html).toMatch(
      /综合窗口<\/a><\/td><td>审核审批科<\/td><td class="num">2<\/td><td class="num">1<\/td>/,
    );
    expect(html).toContain('<a href="/org/staff/S010">黄局长');
  });

  it('posts: A and B holders with their dates in Chinese, the absent A marked', async () => {
    const html = await page('/org/posts?window=W1');
    expect(html).not.toContain('城建审核岗');
    expect(html).toContain('第 1–2 条，共 2 条');
    expect(html).toContain('审批岗<span class="badge badge-key">重点岗位</span>');
    expect(html).toContain('自2019年3月1日起');
    expect(html).toContain('离岗中');
    expect(html).toContain('无A角');
  });

  it('staff: search, filters and pages keep each other in their links', async () => {
    const html = await page('/org/staff?business=survey-design');
    expect(html).toContain('第 1–10 条，共 10 条');
    const first = await page('/org/staff');
    expect(first).toContain('第 1–50 条，共 74 条');
    expect(first).toContain('href="/org/staff?page=2" rel="next"');
    const second = await page('/org/staff?department=D-APPROVAL&page=2');
    expect(second).toContain('第 51–73 条，共 73 条');
    expect(second).toContain('href="/org/staff?department=D-APPROVAL&amp;page=1" rel="prev"');
    // A page number past the end shows an empty page; a nonsense one, the first.
    expect(await page('/org/staff?page=abc')).toContain('第 1–50 条');
    const none = await page('/org/staff?q=nobody-at-all');
    expect(none).toContain('没有符合条件的人员。');
  });

  it('staff: tenure in the current post, competencies by name', async () => {
    const html = await page('/org/staff?q=S001');
    expect(html).toContain('<td class="nowrap">2019年3月1日</td>');
    // From 2019-03-01 to today, in years and months.
    const [y, m] = realToday.split('-').map(Number);
    const months = (y - 2019) * 12 + (m - 3);
    const tenure = months % 12 === 0 ? `${months / 12}年` : `${Math.floor(months / 12)}年${months % 12}个月`;
    expect(html).toContain(`<td class="nowrap">${tenure}</td>`);
    expect(html).toContain('<span class="tag" title="construction-permit">施工许可</span>');
  });

  it("HR's people list: longest in post first, with declared conflicts; the record shows them to HR only", async () => {
    const html = await page('/people', hr);
    expect(html).toContain('<h1>人员（按在岗时间）</h1>');
    expect(html.indexOf('S001')).toBeLessThan(html.indexOf('S002'));
    expect(html).toContain('回避申报');
    const forHr = await page('/org/staff/S002', hr);
    expect(forHr).toContain('配偶任职于申请企业');
    const forClerk = await page('/org/staff/S002');
    expect(forClerk).not.toContain('配偶任职于申请企业');
    expect(forClerk).toContain('<h1>林华 (S002)</h1>');
    expect(forClerk).toContain('2022年12月31日');
  });

  it('an unknown person or item is a 404 page', async () => {
    for (const path of ['/org/staff/S999', '/org/items/NOPE-1']) {
      const res = await t.app.request(path, { headers: clerk });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('<h1>未找到（404）</h1>');
    }
  });

  it('the catalogue: kind, limits, online, seal rule; an item with primary and secondary materials', async () => {
    const list = await page('/org/items?online=yes');
    expect(list).toContain('第 1–2 条，共 2 条');
    expect(list).toContain('<span class="badge badge-kind-joint">联办件</span>');
    expect(list).toContain('须加盖局公章');
    const instant = await page('/org/items?kind=instant');
    expect(instant).toContain('当场办结');
    expect(instant).not.toContain('SG-001');
    const item = await page('/org/items/SG-001');
    expect(item).toContain('<h1>建筑工程施工许可证核发</h1>');
    expect(item).toContain('15个工作日');
    expect(item).toContain('3个工作日');
    expect(item).toContain('次要材料（可容缺）');
    expect(item).toContain('审核审批科');
  });
});
