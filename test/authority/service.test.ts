/**
 * Authority against a real database: the engine loaded from the org tables, its cache and when it
 * is rebuilt, history across an org re-import, suspensions, policy versions and their replay,
 * recorded decisions, the case-history provider, and the CLI command.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorityCommands } from '../../src/authority/cli.ts';
import { AuthorityEngine } from '../../src/authority/engine.ts';
import {
  authorityPolicyDir,
  decide,
  flushDecisions,
  getAuthorityEngine,
  liftSuspension,
  listPolicyVersions,
  listSuspensions,
  parsePolicySet,
  readPolicyDir,
  reloadAuthorityPolicies,
  scope,
  setCaseHistoryProvider,
  snapshotFromOrgDocument,
  suspend,
} from '../../src/authority/index.ts';
import { authorityDecisions, authoritySuspensions } from '../../src/authority/schema.ts';
import { onDatabaseClose, queryRows } from '../../src/db/client.ts';
import { demoOrg } from '../../src/demo/org.ts';
import type { OrgDocumentInput } from '../../src/org/contract.ts';
import { importOrg } from '../../src/org/service.ts';
import { AppError } from '../../src/platform/errors.ts';
import { PolicyError } from '../../src/platform/policy-file.ts';
import { auditLog } from '../../src/platform/schema.ts';
import { testDeps } from '../helpers.ts';

const cst = (local: string) => new Date(`${local}+08:00`);
const holder = (doc: OrgDocumentInput, post: string, role: 'A' | 'B') =>
  doc.assignments!.find((a) => a.post === post && a.role === role && !a.to)!.staff;
const shippedHash = parsePolicySet(readPolicyDir(authorityPolicyDir)).hash;
const normal = {
  caseNo: 'QZJS-T-1',
  route: 'normal' as const,
  channel: 'window' as const,
  project: null,
  stage: 'decision' as const,
};

describe('authority with a database', () => {
  let t: Awaited<ReturnType<typeof testDeps>>;
  const doc = { ...demoOrg(1), absences: [] };
  const approver = holder(doc, 'P-APPROVE-1', 'A');
  const backup = holder(doc, 'P-APPROVE-1', 'B');
  beforeAll(async () => {
    t = await testDeps();
    await importOrg(t.db, doc, { actor: 'test', today: '2026-03-01' });
  });
  afterAll(() => t.close());

  it('loads from the database and decides like the engine built from the document', async () => {
    const fromDb = await getAuthorityEngine(t.db);
    expect(fromDb.policyVersion).toBe(shippedHash);
    const fromDoc = new AuthorityEngine(
      snapshotFromOrgDocument(doc, { policies: [readPolicyDir(authorityPolicyDir)] }),
    );
    const at = cst('2026-03-05T10:00:00');
    let compared = 0;
    for (const s of doc.staff!.slice(0, 36))
      for (const item of ['SG-001', 'SG-002', 'ZZ-003', 'GW-005', 'JC-004'])
        for (const action of ['accept', 'review', 'approve', 'seal', 'announce', 'approve_extension']) {
          const req = { staff: s.no, action, item, at, case: { ...normal, seal: 'special' as const } };
          expect(fromDb.decide(req)).toEqual(fromDoc.decide(req));
          compared++;
        }
    expect(compared).toBe(36 * 5 * 6);
  });

  it('keeps the engine between calls and rebuilds it after an org import', async () => {
    const first = await getAuthorityEngine(t.db);
    expect(await getAuthorityEngine(t.db)).toBe(first);
    await importOrg(t.db, doc, { actor: 'test', today: '2026-03-01' }); // unchanged, still a new generation
    expect(await getAuthorityEngine(t.db)).not.toBe(first);
  });

  it('replays history across an assignment change made by a re-import', async () => {
    const q = async (staff: string, when: string) =>
      (await getAuthorityEngine(t.db)).decide({
        staff,
        action: 'approve',
        item: 'SG-002',
        at: cst(when),
        case: normal,
      });
    expect((await q(approver, '2026-03-20T10:00:00')).allowed).toBe(true);
    // On 2026-03-16 the B holder takes the post over.
    const changed = {
      ...doc,
      assignments: doc.assignments!.flatMap((a) => {
        if (a.post !== 'P-APPROVE-1' || a.to) return [a];
        return [
          { ...a, to: '2026-03-15' },
          ...(a.role === 'B' ? [{ ...a, role: 'A' as const, from: '2026-03-16', to: null }] : []),
        ];
      }),
    };
    await importOrg(t.db, changed, { actor: 'test', today: '2026-03-16' });
    expect(await q(approver, '2026-03-10T10:00:00')).toMatchObject({ allowed: true, via: 'own' });
    const after = await q(approver, '2026-03-20T10:00:00');
    expect(after.allowed).toBe(false);
    expect(after.reasons.join('\n')).toContain(`${approver} holds P-APPROVE-1 as A only from`);
    expect(await q(backup, '2026-03-20T10:00:00')).toMatchObject({
      allowed: true,
      via: 'own',
      post: 'P-APPROVE-1',
    });
    expect((await q(backup, '2026-03-10T10:00:00')).allowed).toBe(false);
    await importOrg(t.db, doc, { actor: 'test', today: '2026-03-16' }); // back as it was for the other tests
  });

  it('suspends and lifts, audited, and the next decision follows at once', async () => {
    const staff = holder(doc, 'P-APPROVE-2', 'A');
    const ask = (when: string) =>
      decide(
        t.db,
        { staff, action: 'approve', item: 'ZZ-001', at: cst(when), case: normal },
        { askedBy: 'test' },
      );
    expect((await ask('2026-04-01T10:00:00')).allowed).toBe(true);
    const s = await suspend(
      t.db,
      { staff, from: '2026-04-01', reason: '移送行政处分待决', ref: 'MC-2026-0007' },
      'user:inspector',
    );
    expect(s.from.toISOString()).toBe('2026-03-31T16:00:00.000Z');
    const denied = await ask('2026-04-01T10:00:00');
    expect(denied.allowed).toBe(false);
    expect(denied.reasons[0]).toContain(
      `${staff} is suspended since 2026-03-31T16:00:00.000Z (移送行政处分待决, MC-2026-0007)`,
    );
    expect((await ask('2026-03-31T23:59:00')).allowed).toBe(true);
    await liftSuspension(t.db, s.id, 'user:leader', {
      at: cst('2026-04-03T12:00:00'),
      note: '处分决定已作出',
    });
    expect((await ask('2026-04-02T10:00:00')).allowed).toBe(false);
    expect((await ask('2026-04-03T12:00:00')).allowed).toBe(true);
    const [listed] = await listSuspensions(t.db, { staff });
    expect(listed).toMatchObject({ id: s.id, liftedBy: 'user:leader', createdBy: 'user:inspector' });
    expect(await listSuspensions(t.db, { staff, open: true })).toEqual([]);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(s.id)));
    expect(audits.map((a) => a.action).sort()).toEqual(['authority.suspend', 'authority.suspension.lift']);
  });

  it('refuses bad suspensions and lifts', async () => {
    const err = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e instanceof AppError ? `${e.code}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    expect(await err(suspend(t.db, { staff: 'S999', reason: 'x' }, 'test'))).toBe(
      'UNPROCESSABLE: unknown staff S999',
    );
    expect(await err(suspend(t.db, { staff: approver, reason: ' ' }, 'test'))).toContain('VALIDATION_FAILED');
    expect(await err(suspend(t.db, { staff: approver, reason: 'x', from: '2026-02-30' }, 'test'))).toContain(
      'VALIDATION_FAILED',
    );
    expect(await err(liftSuspension(t.db, 987654, 'test'))).toBe('NOT_FOUND: no suspension 987654');
    const s = await suspend(t.db, { staff: approver, from: cst('2027-01-01T00:00:00'), reason: 'x' }, 'test');
    expect(await err(liftSuspension(t.db, s.id, 'test', { at: cst('2026-12-31T00:00:00') }))).toContain(
      'a suspension cannot end before it starts',
    );
    await liftSuspension(t.db, s.id, 'test', { at: cst('2027-01-02T00:00:00') });
    expect(await err(liftSuspension(t.db, s.id, 'test'))).toContain(
      `CONFLICT: suspension ${s.id} was lifted at`,
    );
  });

  it('sees a suspension another process wrote, within a second', async () => {
    const staff = holder(doc, 'P-APPROVE-3', 'A');
    const ask = async () =>
      (await getAuthorityEngine(t.db)).decide({
        staff,
        action: 'approve',
        item: 'AQ-002',
        at: cst('2026-05-05T10:00:00'),
        case: normal,
      });
    expect((await ask()).allowed).toBe(true);
    // Written behind this process's back: no invalidation here.
    await t.db
      .insert(authoritySuspensions)
      .values({ staffNo: staff, from: cst('2026-05-01T00:00:00'), reason: 'x', createdBy: 'other-process' });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await ask()).allowed).toBe(false);
  });

  it('keeps every policy version and replays each instant under the version then in force', async () => {
    const t0 = Date.now();
    const day = 86_400_000;
    const dir = mkdtempSync(join(tmpdir(), 'nk-policies-'));
    cpSync(authorityPolicyDir, dir, { recursive: true });
    const approval = join(dir, 'approval.yaml');
    writeFileSync(
      approval,
      readFileSync(approval, 'utf8').replace('actions: [approve]', 'actions: [return]'),
    );
    const staff = holder(doc, 'P-APPROVE-4', 'A');
    const ask = async (ms: number) =>
      (await getAuthorityEngine(t.db)).decide({
        staff,
        action: 'approve',
        item: 'JC-002',
        at: new Date(ms),
        case: normal,
      });

    const changed = await reloadAuthorityPolicies(t.db, {
      dir,
      actor: 'user:admin',
      at: new Date(t0 + 10 * day),
    });
    expect(changed.changed).toBe(true);
    expect(changed.hash).not.toBe(shippedHash);
    expect(
      await reloadAuthorityPolicies(t.db, { dir, actor: 'user:admin', at: new Date(t0 + 11 * day) }),
    ).toEqual({
      hash: changed.hash,
      changed: false,
    });
    expect(await ask(t0 + 5 * day)).toMatchObject({ allowed: true, policyVersion: shippedHash });
    expect(await ask(t0 + 12 * day)).toMatchObject({ allowed: false, policyVersion: changed.hash });

    // back to the shipped files: a version may come back, and the one in between stays in its days
    await reloadAuthorityPolicies(t.db, { actor: 'user:admin', at: new Date(t0 + 20 * day) });
    expect((await getAuthorityEngine(t.db)).policyVersion).toBe(shippedHash);
    expect(await ask(t0 + 15 * day)).toMatchObject({ allowed: false, policyVersion: changed.hash });
    expect(await ask(t0 + 21 * day)).toMatchObject({ allowed: true, policyVersion: shippedHash });
    const versions = await listPolicyVersions(t.db);
    expect(versions.map((v) => [v.hash, v.current, v.activations.length]).sort()).toEqual(
      [
        [shippedHash, true, 2],
        [changed.hash, false, 1],
      ].sort(),
    );
  });

  it('refuses a bad policy folder and keeps the version in force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nk-policies-'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      'version: 1\ngrants:\n  - { id: a, post: P, actions: [stamp], items: all }\n',
    );
    await expect(reloadAuthorityPolicies(t.db, { dir, actor: 'test' })).rejects.toThrow(PolicyError);
    expect((await getAuthorityEngine(t.db)).policyVersion).toBe(shippedHash);
  });

  it('records every decision with its policy version, a batch in one go', async () => {
    const before = (await t.db.select().from(authorityDecisions)).length;
    const acceptor = holder(doc, 'P-ACCEPT-1', 'A');
    const reqs = [
      {
        staff: acceptor,
        action: 'accept',
        item: 'SG-002',
        at: cst('2026-03-05T10:00:00'),
        case: { ...normal, stage: 'intake' as const },
      },
      { staff: acceptor, action: 'approve', item: 'SG-002', at: cst('2026-03-05T10:00:00'), case: normal },
      { staff: approver, action: 'approve', item: 'SG-002', at: cst('2026-03-05T10:00:00') },
    ];
    const ds = await decide(t.db, reqs, { askedBy: 'token:approval' });
    expect(ds.map((d) => d.allowed)).toEqual([true, false, true]);
    await flushDecisions(t.db);
    const rows = await t.db.select().from(authorityDecisions);
    expect(rows.length).toBe(before + 3);
    const mine = rows.slice(-3);
    expect(mine.map((r) => [r.staffNo, r.action, r.allowed, r.caseNo, r.askedBy, r.policyVersion])).toEqual([
      [acceptor, 'accept', true, 'QZJS-T-1', 'token:approval', shippedHash],
      [acceptor, 'approve', false, 'QZJS-T-1', 'token:approval', shippedHash],
      [approver, 'approve', true, null, 'token:approval', shippedHash],
    ]);
    expect(mine[0].rule).toEqual({ file: 'acceptance.yaml', post: 'P-ACCEPT-1', grant: 'intake' });
    expect(mine[1].reasons.length).toBeGreaterThan(0);
  });

  it('refuses a batch with unknown staff, item or action, naming each, and records nothing', async () => {
    const before = (await t.db.select().from(authorityDecisions)).length;
    const at = cst('2026-03-05T10:00:00');
    try {
      await decide(t.db, [
        { staff: approver, action: 'approve', item: 'SG-002', at },
        { staff: 'S999', action: 'approve', item: 'SG-002', at },
        { staff: approver, action: 'stamp', item: 'XX-1', at },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('UNPROCESSABLE');
      expect((e as AppError).errors).toEqual([
        { path: '[1].staff', message: 'unknown staff S999: not in the organisation' },
        { path: '[2].item', message: 'unknown item XX-1: not in the catalogue' },
      ]);
    }
    await flushDecisions(t.db);
    expect((await t.db.select().from(authorityDecisions)).length).toBe(before);
  });

  it('asks the case module for the history of a named case', async () => {
    const req = {
      staff: approver,
      action: 'approve',
      item: 'SG-002',
      at: cst('2026-03-06T10:00:00'),
      case: { caseNo: 'QZJS-T-9', route: 'normal' as const },
    };
    expect((await decide(t.db, req)).allowed).toBe(true);
    const provider = vi.fn(async () => [
      { seq: 4, action: 'accept', actor: approver, at: '2026-03-05T10:00:00+08:00' },
    ]);
    setCaseHistoryProvider(provider);
    try {
      const d = await decide(t.db, req);
      expect(provider).toHaveBeenCalledWith(t.db, 'QZJS-T-9');
      expect(d).toMatchObject({ allowed: false, conflict: { rule: 'accept-not-approve' } });
      // history given in the request wins over the provider
      expect((await decide(t.db, { ...req, case: { ...req.case, history: [] } })).allowed).toBe(true);
      // looked up once per case in a batch, and not at all when it cannot change the answer
      provider.mockClear();
      await decide(t.db, [req, { ...req, item: 'SG-003' }]);
      expect(provider).toHaveBeenCalledTimes(1);
      provider.mockClear();
      const acceptor = holder(doc, 'P-ACCEPT-1', 'A');
      await decide(t.db, {
        ...req,
        staff: acceptor,
        action: 'accept',
        case: { ...req.case, channel: 'window' },
      });
      expect(provider).not.toHaveBeenCalled();
      // a return needs the stage: read from the history when not given, not looked up when given
      await decide(t.db, {
        ...req,
        staff: acceptor,
        action: 'return',
        case: { ...req.case, stage: 'intake' },
      });
      expect(provider).not.toHaveBeenCalled();
      await decide(t.db, { ...req, staff: acceptor, action: 'return' });
      expect(provider).toHaveBeenCalledTimes(1);
    } finally {
      setCaseHistoryProvider(null);
    }
  });

  it('the decision record cannot be changed', async () => {
    await flushDecisions(t.db);
    await expect(t.db.execute(sql`update authority_decisions set allowed = true`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from authority_suspensions`)).rejects.toThrow();
  });

  it('scope through the service', async () => {
    const s = await scope(t.db, holder(doc, 'P-ANNOUNCE', 'A'), cst('2026-03-05T10:00:00'));
    expect(s.status).toBe('active');
    expect(new Set(s.rows.map((r) => r.action))).toEqual(new Set(['announce', 'file_rejection', 'deliver']));
  });

  it('neikong authority check prints the decision as JSON and records it', async () => {
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
      out += String(chunk);
      return true;
    });
    try {
      const args = ['--staff', approver, '--action', 'approve', '--item', 'SG-002', '--at', '2026-03-05'];
      expect(await authorityCommands['authority check'](t, args)).toBe(0);
      expect(JSON.parse(out)).toMatchObject({
        allowed: true,
        post: 'P-APPROVE-1',
        policyVersion: shippedHash,
      });
      out = '';
      const caseFile = join(mkdtempSync(join(tmpdir(), 'nk-case-')), 'case.json');
      writeFileSync(
        caseFile,
        JSON.stringify({ caseNo: 'C-9', route: 'normal', history: [{ action: 'accept', actor: approver }] }),
      );
      expect(await authorityCommands['authority check'](t, [...args, '--case-file', caseFile])).toBe(3);
      expect(JSON.parse(out)).toMatchObject({ allowed: false, conflict: { rule: 'accept-not-approve' } });
      await expect(authorityCommands['authority check'](t, ['--staff', approver])).rejects.toThrow(AppError);
    } finally {
      write.mockRestore();
    }
    await flushDecisions(t.db);
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from authority_decisions where asked_by = 'cli'`,
    );
    expect(row.n).toBe(2);
  });
});

describe('recording decisions in batches', () => {
  const doc = demoOrg(1);
  const acceptor = holder(doc, 'P-ACCEPT-1', 'A');
  const req = (i: number) => ({
    staff: acceptor,
    action: 'accept',
    item: 'SG-002',
    at: new Date(Date.parse('2026-03-05T02:00:00Z') + i * 1000),
    case: { caseNo: `QZJS-B-${i}`, route: 'normal' as const, stage: 'intake' as const },
  });
  const count = async (db: Awaited<ReturnType<typeof testDeps>>['db']) =>
    (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from authority_decisions`))[0].n;

  it('answers first and stores each decision once; a flush waits for everything handed over', async () => {
    const t = await testDeps();
    try {
      await importOrg(t.db, doc, { actor: 'test', today: '2026-03-01' });
      const before = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, i) => decide(t.db, req(i), { askedBy: 'test' })),
      );
      const answered = Date.now();
      expect(answers.every((d) => d.allowed)).toBe(true);
      await flushDecisions(t.db);
      const rows = await t.db.select().from(authorityDecisions).orderBy(authorityDecisions.id);
      expect(rows.map((r) => r.caseNo).sort()).toEqual(
        Array.from({ length: 300 }, (_, i) => `QZJS-B-${i}`).sort(),
      );
      // stamped when the answer was given (the batch may be written later)
      for (const r of rows) {
        expect(r.decidedAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(r.decidedAt.getTime()).toBeLessThanOrEqual(answered);
      }
      expect(rows.find((r) => r.caseNo === 'QZJS-B-0')!.at.toISOString()).toBe('2026-03-05T02:00:00.000Z');
    } finally {
      await t.close();
    }
  });

  it('stores what is still queued when the database is closed (a clean stop loses nothing)', async () => {
    const t = await testDeps();
    await importOrg(t.db, doc, { actor: 'test', today: '2026-03-01' });
    for (let i = 0; i < 5; i++) await decide(t.db, req(i), { askedBy: 'test' });
    let storedAtClose = -1;
    // runs after the recorder's own hook, before the connection goes
    onDatabaseClose(t.db, async () => {
      storedAtClose = await count(t.db);
    });
    await t.close();
    expect(storedAtClose).toBe(5);
  });

  it('refuses to decide once the database is closing, so no answer goes unrecorded', async () => {
    const t = await testDeps();
    await importOrg(t.db, doc, { actor: 'test', today: '2026-03-01' });
    await decide(t.db, req(0), { askedBy: 'test' });
    let stored = -1;
    onDatabaseClose(t.db, async () => {
      stored = await count(t.db);
    });
    const closing = t.close();
    await expect(decide(t.db, req(1), { askedBy: 'test' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await closing;
    expect(stored).toBe(1);
  });
});
