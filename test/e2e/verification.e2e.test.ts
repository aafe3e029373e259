/**
 * Browser flow of the inspector's workbench (核查工作台) over a month of the demo bureau: start a
 * run, watch it finish, see every planted fault of the month with a readable reason (and nothing
 * else), drill down to a case, issue a ruling (核查意见书), refer the failure to misconduct; then,
 * as a member of the public holding the printed ruling, check on the verify page that it is
 * genuine, and that a copy with one byte changed is not.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCalendar } from '../../src/calendar/index.ts';
import { ingestCaseRecords } from '../../src/cases/index.ts';
import { type CaseLine, generateDemoCases, type PlantedFault } from '../../src/demo/cases.ts';
import { exportOrg } from '../../src/org/service.ts';
import { launchBrowser, logIn, shot, startServer } from './harness.ts';

const TZ = 'Asia/Shanghai';
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let expected: Set<string>;
let faults: PlantedFault[];

beforeAll(async () => {
  server = await startServer();
  const generated = generateDemoCases({
    seed: 3,
    cases: 250,
    from: '2026-02-02',
    to: '2026-03-31',
    org: await exportOrg(server.db),
    calendar: getCalendar(),
    faultRate: 0.1,
  });
  const lines: CaseLine[] = [...generated.lines];
  faults = generated.faults;
  await ingestCaseRecords(server.db, lines, {
    actor: 'demo',
    source: 'e2e',
    timeZone: TZ,
    now: new Date('2026-04-15T00:00:00+08:00'),
  });
  // The month's scope: cases completed, returned or sent a supplement notice in March.
  const march = new Set<string>();
  for (const l of lines) {
    if (l.type !== 'event' || !['complete', 'return', 'notify_supplement'].includes(l.action)) continue;
    const day = new Date(l.at).toLocaleDateString('en-CA', { timeZone: TZ });
    if (day >= '2026-03-01' && day <= '2026-03-31') march.add(l.caseNo);
  }
  expected = new Set(faults.filter((f) => march.has(f.caseNo)).map((f) => `${f.caseNo} ${f.check}`));
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.dispose();
  await server?.close();
});

describe('inspector', () => {
  let runUrl = '';
  let rulingNumber = '';
  let pdf: Buffer;

  it('runs verification over a month and sees every planted fault with a readable reason', async () => {
    await logIn(page, server.url, 'inspector');
    await page.click('nav.sidenav >> text=核查');
    await page.waitForURL(/\/verification$/);
    await page.fill('#f-from', '2026-03-01');
    await page.fill('#f-to', '2026-03-31');
    await Promise.all([
      page.waitForURL(/\/verification\/runs\/\d+/),
      page.click('[data-testid=start-run] button[type=submit]'),
    ]);
    runUrl = page.url();
    await page.waitForSelector('[data-status="done"]', { timeout: 90_000 });
    await shot(page, 'verification-run');
    expect(Number(await page.textContent('[data-testid=run-failures]'))).toBe(expected.size);
    const seen = new Set<string>();
    for (;;) {
      const rows = page.locator('[data-testid=findings] tbody tr');
      for (const row of await rows.all()) {
        const caseNo = await row.getAttribute('data-case');
        const check = await row.getAttribute('data-check');
        const detail = (await row.locator('td').nth(3).textContent())?.trim() ?? '';
        expect(detail.length, `${caseNo} ${check}`).toBeGreaterThan(6);
        seen.add(`${caseNo} ${check}`);
      }
      const next = page.locator('nav.pager a[rel=next]');
      if ((await next.count()) === 0) break;
      await Promise.all([page.waitForLoadState('load'), next.click()]);
    }
    expect([...seen].sort()).toEqual([...expected].sort());
  });

  it('reads the findings by check and by clerk', async () => {
    await page.goto(runUrl);
    const failing = await page
      .locator('[data-testid=by-check] tr[data-check=timely] td')
      .nth(2)
      .textContent();
    expect(Number(failing)).toBe([...expected].filter((k) => k.endsWith(' timely')).length);
    await expect(page.locator('[data-testid=by-clerk] tbody tr').count()).resolves.toBeGreaterThan(0);
  });

  it('drills down to a case, issues a ruling and refers the failure', async () => {
    await page.goto(`${runUrl}?check=timely`);
    await Promise.all([
      page.waitForURL(/\/cases\//),
      page.click('[data-testid=findings] tbody tr:first-child a'),
    ]);
    await page.waitForSelector('[data-testid=timeline] tbody tr');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('[data-testid=issue-ruling] button[type=submit]'),
    ]);
    await page.waitForSelector('[data-testid=ruling-number]');
    rulingNumber = (await page.textContent('[data-testid=ruling-number]'))!.trim();
    expect(rulingNumber).toMatch(/^泉建核〔\d{4}〕\d+号$/);
    await shot(page, 'verification-case');
    const href = await page.getAttribute('[data-testid=ruling-pdf]', 'href');
    const res = await page.request.get(`${server.url}${href}`);
    expect(res.status()).toBe(200);
    pdf = Buffer.from(await res.body());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const refer = page.locator('[data-testid=case-results] tr[data-check=timely] form button');
    await Promise.all([page.waitForLoadState('load'), refer.click()]);
    await expect(page.locator('.notice-ok').first().textContent()).resolves.toMatch(
      /已移送过错追究：事项 \d+/,
    );
  });

  it('lets anyone holding the ruling check it is genuine, and catches a changed byte', async () => {
    const context = await browser.browser()?.newContext();
    const visitor = context ? await context.newPage() : await browser.newPage();
    await visitor.goto(`${server.url}/verify/${encodeURIComponent(rulingNumber)}`);
    await visitor.waitForSelector('[data-testid=issued]');
    await visitor.setInputFiles('input[name=file]', {
      name: 'ruling.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await Promise.all([visitor.waitForLoadState('load'), visitor.click('form button[type=submit]')]);
    await visitor.waitForSelector('[data-testid=result]');
    expect(await visitor.getAttribute('[data-testid=result]', 'data-authentic')).toBe('true');
    await shot(visitor, 'verification-verify-genuine');
    const forged = Buffer.from(pdf);
    forged[Math.floor(forged.length / 3)] ^= 0x01;
    await visitor.setInputFiles('input[name=file]', {
      name: 'ruling.pdf',
      mimeType: 'application/pdf',
      buffer: forged,
    });
    await Promise.all([visitor.waitForLoadState('load'), visitor.click('form button[type=submit]')]);
    expect(await visitor.getAttribute('[data-testid=result]', 'data-authentic')).toBe('false');
    await shot(visitor, 'verification-verify-forged');
    await visitor.close();
  });
});
