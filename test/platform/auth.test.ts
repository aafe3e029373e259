import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createToken,
  createUser,
  loginWaitMs,
  revokeToken,
  tokenPrincipal,
} from '../../src/platform/auth.ts';
import { apiTokens, sessions, users } from '../../src/platform/schema.ts';
import { jsonHeaders, loginAs, testApp } from '../helpers.ts';

describe('login, sessions and CSRF', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp();
    await createUser(
      t.db,
      { name: 'chen', role: 'clerk', staffNo: 'S003', password: 'correct horse battery' },
      'test',
    );
  });
  afterAll(() => t.close());

  const loginReq = (name: string, password: string) =>
    t.app.request('/api/auth/login', {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ name, password }),
    });

  it('stores passwords as scrypt hashes, never in clear', async () => {
    const [u] = await t.db.select().from(users).where(eq(users.name, 'chen'));
    expect(u.passwordHash).toMatch(/^scrypt\$/);
    expect(u.passwordHash).not.toContain('correct horse');
  });

  it('logs in with a session cookie that is httpOnly and SameSite, and logs out', async () => {
    const res = await loginReq('chen', 'correct horse battery');
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/nk_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = setCookie.split(';')[0];
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ name: 'chen', role: 'clerk', staffNo: 'S003' });
    const me = await t.app.request('/api/auth/me', { headers: { cookie } });
    expect(await me.json()).toMatchObject({ name: 'chen', kind: 'user' });
    // logging out is a state change: it needs the CSRF token
    const noCsrf = await t.app.request('/api/auth/logout', { method: 'POST', headers: { cookie } });
    expect(noCsrf.status).toBe(403);
    const out = await t.app.request('/api/auth/logout', {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
    });
    expect(out.status).toBe(204);
    const after = await t.app.request('/api/auth/me', { headers: { cookie } });
    expect(await after.json()).toMatchObject({ kind: 'public' });
  });

  it('refuses a wrong password and an unknown user alike, and slows down repeated failures', async () => {
    for (const [name, pw] of [
      ['chen', 'wrong password'],
      ['nobody', 'whatever1'],
    ]) {
      const res = await loginReq(name, pw);
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).detail).toBe('wrong user name or password');
    }
    await createUser(t.db, { name: 'lin', role: 'hr', password: 'correct horse battery' }, 'test');
    for (let i = 0; i < 3; i++) expect((await loginReq('lin', 'bad password')).status).toBe(401);
    const limited = await loginReq('lin', 'bad password');
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as any).code).toBe('RATE_LIMITED');
    // even the right password waits until the delay has passed
    expect((await loginReq('lin', 'correct horse battery')).status).toBe(429);
    expect(loginWaitMs(2, new Date())).toBe(0);
    expect(loginWaitMs(3, new Date(Date.now() - 2000))).toBe(0);
    expect(loginWaitMs(10, new Date())).toBeGreaterThan(60_000);
  });

  it('a forged or missing CSRF token is refused for cookie sessions; the session table holds hashes', async () => {
    const headers = await loginAs(t, 'admin');
    const forged = await t.app.request('/api/users', {
      method: 'POST',
      headers: { cookie: headers.cookie, 'x-csrf-token': 'forged', ...jsonHeaders },
      body: JSON.stringify({ name: 'x1', role: 'clerk', password: 'long enough pw' }),
    });
    expect(forged.status).toBe(403);
    const cookieValue = headers.cookie.split('=')[1];
    const rows = await t.db.select().from(sessions);
    expect(rows.some((r) => r.idHash === cookieValue)).toBe(false);
  });
});

describe('API tokens', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('are shown once, stored hashed, usable until revoked', async () => {
    const admin = await loginAs(t, 'admin');
    const created = await t.app.request('/api/tokens', {
      method: 'POST',
      headers: { ...admin, ...jsonHeaders },
      body: JSON.stringify({ name: 'approval-system', role: 'system' }),
    });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as any;
    expect(token).toMatch(/^nk_/);
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row.tokenHash).not.toBe(token);
    const list = await (await t.app.request('/api/tokens', { headers: admin })).text();
    expect(list).not.toContain(token);

    const auth = { authorization: `Bearer ${token}` };
    expect((await t.app.request('/api/org', { headers: auth })).status).toBe(200);
    // a token needs no CSRF token: it is not a cookie
    expect(((await (await t.app.request('/api/auth/me', { headers: auth })).json()) as any).kind).toBe(
      'token',
    );

    const revoked = await t.app.request(`/api/tokens/${id}`, { method: 'DELETE', headers: admin });
    expect(revoked.status).toBe(200);
    const after = await t.app.request('/api/org', { headers: auth });
    expect(after.status).toBe(401);
    expect(((await after.json()) as any).code).toBe('UNAUTHENTICATED');
    expect((await t.app.request(`/api/tokens/${id}`, { method: 'DELETE', headers: admin })).status).toBe(404);
  });

  it('an unknown token is refused, not treated as anonymous', async () => {
    const res = await t.app.request('/api/org', { headers: { authorization: 'Bearer nk_made_up' } });
    expect(res.status).toBe(401);
  });
});

describe('API tokens trusted from memory (tokenPrincipal with cacheMs)', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  const revokeElsewhere = (id: number) =>
    t.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));

  it('answers from memory for at most cacheMs after the database said yes', async () => {
    // Only the clock is faked (the database still answers): time moves when the test says so.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { id, token } = await createToken(t.db, { name: 'mem-1', role: 'system' }, 'test');
      expect(await tokenPrincipal(t.db, token, { cacheMs: 300 })).toMatchObject({ id, role: 'system' });
      await revokeElsewhere(id);
      // the staleness another process's revocation may see: bounded by cacheMs
      vi.setSystemTime(Date.now() + 299);
      expect(await tokenPrincipal(t.db, token, { cacheMs: 300 })).toMatchObject({ id });
      expect(await tokenPrincipal(t.db, token)).toBeNull(); // without the cache: the database
      vi.setSystemTime(Date.now() + 2);
      expect(await tokenPrincipal(t.db, token, { cacheMs: 300 })).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets every token when one is revoked here, and does not let a racing look-up put it back', async () => {
    const a = await createToken(t.db, { name: 'mem-2', role: 'system' }, 'test');
    const b = await createToken(t.db, { name: 'mem-3', role: 'system' }, 'test');
    // The same database, with the next token look-up held after it has read its row: the
    // revocation commits in between, as it can under load.
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let holdNext = false;
    const held = <B extends object>(builder: B): B =>
      new Proxy(builder, {
        get(target, prop) {
          const v = Reflect.get(target, prop, target);
          if (prop === 'then')
            return (ok: (x: unknown) => unknown, fail: (e: unknown) => unknown) =>
              (target as unknown as Promise<unknown>)
                .then(async (rows) => {
                  await gate;
                  return rows;
                })
                .then(ok, fail);
          return typeof v === 'function' ? (...args: unknown[]) => held(v.apply(target, args)) : v;
        },
      });
    const db = new Proxy(t.db, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (prop === 'select' && holdNext) {
          holdNext = false;
          return (...args: unknown[]) => held((v as (...a: unknown[]) => object).apply(target, args));
        }
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    expect(await tokenPrincipal(db, b.token, { cacheMs: 60_000 })).not.toBeNull();
    await revokeElsewhere(b.id);
    holdNext = true;
    const racing = tokenPrincipal(db, a.token, { cacheMs: 60_000 });
    // Its query goes out first (a query is sent when awaited, a microtask later).
    await new Promise((r) => setImmediate(r));
    await revokeToken(db, a.id, 'test');
    release();
    // It read the row before the revocation: it answers with it, but must not keep it.
    expect(await racing).toMatchObject({ id: a.id });
    expect(await tokenPrincipal(db, a.token, { cacheMs: 60_000 })).toBeNull();
    // b was revoked by "another process"; the revocation here made this one forget b too
    expect(await tokenPrincipal(db, b.token, { cacheMs: 60_000 })).toBeNull();
  });

  it('keeps no secret: the memory is keyed by the hash, and the token is not in what is kept', async () => {
    const { token } = await createToken(t.db, { name: 'mem-4', role: 'system' }, 'test');
    const p = await tokenPrincipal(t.db, token, { cacheMs: 60_000 });
    expect(JSON.stringify(p)).not.toContain(token);
    expect(await tokenPrincipal(t.db, `${token}x`, { cacheMs: 60_000 })).toBeNull();
  });
});
