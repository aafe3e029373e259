/**
 * Browser-test support: neikong on a free port over an in-memory PGlite with the demo bureau
 * loaded, and Debian's Chromium driven by playwright-core (never a downloaded browser). Each
 * flow saves screenshots under test-results/ so a person can look at what users see.
 *
 * @example
 * const server = await startServer();
 * const browser = await launchBrowser();
 * const page = await browser.newPage();
 * await logIn(page, server.url, 'clerk');
 * await shot(page, 'clerk-home');
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/client.ts';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/index.ts';
import { policiesDir, projectRoot } from '../../src/paths.ts';
import { loadRolePolicy } from '../../src/platform/roles.ts';
import { localDate } from '../../src/platform/time.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS = join(projectRoot, 'test-results');

export async function startServer() {
  const config = loadConfig({
    DATA_DIR: join(tmpdir(), 'neikong-e2e-unused'),
    SESSION_SECRET: 'e'.repeat(32),
    PORT: '0',
  });
  const database = await openDatabase({ inMemory: true });
  await loadDemo(database.db, { today: localDate(new Date(), config.timeZone) });
  const app = createApp({
    db: database.db,
    database,
    config,
    roles: loadRolePolicy(join(policiesDir, 'roles.yaml')),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db: database.db,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}

/** A fresh profile each run: no cache, cookies or extensions from anywhere else. */
export async function launchBrowser(): Promise<BrowserContext & { dispose(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'neikong-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return Object.assign(context, {
    async dispose() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  });
}

export async function logIn(page: Page, base: string, name: string, password = DEMO_PASSWORD) {
  await page.goto(`${base}/login`);
  await page.fill('#f-name', name);
  await page.fill('#f-password', password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.click('button[type=submit].btn-primary'),
  ]);
}

export async function logOut(page: Page) {
  await Promise.all([page.waitForURL(/\/login/), page.click('form[action="/logout"] button')]);
}

/** Saves a full-page screenshot as test-results/<name>.png and returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Labels of the side navigation's links, in order. */
export async function navLabels(page: Page): Promise<string[]> {
  return (await page.locator('nav.sidenav a').allTextContents()).map((s) => s.trim());
}
