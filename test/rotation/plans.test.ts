/**
 * Rotation plans through the API on the demo bureau: HR drafts next year's plan, reads why each
 * person moves and sees every post covered; a leader (never the drafter) approves and applies it;
 * the moves become dated assignments and the org rules still hold; an approved plan never
 * changes; CSV and PDF; background runs with progress; the HR overview.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { loadDemo } from '../../src/demo/index.ts';
import { assignments } from '../../src/org/schema.ts';
import { assignmentHistory, exportOrg, importOrg, parseOrgDocument } from '../../src/org/service.ts';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { auditLog } from '../../src/platform/schema.ts';
import { approvePlan, getPlan, planIntact } from '../../src/rotation/service.ts';
import { jsonHeaders, loginAs, testApp } from '../helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let hr: Record<string, string>;
let leader: Record<string, string>;
let leader2: Record<string, string>;

beforeAll(async () => {
  t = await testApp();
  await loadDemo(t.db, { seed: 1, today: '2026-06-01' });
  hr = await loginAs(t, 'hr', { name: 'hr-xu', staffNo: 'S039' });
  leader = await loginAs(t, 'leader', { name: 'lead-zhang', staffNo: 'S002' });
  leader2 = await loginAs(t, 'leader', { name: 'lead-chen', staffNo: 'S001' });
});
afterAll(() => t?.close());

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await t.app.request(path, {
    method,
    headers: { ...jsonHeaders, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text, headers: res.headers };
}

describe('next year’s plan for the demo bureau', () => {
  let plan: any;

  it('HR drafts it: moves with reasons, every post covered or the gap explained', async () => {
    const r = await call('POST', '/api/rotation/plans', hr, { date: '2027-01-01', rounds: 1 });
    expect(r.status, r.text).toBe(201);
    plan = r.json;
    expect(plan).toMatchObject({
      number: '轮岗〔2027〕1号',
      state: 'draft',
      planDate: '2027-01-01',
      createdBy: 'user:hr-xu',
    });
    const round = plan.result.rounds[0];
    expect(round.moves.length).toBeGreaterThan(0);
    for (const m of round.moves) {
      expect(m.reasons.length, JSON.stringify(m)).toBeGreaterThan(0);
      expect(m.effectiveDate).toBe('2027-01-01');
    }
    // Forced moves name the rule (the demo has key posts past five years).
    expect(
      round.moves.some((m: any) => m.required && m.reasons.some((x: any) => x.code === 'max-tenure')),
    ).toBe(true);
    // Every post: a competent A and B after the plan, or a rule not kept that names the post.
    for (const c of round.coverageAfter) {
      for (const role of ['A', 'B'] as const) {
        if (c[role].competent) continue;
        expect(
          plan.result.unmet.some((u: any) => u.subject === c.post && u.rule === `coverage-${role}`),
          `${c.post}/${role}`,
        ).toBe(true);
      }
    }
    expect(round.coverageAfter.every((c: any) => c.A.competent && c.B.competent)).toBe(true);
    expect(plan.result.solver).toMatchObject({ status: 'optimal', gap: 0 });
    expect(planIntact(await getPlan(t.db, plan.id))).toBe(true);
  });

  it('lists it and shows it to a leader', async () => {
    const list = await call('GET', '/api/rotation/plans', leader);
    expect(list.status).toBe(200);
    expect(list.json[0]).toMatchObject({
      id: plan.id,
      state: 'draft',
      moves: plan.result.rounds[0].moves.length,
      status: 'optimal',
    });
    const one = await call('GET', `/api/rotation/plans/${plan.id}`, leader);
    expect(one.json.contentHash).toBe(plan.contentHash);
  });

  it('exports CSV and PDF in Chinese and English', async () => {
    const zh = await t.app.request(`/api/rotation/plans/${plan.id}/csv`, { headers: hr });
    expect(zh.headers.get('content-type')).toMatch(/^text\/csv/);
    const zhBytes = new Uint8Array(await zh.arrayBuffer());
    // A byte-order mark first, so spreadsheet programs read the Chinese as UTF-8.
    expect([...zhBytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const zhText = new TextDecoder().decode(zhBytes);
    expect(zhText.startsWith('轮次,生效日期,工号,姓名,原岗位,新岗位,规则要求,调整原因,岗前培训\r\n')).toBe(
      true,
    );
    expect(zhText.split('\r\n').filter(Boolean)).toHaveLength(plan.result.rounds[0].moves.length + 1);
    expect(zhText).toMatch(/连续任职\d+(\.\d)?年，达到5年上限/);
    const en = await (
      await t.app.request(`/api/rotation/plans/${plan.id}/csv?locale=en`, { headers: hr })
    ).text();
    expect(en).toContain('Round,Effective,Staff no.,Name,From,To,Required,Reasons,Training before');
    const pdf = await t.app.request(`/api/rotation/plans/${plan.id}/pdf`, { headers: leader });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(10_000);
  });

  it('HR cannot approve it; the drafter never can (four eyes)', async () => {
    expect((await call('POST', `/api/rotation/plans/${plan.id}/approve`, hr, {})).status).toBe(403);
    await expect(approvePlan(t.db, plan.id, { actor: 'user:hr-xu' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await getPlan(t.db, plan.id)).state).toBe('draft');
  });

  it('a leader approves it; approving again is refused', async () => {
    const r = await call('POST', `/api/rotation/plans/${plan.id}/approve`, leader, { note: '同意' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      state: 'approved',
      approvedBy: 'user:lead-zhang',
      note: '同意',
      contentHash: plan.contentHash,
    });
    expect((await call('POST', `/api/rotation/plans/${plan.id}/approve`, leader2, {})).status).toBe(409);
  });

  it('an approved plan never changes: the database refuses edits, deletes and going back', async () => {
    const refused = async (statement: ReturnType<typeof sql>) => {
      const err: any = await t.db.execute(statement).then(
        () => null,
        (e) => e,
      );
      expect(err, String(statement.queryChunks[0])).not.toBeNull();
      // drizzle wraps the database's error; the trigger's message is in the cause.
      expect(String(err.cause?.message ?? err.message)).toMatch(
        /neikong: .*(never changes|kept|cannot go|changes only|stays recorded|append-only)/,
      );
    };
    await refused(sql`update rotation_plans set result = '{}'::jsonb where id = ${plan.id}`);
    await refused(
      sql`update rotation_plans set params = '{"date":"2030-01-01"}'::jsonb, state = 'applied' where id = ${plan.id}`,
    );
    await refused(sql`update rotation_plans set state = 'draft' where id = ${plan.id}`);
    await refused(
      sql`update rotation_plans set approved_by = 'user:someone', state = 'applied' where id = ${plan.id}`,
    );
    await refused(sql`delete from rotation_plans where id = ${plan.id}`);
    await refused(sql`update rotation_plan_moves set to_post = 'P-CHIEF' where plan_id = ${plan.id}`);
    await refused(sql`delete from rotation_plan_moves where plan_id = ${plan.id}`);
    const after = await getPlan(t.db, plan.id);
    expect(after).toMatchObject({ state: 'approved', contentHash: plan.contentHash });
    expect(planIntact(after)).toBe(true);
  });

  it('a leader applies it: dated assignments, the old ones end the day before, the org rules hold', async () => {
    const before = await assignmentHistory(t.db);
    const r = await call('POST', `/api/rotation/plans/${plan.id}/apply`, leader, {});
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ state: 'applied', appliedBy: 'user:lead-zhang' });
    const after = await assignmentHistory(t.db);
    const moves = plan.result.rounds[0].moves as any[];
    expect(after.length).toBe(before.length + moves.filter((m) => m.to).length);
    for (const m of moves) {
      if (m.to) {
        expect(
          after.some(
            (a) =>
              a.staffNo === m.staff &&
              a.post === m.to.post &&
              a.role === m.to.role &&
              a.from === '2027-01-01' &&
              a.to === null,
          ),
        ).toBe(true);
      }
      if (m.from) {
        const ended = after.find(
          (a) =>
            a.staffNo === m.staff &&
            a.post === m.from.post &&
            a.role === m.from.role &&
            a.to === '2026-12-31',
        );
        expect(ended, JSON.stringify(m)).toBeTruthy();
      }
    }
    // The organisation as exported still passes the import checks (one A per post per day, B with an A).
    await expect(parseOrgDocument(t.db, await exportOrg(t.db))).resolves.toBeTruthy();
    // Holders on the effective date are the plan's.
    const on = await queryRows<{ staff_no: string; post: string; role: string }>(
      t.db,
      sql`select staff_no, post, role from assignments where active and "from" <= '2027-01-01' and ("to" is null or "to" >= '2027-01-01')`,
    );
    for (const c of plan.result.rounds[0].coverageAfter) {
      for (const role of ['A', 'B'] as const) {
        const holders = on.filter((a) => a.post === c.post && a.role === role).map((a) => a.staff_no);
        expect(holders, `${c.post}/${role}`).toEqual(c[role].holder ? [c[role].holder] : []);
      }
    }
    expect((await call('POST', `/api/rotation/plans/${plan.id}/apply`, leader, {})).status).toBe(409);
  });

  it('records every step in the audit chain', async () => {
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.entity, 'rotation_plans'));
    expect(entries.map((e) => e.action)).toEqual(['rotation.draft', 'rotation.approve', 'rotation.apply']);
    const assignmentEntries = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'assignments'), sql`${auditLog.action} like 'org.assignment.%'`));
    expect(assignmentEntries.length).toBeGreaterThan(0);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('archives it; an archived plan goes nowhere else', async () => {
    const r = await call('POST', `/api/rotation/plans/${plan.id}/archive`, hr, {});
    expect(r.status).toBe(200);
    expect(r.json.state).toBe('archived');
    expect((await call('POST', `/api/rotation/plans/${plan.id}/approve`, leader, {})).status).toBe(409);
  });
});

describe('applying a plan to an organisation that has changed', () => {
  it('is refused: the plan was made for other holdings', async () => {
    const drafted = await call('POST', '/api/rotation/plans', hr, { date: '2028-01-01', rounds: 1 });
    expect(drafted.status).toBe(201);
    expect((await call('POST', `/api/rotation/plans/${drafted.json.id}/approve`, leader, {})).status).toBe(
      200,
    );
    // Someone's assignment changes after approval.
    const [a] = await t.db
      .select()
      .from(assignments)
      .where(and(eq(assignments.post, 'P-ANNOUNCE'), eq(assignments.role, 'B')));
    const doc = await exportOrg(t.db);
    doc.assignments = doc.assignments!.map((x) =>
      x.staff === a.staffNo && x.post === a.post && x.role === 'B' && x.from === a.from
        ? { ...x, to: '2027-06-30' }
        : x,
    );
    await importOrg(t.db, doc, { actor: 'test', today: '2026-07-01' });
    const r = await call('POST', `/api/rotation/plans/${drafted.json.id}/apply`, leader, {});
    expect(r.status).toBe(409);
    expect(r.json.detail).toMatch(/changed after plan/);
    expect((await getPlan(t.db, drafted.json.id)).state).toBe('approved');
  });
});

describe('bad parameters', () => {
  it('lists every field at fault', async () => {
    const r = await call('POST', '/api/rotation/plans', hr, {
      date: '2027-02-30',
      rounds: 0,
      overrides: { windowShare: { max: 2 } },
    });
    expect(r.status).toBe(400);
    expect(r.json.errors.map((e: any) => e.path).sort()).toEqual([
      'date',
      'overrides.windowShare.max',
      'rounds',
    ]);
    const refs = await call('POST', '/api/rotation/plans', hr, {
      date: '2027-01-01',
      mustMove: [{ staff: 'S999', reason: 'x' }],
      wishes: [{ staff: 'S998', post: 'P-NOPE', kind: 'prefer' }],
    });
    expect(refs.status).toBe(400);
    expect(refs.json.errors.map((e: any) => e.path)).toEqual([
      'mustMove[0].staff',
      'wishes[0].staff',
      'wishes[0].post',
    ]);
    const wrongType = await t.app.request('/api/rotation/plans', {
      method: 'POST',
      headers: { ...hr, 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(wrongType.status).toBe(415);
  });
});

describe('planner runs in the background', () => {
  it('reports progress and ends with a stored draft', async () => {
    const r = await call('POST', '/api/rotation/runs', hr, { date: '2029-01-01', rounds: 2 });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ state: 'running', planId: null });
    let run = r.json;
    const seen = new Set<string>();
    for (let i = 0; i < 600 && run.state === 'running'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      run = (await call('GET', `/api/rotation/runs/${run.id}`, hr)).json;
      if (run.progress) seen.add(run.progress.phase);
    }
    expect(run.state).toBe('done');
    expect(seen.size).toBeGreaterThan(0);
    const plan = await getPlan(t.db, run.planId);
    expect(plan).toMatchObject({ state: 'draft', rounds: 2, createdBy: 'user:hr-xu' });
    expect(plan.result.rounds).toHaveLength(2);
    // Another user does not see someone else's run.
    const other = await loginAs(t, 'hr', { name: 'hr-other' });
    expect((await call('GET', `/api/rotation/runs/${run.id}`, other)).status).toBe(404);
  });
});

describe('the HR overview', () => {
  it('gives the competency matrix, tenure warnings within a year and coverage now', async () => {
    const r = await call('GET', '/api/rotation/overview?date=2026-06-01', hr);
    expect(r.status).toBe(200);
    expect(r.json.businesses.length).toBeGreaterThan(3);
    expect(r.json.matrix.some((x: any) => x.posts.length > 0 && x.businesses.length >= 2)).toBe(true);
    expect(r.json.warnings.length).toBeGreaterThan(0);
    for (const w of r.json.warnings) {
      expect(w.reachesOn <= '2027-06-01').toBe(true);
      expect(w.limit).toBe(w.key ? 5 : 8);
    }
    expect(r.json.coverage.find((c: any) => c.post === 'P-CHIEF')).toBeTruthy();
  });
});
