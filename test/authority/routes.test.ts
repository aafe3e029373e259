/**
 * The authority HTTP API: decisions (one and a batch) for the approval system and for a clerk
 * about themselves, the scope, suspensions, policy versions, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushDecisions, parsePolicySet, readPolicyDir, suspend } from '../../src/authority/index.ts';
import { authorityRoutes } from '../../src/authority/routes.ts';
import { authorityDecisions } from '../../src/authority/schema.ts';
import { authorityPolicyDir } from '../../src/authority/service.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { importOrg } from '../../src/org/service.ts';
import { jsonHeaders, loginAs, systemToken, testApp } from '../helpers.ts';

const base = demoOrg(1);
const holder = (post: string, role: 'A' | 'B') =>
  base.assignments!.find((a) => a.post === post && a.role === role && !a.to)!.staff;
// Only one absence: the A holder of 审批岗一 is away 2026-03-02..04.
const doc = {
  ...base,
  absences: [{ staff: holder('P-APPROVE-1', 'A'), from: '2026-03-02', to: '2026-03-04', reason: 'leave' }],
};
const shippedHash = parsePolicySet(readPolicyDir(authorityPolicyDir)).hash;

describe('authority API', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let system: Record<string, string>;
  let clerk: Record<string, string>;
  let inspector: Record<string, string>;
  let admin: Record<string, string>;
  const acceptor = holder('P-ACCEPT-1', 'A');
  const approver = holder('P-APPROVE-1', 'A');
  const backup = holder('P-APPROVE-1', 'B');
  beforeAll(async () => {
    t = await testApp();
    await importOrg(t.db, doc, { actor: 'test', today: '2026-03-01' });
    system = await systemToken(t);
    clerk = await loginAs(t, 'clerk', { staffNo: acceptor });
    inspector = await loginAs(t, 'inspector');
    admin = await loginAs(t, 'admin');
  });
  afterAll(() => t.close());

  const post = (body: unknown, headers: Record<string, string> = system) =>
    t.app.request('/api/authority/decisions', {
      method: 'POST',
      headers: { ...jsonHeaders, ...headers },
      body: JSON.stringify(body),
    });
  const get = (path: string, headers: Record<string, string> = system) => t.app.request(path, { headers });

  it('answers one decision, with the rule and the policy version', async () => {
    const res = await post({
      staff: approver,
      action: 'approve',
      item: 'SG-002',
      at: '2026-03-10T10:00:00+08:00',
      case: { caseNo: 'QZJS-2026-000123', route: 'normal', channel: 'online', project: null },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      allowed: true,
      via: 'own',
      post: 'P-APPROVE-1',
      rule: { file: 'approval.yaml', post: 'P-APPROVE-*', grant: 'approve-own-business' },
      policyVersion: shippedHash,
    });
  });

  it('answers a batch in order, acting B included, and says why a denial is one', async () => {
    const res = await post([
      { staff: backup, action: 'approve', item: 'SG-002', at: '2026-03-03' },
      { staff: backup, action: 'approve', item: 'SG-002', at: '2026-03-05' },
      {
        staff: approver,
        action: 'approve',
        item: 'SG-002',
        at: '2026-03-10T10:00:00+08:00',
        case: {
          caseNo: 'C-2',
          route: 'normal',
          history: [{ seq: 4, action: 'accept', actor: approver, at: '2026-03-09T10:00:00+08:00' }],
        },
      },
    ]);
    expect(res.status).toBe(200);
    const [acting, after, sod] = (await res.json()) as any[];
    expect(acting).toMatchObject({
      allowed: true,
      via: 'acting-for',
      actingFor: approver,
      post: 'P-APPROVE-1',
    });
    expect(after.allowed).toBe(false);
    expect(after.reasons.join(' ')).toContain('does not cover 2026-03-05');
    expect(after.wouldAllow).toEqual(['P-APPROVE-1']);
    expect(sod).toMatchObject({
      allowed: false,
      conflict: { rule: 'accept-not-approve', event: { seq: 4, actor: approver } },
    });
    await flushDecisions(t.db);
    const rows = await t.db.select().from(authorityDecisions);
    expect(rows.filter((r) => r.askedBy.startsWith('token:')).length).toBeGreaterThanOrEqual(4);
  });

  it('a suspended clerk is refused, with the reason', async () => {
    const staff = holder('P-APPROVE-2', 'A');
    await suspend(t.db, { staff, from: '2026-06-01', reason: '立案调查', ref: 'MC-1' }, 'test');
    const res = await post({ staff, action: 'approve', item: 'ZZ-001', at: '2026-06-02' });
    expect(await res.json()).toMatchObject({
      allowed: false,
      reasons: [expect.stringContaining('is suspended since')],
    });
  });

  it('unknown staff, item or action: 422 naming each; bad input: 400', async () => {
    let res = await post({ staff: 'S999', action: 'approve', item: 'SG-002' });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      code: 'UNPROCESSABLE',
      errors: [{ path: 'staff', message: 'unknown staff S999: not in the organisation' }],
    });
    res = await post([
      { staff: approver, action: 'approve', item: 'SG-002' },
      { staff: approver, action: 'stamp', item: 'SG-002' },
    ]);
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).errors).toEqual([
      { path: '[1].action', message: 'unknown action stamp' },
    ]);
    res = await post({ staff: approver, action: 'approve', item: 'SG-002', at: '2026-03-10T10:00:00' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors).toEqual([
      { path: 'at', message: 'must be an ISO instant with a zone, or a date YYYY-MM-DD' },
    ]);
    res = await post({ action: 'approve', item: 'SG-002', case: { caseNo: 'X', route: 'express' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors.map((e: any) => e.path).sort()).toEqual([
      'case.route',
      'staff',
    ]);
    res = await post([]);
    expect(res.status).toBe(400);
  });

  it('a clerk asks about themselves, and only themselves', async () => {
    let res = await post(
      {
        staff: acceptor,
        action: 'accept',
        item: 'SG-002',
        case: { caseNo: 'C', route: 'normal', channel: 'window' },
      },
      clerk,
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).allowed).toBe(true);
    res = await post({ staff: approver, action: 'approve', item: 'SG-002' }, clerk);
    expect(res.status).toBe(403);
    res = await post(
      [
        { staff: acceptor, action: 'accept', item: 'SG-002' },
        { staff: approver, action: 'approve', item: 'SG-002' },
      ],
      clerk,
    );
    expect(res.status).toBe(403);
  });

  it('scope: a clerk sees their own by default; others need an unconditional grant', async () => {
    let res = await get('/api/authority/scope?at=2026-03-05', clerk);
    expect(res.status).toBe(200);
    const s = (await res.json()) as any;
    expect(s).toMatchObject({
      staff: acceptor,
      date: '2026-03-05',
      status: 'active',
      policyVersion: shippedHash,
    });
    expect(s.rows.find((r: any) => r.item === 'SG-002' && r.action === 'accept')).toMatchObject({
      via: 'own',
      post: 'P-ACCEPT-1',
      conditions: 'route normal/fast_track/parallel',
    });
    expect((await get(`/api/authority/scope?staff=${approver}`, clerk)).status).toBe(403);
    res = await get(`/api/authority/scope?staff=${backup}&at=2026-03-03`, inspector);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).holdings).toEqual([
      expect.objectContaining({
        via: 'acting-for',
        post: 'P-APPROVE-1',
        actingFor: approver,
        from: '2026-03-02',
        to: '2026-03-04',
      }),
    ]);
    expect((await get('/api/authority/scope?staff=S999', inspector)).status).toBe(422);
    expect((await get(`/api/authority/scope?staff=${approver}&at=yesterday`, inspector)).status).toBe(400);
    expect((await get('/api/authority/scope', inspector)).status).toBe(400);
  });

  it('suspensions: all for those who may read everyone, own for a clerk', async () => {
    await suspend(t.db, { staff: acceptor, from: '2027-01-01', reason: '测试', ref: null }, 'test');
    const all = (await (await get('/api/authority/suspensions', inspector)).json()) as any[];
    expect(all.length).toBeGreaterThanOrEqual(2);
    const own = await get(`/api/authority/suspensions?staff=${acceptor}`, clerk);
    expect(own.status).toBe(200);
    expect(((await own.json()) as any[]).map((s: any) => s.staff)).toEqual([acceptor]);
    expect((await get('/api/authority/suspensions', clerk)).status).toBe(403);
    expect((await get('/api/authority/suspensions?open=true', inspector)).status).toBe(200);
  });

  it('policy versions: listed, each readable as it was; a reload by the admin', async () => {
    const list = (await (await get('/api/authority/policy', inspector)).json()) as any[];
    expect(list[0]).toMatchObject({ hash: shippedHash, current: true });
    expect(list[0].files).toContain('approval.yaml');
    const one = (await (await get(`/api/authority/policy/${shippedHash}`, inspector)).json()) as any;
    expect(one.files['approval.yaml']).toContain('approve-own-business');
    expect((await get(`/api/authority/policy/${'0'.repeat(64)}`, inspector)).status).toBe(404);
    expect((await get('/api/authority/policy/nothex', inspector)).status).toBe(400);
    const res = await t.app.request('/api/authority/policy/reload', { method: 'POST', headers: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hash: shippedHash, changed: false });
  });

  it('is described in the OpenAPI document', () => {
    // The module's own document: the app's combines every module's and fails with any of them.
    const docu = authorityRoutes.getOpenAPIDocument({
      openapi: '3.0.3',
      info: { title: 'authority', version: '1' },
    });
    expect(Object.keys(docu.paths).sort()).toEqual(
      [
        '/api/authority/decisions',
        '/api/authority/scope',
        '/api/authority/scope.pdf',
        '/api/authority/suspensions',
        '/api/authority/policy',
        '/api/authority/policy/{hash}',
        '/api/authority/policy/reload',
      ].sort(),
    );
  });
});
