/**
 * Browser flow of the misconduct tracker, complaint to decision: a citizen files a complaint
 * without logging in and follows it by code; the inspector assigns, investigates and proposes
 * with a graded preview; a leader decides from the queue and the decision document is issued and
 * verifiable; the clerk sees their own record, HR the effects, and the citizen the reply.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/platform/schema.ts';
import { launchBrowser, logIn, logOut, shot, startServer } from './harness.ts';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let clerkStaff: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage();
  const [clerk] = await server.db.select().from(users).where(eq(users.name, 'clerk'));
  clerkStaff = clerk.staffNo!;
});
afterAll(async () => {
  await browser?.dispose();
  await server?.close();
});

describe('complaint to decision in the browser', () => {
  let code: string;
  let id: string;

  it('a citizen files a complaint and is given a tracking code once', async () => {
    await page.goto(`${server.url}/complaints`);
    expect(await page.locator('h1').textContent()).toBe('投诉举报');
    // Sending it empty names the fields at fault.
    await page.click('form.complaint-form button[type=submit]');
    await page.waitForSelector('[data-testid=form-errors]');
    expect(await page.locator('#f-facts-error').textContent()).toContain('请描述事情经过');
    expect(await page.locator('#f-name-error').textContent()).toContain('请填写姓名');
    await shot(page, 'misconduct-complaint-errors');
    await page.fill(
      '#f-facts',
      '12月1日上午在综合受理窗口办理施工许可，工作人员态度生硬，推诿要求次日再来。',
    );
    await page.fill('#f-concerned', '综合受理岗一');
    await page.fill('#f-name', '李先生');
    await page.fill('#f-phone', '13800000000');
    await page.click('form.complaint-form button[type=submit]');
    await page.waitForSelector('[data-testid=tracking-code]');
    code = (await page.locator('[data-testid=tracking-code]').textContent())!.trim();
    id = (await page.locator('[data-testid=reference]').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await shot(page, 'misconduct-complaint-code');
  });

  it('follows it by code', async () => {
    await page.goto(`${server.url}/complaints/status`);
    await page.fill('#f-code', code.toLowerCase());
    await page.click('form[action="/complaints/status"] button[type=submit]');
    await page.waitForSelector('[data-testid=status]');
    expect(await page.locator('[data-testid=status-text]').textContent()).toBe('已受理，待分派调查');
    await shot(page, 'misconduct-status-received');
  });

  it('the inspector assigns, investigates and proposes with the grading explained', async () => {
    await logIn(page, server.url, 'inspector');
    await page.click('nav.sidenav >> text=过错追究');
    await page.click(`[data-testid=matters] tr[data-id="${id}"] a`);
    await page.waitForURL(new RegExp(`/misconduct/${id}$`));
    await page.selectOption('#f-inspector', 'inspector');
    await Promise.all([page.waitForURL(/ok=assign/), page.click('[data-testid=assign] button[type=submit]')]);
    await Promise.all([page.waitForURL(/ok=start/), page.click('[data-testid=start]')]);
    await page.fill('#f-staff_0', clerkStaff);
    await Promise.all([
      page.waitForURL(/ok=details/),
      page.click('[data-testid=details] button[type=submit]'),
    ]);
    await page.selectOption('#f-faultType', 'poor-service');
    await page.selectOption('#f-severity', 'serious');
    await page.check('input[name=factors][value=intent]');
    await page.fill('#f-summary', '经调取窗口监控，该同志服务态度生硬、推诿属实。');
    await page.click('[data-testid=preview]');
    await page.waitForSelector('[data-testid=lines]');
    const lines = await page.locator('[data-testid=lines]').textContent();
    expect(lines).toContain('基础等级：服务态度生硬、推诿扯皮（情节严重）');
    expect(lines).toContain('从重：故意违规');
    await shot(page, 'misconduct-proposal-preview');
    await Promise.all([page.waitForURL(/ok=propose/), page.click('[data-testid=submit-proposal]')]);
    expect(await page.locator('[data-testid=state]').textContent()).toBe('待决定');
    await logOut(page);
  });

  it('a leader decides from the queue; the decision document is issued and verifiable', async () => {
    await logIn(page, server.url, 'leader');
    await page.click('nav.sidenav >> text=待决定事项');
    await page.click(`[data-testid=queue] tr[data-id="${id}"] a >> nth=0`);
    await page.waitForSelector('[data-testid=decide]');
    await page.fill('#f-note', '同意调查意见。');
    await Promise.all([page.waitForURL(/ok=decide/), page.click('[data-testid=submit-decision]')]);
    expect(await page.locator('[data-testid=state]').textContent()).toBe('已决定');
    const number = (await page.locator('[data-testid=document]').textContent())!.trim();
    expect(number).toMatch(/^泉建纪〔\d{4}〕\d+号$/);
    expect(await page.locator('[data-testid=final]').textContent()).toBe('3级 诫勉教育');
    await shot(page, 'misconduct-decided');
    const pdf = await page.request.get(`${server.url}/api/misconduct/matters/${id}/documents/${clerkStaff}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const bytes = await pdf.body();
    await logOut(page);
    // Anyone holding the PDF can check it on the public verify page.
    await page.goto(`${server.url}/verify/${encodeURIComponent(number)}`);
    expect(await page.locator('[data-testid=issued]').count()).toBe(1);
    await page.setInputFiles('input[name=file]', {
      name: 'decision.pdf',
      mimeType: 'application/pdf',
      buffer: bytes,
    });
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=result]');
    expect(await page.locator('[data-testid=result]').getAttribute('data-authentic')).toBe('true');
    await shot(page, 'misconduct-verify');
  });

  it('the inspector records the notification; the citizen sees the reply', async () => {
    await logIn(page, server.url, 'inspector');
    await page.goto(`${server.url}/misconduct/${id}`);
    await page.fill('#f-publicReply', '您反映的问题经查属实，我局已依规处理，感谢监督。');
    await Promise.all([page.waitForURL(/ok=notify/), page.click('[data-testid=submit-notify]')]);
    await logOut(page);
    await page.goto(`${server.url}/complaints/status`);
    await page.fill('#f-code', code);
    await page.click('form[action="/complaints/status"] button[type=submit]');
    await page.waitForSelector('[data-testid=reply]');
    expect(await page.locator('[data-testid=status-text]').textContent()).toBe('已作出处理');
    expect(await page.locator('[data-testid=reply]').textContent()).toContain('已依规处理');
  });

  it('the clerk sees their own record without the complainant; HR sees the effects', async () => {
    await logIn(page, server.url, 'clerk');
    await page.click('nav.sidenav >> text=我的过错记录');
    expect(await page.locator('[data-testid=merit]').textContent()).toMatch(/不参加评优评先/);
    await page.click(`[data-testid=mine] tr[data-id="${id}"] a`);
    await page.waitForSelector('[data-testid=appeal]');
    const content = await page.content();
    expect(content).not.toContain('李先生');
    expect(content).not.toContain('13800000000');
    await shot(page, 'misconduct-clerk-own');
    await logOut(page);
    await logIn(page, server.url, 'hr');
    await page.click('nav.sidenav >> text=处理后果');
    expect(
      await page.locator(`[data-testid=effects] tr[data-staff="${clerkStaff}"][data-kind=merit_bar]`).count(),
    ).toBe(1);
    expect(await page.content()).not.toContain('态度生硬');
    await shot(page, 'misconduct-hr-effects');
    await logOut(page);
  });
});
