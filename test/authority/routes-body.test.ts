/**
 * The body of POST /api/authority/decisions: the hand-written check that lets a plain request
 * skip zod's parse accepts nothing zod would refuse, and passes on what it takes unchanged; the
 * answer is the decision's JSON, the same for the same decision, one by one or in a batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushDecisions } from '../../src/authority/index.ts';
import { decisionBodySchema, plainDecisionBody } from '../../src/authority/routes.ts';
import { authorityDecisions } from '../../src/authority/schema.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { importOrg } from '../../src/org/service.ts';
import { jsonHeaders, systemToken, testApp } from '../helpers.ts';

const plain = {
  staff: 'S005',
  action: 'accept',
  item: 'SG-002',
  at: '2026-03-05T10:00:00+08:00',
  case: { caseNo: 'QZJS-2026-000123', route: 'normal', channel: 'window', project: null },
};
const long = 'x'.repeat(65);

/** A value for every way a field can be right or wrong (undefined: the key is left out). */
const fieldValues: Record<string, unknown[]> = {
  staff: [undefined, 'S005', '', long, 'x'.repeat(64), 5, null, ['S005']],
  action: [undefined, 'approve', '', long, true],
  item: [undefined, 'SG-001', '', long, {}],
  at: [undefined, '2026-03-05', 'yesterday', '', 20260305, null],
  case: [undefined, null, 'C-1', [], {}],
};
const caseValues: Record<string, unknown[]> = {
  caseNo: [undefined, 'C-1', '', long, 1],
  route: [undefined, 'fast_track', 'express', '', null],
  channel: [undefined, 'online', 'post', null],
  project: [undefined, null, {}, { key: true }, { key: 'yes' }, { code: 'P', extra: 1 }, 'P-1'],
  seal: [undefined, 'official', 'private', null],
  stage: [undefined, 'decision', 'later'],
  history: [undefined, [], [{ action: 'accept', actor: 'S005' }], [{ action: '' }], 'none'],
};

function variants(): unknown[] {
  const out: unknown[] = [plain, {}, null, 'text', 42, [], [plain], [plain, plain], [plain, {}]];
  out.push(
    Array.from({ length: 1000 }, () => plain),
    Array.from({ length: 1001 }, () => plain),
  );
  for (const [k, values] of Object.entries(fieldValues))
    for (const v of values) {
      const r: Record<string, unknown> = { ...plain };
      if (v === undefined) delete r[k];
      else r[k] = v;
      out.push(r, [plain, r]);
    }
  for (const [k, values] of Object.entries(caseValues))
    for (const v of values) {
      const c: Record<string, unknown> = { ...plain.case };
      if (v === undefined) delete c[k];
      else c[k] = v;
      out.push({ ...plain, case: c });
    }
  out.push({ ...plain, extra: 1 }, { ...plain, case: { ...plain.case, extra: 1 } });
  out.push(JSON.parse('{"staff":"S005","action":"accept","item":"SG-002","__proto__":{"x":1}}'));
  return out;
}

describe('the decision body check', () => {
  it('accepts only what zod accepts, and passes it on as zod would', () => {
    let plainOnes = 0;
    for (const body of variants()) {
      if (!plainDecisionBody(body)) continue;
      plainOnes++;
      expect(decisionBodySchema.safeParse(body), JSON.stringify(body)).toEqual({ success: true, data: body });
    }
    // the usual requests do take the short way
    expect(plainOnes).toBeGreaterThan(20);
    expect(plainDecisionBody(plain)).toBe(true);
    expect(plainDecisionBody([plain, plain])).toBe(true);
  });

  it('leaves every refusal to zod: same answer from the schema as without the check', async () => {
    for (const body of variants()) {
      const fast = await decisionBodySchema.safeParseAsync(body);
      expect(fast.success, JSON.stringify(body)).toBe(decisionBodySchema.safeParse(body).success);
      if (!fast.success) expect(fast.error.issues).toEqual(decisionBodySchema.safeParse(body).error!.issues);
    }
  });
});

describe('the decision answer', () => {
  const doc = demoOrg(1);
  const acceptor = doc.assignments!.find((a) => a.post === 'P-ACCEPT-1' && a.role === 'A')!.staff;
  const mine = { ...plain, staff: acceptor };
  let t: Awaited<ReturnType<typeof testApp>>;
  let system: Record<string, string>;
  beforeAll(async () => {
    t = await testApp();
    await importOrg(t.db, doc, { actor: 'test', today: '2026-03-01' });
    system = await systemToken(t);
  });
  afterAll(() => t.close());
  const post = (body: unknown) =>
    t.app.request('/api/authority/decisions', {
      method: 'POST',
      headers: { ...jsonHeaders, ...system },
      body: JSON.stringify(body),
    });

  it('is the JSON of the decision, the same each time, alone or in a batch; each is recorded', async () => {
    const before = (await t.db.select().from(authorityDecisions)).length;
    const first = await post(mine);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    const text = await first.text();
    const decision = JSON.parse(text);
    expect(decision).toMatchObject({ allowed: true, via: 'own', post: 'P-ACCEPT-1' });
    expect(JSON.stringify(decision)).toBe(text);
    expect(await (await post(mine)).text()).toBe(text);
    const denied = { ...mine, action: 'approve' };
    const batch = await post([mine, denied, mine]);
    const [a, d, b] = (await batch.json()) as any[];
    expect([a, b]).toEqual([decision, decision]);
    expect(d).toMatchObject({ allowed: false, wouldAllow: expect.any(Array) });
    await flushDecisions(t.db);
    const rows = (await t.db.select().from(authorityDecisions).orderBy(authorityDecisions.id)).slice(before);
    expect(rows.map((r) => [r.action, r.allowed, r.via, r.post, r.actingFor, r.caseNo])).toEqual([
      ['accept', true, 'own', 'P-ACCEPT-1', null, plain.case.caseNo],
      ['accept', true, 'own', 'P-ACCEPT-1', null, plain.case.caseNo],
      ['accept', true, 'own', 'P-ACCEPT-1', null, plain.case.caseNo],
      ['approve', false, null, null, null, plain.case.caseNo],
      ['accept', true, 'own', 'P-ACCEPT-1', null, plain.case.caseNo],
    ]);
    expect(rows[0]).toMatchObject({
      staffNo: acceptor,
      item: 'SG-002',
      rule: decision.rule,
      reasons: decision.reasons,
      policyVersion: decision.policyVersion,
      askedBy: expect.stringMatching(/^token:/),
    });
    expect(rows[0].at.toISOString()).toBe('2026-03-05T02:00:00.000Z');
    expect(rows[3].reasons).toEqual(d.reasons);
  });
});
