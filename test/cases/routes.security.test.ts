/**
 * Every case route tried by every role, an API token and the anonymous public: only what
 * policies/roles.yaml allows gets 2xx, everything else 401/403 and stores nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { loginAs, systemToken } from '../helpers.ts';
import { ledgerApp, ndjson, STAFF, story } from './support.ts';

type Who = 'public' | 'clerk' | 'inspector' | 'hr' | 'leader' | 'admin' | 'system';
const everyone: Who[] = ['public', 'clerk', 'inspector', 'hr', 'leader', 'admin', 'system'];

describe('case routes x roles', () => {
  let t: Awaited<ReturnType<typeof ledgerApp>>;
  const headers: Partial<Record<Who, Record<string, string>>> = {};
  let n = 0;
  beforeAll(async () => {
    t = await ledgerApp();
    headers.public = {};
    for (const role of ['inspector', 'hr', 'leader', 'admin'] as const)
      headers[role] = await loginAs(t, role);
    // The clerk is the one who received and accepted SEC-0.
    headers.clerk = await loginAs(t, 'clerk', { staffNo: STAFF.accept });
    headers.system = await systemToken(t);
    const seed = await t.app.request('/api/cases/events', {
      method: 'POST',
      headers: { ...headers.system, 'content-type': 'application/x-ndjson' },
      body: ndjson(
        story('SEC-0', [
          ['2026-03-02', 'receipt'],
          ['2026-03-02', 'accept'],
        ]),
      ),
    });
    expect(seed.status).toBe(200);
  });
  afterAll(() => t.close());

  const stored = async () =>
    (
      await queryRows<{ n: number }>(
        t.db,
        sql`select ((select count(*) from cases) + (select count(*) from case_events))::int as n`,
      )
    )[0].n;

  const routes: {
    name: string;
    method: string;
    path: string;
    body?: (i: number) => string;
    allowed: Who[];
  }[] = [
    {
      name: 'ingest case events',
      method: 'POST',
      path: '/api/cases/events',
      body: (i) => ndjson(story(`SEC-${i}`, [['2026-03-02', 'receipt']])),
      allowed: ['system'],
    },
    {
      name: 'list cases',
      method: 'GET',
      path: '/api/cases',
      allowed: ['clerk', 'inspector', 'leader', 'system'],
    },
    {
      name: 'one case',
      method: 'GET',
      path: '/api/cases/SEC-0',
      allowed: ['clerk', 'inspector', 'leader', 'system'],
    },
    {
      name: 'alerts',
      method: 'GET',
      path: '/api/case-alerts',
      allowed: ['clerk', 'inspector', 'leader', 'system'],
    },
  ];

  for (const route of routes) {
    for (const who of everyone) {
      const allowed = route.allowed.includes(who);
      it(`${route.name} by ${who}: ${allowed ? 'allowed' : 'denied'}`, async () => {
        const i = ++n;
        const before = await stored();
        const res = await t.app.request(route.path, {
          method: route.method,
          headers: { ...headers[who], ...(route.body ? { 'content-type': 'application/x-ndjson' } : {}) },
          body: route.body?.(i),
        });
        if (allowed) {
          expect(res.status, await res.clone().text()).toBeLessThan(300);
        } else {
          expect(res.status).toBe(who === 'public' ? 401 : 403);
          expect(await stored()).toBe(before);
        }
      });
    }
  }

  it('a clerk cannot open a case they did not act on, nor list it', async () => {
    const other = await loginAs(t, 'clerk', { staffNo: 'S007' });
    expect((await t.app.request('/api/cases/SEC-0', { headers: other })).status).toBe(404);
    const list: any = await (await t.app.request('/api/cases', { headers: other })).json();
    expect(list.rows).toEqual([]);
  });
});
