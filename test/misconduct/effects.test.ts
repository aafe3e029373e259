/**
 * Effects on authority and on the rotation list, and the role rules of the workflow: a matter
 * heading for level 6 suspends the person's authority until decided; level 5 puts them on the
 * must-move list; an appeal that changes the decision ends or changes the effects; four eyes and
 * 回避 (an inspector or leader concerned in the matter cannot take it or decide it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/authority/service.ts';
import { listSuspensions } from '../../src/authority/suspensions.ts';
import { isBarredFromMerit, listMustMove } from '../../src/misconduct/effects.ts';
import { loginAs } from '../helpers.ts';
import {
  expectStatus,
  get,
  type MisconductTestApp,
  misconductApp,
  openInvestigation,
  post,
  S,
  setToday,
} from './support.ts';

let t: MisconductTestApp;
beforeAll(async () => {
  t = await misconductApp();
});
afterAll(() => t?.close());

const openSuspensions = async (staff: string) =>
  (await listSuspensions(t.db, { staff, open: true })).map((s) => s.ref);

describe('level 6: authority suspended from the proposal until the decision', () => {
  let id: number;
  it('suspends when the proposal heads for level 6', async () => {
    setToday('2026-03-02');
    id = await openInvestigation(t, [S.other], '超越权限审批，情节特别严重');
    expect(await openSuspensions(S.other)).toEqual([]);
    const r = await post(t, `/api/misconduct/matters/${id}/propose`, t.as.inspector, {
      faultType: 'unauthorised-action',
      severity: 'grave',
      summary: '超越权限核发证书。',
    });
    expectStatus(r, 200);
    expect(r.json.persons[0]).toMatchObject({ staff: S.other, computed: 6 });
    expect(await openSuspensions(S.other)).toEqual([`misconduct:${id}`]);
    // The authority engine honours it: the approver may approve nothing while suspended.
    const asked = await decide(t.db, { staff: S.other, action: 'approve', item: 'SG-001', at: new Date() });
    expect(asked.allowed).toBe(false);
    expect(asked.reasons.join(' ')).toContain(`misconduct:${id}`);
    const hr = await get(t, `/api/misconduct/effects?staff=${S.other}&active=true`, t.as.hr);
    expect(hr.json.map((e: any) => e.kind)).toEqual(['suspension']);
  });

  it('keeps the suspension when the proposal is returned, lifts it when a new proposal is lower', async () => {
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/return`, t.as.leader, { reason: '补充调查是否故意。' }),
      200,
    );
    expect(await openSuspensions(S.other)).toEqual([`misconduct:${id}`]);
    const r = await post(t, `/api/misconduct/matters/${id}/propose`, t.as.inspector, {
      faultType: 'unauthorised-action',
      severity: 'serious',
      summary: '经补充调查，情节严重但非特别严重。',
    });
    expectStatus(r, 200);
    expect(r.json.persons[0].computed).toBe(4);
    expect(await openSuspensions(S.other)).toEqual([]);
  });

  it('suspends again when heading for 6, and lifts at the decision, which refers for sanction', async () => {
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/return`, t.as.leader, { reason: '再次核实。' }),
      200,
    );
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/propose`, t.as.inspector, {
        faultType: 'unauthorised-action',
        severity: 'serious',
        factors: ['intent', 'obstruction'],
        summary: '故意且阻挠调查。',
      }),
      200,
    );
    expect(await openSuspensions(S.other)).toEqual([`misconduct:${id}`]);
    const d = await post(t, `/api/misconduct/matters/${id}/decide`, t.as.leader, {});
    expectStatus(d, 200);
    expect(d.json.persons).toEqual([{ staffNo: S.other, level: 6, exempt: false }]);
    expect(await openSuspensions(S.other)).toEqual([]);
    const after = await decide(t.db, {
      staff: S.other,
      action: 'approve',
      item: 'SG-001',
      at: new Date(Date.now() + 1000),
    });
    expect(after.allowed).toBe(true);
    const hr = await get(t, `/api/misconduct/effects?staff=${S.other}`, t.as.hr);
    expect(hr.json.map((e: any) => [e.kind, e.active])).toEqual([
      ['suspension', false],
      ['suspension', false],
      ['merit_bar', true],
      ['sanction_referral', true],
    ]);
  });
});

describe('level 5: the rotation must-move list', () => {
  let id: number;
  it('puts the person on the list from the decision day', async () => {
    setToday('2026-03-02');
    id = await openInvestigation(t, [S.clerk2], '收受申请人礼品');
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/propose`, t.as.inspector, {
        faultType: 'gifts-accepted',
        severity: 'serious',
        summary: '收受购物卡，情节严重。',
      }),
      200,
    );
    expect(await listMustMove(t.db, '2026-03-03')).toEqual([]);
    setToday('2026-03-03');
    expectStatus(await post(t, `/api/misconduct/matters/${id}/decide`, t.as.leader, {}), 200);
    expect(await listMustMove(t.db, '2026-03-02')).toEqual([]);
    const list = await listMustMove(t.db, '2026-03-03');
    expect(list).toEqual([
      { staff: S.clerk2, matterId: id, level: 5, reason: expect.stringContaining('调离工作岗位或离岗培训') },
    ]);
    expect(list[0].reason).toMatch(/泉建纪〔2026〕\d+号/);
  });

  it('takes the person off when an appeal lowers the level, and keeps the history', async () => {
    setToday('2026-03-04');
    expectStatus(await post(t, `/api/misconduct/matters/${id}/notify`, t.as.inspector, {}), 200);
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/appeal`, t.as.clerk2, {
        staff: S.clerk2,
        grounds: '系误收，已退还。',
      }),
      200,
    );
    setToday('2026-03-06');
    const r = await post(t, `/api/misconduct/matters/${id}/appeal-decision`, t.as.leader2, {
      staff: S.clerk2,
      outcome: 'changed',
      level: 3,
      reason: '已主动退还，改为诫勉教育。',
    });
    expectStatus(r, 200);
    expect((await listMustMove(t.db, '2026-03-05')).map((m) => m.staff)).toEqual([S.clerk2]);
    expect(await listMustMove(t.db, '2026-03-06')).toEqual([]);
    expect(await isBarredFromMerit(t.db, S.clerk2, 2026)).toBe(true);
  });

  it('a revoked decision ends every effect, the 评优评先 bar too', async () => {
    const id2 = await openInvestigation(t, [S.hr], '擅离岗位');
    expectStatus(
      await post(t, `/api/misconduct/matters/${id2}/propose`, t.as.inspector, {
        faultType: 'absent-from-post',
        summary: '擅离岗位半日。',
      }),
      200,
    );
    setToday('2026-03-09');
    expectStatus(await post(t, `/api/misconduct/matters/${id2}/decide`, t.as.leader, {}), 200);
    expect(await isBarredFromMerit(t.db, S.hr, 2026)).toBe(true);
    expectStatus(await post(t, `/api/misconduct/matters/${id2}/notify`, t.as.inspector, {}), 200);
    expectStatus(
      await post(t, `/api/misconduct/matters/${id2}/appeal`, t.as.inspector, {
        staff: S.hr,
        grounds: '当日经批准外出。',
      }),
      200,
    );
    const r = await post(t, `/api/misconduct/matters/${id2}/appeal-decision`, t.as.leader2, {
      staff: S.hr,
      outcome: 'revoked',
      reason: '查有请假审批记录。',
    });
    expectStatus(r, 200);
    expect(r.json.level).toBe(0);
    expect(await isBarredFromMerit(t.db, S.hr, 2026)).toBe(false);
  });
});

describe('role rules', () => {
  it('an inspector concerned in the matter cannot be assigned it', async () => {
    const r = await post(t, '/api/misconduct/matters', t.as.inspector, {
      source: 'staff',
      staff: [S.inspector2],
      facts: '纪检监察员本人被举报',
      complainant: { anonymous: true },
    });
    expectStatus(r, 201);
    const a = await post(t, `/api/misconduct/matters/${r.json.id}/assign`, t.as.inspector, {
      inspector: 'insp-li',
    });
    expectStatus(a, 409);
    expect(a.json.errors).toEqual([{ path: 'inspector', message: 'concerned in the matter (回避)' }]);
    expectStatus(
      await post(t, `/api/misconduct/matters/${r.json.id}/assign`, t.as.inspector, {
        inspector: 'insp-wang',
      }),
      200,
    );
  });

  it('the inspector who reported a matter cannot investigate it', async () => {
    const rep = await post(t, '/api/misconduct/reports', t.as.inspector2, {
      facts: '发现某窗口人员多次私下收取材料费。',
      concerned: '综合受理岗',
    });
    expectStatus(rep, 201);
    expect(rep.json.trackingCode).toMatch(/^\w{4}-/);
    const a = await post(t, `/api/misconduct/matters/${rep.json.reference}/assign`, t.as.inspector, {
      inspector: 'insp-li',
    });
    expectStatus(a, 409);
    expect(a.json.errors[0].message).toContain('reported');
  });

  it('four eyes: a leader account of the proposer, or a leader concerned, cannot decide', async () => {
    // The proposer (S036) also has a leader account: still the same person.
    const sameStaff = await loginAs(t, 'leader', { name: 'lead-wang', staffNo: S.inspector });
    const concernedLeader = await loginAs(t, 'leader', { name: 'lead-concerned', staffNo: S.clerk });
    const id = await openInvestigation(t, [S.clerk], '未一次性告知');
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/propose`, t.as.inspector, {
        faultType: 'notice-twice',
        summary: '两次补正通知。',
      }),
      200,
    );
    const q = await get(t, '/api/misconduct/queue', sameStaff);
    expect(q.json.find((m: any) => m.id === id).mayDecide).toBe(false);
    const a = await post(t, `/api/misconduct/matters/${id}/decide`, sameStaff, {});
    expectStatus(a, 403);
    expect(a.json.detail).toContain('four eyes');
    expectStatus(await post(t, `/api/misconduct/matters/${id}/decide`, concernedLeader, {}), 403);
    expectStatus(await post(t, `/api/misconduct/matters/${id}/return`, sameStaff, { reason: 'x' }), 403);
    expectStatus(await post(t, `/api/misconduct/matters/${id}/decide`, t.as.leader2, {}), 200);
    // Deciding twice is a conflict, not a second decision.
    expectStatus(await post(t, `/api/misconduct/matters/${id}/decide`, t.as.leader, {}), 409);
  });

  it('every step in the wrong stage is a conflict', async () => {
    const id = await openInvestigation(t, [S.clerk], '迟延办结');
    expectStatus(await post(t, `/api/misconduct/matters/${id}/decide`, t.as.leader, {}), 409);
    expectStatus(await post(t, `/api/misconduct/matters/${id}/notify`, t.as.inspector, {}), 409);
    expectStatus(await post(t, `/api/misconduct/matters/${id}/close`, t.as.inspector, {}), 409);
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/appeal`, t.as.clerk, { staff: S.clerk, grounds: 'x' }),
      409,
    );
    expectStatus(await post(t, `/api/misconduct/matters/${id}/start`, t.as.inspector), 409);
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/appeal-decision`, t.as.leader, {
        staff: S.clerk,
        outcome: 'upheld',
        reason: 'x',
      }),
      409,
    );
  });

  it('an appeal after the period is refused', async () => {
    setToday('2026-04-01');
    const id = await openInvestigation(t, [S.clerk], '办结未公告');
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/propose`, t.as.inspector, {
        faultType: 'not-announced',
        summary: '未公告。',
      }),
      200,
    );
    expectStatus(await post(t, `/api/misconduct/matters/${id}/decide`, t.as.leader, {}), 200);
    const n = await post(t, `/api/misconduct/matters/${id}/notify`, t.as.inspector, {});
    expect(n.json.appealUntil).toBe('2026-04-23');
    setToday('2026-04-24');
    const a = await post(t, `/api/misconduct/matters/${id}/appeal`, t.as.clerk, {
      staff: S.clerk,
      grounds: '迟到的申诉',
    });
    expectStatus(a, 409);
    expect(a.json.detail).toContain('2026-04-23');
  });

  it('a repeat within 12 months raises the next proposal', async () => {
    setToday('2026-05-04');
    const id = await openInvestigation(t, [S.clerk], '再次未公告');
    const r = await post(t, `/api/misconduct/matters/${id}/grade`, t.as.inspector, {
      faultType: 'not-announced',
      summary: '再次。',
    });
    expectStatus(r, 200);
    expect(r.json.persons[0].lines.map((l: any) => l.kind)).toEqual(['base', 'repeat']);
    expect(r.json.persons[0].computed).toBe(2);
  });
});
