/**
 * Every web page and form tried by every role, an API token and the anonymous public: a page
 * opens (2xx) only where policies/roles.yaml allows it, others get the 403 page (or, anonymous,
 * the login page), forms of denied roles write nothing, and the navigation links only to pages
 * the role may open.
 */
import { isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg } from '../../src/demo/org.ts';
import { importOrg } from '../../src/org/service.ts';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { createToken } from '../../src/platform/auth.ts';
import { apiTokens, users } from '../../src/platform/schema.ts';
import { registeredPages } from '../../src/web/registry.ts';

/** The navigation entries this module registers (others register theirs). */
const ownPaths = [
  '/org',
  '/org/posts',
  '/org/staff',
  '/org/items',
  '/people',
  '/audit',
  '/admin/import',
  '/admin/users',
  '/admin/tokens',
  '/admin/policies',
];

import { loginAs, systemToken, testApp } from '../helpers.ts';

type Who = 'public' | 'clerk' | 'inspector' | 'hr' | 'leader' | 'admin' | 'system';
const everyone: Who[] = ['public', 'clerk', 'inspector', 'hr', 'leader', 'admin', 'system'];
const people: Who[] = ['clerk', 'inspector', 'hr', 'leader', 'admin'];
const form = { 'content-type': 'application/x-www-form-urlencoded' };

interface PageCase {
  path: string;
  allowed: Who[];
}

// Read from the grants in policies/roles.yaml: Org and Catalog for every role of a person and the
// approval system; Staff records (HR's people list) for HR; the audit log for inspectors, leaders
// and admins; the rest for admins only.
const pages: PageCase[] = [
  { path: '/org', allowed: [...people, 'system'] },
  { path: '/org/posts', allowed: [...people, 'system'] },
  { path: '/org/posts?window=W1', allowed: [...people, 'system'] },
  { path: '/org/staff', allowed: [...people, 'system'] },
  { path: '/org/staff?sort=tenure&page=2', allowed: [...people, 'system'] },
  { path: '/org/staff/S003', allowed: [...people, 'system'] },
  { path: '/people', allowed: ['hr'] },
  { path: '/org/posts?key=yes&page=1', allowed: [...people, 'system'] },
  { path: '/people?department=D-APPROVAL', allowed: ['hr'] },
  { path: '/org/items', allowed: [...people, 'system'] },
  { path: '/org/items/SG-001', allowed: [...people, 'system'] },
  { path: '/audit', allowed: ['inspector', 'leader', 'admin'] },
  { path: '/admin/users', allowed: ['admin'] },
  { path: '/admin/tokens', allowed: ['admin'] },
  { path: '/admin/import', allowed: ['admin'] },
  { path: '/admin/policies', allowed: ['admin'] },
  { path: '/admin/policies?file=roles.yaml', allowed: ['admin'] },
];

describe('web pages x roles', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  const headers: Partial<Record<Who, Record<string, string>>> = {};
  let n = 0;
  beforeAll(async () => {
    t = await testApp();
    await importOrg(t.db, demoOrg(1), { actor: 'test', today: '2026-03-02' });
    headers.public = {};
    for (const role of ['clerk', 'inspector', 'hr', 'leader', 'admin'] as const)
      headers[role] = await loginAs(t, role);
    headers.system = await systemToken(t);
  });
  afterAll(() => t.close());

  for (const p of pages) {
    it(`GET ${p.path}: 200 for ${p.allowed.join(', ')}; 403 page or login for the rest`, async () => {
      for (const who of everyone) {
        const res = await t.app.request(p.path, { headers: headers[who] });
        const body = await res.text();
        if (p.allowed.includes(who)) {
          expect(res.status, `${who} ${p.path}`).toBe(200);
        } else if (who === 'public') {
          expect(res.status, `${who} ${p.path}`).toBe(302);
          expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(p.path)}`);
        } else {
          expect(res.status, `${who} ${p.path}`).toBe(403);
          expect(body).toContain('无权访问');
        }
      }
    });
  }

  it('the home page: every person; tokens and the public go to the login page', async () => {
    for (const who of everyone) {
      const res = await t.app.request('/', { headers: headers[who] });
      expect(res.status, who).toBe(people.includes(who) ? 200 : 302);
    }
  });

  const counts = async () => ({
    audit: (await verifyAuditChain(t.db)).entries,
    users: (await t.db.select().from(users)).length,
    liveTokens: (await t.db.select().from(apiTokens).where(isNull(apiTokens.revokedAt))).length,
  });

  interface FormCase {
    name: string;
    path: string | (() => Promise<string>);
    body: (i: number) => Record<string, string>;
    allowed: Who[];
    /** The status an allowed role gets (a page, or a redirect after a change). */
    ok: number;
  }

  const forms: FormCase[] = [
    {
      name: 'verify the audit chain',
      path: '/audit/verify',
      body: () => ({}),
      allowed: ['inspector', 'admin'],
      ok: 200,
    },
    {
      name: 'create a user',
      path: '/admin/users',
      body: (i) => ({ name: `web-made-${i}`, role: 'clerk', staffNo: '', password: 'long enough secret' }),
      allowed: ['admin'],
      ok: 303,
    },
    {
      name: 'create a token',
      path: '/admin/tokens',
      body: (i) => ({ name: `web-tok-${i}`, role: 'system' }),
      allowed: ['admin'],
      ok: 200,
    },
    {
      name: 'revoke a token',
      path: async () => {
        const tok = await createToken(t.db, { name: `victim-${n}`, role: 'system' }, 'test');
        return `/admin/tokens/${tok.id}/revoke`;
      },
      body: () => ({}),
      allowed: ['admin'],
      ok: 303,
    },
    {
      name: 'import an org document',
      path: '/admin/import',
      body: () => ({
        text: JSON.stringify({
          version: 1,
          departments: [{ code: 'D-WEB', name: '网页测试科', kind: 'section' }],
        }),
      }),
      allowed: ['admin'],
      ok: 200,
    },
  ];

  for (const f of forms) {
    it(`POST ${f.name}: ${f.allowed.join(', ')} only; the rest change nothing`, async () => {
      for (const who of everyone) {
        n++;
        const path = typeof f.path === 'string' ? f.path : await f.path();
        const before = await counts();
        const res = await t.app.request(path, {
          method: 'POST',
          headers: { ...headers[who], ...form },
          body: new URLSearchParams(f.body(n)).toString(),
        });
        if (f.allowed.includes(who)) {
          expect(res.status, `${who} ${f.name}: ${await res.text()}`).toBe(f.ok);
          continue;
        }
        expect(res.status, `${who} ${f.name}`).toBe(who === 'public' ? 302 : 403);
        const after = await counts();
        // Creating the victim token for the revoke case is the only write, and it came first.
        expect(after, `${who} ${f.name} wrote something`).toEqual(before);
      }
    });
  }

  it('a form posted with a session but without the CSRF token is refused', async () => {
    const { 'x-csrf-token': _, ...cookieOnly } = headers.admin!;
    const before = await counts();
    const res = await t.app.request('/admin/users', {
      method: 'POST',
      headers: { ...cookieOnly, ...form },
      body: new URLSearchParams({
        name: 'csrf-victim',
        role: 'admin',
        password: 'long enough secret',
      }).toString(),
    });
    expect(res.status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('the navigation links only to pages the role may open, and to each of ours it may', async () => {
    const ownPages = registeredPages().filter((e) => ownPaths.includes(e.path));
    expect(ownPages.map((e) => e.path).sort()).toEqual([...ownPaths].sort());
    for (const who of people) {
      const html = await (await t.app.request('/org', { headers: headers[who] })).text();
      const nav = /<nav class="sidenav"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
      const links = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
      expect(links[0]).toBe('/');
      for (const href of links) {
        const res = await t.app.request(href, { headers: headers[who] });
        expect(res.status, `${who} is linked to ${href}`).toBe(200);
      }
      // Pages the role may not open are not linked. (A page may be open to a role without a
      // menu entry, reached from another page: that is the registering module's choice.)
      for (const e of registeredPages()) {
        const res = await t.app.request(e.path, { headers: headers[who] });
        if (res.status !== 200)
          expect(links, `${who} is linked to ${e.path} (${res.status})`).not.toContain(e.path);
      }
      // Every entry of our own pages that the role's grants allow is linked.
      for (const e of ownPages) {
        const allowed = pages.find((p) => p.path === e.path)?.allowed.includes(who) ?? false;
        expect(links.includes(e.path), `${who} ${e.path}`).toBe(allowed);
      }
    }
  });

  it('the navigation of each role, in Chinese', async () => {
    const navText = async (who: Who) => {
      const html = await (await t.app.request('/', { headers: headers[who] })).text();
      return /<nav class="sidenav"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
    };
    const clerk = await navText('clerk');
    expect(clerk).toContain('工作人员');
    for (const hidden of ['审计日志', '用户', '接口令牌', '策略', '组织与事项导入'])
      expect(clerk).not.toContain(hidden);
    expect(await navText('inspector')).toContain('审计日志');
    expect(await navText('hr')).toContain('href="/people"');
    const admin = await navText('admin');
    for (const shown of ['审计日志', '用户', '接口令牌', '策略', '组织与事项导入'])
      expect(admin).toContain(shown);
  });
});
