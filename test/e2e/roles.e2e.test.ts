/**
 * Browser flows: every demo role logs in and sees the navigation its permissions allow (and not
 * the rest), a forbidden page shows 403 in both languages, and the language switch is remembered.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn, logOut, navLabels, shot, startServer } from './harness.ts';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

/** A property of the element that has the keyboard focus. */
const focused = (p: Page, prop: 'id' | 'className' | 'textContent') =>
  p.evaluate(`document.activeElement?.${prop} ?? null`) as Promise<string | null>;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.dispose();
  await server?.close();
});

// What each demo role must and must not find in its navigation (Chinese, the default language).
// Pages added later by other modules only add entries, so these are lower and upper bounds.
const org = ['机构与窗口', '岗位与AB角', '工作人员', '事项目录'];
const expected: Record<string, { has: string[]; hasNot: string[] }> = {
  clerk: { has: org, hasNot: ['审计日志', '用户', '接口令牌', '策略', '组织与事项导入', '人员'] },
  inspector: { has: [...org, '审计日志'], hasNot: ['用户', '接口令牌', '策略', '组织与事项导入', '人员'] },
  hr: { has: [...org, '人员'], hasNot: ['审计日志', '用户', '接口令牌', '策略', '组织与事项导入'] },
  leader: { has: [...org, '审计日志'], hasNot: ['用户', '接口令牌', '策略', '组织与事项导入', '人员'] },
  admin: { has: [...org, '审计日志', '组织与事项导入', '用户', '接口令牌', '策略'], hasNot: ['人员'] },
};

describe('log in as each role', () => {
  for (const [role, want] of Object.entries(expected)) {
    it(`${role} sees the navigation of the role`, async () => {
      await logIn(page, server.url, role);
      expect(new URL(page.url()).pathname).toBe('/');
      const labels = await navLabels(page);
      for (const l of want.has) expect(labels, `${role} should see ${l}`).toContain(l);
      for (const l of want.hasNot) expect(labels, `${role} should not see ${l}`).not.toContain(l);
      // The home page offers the same pages as cards, and greets in Chinese with the role's name.
      expect(await page.locator('.lead').textContent()).toMatch(/您好.*今天是\d{4}年\d{1,2}月\d{1,2}日/);
      expect(await page.locator('.card-links a').count()).toBe(labels.length - 1);
      await shot(page, `role-${role}-home`);
      await logOut(page);
    });
  }
});

describe('pages a role may not see', () => {
  it('are not reachable: 403 in Chinese, then in English after switching', async () => {
    await logIn(page, server.url, 'clerk');
    const res = await page.goto(`${server.url}/admin/users`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('无权访问（403）');
    await shot(page, 'forbidden-zh');
    await Promise.all([page.waitForURL(/\/admin\/users/), page.click('.lang-switch button')]);
    expect(await page.locator('h1').textContent()).toBe('Not allowed (403)');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await shot(page, 'forbidden-en');
    await page.click('.lang-switch button');
    await page.waitForSelector('html[lang="zh-CN"]');
    await logOut(page);
  });

  it('send anonymous users to the login page and back after logging in', async () => {
    await page.goto(`${server.url}/audit?actor=demo`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#f-name', 'inspector');
    await page.fill('#f-password', 'neikong-demo');
    await Promise.all([page.waitForURL(/\/audit/), page.click('button[type=submit].btn-primary')]);
    expect(new URL(page.url()).search).toBe('?actor=demo');
    expect(await page.locator('h1').textContent()).toBe('审计日志');
    await logOut(page);
  });
});

describe('login form', () => {
  it('shows errors beside the field', async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('#f-name', 'clerk');
    await page.fill('#f-password', 'not the password');
    await page.click('button[type=submit].btn-primary');
    await page.waitForSelector('#f-password-error');
    expect(await page.locator('#f-password-error').textContent()).toBe('用户名或密码不正确。');
    expect(await page.inputValue('#f-name')).toBe('clerk');
    expect(await page.locator('#f-password').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'login-error');
  });
});

describe('keyboard', () => {
  it('logs in and reaches the content without a mouse', async () => {
    await page.goto(`${server.url}/login`);
    // The name field has the focus on arrival; Tab goes to the password, Enter submits.
    expect(await focused(page, 'id')).toBe('f-name');
    await page.keyboard.type('hr');
    await page.keyboard.press('Tab');
    await page.keyboard.type('neikong-demo');
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.keyboard.press('Enter')]);
    // The first Tab shows the skip link; following it puts the focus on the page's content.
    await page.keyboard.press('Tab');
    expect(await focused(page, 'className')).toBe('skip-link');
    await shot(page, 'keyboard-skip-link');
    await page.keyboard.press('Enter');
    expect(await focused(page, 'id')).toBe('main');
    // From the content, Tab reaches the page's links; Enter opens one.
    for (let i = 0; i < 10 && (await focused(page, 'textContent')) !== '工作人员'; i++) {
      await page.keyboard.press('Tab');
    }
    expect(await focused(page, 'textContent')).toBe('工作人员');
    await Promise.all([page.waitForURL(/\/org\/staff/), page.keyboard.press('Enter')]);
    await logOut(page);
  });
});

describe('language switch', () => {
  it('is remembered for the user across pages and sessions', async () => {
    await logIn(page, server.url, 'leader');
    await page.goto(`${server.url}/org/posts`);
    await Promise.all([page.waitForURL(/\/org\/posts/), page.click('.lang-switch button')]);
    await page.waitForSelector('html[lang="en"]');
    expect(await page.locator('h1').textContent()).toBe('Posts and A/B holders');
    expect(await navLabels(page)).toContain('Audit log');
    await shot(page, 'language-en-posts');
    await page.click('nav.sidenav >> text=Item catalogue');
    await page.waitForURL(/\/org\/items/);
    expect(await page.locator('h1').textContent()).toBe('Item catalogue');
    await logOut(page);
    // The login page keeps the language; logging in again finds the choice stored for the user.
    expect(await page.locator('h1').textContent()).toBe('Log in');
    await logIn(page, server.url, 'leader');
    expect(await page.locator('.lead').textContent()).toMatch(
      /^Welcome, .*Today is \d{1,2} [A-Z][a-z]+ \d{4}\.$/,
    );
    await shot(page, 'language-en-home');
    await page.click('.lang-switch button');
    await page.waitForSelector('html[lang="zh-CN"]');
    expect(await page.locator('h1').textContent()).toBe('首页');
    await logOut(page);
  });
});
