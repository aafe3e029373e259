/**
 * The shell: login and logout forms, the language switch (a cookie for anonymous users, the
 * users.locale column for users), the strict CSP (no inline script or style), assets with cache
 * headers, and the admin and audit pages' forms.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg } from '../../src/demo/org.ts';
import { importOrg } from '../../src/org/service.ts';
import { createUser } from '../../src/platform/auth.ts';
import { auditLog, users } from '../../src/platform/schema.ts';
import { asset } from '../../src/web/assets.ts';
import { loginAs, testApp } from '../helpers.ts';

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const encode = (o: Record<string, string>) => new URLSearchParams(o).toString();

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
  await importOrg(t.db, demoOrg(1), { actor: 'test', today: '2026-03-02' });
  await createUser(t.db, { name: 'wang', role: 'clerk', staffNo: 'S005', password: 'wang password' }, 'test');
});
afterAll(() => t.close());

const post = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  t.app.request(path, { method: 'POST', headers: { ...form, ...headers }, body: encode(body) });

describe('login form', () => {
  it('shows the login page in Chinese by default', async () => {
    const res = await t.app.request('/login');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="zh-CN">/);
    expect(html).toContain('<h1>登录</h1>');
    expect(html).toContain('action="/login"');
  });

  it("puts each missing field's error beside it", async () => {
    const res = await post('/login', { name: '', password: '' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="f-name"[^>]*aria-invalid="true"[^>]*aria-describedby="f-name-error"/);
    expect(html).toContain('<p class="field-error" id="f-name-error">请输入用户名。</p>');
    expect(html).toContain('<p class="field-error" id="f-password-error">请输入密码。</p>');
  });

  it('a wrong password is shown under the password, and the name is kept', async () => {
    const res = await post('/login', { name: 'wang', password: 'wrong one' });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<p class="field-error" id="f-password-error">用户名或密码不正确。</p>');
    expect(html).toMatch(/id="f-name" name="name" type="text" value="wang"/);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('logs in, goes to `next`, and never to another site', async () => {
    const ok = await post('/login', {
      name: 'wang',
      password: 'wang password',
      next: '/org/items?kind=instant',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/org/items?kind=instant');
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^nk_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'org']) {
      const res = await post('/login', { name: 'wang', password: 'wang password', next });
      expect(res.headers.get('location'), next).toBe('/');
    }
  });

  it('refuses a login form posted from another site', async () => {
    const res = await post(
      '/login',
      { name: 'wang', password: 'wang password' },
      { origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('a logged-in user asking for the login page goes on; logging out ends the session', async () => {
    const ok = await post('/login', { name: 'wang', password: 'wang password' });
    const cookie = ok.headers.get('set-cookie')!.split(';')[0];
    const again = await t.app.request('/login?next=/org', { headers: { cookie } });
    expect(again.status).toBe(302);
    expect(again.headers.get('location')).toBe('/org');
    const home = await (await t.app.request('/', { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home)![1];
    const out = await post('/logout', { _csrf: csrf }, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    const after = await t.app.request('/', { headers: { cookie } });
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toBe('/login?next=%2F');
  });
});

describe('language', () => {
  it('anonymous users choose with a cookie', async () => {
    const res = await post('/locale', { locale: 'en', back: '/login?next=%2Forg' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Forg');
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    expect(cookie).toBe('nk_locale=en');
    const html = await (await t.app.request('/login', { headers: { cookie } })).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Log in</h1>');
    // Not a language we have, or a way off the site: nothing changes.
    const bad = await post('/locale', { locale: 'fr', back: 'https://evil.example/' });
    expect(bad.headers.get('location')).toBe('/');
    expect(bad.headers.get('set-cookie')).toBeNull();
  });

  it("a user's choice is stored with the user, audited, and used on every page", async () => {
    const h = await loginAs(t, 'inspector', { name: 'lin' });
    const res = await post('/locale', { locale: 'en', back: '/org/staff?page=1' }, h);
    expect(res.status).toBe(303);
    const [u] = await t.db.select().from(users).where(eq(users.name, 'lin'));
    expect(u.locale).toBe('en');
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, 'user.locale'));
    expect(audit.map((a) => a.actor)).toContain('user:lin');
    const html = await (await t.app.request('/org/staff', { headers: h })).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Time in post');
    // Dates in English style, e.g. "1 March 2021".
    expect(html).toMatch(
      /<td class="nowrap">\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}<\/td>/,
    );
    // Without the CSRF token nothing changes.
    const { 'x-csrf-token': _, ...cookieOnly } = h;
    const refused = await post('/locale', { locale: 'zh-CN', back: '/' }, cookieOnly);
    expect(refused.status).toBe(403);
    const [still] = await t.db.select().from(users).where(eq(users.name, 'lin'));
    expect(still.locale).toBe('en');
  });
});

describe('strict content security policy', () => {
  it('pages carry no inline script or style, and link the local assets', async () => {
    const h = await loginAs(t, 'admin');
    for (const path of [
      '/login',
      '/',
      '/org',
      '/org/posts',
      '/org/staff',
      '/org/items',
      '/audit',
      '/admin/users',
      '/admin/tokens',
      '/admin/import',
      '/admin/policies',
    ]) {
      const res = await t.app.request(path, { headers: path === '/login' ? {} : h });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await res.text();
      expect(html, path).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html, path).not.toMatch(/\sstyle="/);
      expect(html, path).not.toMatch(/\son[a-z]+="/);
      expect(html, path).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(html).toContain(`href="${asset('app.css')}"`);
    }
  });
});

describe('assets', () => {
  it('serves the stylesheet with a year of caching when versioned, else revalidated by ETag', async () => {
    const versioned = await t.app.request(asset('app.css'));
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await versioned.text()).toContain('Noto Sans CJK SC');
    const plain = await t.app.request('/assets/app.css');
    expect(plain.headers.get('cache-control')).toBe('no-cache');
    const etag = plain.headers.get('etag')!;
    const again = await t.app.request('/assets/app.css', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await t.app.request('/assets/app.js')).headers.get('content-type')).toContain('javascript');
    expect((await t.app.request('/assets/nope.css')).status).toBe(404);
    expect((await t.app.request('/assets/..%2Fi18n.ts')).status).toBe(404);
  });
});

describe('users page', () => {
  it('lists every error beside its field, all at once', async () => {
    const h = await loginAs(t, 'admin');
    const before = (await t.db.select().from(users)).length;
    const res = await post(
      '/admin/users',
      { name: 'x', role: 'boss', staffNo: 'S999', password: 'short' },
      h,
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="f-name-error">用户名须为');
    expect(html).toContain('id="f-role-error">请选择角色。');
    expect(html).toContain('id="f-staffNo-error">没有工号为 S999 的人员。');
    expect(html).toContain('id="f-password-error">密码至少 8 个字符');
    expect(html).toMatch(/id="f-staffNo" name="staffNo" type="text" value="S999"/);
    expect((await t.db.select().from(users)).length).toBe(before);
  });

  it('creates a user linked to a staff member, audited; a second with the same name is refused', async () => {
    const h = await loginAs(t, 'admin', { name: 'root' });
    const res = await post(
      '/admin/users',
      { name: 'chen.ming', role: 'clerk', staffNo: 'S003', password: 'long enough secret' },
      h,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/users?created=chen.ming');
    const [u] = await t.db.select().from(users).where(eq(users.name, 'chen.ming'));
    expect(u).toMatchObject({ role: 'clerk', staffNo: 'S003' });
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.entityId, 'chen.ming'));
    expect(entries.map((e) => [e.actor, e.action])).toEqual([['user:root', 'user.create']]);
    const list = await (await t.app.request('/admin/users?created=chen.ming', { headers: h })).text();
    expect(list).toContain('已创建用户 chen.ming。');
    const dup = await post(
      '/admin/users',
      { name: 'chen.ming', role: 'clerk', staffNo: '', password: 'long enough secret' },
      h,
    );
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain('id="f-name-error">用户名 chen.ming 已存在。');
  });
});

describe('tokens page', () => {
  it('shows a new token once, never again, and revokes it', async () => {
    const h = await loginAs(t, 'admin', { name: 'keeper' });
    const res = await post('/admin/tokens', { name: 'approval', role: 'system' }, h);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const token = /<code class="secret" id="new-token">([^<]+)<\/code>/.exec(html)![1];
    expect(token).toMatch(/^nk_/);
    const me = await t.app.request('/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { name: string }).name).toBe('approval');
    const list = await (await t.app.request('/admin/tokens', { headers: h })).text();
    expect(list).not.toContain(token);
    expect(list).toContain(`${token.slice(0, 10)}…`);
    const id = /action="\/admin\/tokens\/(\d+)\/revoke"/.exec(list)![1];
    const revoke = await post(`/admin/tokens/${id}/revoke`, {}, h);
    expect(revoke.status).toBe(303);
    expect(revoke.headers.get('location')).toBe('/admin/tokens?revoked=approval');
    const after = await t.app.request('/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    // Revoking it again: the 404 page, not a JSON problem.
    const again = await post(`/admin/tokens/${id}/revoke`, {}, h);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('<h1>未找到（404）</h1>');
  });

  it('a bad name is shown beside the field', async () => {
    const h = await loginAs(t, 'admin');
    const res = await post('/admin/tokens', { name: 'x', role: 'system' }, h);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('id="f-name-error">名称须为');
  });
});

describe('import page', () => {
  it('lists every problem of a bad document with its path, and stores nothing', async () => {
    const h = await loginAs(t, 'admin');
    const before = (await t.db.select().from(auditLog)).length;
    const bad = {
      version: 1,
      staff: [{ no: 'S900', name: '', department: 'D-NOWHERE' }],
      posts: [{ code: 'P1', window: 'W9' }],
    };
    const res = await post('/admin/import', { text: JSON.stringify(bad) }, h);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('文件未导入');
    for (const path of ['staff[0].name', 'posts[0].name'])
      expect(html).toContain(`<td class="code">${path}</td>`);
    // The pasted text comes back for correcting.
    expect(html).toContain('D-NOWHERE');
    expect((await t.db.select().from(auditLog)).length).toBe(before);
  });

  it('not JSON, or nothing: the error is beside the input', async () => {
    const h = await loginAs(t, 'admin');
    const notJson = await post('/admin/import', { text: '{ version: 1' }, h);
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toContain('id="f-text-error">不是有效的 JSON');
    const empty = await post('/admin/import', { text: '  ' }, h);
    expect(await empty.text()).toContain('id="f-text-error">请选择文件或粘贴 JSON 内容。');
  });

  it('loads an uploaded file and shows the counts per list', async () => {
    const h = await loginAs(t, 'admin');
    const body = new FormData();
    body.set('_csrf', h['x-csrf-token']);
    const doc = {
      version: 1,
      departments: [...demoOrg(1).departments!, { code: 'D-NEW', name: '新设科室', kind: 'section' }],
    };
    body.set('file', new File([JSON.stringify(doc)], 'org.json', { type: 'application/json' }));
    body.set('text', '');
    const res = await t.app.request('/admin/import', { method: 'POST', headers: { cookie: h.cookie }, body });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('导入完成。');
    expect(html).toMatch(
      /<td>科室<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">\d+<\/td>/,
    );
    const overview = await (await t.app.request('/org', { headers: h })).text();
    expect(overview).toContain('新设科室');
  });
});

describe('audit page', () => {
  it('lists entries newest first, pages by id, filters, and verifies the chain', async () => {
    const h = await loginAs(t, 'inspector');
    const html = await (await t.app.request('/audit', { headers: h })).text();
    const ids = [...html.matchAll(/<tr><td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(ids.length).toBe(50);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const older = /href="(\/audit\?before=\d+)" rel="next"/.exec(html)![1];
    expect(older).toBe(`/audit?before=${ids[49]}`);
    const next = await (await t.app.request(older, { headers: h })).text();
    const nextIds = [...next.matchAll(/<tr><td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(nextIds[0]).toBe(ids[49] - 1);
    const filtered = await (await t.app.request('/audit?actor=user:', { headers: h })).text();
    const actors = [...filtered.matchAll(/<td class="code">([^<]+)<\/td><td>/g)].map((m) => m[1]);
    expect(actors.length).toBeGreaterThan(0);
    for (const a of actors) expect(a.startsWith('user:')).toBe(true);
    // Times in the bureau's zone, Chinese style.
    expect(html).toMatch(/<td class="nowrap">\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}<\/td>/);
    const verified = await post('/audit/verify', {}, h);
    expect(verified.status).toBe(200);
    expect(await verified.text()).toMatch(/哈希链完整：共 \d+ 条记录，全部相符。/);
  });

  it('a leader reads the log but gets no verify button', async () => {
    const h = await loginAs(t, 'leader');
    const html = await (await t.app.request('/audit', { headers: h })).text();
    expect(html).toContain('<h1>审计日志</h1>');
    expect(html).not.toContain('action="/audit/verify"');
  });
});

describe('policies page', () => {
  it('lists the policy files and shows one, and only those', async () => {
    const h = await loginAs(t, 'admin');
    const list = await (await t.app.request('/admin/policies', { headers: h })).text();
    expect(list).toContain('href="/admin/policies?file=roles.yaml"');
    const file = await (await t.app.request('/admin/policies?file=roles.yaml', { headers: h })).text();
    expect(file).toContain('<h1>策略：roles.yaml</h1>');
    expect(file).toContain('subject: AuditLog');
    for (const evil of ['../package.json', '/etc/passwd', 'roles.yaml/../../package.json']) {
      const res = await t.app.request(`/admin/policies?file=${encodeURIComponent(evil)}`, { headers: h });
      expect(res.status, evil).toBe(404);
    }
  });
});
