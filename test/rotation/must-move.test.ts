/**
 * Must-move from misconduct: a level-5 decision (调离工作岗位或离岗培训) puts the person on the
 * misconduct module's must-move list, and the next rotation plan moves them off their posts with
 * the decision as the reason, however short their tenure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMustMove } from '../../src/misconduct/effects.ts';
import {
  expectStatus,
  type MisconductTestApp,
  misconductApp,
  openInvestigation,
  post,
  S,
  setToday,
} from '../misconduct/support.ts';

let t: MisconductTestApp;
beforeAll(async () => {
  t = await misconductApp();
});
afterAll(() => t?.close());

const draft = async () => {
  const r = await post(t, '/api/rotation/plans', t.as.hr, { date: '2027-01-01', rounds: 1 });
  expectStatus(r, 201);
  return r.json;
};
const postsOf = (plan: any, staff: string) =>
  plan.result.rounds[0].coverageAfter.flatMap((c: any) =>
    (['A', 'B'] as const).filter((r) => c[r].holder === staff).map((_r) => c.post),
  );

describe('must-move from a misconduct decision', () => {
  let before: any;

  it('leaves the person where they are while there is no decision (control)', async () => {
    expect(await listMustMove(t.db, '2027-01-01')).toEqual([]);
    before = await draft();
    const current = before.result.rounds[0].coverageBefore.flatMap((c: any) =>
      (['A', 'B'] as const).filter((r) => c[r].holder === S.clerk2).map(() => c.post),
    );
    expect(current.length).toBeGreaterThan(0);
    expect(postsOf(before, S.clerk2)).toEqual(current);
  });

  it('moves them once a level-5 decision is in force, citing the decision', async () => {
    setToday('2026-03-02');
    const id = await openInvestigation(t, [S.clerk2], '收受申请人礼品');
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/propose`, t.as.inspector, {
        faultType: 'gifts-accepted',
        severity: 'serious',
        summary: '收受购物卡，情节严重。',
      }),
      200,
    );
    setToday('2026-03-03');
    expectStatus(await post(t, `/api/misconduct/matters/${id}/decide`, t.as.leader, {}), 200);
    const list = await listMustMove(t.db, '2027-01-01');
    expect(list.map((m) => m.staff)).toEqual([S.clerk2]);

    const plan = await draft();
    const current = before.result.rounds[0].coverageBefore.flatMap((c: any) =>
      (['A', 'B'] as const).filter((r) => c[r].holder === S.clerk2).map(() => c.post),
    );
    for (const p of current) expect(postsOf(plan, S.clerk2)).not.toContain(p);
    const leaving = plan.result.rounds[0].moves.filter((m: any) => m.staff === S.clerk2 && m.from);
    expect(leaving.length).toBe(current.length);
    for (const m of leaving) {
      expect(m.required).toBe(true);
      const reason = m.reasons.find((r: any) => r.code === 'must-move');
      expect(reason.data.reason).toContain('调离工作岗位或离岗培训');
      expect(reason.data.reason).toMatch(/泉建纪〔2026〕\d+号/);
    }
    expect(plan.result.unmet.filter((u: any) => u.rule === 'must-move')).toEqual([]);
  });
});
