/**
 * Every verification route and page tried by every role, an API token and the anonymous public:
 * 2xx only where policies/roles.yaml allows it (inspectors run and rule; leaders read), else
 * 401/403 for the API and the login redirect or 403 page for pages; a refused request writes
 * nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { issueRulings, runVerification } from '../../src/verification/index.ts';
import { jsonHeaders, loginAs, systemToken } from '../helpers.ts';
import { AS_OF, ingest, ledgerApp, story, TZ } from './support.ts';

type Who = 'public' | 'clerk' | 'inspector' | 'hr' | 'leader' | 'admin' | 'system';
const everyone: Who[] = ['public', 'clerk', 'inspector', 'hr', 'leader', 'admin', 'system'];

let t: Awaited<ReturnType<typeof ledgerApp>>;
const headers: Partial<Record<Who, Record<string, string>>> = {};
let runId = 0;
let number = '';

beforeAll(async () => {
  t = await ledgerApp();
  headers.public = {};
  for (const role of ['clerk', 'inspector', 'hr', 'leader', 'admin'] as const)
    headers[role] = await loginAs(t, role, role === 'inspector' ? { staffNo: 'S036' } : {});
  headers.system = await systemToken(t);
  await ingest(
    t,
    story(
      'SEC-1',
      [
        ['2026-03-02T09:20:00+08:00', 'receipt'],
        ['2026-03-02T10:00:00+08:00', 'accept'],
        ['2026-03-03', 'review'],
        ['2026-03-04T10:00:00+08:00', 'approve'],
        ['2026-03-04T10:05:00+08:00', 'seal'],
        ['2026-03-04T10:10:00+08:00', 'complete'],
      ],
      { itemCode: 'SG-002' },
    ),
  );
  ({
    run: { id: runId },
  } = await runVerification(t.db, { caseNos: ['SEC-1'], actor: 'test', timeZone: TZ, asOf: AS_OF }));
  [{ number }] = await issueRulings(t.db, {
    runId,
    caseNos: ['SEC-1'],
    locale: 'zh-CN',
    inspector: 'S036',
    actor: 'test',
    publicUrl: 'http://localhost',
    timeZone: TZ,
  });
});
afterAll(() => t?.close());

const counts = async () => {
  const [r] = await queryRows<{ runs: number; rulings: number; referrals: number }>(
    t.db,
    sql`select (select count(*) from verification_runs)::int as runs,
               (select count(*) from verification_rulings)::int as rulings,
               (select count(*) from verification_referrals)::int as referrals`,
  );
  return r;
};

interface RouteCase {
  name: string;
  method: string;
  path: () => string;
  body?: () => unknown;
  form?: () => Record<string, string>;
  allowed: Who[];
  page?: boolean;
}

const readers: Who[] = ['inspector', 'leader'];
const routes: RouteCase[] = [
  {
    name: 'start a run',
    method: 'POST',
    path: () => '/api/verification/runs',
    body: () => ({ caseNos: ['SEC-1'] }),
    allowed: ['inspector'],
  },
  { name: 'list runs', method: 'GET', path: () => '/api/verification/runs', allowed: readers },
  { name: 'a run', method: 'GET', path: () => `/api/verification/runs/${runId}`, allowed: readers },
  {
    name: 'findings',
    method: 'GET',
    path: () => `/api/verification/runs/${runId}/findings`,
    allowed: readers,
  },
  { name: 'summary', method: 'GET', path: () => `/api/verification/runs/${runId}/summary`, allowed: readers },
  {
    name: 'issue rulings',
    method: 'POST',
    path: () => `/api/verification/runs/${runId}/rulings`,
    body: () => ({ caseNos: ['SEC-1'], locale: 'en' }),
    allowed: ['inspector'],
  },
  { name: 'list rulings', method: 'GET', path: () => '/api/verification/rulings', allowed: readers },
  {
    name: 'ruling pdf',
    method: 'GET',
    path: () => `/api/verification/rulings/${encodeURIComponent(number)}/pdf`,
    allowed: readers,
  },
  { name: 'referrals', method: 'GET', path: () => '/api/verification/referrals', allowed: readers },
  // The public verify page of the registry, which a ruling's QR code points to.
  {
    name: 'verify a ruling (public)',
    method: 'GET',
    path: () => `/api/verify/${encodeURIComponent(number)}`,
    allowed: everyone,
  },
];

describe('verification routes x roles', () => {
  for (const route of routes) {
    for (const who of everyone) {
      const allowed = route.allowed.includes(who);
      it(`${route.name} by ${who}: ${allowed ? 'allowed' : 'denied'}`, async () => {
        const before = await counts();
        const h = { ...headers[who], ...(route.body ? jsonHeaders : {}) };
        const res = await t.app.request(route.path(), {
          method: route.method,
          headers: h,
          body: route.body ? JSON.stringify(route.body()) : undefined,
        });
        if (allowed) {
          expect(res.status, await res.clone().text()).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(300);
        } else {
          expect(res.status).toBe(who === 'public' ? 401 : 403);
          expect(await counts()).toEqual(before);
        }
      });
    }
  }
});

const pages: RouteCase[] = [
  { name: 'workbench', method: 'GET', path: () => '/verification', allowed: readers },
  { name: 'run page', method: 'GET', path: () => `/verification/runs/${runId}`, allowed: readers },
  {
    name: 'case page',
    method: 'GET',
    path: () => `/verification/runs/${runId}/cases/SEC-1`,
    allowed: readers,
  },
  { name: 'pending referrals page', method: 'GET', path: () => '/verification/referrals', allowed: readers },
  {
    name: 'start a run (form)',
    method: 'POST',
    path: () => '/verification/runs',
    form: () => ({ cases: 'SEC-1' }),
    allowed: ['inspector'],
  },
  {
    name: 'issue failing rulings (form)',
    method: 'POST',
    path: () => `/verification/runs/${runId}/rulings`,
    form: () => ({}),
    allowed: ['inspector'],
  },
  {
    name: 'issue a ruling (form)',
    method: 'POST',
    path: () => `/verification/runs/${runId}/cases/SEC-1/ruling`,
    form: () => ({ locale: 'en' }),
    allowed: ['inspector'],
  },
  {
    name: 'refer a failure (form)',
    method: 'POST',
    path: () => `/verification/runs/${runId}/cases/SEC-1/refer`,
    form: () => ({ check: 'announced' }),
    allowed: ['inspector'],
  },
];

describe('verification pages x roles', () => {
  for (const route of pages) {
    for (const who of everyone) {
      const allowed = route.allowed.includes(who);
      it(`${route.name} by ${who}: ${allowed ? 'allowed' : 'denied'}`, async () => {
        const before = await counts();
        const h = headers[who] ?? {};
        const isForm = route.method === 'POST';
        const res = await t.app.request(route.path(), {
          method: route.method,
          headers: isForm
            ? {
                ...(h.cookie ? { cookie: h.cookie } : {}),
                ...(h.authorization ? { authorization: h.authorization } : {}),
                'content-type': 'application/x-www-form-urlencoded',
              }
            : h,
          body: isForm
            ? new URLSearchParams({ _csrf: h['x-csrf-token'] ?? '', ...route.form!() }).toString()
            : undefined,
        });
        if (allowed) {
          expect([200, 303], await res.clone().text()).toContain(res.status);
        } else {
          if (who === 'public') {
            // Pages send the anonymous to the login page; forms without a session are refused.
            expect([302, 401]).toContain(res.status);
            if (res.status === 302) expect(res.headers.get('location')).toMatch(/^\/login/);
          } else expect(res.status).toBe(403);
          expect(await counts()).toEqual(before);
        }
      });
    }
  }
});
