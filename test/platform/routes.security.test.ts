/**
 * Every route of the foundation tried by every role, an API token and the anonymous public:
 * only what policies/roles.yaml allows gets 2xx, everything else 401/403 and writes nothing.
 */
import { eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { createToken } from '../../src/platform/auth.ts';
import { apiTokens, users } from '../../src/platform/schema.ts';
import { jsonHeaders, loginAs, systemToken, testApp } from '../helpers.ts';

type Who = 'public' | 'clerk' | 'inspector' | 'hr' | 'leader' | 'admin' | 'system';
const everyone: Who[] = ['public', 'clerk', 'inspector', 'hr', 'leader', 'admin', 'system'];

const orgDoc = { version: 1, departments: [{ code: 'D-SEC', name: '安全测试科', kind: 'section' }] };

interface RouteCase {
  name: string;
  method: string;
  path: string | ((n: number) => Promise<string>);
  body?: (n: number) => unknown;
  allowed: Who[];
}

describe('foundation routes x roles', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  const headers: Partial<Record<Who, Record<string, string>>> = {};
  let n = 0;
  beforeAll(async () => {
    t = await testApp();
    headers.public = {};
    for (const role of ['clerk', 'inspector', 'hr', 'leader', 'admin'] as const)
      headers[role] = await loginAs(t, role);
    headers.system = await systemToken(t);
  });
  afterAll(() => t.close());

  const counts = async () => ({
    audit: (await verifyAuditChain(t.db)).entries,
    users: (await t.db.select().from(users)).length,
    liveTokens: (await t.db.select().from(apiTokens).where(isNull(apiTokens.revokedAt))).length,
  });

  const routes: RouteCase[] = [
    { name: 'export org', method: 'GET', path: '/api/org', allowed: ['admin', 'system'] },
    { name: 'import org', method: 'POST', path: '/api/org', body: () => orgDoc, allowed: ['admin'] },
    { name: 'list users', method: 'GET', path: '/api/users', allowed: ['admin'] },
    {
      name: 'create user',
      method: 'POST',
      path: '/api/users',
      body: (i) => ({ name: `made-${i}`, role: 'clerk', password: 'long enough pw' }),
      allowed: ['admin'],
    },
    { name: 'list tokens', method: 'GET', path: '/api/tokens', allowed: ['admin'] },
    {
      name: 'create token',
      method: 'POST',
      path: '/api/tokens',
      body: (i) => ({ name: `tok-${i}`, role: 'system' }),
      allowed: ['admin'],
    },
    {
      name: 'revoke token',
      method: 'DELETE',
      path: async (i) =>
        `/api/tokens/${(await createToken(t.db, { name: `victim-${i}`, role: 'system' }, 'test')).id}`,
      allowed: ['admin'],
    },
    { name: 'audit entries', method: 'GET', path: '/api/audit', allowed: ['inspector', 'leader', 'admin'] },
    { name: 'verify audit chain', method: 'GET', path: '/api/audit/verify', allowed: ['inspector', 'admin'] },
  ];

  for (const route of routes) {
    for (const who of everyone) {
      const allowed = route.allowed.includes(who);
      it(`${route.name} by ${who}: ${allowed ? 'allowed' : 'denied'}`, async () => {
        const i = ++n;
        const path = typeof route.path === 'string' ? route.path : await route.path(i);
        const before = await counts();
        const res = await t.app.request(path, {
          method: route.method,
          headers: { ...headers[who], ...(route.body ? jsonHeaders : {}) },
          body: route.body ? JSON.stringify(route.body(i)) : undefined,
        });
        if (allowed) {
          expect(res.status, await res.clone().text()).toBeLessThan(300);
        } else {
          expect(res.status).toBe(who === 'public' ? 401 : 403);
          expect(await counts()).toEqual(before);
        }
      });
    }
  }
});

/**
 * API tokens are trusted from memory for a few seconds after the database said yes
 * (API_TOKEN_CACHE_SECONDS): revocation in this process must still take effect at once, a token
 * revoked elsewhere must be refused once that time is up, and a cached token keeps its role.
 */
describe('API tokens trusted from memory', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await testApp();
    admin = await loginAs(t, 'admin');
  });
  afterAll(() => t.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const status = async (path: string, headers: Record<string, string>) =>
    (await t.app.request(path, { headers })).status;

  it('refuses a revoked token at once, though it was just trusted from memory', async () => {
    t.deps.config.tokenCacheSeconds = 60;
    const { id, token } = await createToken(t.db, { name: 'revoked-here', role: 'system' }, 'test');
    expect(await status('/api/org', bearer(token))).toBe(200);
    expect(await status('/api/org', bearer(token))).toBe(200); // from memory now
    const revoked = await t.app.request(`/api/tokens/${id}`, { method: 'DELETE', headers: admin });
    expect(revoked.status).toBe(200);
    expect(await status('/api/org', bearer(token))).toBe(401);
    expect(await status('/api/auth/me', bearer(token))).toBe(401);
  });

  it('refuses a token revoked by another process once its time in memory is up', async () => {
    t.deps.config.tokenCacheSeconds = 0.3;
    // Only the clock is faked (the database still answers): time moves when the test says so.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { id, token } = await createToken(t.db, { name: 'revoked-elsewhere', role: 'system' }, 'test');
      expect(await status('/api/org', bearer(token))).toBe(200);
      // another process (the CLI, a second server) revokes it: this process's memory is not told
      await t.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));
      expect(await status('/api/org', bearer(token))).toBe(200); // within its time in memory
      vi.setSystemTime(Date.now() + 301);
      expect(await status('/api/org', bearer(token))).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with no time in memory, asks the database on every request', async () => {
    t.deps.config.tokenCacheSeconds = 0;
    const { id, token } = await createToken(t.db, { name: 'never-cached', role: 'system' }, 'test');
    expect(await status('/api/org', bearer(token))).toBe(200);
    await t.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));
    expect(await status('/api/org', bearer(token))).toBe(401);
  });

  it('keeps enforcing the role of a token trusted from memory', async () => {
    t.deps.config.tokenCacheSeconds = 60;
    const { token } = await createToken(t.db, { name: 'clerk-token', role: 'clerk' }, 'test');
    for (let i = 0; i < 3; i++) {
      expect(await status('/api/users', bearer(token))).toBe(403);
      expect(await status('/api/tokens', bearer(token))).toBe(403);
    }
    const create = await t.app.request('/api/tokens', {
      method: 'POST',
      headers: { ...bearer(token), ...jsonHeaders },
      body: JSON.stringify({ name: 'escalate', role: 'system' }),
    });
    expect(create.status).toBe(403);
  });

  it('refuses an unknown token every time, and a look-alike of a trusted one', async () => {
    t.deps.config.tokenCacheSeconds = 60;
    const { token } = await createToken(t.db, { name: 'look-alike', role: 'system' }, 'test');
    expect(await status('/api/org', bearer(token))).toBe(200);
    const other = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (let i = 0; i < 2; i++) expect(await status('/api/org', bearer(other))).toBe(401);
    expect(await status('/api/org', bearer('nk_made_up'))).toBe(401);
  });
});
