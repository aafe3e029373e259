/**
 * Every reports route and page tried by every role, an API token and the anonymous public: 2xx
 * only where policies/roles.yaml allows it (Report for leaders; PublicPage for the quarterly
 * publication), else 401/403 (the API) or the login redirect / 403 page (the pages); denied
 * generation writes nothing.
 */
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReport, reportVersions } from '../../src/reports/index.ts';
import { ledgerApp } from '../cases/support.ts';
import { loginAs, systemToken } from '../helpers.ts';

type Who = 'public' | 'clerk' | 'inspector' | 'hr' | 'leader' | 'admin' | 'system';
const everyone: Who[] = ['public', 'clerk', 'inspector', 'hr', 'leader', 'admin', 'system'];
const people: Who[] = ['clerk', 'inspector', 'hr', 'leader', 'admin'];

let t: Awaited<ReturnType<typeof ledgerApp>>;
const headers: Partial<Record<Who, Record<string, string>>> = { public: {} };

beforeAll(async () => {
  t = await ledgerApp();
  for (const role of ['clerk', 'inspector', 'hr', 'leader', 'admin'] as const)
    headers[role] = await loginAs(t, role);
  headers.system = await systemToken(t);
  const base = { timeZone: 'Asia/Shanghai', actor: 'test', trigger: 'request' as const };
  await generateReport(t.db, { ...base, kind: 'monthly', period: '2026-03' });
  await generateReport(t.db, { ...base, kind: 'quarterly', period: '2026-Q1' });
}, 120_000);
afterAll(() => t?.close());

const versions = async () => (await t.db.select({ n: count() }).from(reportVersions))[0].n;

interface Case {
  method?: 'GET' | 'POST';
  path: string;
  allowed: Who[];
  form?: boolean;
}

// The API: Report for leaders (manage), PublicPage for everyone but the approval system's token.
const api: Case[] = [
  { path: '/api/reports', allowed: ['leader'] },
  { path: '/api/reports?kind=monthly', allowed: ['leader'] },
  { path: '/api/reports/monthly/2026-03', allowed: ['leader'] },
  { path: '/api/reports/monthly/2026-03/pdf', allowed: ['leader'] },
  { path: '/api/reports/monthly/2026-03/html?version=1&locale=en', allowed: ['leader'] },
  { method: 'POST', path: '/api/reports/daily/2026-03-02', allowed: ['leader'] },
  { path: '/api/public/reports', allowed: ['public', ...people] },
  { path: '/api/public/reports/2026-Q1/pdf', allowed: ['public', ...people] },
];

// The pages: the same grants; a page answers the anonymous with the login page.
const pages: Case[] = [
  { path: '/reports', allowed: ['leader'] },
  { path: '/reports?kind=quarterly', allowed: ['leader'] },
  { path: '/reports/monthly/2026-03', allowed: ['leader'] },
  { path: '/reports/monthly/2026-03?v=1', allowed: ['leader'] },
  { method: 'POST', path: '/reports', allowed: ['leader'], form: true },
  { method: 'POST', path: '/reports/weekly/2026-W10', allowed: ['leader'], form: true },
  { path: '/public/reports', allowed: ['public', ...people] },
  { path: '/public/reports/2026-Q1', allowed: ['public', ...people] },
  { path: '/reports/document.css', allowed: everyone },
];

async function call(c: Case, who: Who) {
  const h: Record<string, string> = { ...headers[who] };
  let body: string | undefined;
  if (c.form) {
    h['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({
      _csrf: h['x-csrf-token'] ?? '',
      kind: 'weekly',
      period: '2026-W10',
    }).toString();
  }
  return t.app.request(c.path, { method: c.method ?? 'GET', headers: h, body });
}

describe('reports API by role', () => {
  for (const c of api) {
    for (const who of everyone) {
      const allowed = c.allowed.includes(who);
      it(`${c.method ?? 'GET'} ${c.path} as ${who}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const before = await versions();
        const res = await call(c, who);
        if (allowed) expect(res.status, await res.clone().text()).toBeLessThan(300);
        else {
          expect(res.status).toBe(who === 'public' ? 401 : 403);
          expect(await versions()).toBe(before);
        }
      });
    }
  }
});

describe('reports pages by role', () => {
  for (const c of pages) {
    for (const who of everyone) {
      const allowed = c.allowed.includes(who);
      it(`${c.method ?? 'GET'} ${c.path} as ${who}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const before = await versions();
        const res = await call(c, who);
        if (allowed) {
          expect(res.status, await res.clone().text()).toBeLessThan(400);
        } else if (who === 'public') {
          expect(res.status).toBe(302);
          expect(res.headers.get('location')).toMatch(/^\/login\?next=/);
        } else {
          expect(res.status).toBe(403);
        }
        if (!allowed) expect(await versions()).toBe(before);
      });
    }
  }
});

it('the navigation links the reports page for leaders only', async () => {
  for (const who of people) {
    const html = await (await t.app.request('/', { headers: headers[who] })).text();
    expect(html.includes('href="/reports"'), who).toBe(who === 'leader');
  }
});
