/**
 * Every misconduct and verify route against every role: a role that policies/roles.yaml does not
 * allow gets 401 (anonymous) or 403; a role that is allowed never does (it may still meet a
 * conflict or a validation error, which the workflow tests cover).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  type Headers,
  type MisconductTestApp,
  misconductApp,
  openInvestigation,
  post,
  S,
} from './support.ts';

let t: MisconductTestApp;
type Role = 'anonymous' | 'clerk' | 'inspector' | 'hr' | 'leader' | 'admin' | 'system';
const roles: Role[] = ['anonymous', 'clerk', 'inspector', 'hr', 'leader', 'admin', 'system'];

/** A decided, notified matter concerning the test clerk (S026), with evidence. */
let decided: number;
let proposed: number;
let evidence: number;
let docNumber: string;

beforeAll(async () => {
  t = await misconductApp();
  decided = await openInvestigation(t, [S.clerk], '逾期办结');
  const form = new FormData();
  form.set('matter', String(decided));
  form.set('file', new File([Buffer.from('%PDF-1.4\n%test')], 'note.pdf'));
  const up = await t.app.request('/api/misconduct/evidence', {
    method: 'POST',
    headers: t.as.inspector,
    body: form,
  });
  evidence = ((await up.json()) as any).id;
  expectStatus(
    await post(t, `/api/misconduct/matters/${decided}/propose`, t.as.inspector, {
      faultType: 'late-completion',
      summary: '逾期。',
    }),
    200,
  );
  const d = await post(t, `/api/misconduct/matters/${decided}/decide`, t.as.leader, {});
  docNumber = d.json.documents[0].number;
  expectStatus(await post(t, `/api/misconduct/matters/${decided}/notify`, t.as.inspector, {}), 200);
  proposed = await openInvestigation(t, [S.other], '未出具回执');
  expectStatus(
    await post(t, `/api/misconduct/matters/${proposed}/propose`, t.as.inspector, {
      faultType: 'no-receipt',
      summary: '未出具回执。',
    }),
    200,
  );
});
afterAll(() => t?.close());

interface Case {
  method: 'GET' | 'POST';
  path: () => string;
  body?: () => unknown;
  allowed: Role[];
  /** Accounts to use instead of the default one of a role. */
  as?: Partial<Record<Role, () => Headers>>;
  /** Send a form instead of JSON. */
  form?: () => FormData;
}

const matrix: Case[] = [
  {
    method: 'POST',
    path: () => '/api/complaints',
    body: () => ({ facts: '窗口人员推诿扯皮。', anonymous: true }),
    allowed: ['anonymous', 'clerk', 'inspector', 'hr', 'leader', 'admin'],
  },
  {
    method: 'POST',
    path: () => '/api/complaints/status',
    body: () => ({ code: 'AAAA-AAAA-AAAA-AAAA' }),
    allowed: ['anonymous', 'clerk', 'inspector', 'hr', 'leader', 'admin'],
  },
  {
    method: 'POST',
    path: () => '/api/misconduct/reports',
    body: () => ({ facts: '内部举报某人收受礼品。' }),
    allowed: ['clerk', 'inspector', 'hr', 'leader'],
  },
  { method: 'GET', path: () => '/api/misconduct/mine', allowed: ['clerk', 'inspector', 'leader'] },
  {
    method: 'POST',
    path: () => `/api/misconduct/matters/${decided}/appeal`,
    body: () => ({ staff: S.clerk, grounds: '不服。' }),
    allowed: ['clerk', 'inspector'],
  },
  {
    method: 'POST',
    path: () => '/api/misconduct/matters',
    body: () => ({ source: 'verification', sourceRef: `sec:${Math.random()}`, staff: [], facts: 'x' }),
    allowed: ['inspector'],
  },
  { method: 'GET', path: () => '/api/misconduct/matters', allowed: ['inspector', 'leader'] },
  {
    method: 'GET',
    path: () => `/api/misconduct/matters/${decided}`,
    allowed: ['clerk', 'inspector', 'leader'],
  },
  { method: 'GET', path: () => `/api/misconduct/matters/${proposed}`, allowed: ['inspector', 'leader'] },
  {
    method: 'GET',
    path: () => `/api/misconduct/matters/${decided}/complainant`,
    allowed: ['inspector', 'leader'],
  },
  {
    method: 'POST',
    path: () => `/api/misconduct/matters/${proposed}/assign`,
    body: () => ({ inspector: 'insp-wang' }),
    allowed: ['inspector'],
  },
  { method: 'POST', path: () => `/api/misconduct/matters/${proposed}/start`, allowed: ['inspector'] },
  {
    method: 'POST',
    path: () => `/api/misconduct/matters/${proposed}/details`,
    body: () => ({}),
    allowed: ['inspector'],
  },
  {
    method: 'POST',
    path: () => `/api/misconduct/matters/${decided}/notes`,
    body: () => ({ text: '补记。' }),
    allowed: ['inspector'],
  },
  {
    method: 'POST',
    path: () => `/api/misconduct/matters/${proposed}/grade`,
    body: () => ({ faultType: 'no-receipt', summary: 's' }),
    allowed: ['inspector', 'leader'],
  },
  {
    method: 'POST',
    path: () => `/api/misconduct/matters/${proposed}/propose`,
    body: () => ({ faultType: 'no-receipt', summary: 's' }),
    allowed: ['inspector'],
  },
  {
    method: 'POST',
    path: () => `/api/misconduct/matters/${proposed}/return`,
    body: () => ({ reason: 'r' }),
    allowed: ['leader'],
  },
  {
    method: 'POST',
    path: () => `/api/misconduct/matters/${proposed}/decide`,
    body: () => ({}),
    allowed: ['leader'],
  },
  {
    method: 'POST',
    path: () => `/api/misconduct/matters/${proposed}/notify`,
    body: () => ({}),
    allowed: ['inspector'],
  },
  {
    method: 'POST',
    path: () => `/api/misconduct/matters/${decided}/appeal-decision`,
    body: () => ({ staff: S.clerk, outcome: 'upheld', reason: 'r' }),
    allowed: ['leader'],
    as: { leader: () => t.as.leader2 },
  },
  { method: 'POST', path: () => `/api/misconduct/matters/${decided}/close`, allowed: ['inspector'] },
  {
    method: 'POST',
    path: () => '/api/misconduct/evidence',
    form: () => {
      const f = new FormData();
      f.set('matter', String(decided));
      f.set('file', new File([Buffer.from('%PDF-1.4\n')], 'a.pdf'));
      return f;
    },
    allowed: ['inspector'],
  },
  { method: 'GET', path: () => `/api/misconduct/evidence/${evidence}`, allowed: ['inspector', 'leader'] },
  {
    method: 'GET',
    path: () => `/api/misconduct/matters/${decided}/documents/${S.clerk}`,
    allowed: ['clerk', 'inspector', 'leader'],
  },
  { method: 'GET', path: () => '/api/misconduct/queue', allowed: ['leader'] },
  { method: 'GET', path: () => '/api/misconduct/effects', allowed: ['inspector', 'hr', 'leader'] },
  { method: 'GET', path: () => '/api/misconduct/stats', allowed: ['inspector', 'leader'] },
  { method: 'GET', path: () => '/api/misconduct/policy', allowed: ['inspector', 'leader'] },
  { method: 'POST', path: () => '/api/misconduct/referrals/pull', allowed: ['inspector'] },
  { method: 'GET', path: () => `/api/verify/${encodeURIComponent(docNumber)}`, allowed: roles },
  {
    method: 'POST',
    path: () => `/api/verify/${encodeURIComponent(docNumber)}`,
    body: () => ({ sha256: '0'.repeat(64) }),
    allowed: roles,
  },
  { method: 'GET', path: () => `/verify/${encodeURIComponent(docNumber)}`, allowed: roles },
];

const headersOf = (role: Role): Headers => t.as[role];

describe('misconduct routes by role', () => {
  for (const c of matrix) {
    it(`${c.method} ${c.path.toString().replace(/^\(\) => /, '')}`, async () => {
      const results: Record<string, number> = {};
      for (const role of roles) {
        const headers: Headers = { ...(c.as?.[role]?.() ?? headersOf(role)) };
        let body: FormData | string | undefined;
        if (c.form) body = c.form();
        else if (c.body) {
          body = JSON.stringify(c.body());
          headers['content-type'] = 'application/json';
        } else if (c.method === 'POST') headers['content-type'] = 'application/json';
        const res = await t.app.request(c.path(), { method: c.method, headers, body });
        results[role] = res.status;
      }
      for (const role of roles) {
        const status = results[role];
        if (c.allowed.includes(role)) expect([401, 403], `${role} got ${status}`).not.toContain(status);
        else
          expect(status, `${role} should be refused (${JSON.stringify(results)})`).toBe(
            role === 'anonymous' ? 401 : 403,
          );
      }
    });
  }

  it('a clerk not concerned in a matter cannot read it or its documents', async () => {
    const r = await t.app.request(`/api/misconduct/matters/${decided}`, { headers: t.as.clerk2 });
    expect(r.status).toBe(403);
    const d = await t.app.request(`/api/misconduct/matters/${decided}/documents/${S.clerk}`, {
      headers: t.as.clerk2,
    });
    expect(d.status).toBe(403);
  });

  it('a clerk concerned in an undecided matter cannot read it yet', async () => {
    const id = await openInvestigation(t, [S.clerk], '尚在调查');
    const r = await t.app.request(`/api/misconduct/matters/${id}`, { headers: t.as.clerk });
    expect(r.status).toBe(403);
    const mine = await t.app.request('/api/misconduct/mine', { headers: t.as.clerk });
    expect(((await mine.json()) as any).matters.map((m: any) => m.id)).not.toContain(id);
  });

  it('HR sees levels and effects, never facts or who complained', async () => {
    const r = await t.app.request('/api/misconduct/effects', { headers: t.as.hr });
    const text = await r.text();
    expect(text).toContain('merit_bar');
    expect(text).not.toContain('逾期');
    expect(text).not.toContain('facts');
  });
});
