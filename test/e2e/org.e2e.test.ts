/**
 * Browser flows: an administrator loads an organisation through the import page (a bad document
 * first: every problem listed with its path; then a good one with more staff), creates a user
 * and a token, and verifies the audit chain; a clerk browses the organisation: departments,
 * posts with A and B holders, staff with search, filters and pages, and the item catalogue.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg } from '../../src/demo/org.ts';
import { launchBrowser, logIn, logOut, shot, startServer } from './harness.ts';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.dispose();
  await server?.close();
});

/** The demo organisation with 80 more clerks (S101..S180), so the staff list has three pages. */
function biggerOrg() {
  const org = demoOrg(1);
  for (let i = 101; i <= 180; i++) {
    org.staff!.push({
      no: `S${i}`,
      name: `测试人员${i}`,
      department: 'D-APPROVAL',
      hiredOn: '2020-01-01',
      competencies: i % 2 ? ['construction-permit'] : ['survey-design', 'urban-construction'],
      conflicts: [],
    });
  }
  return org;
}

describe('administrator', () => {
  it('imports an organisation document: problems listed with their paths, then loaded', async () => {
    await logIn(page, server.url, 'admin');
    await page.click('nav.sidenav >> text=组织与事项导入');
    await page.waitForURL(/\/admin\/import/);
    const bad = {
      version: 1,
      staff: [{ no: 'S900', name: '', department: 'D-NOWHERE' }],
      assignments: [{ staff: 'S901', post: 'P-NONE', role: 'C', from: '2026-02-30' }],
    };
    await page.fill('#f-text', JSON.stringify(bad, null, 2));
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('form[action="/admin/import"] button[type=submit]'),
    ]);
    await page.waitForSelector('.problems');
    const paths = await page.locator('.problems td.code').allTextContents();
    expect(paths).toEqual(
      expect.arrayContaining(['staff[0].name', 'assignments[0].role', 'assignments[0].from']),
    );
    await shot(page, 'admin-import-problems');

    await page.fill('#f-text', JSON.stringify(biggerOrg()));
    await page.click('form[action="/admin/import"] button[type=submit]');
    await page.waitForSelector('.notice-ok');
    const staffRow = page.locator('.notice-ok tr', { hasText: '人员' });
    expect(await staffRow.locator('td').nth(1).textContent()).toBe('80');
    await shot(page, 'admin-import-done');
  });

  it('creates a user (errors beside the fields first) and a token shown once', async () => {
    await page.click('nav.sidenav >> text=用户');
    await page.fill('#f-name', 'x');
    await page.fill('#f-staffNo', 'S999');
    await page.fill('#f-password', 'short');
    await page.click('form[action="/admin/users"] button[type=submit]');
    await page.waitForSelector('#f-name-error');
    expect(await page.locator('#f-staffNo-error').textContent()).toContain('S999');
    expect(await page.locator('#f-password-error').textContent()).toContain('8');
    await shot(page, 'admin-user-errors');
    await page.fill('#f-name', 'chen.ming');
    await page.selectOption('#f-role', 'clerk');
    await page.fill('#f-staffNo', 'S101');
    await page.fill('#f-password', 'a long enough secret');
    await Promise.all([
      page.waitForURL(/created=chen\.ming/),
      page.click('form[action="/admin/users"] button[type=submit]'),
    ]);
    expect(await page.locator('table.grid').textContent()).toContain('chen.ming');

    await page.click('nav.sidenav >> text=接口令牌');
    await page.fill('#f-name', 'approval-system');
    await page.click('form[action="/admin/tokens"] button[type=submit]');
    await page.waitForSelector('#new-token');
    const token = (await page.locator('#new-token').textContent())!.trim();
    expect(token).toMatch(/^nk_/);
    await shot(page, 'admin-token-once');
    // The token works against the API, and is never shown again.
    const res = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await res.json()) as { role: string }).role).toBe('system');
    await page.click('nav.sidenav >> text=接口令牌');
    expect(await page.content()).not.toContain(token);
  });

  it('verifies the audit chain and reads the policies', async () => {
    await page.click('nav.sidenav >> text=审计日志');
    await page.click('text=核验哈希链');
    await page.waitForSelector('.notice-ok');
    expect(await page.locator('.notice-ok').textContent()).toMatch(/哈希链完整：共 \d+ 条记录/);
    expect(await page.locator('table.grid tbody tr').count()).toBe(50);
    await shot(page, 'audit-verified');
    await page.click('nav.sidenav >> text=策略');
    await page.click('text=roles.yaml');
    expect(await page.locator('pre.source').textContent()).toContain('inspector:');
    await shot(page, 'admin-policies');
    await logOut(page);
  });
});

describe('a clerk browses the organisation', () => {
  it("departments and windows, then a window's posts with A and B holders", async () => {
    await logIn(page, server.url, 'clerk');
    await page.click('nav.sidenav >> text=机构与窗口');
    expect(await page.locator('h1').textContent()).toBe('机构与窗口');
    expect(await page.locator('table.grid').first().textContent()).toContain('审核审批科');
    await shot(page, 'org-overview');
    await page.click('text=建设局网上审批与城建窗口');
    await page.waitForURL(/\/org\/posts\?window=W2/);
    const rows = page.locator('table.grid tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    for (const text of await rows.allTextContents()) expect(text).toContain('建设局网上审批与城建窗口');
    expect(await page.locator('table.grid tbody tr').first().locator('td').nth(3).textContent()).toMatch(
      /自\d{4}年\d{1,2}月\d{1,2}日起/,
    );
    await shot(page, 'org-posts-w2');
  });

  it("staff: search, filter, pages, and one person's record", async () => {
    await page.click('nav.sidenav >> text=工作人员');
    expect(await page.locator('.pager-summary').first().textContent()).toBe('第 1–50 条，共 120 条');
    await shot(page, 'org-staff');
    await Promise.all([page.waitForURL(/page=2/), page.locator('a[rel=next]').first().click()]);
    expect(await page.locator('.pager-summary').first().textContent()).toBe('第 51–100 条，共 120 条');
    // Filters: a competency narrows the list (the select submits itself when changed).
    await Promise.all([
      page.waitForURL(/business=survey-design/),
      page.selectOption('#f-business', 'survey-design'),
    ]);
    expect(new URL(page.url()).searchParams.get('page')).toBeNull();
    const tags = await page
      .locator('table.grid tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    for (const t of tags) expect(t).toContain('勘察设计');
    // Search by name.
    await page.fill('#f-q', '测试人员15');
    await Promise.all([page.waitForURL(/q=/), page.click('form.filters button[type=submit]')]);
    const names = await page.locator('table.grid tbody tr td:first-child').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toContain('测试人员15');
    await page.click('text=重置');
    await page.click('table.grid tbody tr >> nth=2 >> td >> nth=0 >> a');
    await page.waitForURL(/\/org\/staff\/S\d+/);
    expect(await page.locator('.facts').textContent()).toContain('工号');
    await shot(page, 'org-staff-detail');
  });

  it('the item catalogue: filter by kind, then an item with its materials', async () => {
    await page.click('nav.sidenav >> text=事项目录');
    expect(await page.locator('.pager-summary').first().textContent()).toMatch(/共 \d+ 条/);
    await shot(page, 'items');
    await Promise.all([page.waitForURL(/kind=instant/), page.selectOption('#f-kind', 'instant')]);
    const kinds = await page.locator('table.grid tbody td .badge').allTextContents();
    expect(kinds.length).toBeGreaterThan(0);
    for (const k of kinds) expect(k).toBe('即办件');
    await page.goto(`${server.url}/org/items/SG-001`);
    expect(await page.locator('h1').textContent()).toBe('建筑工程施工许可证核发');
    expect(await page.locator('.facts').textContent()).toContain('须加盖局公章');
    expect(await page.locator('table.grid tbody tr').count()).toBeGreaterThan(1);
    await shot(page, 'item-detail');
    await logOut(page);
  });

  it('HR sees staff by time in post, longest first', async () => {
    await logIn(page, server.url, 'hr');
    await page.click('nav.sidenav >> text=人员');
    await page.waitForURL(/\/people/);
    expect(await page.locator('h1').textContent()).toBe('人员（按在岗时间）');
    const since = await page.locator('table.grid tbody tr td:nth-child(4)').allTextContents();
    const dates = since.filter(Boolean).map((s) => {
      const [, y, m, d] = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(s)!;
      return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    });
    expect(dates.length).toBeGreaterThan(10);
    expect([...dates].sort()).toEqual(dates);
    await shot(page, 'hr-people');
    await logOut(page);
  });
});
