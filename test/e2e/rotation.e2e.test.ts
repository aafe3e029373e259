/**
 * Browser flow of the rotation planner on the demo bureau: HR opens 轮岗, sees the tenure warnings
 * and the competency matrix, plans next year's rotation (the progress page refreshes until the
 * draft opens), reads why each person moves and the coverage of every post; a leader approves
 * the plan and applies it, and downloads the 轮岗计划表 PDF.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn, logOut, shot, startServer } from './harness.ts';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let planUrl: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage();
  // The approve and apply buttons ask for confirmation.
  page.on('dialog', (d) => void d.accept());
});
afterAll(async () => {
  await browser?.dispose();
  await server?.close();
});

describe('HR plans next year’s rotation', () => {
  it('opens 轮岗: tenure warnings and the competency matrix', async () => {
    await logIn(page, server.url, 'hr');
    await Promise.all([page.waitForURL(/\/rotation$/), page.click('nav.sidenav >> text=轮岗')]);
    expect(await page.locator('#warnings tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#matrix tbody tr').count()).toBeGreaterThan(20);
    expect(await page.locator('#matrix thead th').allTextContents()).toEqual(
      expect.arrayContaining(['construction-permit', 'survey-design']),
    );
    await shot(page, 'rotation-overview');
  });

  it('runs the planner and lands on the draft with reasons and coverage', async () => {
    const year = new Date().getFullYear() + 1;
    await page.fill('#f-date', `${year}-01-01`);
    await page.fill('#f-rounds', '1');
    await page.click('#plan-form button[type=submit]');
    await page.waitForURL(/\/rotation\/plans\/\d+$/, { timeout: 120_000 });
    planUrl = page.url();
    expect(await page.locator('#summary .badge').first().textContent()).toBe('草案');
    const moves = page.locator('.moves tbody tr');
    expect(await moves.count()).toBeGreaterThan(0);
    // Every move says why.
    for (let i = 0; i < (await moves.count()); i++) {
      expect(await moves.nth(i).locator('.reasons li').count()).toBeGreaterThan(0);
    }
    const reasons = (await page.locator('.reasons li').allTextContents()).join('\n');
    expect(reasons).toMatch(/年上限|接替|补/);
    // Every post appears in the coverage table; covered ones show a competent A and B after.
    const rows = page.locator('#coverage tbody tr');
    expect(await rows.count()).toBe(17);
    const unmet = await page.locator('#unmet').textContent();
    for (let i = 0; i < 17; i++) {
      const row = rows.nth(i);
      const post = (await row.getAttribute('data-post'))!;
      for (const cell of ['.cover-a', '.cover-b']) {
        const text = (await row.locator(cell).textContent()) ?? '';
        if (!text.includes('胜任') || text.includes('不胜任'))
          expect(unmet, `${post} ${cell}`).toContain(post);
      }
    }
    expect(await page.locator('#btn-approve').count()).toBe(0);
    await shot(page, 'rotation-draft');
    await logOut(page);
  });
});

describe('a leader approves and applies it', () => {
  it('approves, applies, and downloads the PDF', async () => {
    await logIn(page, server.url, 'leader');
    await page.goto(planUrl);
    await Promise.all([page.waitForURL(/done=approved/), page.click('#btn-approve')]);
    expect(await page.locator('.notice-ok').textContent()).toContain('计划已批准');
    await Promise.all([page.waitForURL(/done=applied/), page.click('#btn-apply')]);
    expect(await page.locator('.notice-ok').textContent()).toContain('已生成');
    expect(await page.locator('#summary .badge').first().textContent()).toBe('已执行');
    await shot(page, 'rotation-applied');
    const pdf = await page.request.get(
      `${server.url}${new URL(planUrl).pathname.replace('/rotation/plans/', '/api/rotation/plans/')}/pdf`,
    );
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
