/**
 * Every authority route tried by every role, an API token and the anonymous public: only what
 * policies/roles.yaml allows gets 2xx, everything else 401/403. A clerk may ask about themselves
 * only; the approval system's token may ask about anyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushDecisions, parsePolicySet, readPolicyDir } from '../../src/authority/index.ts';
import { authorityDecisions } from '../../src/authority/schema.ts';
import { authorityPolicyDir } from '../../src/authority/service.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { importOrg } from '../../src/org/service.ts';
import { createToken } from '../../src/platform/auth.ts';
import { jsonHeaders, loginAs, systemToken, testApp } from '../helpers.ts';

type Who = 'public' | 'clerk' | 'inspector' | 'hr' | 'leader' | 'admin' | 'system';
const everyone: Who[] = ['public', 'clerk', 'inspector', 'hr', 'leader', 'admin', 'system'];

const doc = demoOrg(1);
const holder = (post: string) =>
  doc.assignments!.find((a) => a.post === post && a.role === 'A' && !a.to)!.staff;
const self = holder('P-ACCEPT-1'); // the clerk's own staff number
const other = holder('P-APPROVE-1');
const hash = parsePolicySet(readPolicyDir(authorityPolicyDir)).hash;

interface RouteCase {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  allowed: Who[];
}

const decision = (staff: string) => ({ staff, action: 'approve', item: 'SG-002', at: '2026-03-05' });

const routes: RouteCase[] = [
  {
    name: 'a decision about oneself',
    method: 'POST',
    path: '/api/authority/decisions',
    body: decision(self),
    allowed: ['clerk', 'system'],
  },
  {
    name: 'a decision about someone else',
    method: 'POST',
    path: '/api/authority/decisions',
    body: decision(other),
    allowed: ['system'],
  },
  {
    name: 'a batch about oneself and someone else',
    method: 'POST',
    path: '/api/authority/decisions',
    body: [decision(self), decision(other)],
    allowed: ['system'],
  },
  {
    name: 'own scope',
    method: 'GET',
    path: `/api/authority/scope?staff=${self}`,
    allowed: ['clerk', 'inspector', 'leader', 'admin', 'system'],
  },
  {
    name: "someone else's scope",
    method: 'GET',
    path: `/api/authority/scope?staff=${other}`,
    allowed: ['inspector', 'leader', 'admin', 'system'],
  },
  {
    name: 'all suspensions',
    method: 'GET',
    path: '/api/authority/suspensions',
    allowed: ['inspector', 'leader', 'admin', 'system'],
  },
  {
    name: 'own suspensions',
    method: 'GET',
    path: `/api/authority/suspensions?staff=${self}`,
    allowed: ['clerk', 'inspector', 'leader', 'admin', 'system'],
  },
  {
    name: 'policy versions',
    method: 'GET',
    path: '/api/authority/policy',
    allowed: ['clerk', 'inspector', 'leader', 'admin', 'system'],
  },
  {
    name: 'one policy version',
    method: 'GET',
    path: `/api/authority/policy/${hash}`,
    allowed: ['clerk', 'inspector', 'leader', 'admin', 'system'],
  },
  { name: 'reload policies', method: 'POST', path: '/api/authority/policy/reload', allowed: ['admin'] },
  {
    name: 'own scope as PDF',
    method: 'GET',
    path: `/api/authority/scope.pdf?staff=${self}`,
    allowed: ['clerk', 'inspector', 'leader', 'admin', 'system'],
  },
  {
    name: "someone else's scope as PDF",
    method: 'GET',
    path: `/api/authority/scope.pdf?staff=${other}`,
    allowed: ['inspector', 'leader', 'admin', 'system'],
  },
];

/** Pages: the anonymous are sent to log in, the others get the 403 page. */
const pages: RouteCase[] = [
  {
    name: 'my authority page',
    method: 'GET',
    path: '/authority/mine',
    allowed: ['clerk', 'inspector', 'leader', 'admin', 'system'],
  },
  {
    name: "someone else's authority page",
    method: 'GET',
    path: `/authority/mine?staff=${other}`,
    allowed: ['inspector', 'leader', 'admin', 'system'],
  },
];

describe('authority routes x roles', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  const headers: Partial<Record<Who, Record<string, string>>> = {};
  beforeAll(async () => {
    t = await testApp();
    await importOrg(t.db, doc, { actor: 'test', today: '2026-03-01' });
    headers.public = {};
    headers.clerk = await loginAs(t, 'clerk', { staffNo: self });
    for (const role of ['inspector', 'hr', 'leader', 'admin'] as const)
      headers[role] = await loginAs(t, role);
    headers.system = await systemToken(t);
  });
  afterAll(() => t.close());

  const decisionsStored = async () => {
    await flushDecisions(t.db);
    return (await t.db.select().from(authorityDecisions)).length;
  };

  for (const route of routes) {
    for (const who of everyone) {
      const allowed = route.allowed.includes(who);
      it(`${route.name} by ${who}: ${allowed ? 'allowed' : 'denied'}`, async () => {
        const before = await decisionsStored();
        const res = await t.app.request(route.path, {
          method: route.method,
          headers: { ...(route.body ? jsonHeaders : {}), ...headers[who] },
          body: route.body ? JSON.stringify(route.body) : undefined,
        });
        if (allowed) {
          expect(res.status, await res.clone().text()).toBeLessThan(300);
        } else {
          expect(res.status).toBe(who === 'public' ? 401 : 403);
          // a refused question leaves no decision behind
          expect(await decisionsStored()).toBe(before);
        }
      });
    }
  }

  for (const page of pages) {
    for (const who of everyone) {
      const allowed = page.allowed.includes(who);
      it(`${page.name} by ${who}: ${allowed ? 'shown' : 'refused'}`, async () => {
        const res = await t.app.request(page.path, { headers: headers[who] });
        if (allowed) expect(res.status).toBe(200);
        else if (who === 'public') {
          expect(res.status).toBe(302);
          expect(res.headers.get('location')).toMatch(/^\/login\?next=/);
        } else expect(res.status).toBe(403);
      });
    }
  }
});

describe('the approval system token, trusted from memory', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await testApp();
    await importOrg(t.db, doc, { actor: 'test', today: '2026-03-01' });
    admin = await loginAs(t, 'admin');
  });
  afterAll(() => t.close());

  const ask = (headers: Record<string, string>) =>
    t.app.request('/api/authority/decisions', {
      method: 'POST',
      headers: { ...jsonHeaders, ...headers },
      body: JSON.stringify(decision(other)),
    });
  const stored = async () => {
    await flushDecisions(t.db);
    return (await t.db.select().from(authorityDecisions)).length;
  };

  it('is refused at the next decision once revoked, and that refusal records nothing', async () => {
    t.deps.config.tokenCacheSeconds = 60;
    const { id, token } = await createToken(t.db, { name: 'approval', role: 'system' }, 'test');
    const auth = { authorization: `Bearer ${token}` };
    for (let i = 0; i < 3; i++) expect((await ask(auth)).status).toBe(200);
    expect(await stored()).toBe(3);
    expect((await t.app.request(`/api/tokens/${id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    expect((await ask(auth)).status).toBe(401);
    expect(await stored()).toBe(3);
  });

  it('a clerk token trusted from memory still asks about nobody else', async () => {
    t.deps.config.tokenCacheSeconds = 60;
    const { token } = await createToken(t.db, { name: 'clerk-tok', role: 'clerk' }, 'test');
    for (let i = 0; i < 2; i++) expect((await ask({ authorization: `Bearer ${token}` })).status).toBe(403);
  });
});
