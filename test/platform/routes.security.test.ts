/**
 * Every route of the foundation tried by every role, an API token and the anonymous public:
 * only what policies/roles.yaml allows gets 2xx, everything else 401/403 and writes nothing.
 */
import { isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
