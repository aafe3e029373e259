/**
 * Each rotation rule on a small organisation whose right answer is known by hand, with a control
 * that changes only the rule, so each test fails if the rule is not enforced.
 */
import { describe, expect, it } from 'vitest';
import { planText } from '../../src/rotation/text.ts';
import { hold, holderAfter, holdingsAfter, movesOf, person, plan, post, type SmallOrg } from './support.ts';

/** One window, three posts (a key post knowing `a`, a post knowing `b`, an acceptance post). */
function threePosts(): SmallOrg {
  return {
    posts: [
      post('P1', 'W1', { key: true, businesses: ['a'] }),
      post('P2', 'W1', { businesses: ['b'] }),
      post('P3', 'W1'),
    ],
    staff: [
      person('S1', ['a', 'b']),
      person('S2', ['a', 'c']),
      person('S3', ['b', 'c']),
      person('S4', ['b', 'd']),
      person('S5', ['c', 'd']),
      person('S6', ['c', 'd']),
    ],
    history: [
      hold('S1', 'P1', 'A', '2020-01-01'),
      hold('S2', 'P1', 'B', '2024-01-01'),
      hold('S3', 'P2', 'A', '2023-01-01'),
      hold('S4', 'P2', 'B', '2023-06-01'),
      hold('S5', 'P3', 'A', '2022-01-01'),
      hold('S6', 'P3', 'B', '2022-01-01'),
    ],
  };
}

describe('maximum tenure', () => {
  it('moves the holder of a key post after 5 years; the only other who knows it takes over', async () => {
    const p = await plan(threePosts());
    expect(holdingsAfter(p, 'S1').some((h) => h.startsWith('P1/'))).toBe(false);
    expect(holderAfter(p, 'P1', 'A')).toBe('S2');
    const leave = movesOf(p, 'S1').find((m) => m.from?.post === 'P1')!;
    expect(leave.required).toBe(true);
    expect(leave.reasons).toContainEqual({ code: 'max-tenure', data: { post: 'P1', years: 7, limit: 5 } });
    const cover = p.rounds[0].coverageAfter.find((c) => c.post === 'P1')!;
    expect(cover.A.competent).toBe(true);
    expect(cover.B.competent).toBe(true);
    expect(cover.B.holder).not.toBe('S1');
    expect(p.unmet).toEqual([]);
    expect(p.solver.status).toBe('optimal');
  });

  it('leaves the same holder in place when the limit is higher (control)', async () => {
    const p = await plan(threePosts(), { overrides: { tenure: { maxYears: { key: 10 } } } });
    expect(holderAfter(p, 'P1', 'A')).toBe('S1');
    expect(p.rounds[0].moves).toEqual([]);
  });

  it('applies the limit of other posts too (8 years by default)', async () => {
    const o = threePosts();
    o.history[4] = hold('S5', 'P3', 'A', '2018-06-01');
    const p = await plan(o);
    expect(holdingsAfter(p, 'S5')).not.toContain('P3/A');
    expect(movesOf(p, 'S5')[0].reasons[0]).toMatchObject({
      code: 'max-tenure',
      data: { post: 'P3', limit: 8 },
    });
  });
});

describe('minimum tenure before a voluntary move', () => {
  /** S1 holds P1 since 10 months and wishes P2, whose A is vacant and which S1 knows. */
  const org = (): SmallOrg => ({
    posts: [post('P1', 'W1'), post('P2', 'W1', { businesses: ['b'] })],
    staff: [
      person('S1', ['a', 'b']),
      person('S2', ['a', 'b']),
      person('S3', ['a', 'b']),
      person('S4', ['a', 'b']),
    ],
    history: [
      hold('S1', 'P1', 'A', '2026-03-01'),
      hold('S2', 'P1', 'B', '2023-01-01'),
      hold('S3', 'P2', 'B', '2023-01-01'),
    ],
  });
  const wish = [{ staff: 'S1', post: 'P2', kind: 'prefer' as const }];
  const strongWishes = { weights: { wish: 500 }, windowShare: { max: 1 } };

  it('keeps a person with under 2 years in post, even against a strong wish', async () => {
    const p = await plan(org(), { wishes: wish, overrides: strongWishes });
    expect(holderAfter(p, 'P1', 'A')).toBe('S1');
    expect(p.unmet.filter((u) => u.rule === 'min-tenure')).toEqual([]);
  });

  it('grants the wish when the minimum is lowered (control)', async () => {
    const p = await plan(org(), {
      wishes: wish,
      overrides: { ...strongWishes, tenure: { minYearsBeforeVoluntaryMove: 0.5 } },
    });
    expect(holdingsAfter(p, 'S1')).toContain('P2/A');
    expect(movesOf(p, 'S1').flatMap((m) => m.reasons.map((r) => r.code))).toContain('wish');
  });

  it('moves a person on the must-move list whatever their tenure, with the reason given', async () => {
    const p = await plan(org(), {
      mustMove: [
        { staff: 'S1', reason: '处理决定 泉建纪〔2026〕3号', source: 'misconduct', matterId: 3, level: 5 },
      ],
    });
    expect(holdingsAfter(p, 'S1').some((h) => h.startsWith('P1/'))).toBe(false);
    const m = movesOf(p, 'S1').find((x) => x.from?.post === 'P1')!;
    expect(m.required).toBe(true);
    expect(m.reasons).toContainEqual({ code: 'must-move', data: { reason: '处理决定 泉建纪〔2026〕3号' } });
    expect(p.unmet).toEqual([]);
  });
});

describe('cooling-off before returning to a post', () => {
  /** S1 must leave key post P1 (7 years); P2 is one S1 left 1.5 years ago; P3 is the other choice. */
  const org = (): SmallOrg => ({
    posts: [post('P1', 'W1', { key: true }), post('P2', 'W1'), post('P3', 'W1')],
    staff: ['S1', 'S2', 'S3', 'S4', 'S5'].map((no) => person(no, ['a', 'b'])),
    history: [
      hold('S1', 'P2', 'A', '2015-01-01', '2019-12-31'),
      hold('S1', 'P1', 'A', '2020-01-01'),
      hold('S2', 'P1', 'B', '2023-01-01'),
      hold('S3', 'P2', 'B', '2023-01-01'),
      hold('S4', 'P3', 'B', '2023-01-01'),
      hold('S5', 'P2', 'A', '2022-01-01', '2025-06-30'),
    ],
  });
  const opts = {
    wishes: [{ staff: 'S1', post: 'P2', kind: 'prefer' as const }],
    overrides: { weights: { wish: 50 }, windowShare: { max: 1 } },
  };

  it('does not send a person back to a post left within 3 years', async () => {
    const o = org();
    // S1 left P2 at the end of 2019 under this history; make the departure recent.
    o.history[0] = hold('S1', 'P2', 'A', '2015-01-01', '2025-06-30');
    o.history[5] = hold('S5', 'P3', 'A', '2020-01-01', '2025-06-30');
    const p = await plan(o, opts);
    expect(holdingsAfter(p, 'S1').some((h) => h.startsWith('P2/'))).toBe(false);
    expect(holdingsAfter(p, 'S1').some((h) => h.startsWith('P1/'))).toBe(false);
    expect(p.unmet.filter((u) => u.rule === 'cooling-off')).toEqual([]);
  });

  it('allows the return once the cooling-off has passed (control)', async () => {
    const p = await plan(org(), opts);
    expect(holdingsAfter(p, 'S1').some((h) => h.startsWith('P2/'))).toBe(true);
  });
});

describe('declared conflicts of interest', () => {
  it('never places a person on a post whose business their conflict names, and moves them off one', async () => {
    const o: SmallOrg = {
      posts: [post('P1', 'W1', { businesses: ['a'] }), post('P2', 'W1', { businesses: ['b'] })],
      staff: [
        person('S1', ['a', 'b'], { conflicts: [{ item: 'JZ-003', business: 'a' }] }),
        person('S2', ['a', 'b']),
        person('S3', ['a', 'b']),
        person('S4', ['a', 'b']),
      ],
      history: [
        hold('S1', 'P1', 'A', '2024-01-01'),
        hold('S2', 'P1', 'B', '2024-01-01'),
        hold('S3', 'P2', 'A', '2024-01-01'),
        hold('S4', 'P2', 'B', '2024-01-01'),
      ],
    };
    const p = await plan(o, { overrides: { windowShare: { max: 1 } } });
    expect(holdingsAfter(p, 'S1').some((h) => h.startsWith('P1/'))).toBe(false);
    const leave = movesOf(p, 'S1').find((m) => m.from?.post === 'P1')!;
    expect(leave.reasons).toContainEqual({
      code: 'conflict',
      data: { item: 'JZ-003', business: 'a', post: 'P1' },
    });
    expect(p.rounds[0].coverageAfter.every((c) => c.A.competent && c.B.competent)).toBe(true);
  });
});

describe('coverage: a competent A and B on every post', () => {
  /** Only S1 knows survey-design; S1 is A of P-APPROVE-2, its B has to be found. */
  const org = (): SmallOrg => ({
    posts: [
      post('P-APPROVE-2', 'W1', { key: true, businesses: ['survey-design'] }),
      post('P-ACCEPT-1', 'W1'),
    ],
    staff: [person('S001', ['survey-design', 'x']), person('S005', ['x', 'y']), person('S006', ['x', 'y'])],
    history: [
      hold('S001', 'P-APPROVE-2', 'A', '2024-01-01'),
      hold('S005', 'P-ACCEPT-1', 'A', '2024-01-01'),
      hold('S006', 'P-ACCEPT-1', 'B', '2024-01-01'),
    ],
  });

  it('trains someone for the B seat before the effective date', async () => {
    const p = await plan(org(), { overrides: { windowShare: { max: 1 } } });
    const b = holderAfter(p, 'P-APPROVE-2', 'B');
    expect(['S005', 'S006']).toContain(b);
    const m = movesOf(p, b!).find((x) => x.to?.post === 'P-APPROVE-2')!;
    expect(m.training).toEqual({ businesses: ['survey-design'], days: 10, before: '2027-01-01' });
    const c = p.rounds[0].coverageBefore.find((x) => x.post === 'P-APPROVE-2')!;
    expect(c.B.holder).toBeNull();
    const after = p.rounds[0].coverageAfter.find((x) => x.post === 'P-APPROVE-2')!;
    expect(after.B).toMatchObject({ competent: true, viaTraining: true });
    expect(p.unmet).toEqual([]);
  });

  it('explains a rule it cannot keep: no competent B unless someone is trained', async () => {
    const p = await plan(org(), { overrides: { windowShare: { max: 1 }, training: { roles: [] } } });
    const unmet = p.unmet.find((u) => u.rule === 'coverage-B')!;
    expect(unmet).toMatchObject({
      subject: 'P-APPROVE-2',
      data: { kind: 'untrained', businesses: 'survey-design' },
    });
    expect(['S005', 'S006']).toContain(unmet.data.staff);
    expect(planText('en').unmet(unmet)).toBe(
      `No competent B for P-APPROVE-2 unless 职员${unmet.data.staff} (${unmet.data.staff}) is trained in survey-design`,
    );
    expect(planText('zh-CN').unmet(unmet)).toContain('没有胜任的B岗人员，除非');
    expect(p.solver.status).toBe('optimal');
  });

  it('reports a post nobody can cover at all, with who could be trained', async () => {
    const o = org();
    o.staff[0] = person('S001', ['x'], { conflicts: [] });
    const p = await plan(o, {
      overrides: { windowShare: { max: 1 }, training: { maxNewBusinessesPerRound: 0 } },
    });
    const vacant = p.unmet.filter((u) => u.rule === 'coverage-A' || u.rule === 'coverage-B');
    expect(vacant.map((u) => [u.rule, u.data.kind])).toContainEqual(['coverage-B', 'vacant']);
    expect(p.rounds[0].coverageAfter.find((c) => c.post === 'P-APPROVE-2')!.B.holder).toBeNull();
  });
});

describe('share of a window that moves in one round', () => {
  /**
   * Window W1: six staff on three acceptance posts. Three of them wish strongly for W2, where the
   * slots are free; idle staff of the department can refill W1. A third of six is two.
   */
  const org = (): SmallOrg => ({
    posts: [post('P1', 'W1'), post('P2', 'W1'), post('P3', 'W1'), post('Q1', 'W2'), post('Q2', 'W2')],
    // Ten staff for ten slots: nobody needs to hold two posts.
    staff: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10'].map((no) => person(no, ['a', 'b'])),
    history: [
      hold('S1', 'P1', 'A', '2023-01-01'),
      hold('S2', 'P1', 'B', '2023-01-01'),
      hold('S3', 'P2', 'A', '2023-01-01'),
      hold('S4', 'P2', 'B', '2023-01-01'),
      hold('S5', 'P3', 'A', '2023-01-01'),
      hold('S6', 'P3', 'B', '2023-01-01'),
    ],
  });
  const wishes = ['S1', 'S3', 'S5'].map((staff, i) => ({
    staff,
    post: i === 0 ? 'Q1' : 'Q2',
    kind: 'prefer' as const,
  }));
  // A wish is worth a move; holding a W2 post on top of the W1 one (instead of moving) is not.
  const weights = { wish: 1000, balance: 5000 };
  const movedOut = (p: Awaited<ReturnType<typeof plan>>) =>
    ['S1', 'S3', 'S5'].filter((s) => !holdingsAfter(p, s).some((h) => h.startsWith('P')));

  it('moves at most a third of the window, even when more wish to go', async () => {
    const p = await plan(org(), { wishes, overrides: { weights } });
    expect(movedOut(p)).toHaveLength(2);
    expect(movedOut(p).every((s) => holdingsAfter(p, s).some((h) => h.startsWith('Q')))).toBe(true);
    expect(p.unmet).toEqual([]);
    expect(p.solver.status).toBe('optimal');
  });

  it('lets all three go when the share allows it (control)', async () => {
    const p = await plan(org(), { wishes, overrides: { weights, windowShare: { max: 1 } } });
    expect(movedOut(p)).toEqual(['S1', 'S3', 'S5']);
  });

  it('reports the share as not kept when forced moves alone exceed it', async () => {
    const o = org();
    o.history = o.history.map((h) => ({ ...h, from: '2015-01-01' }));
    const p = await plan(o);
    expect(p.unmet).toContainEqual(
      expect.objectContaining({
        rule: 'window-share',
        subject: 'W1',
        data: { window: 'W1', movers: 6, staff: 6, cap: 2 },
      }),
    );
  });
});

describe('businesses each clerk knows', () => {
  it('trains a clerk who knows one business up to the minimum of two', async () => {
    const o: SmallOrg = {
      posts: [post('P1', 'W1', { businesses: ['a'] }), post('P2', 'W1', { businesses: ['b'] })],
      staff: [
        person('S1', ['a']),
        person('S2', ['a', 'b']),
        person('S3', ['a', 'b']),
        person('S4', ['b', 'a']),
      ],
      history: [
        hold('S1', 'P1', 'A', '2025-01-01'),
        hold('S2', 'P1', 'B', '2025-01-01'),
        hold('S3', 'P2', 'A', '2025-01-01'),
        hold('S4', 'P2', 'B', '2025-01-01'),
      ],
    };
    const p = await plan(o);
    expect(p.rounds[0].trainings).toEqual([
      {
        round: 1,
        staff: 'S1',
        staffName: '职员S1',
        businesses: ['b'],
        days: 10,
        before: '2027-01-01',
        knowsBefore: 1,
      },
    ]);
    expect(p.unmet).toEqual([]);
    const none = await plan(o, { overrides: { training: { maxNewBusinessesPerRound: 0 } } });
    expect(none.unmet).toContainEqual(expect.objectContaining({ rule: 'min-skills', subject: 'S1' }));
  });
});

describe('several rounds', () => {
  it('plans yearly rounds, each from the one before', async () => {
    const p = await plan(threePosts(), { rounds: 3 });
    expect(p.rounds.map((r) => r.effectiveDate)).toEqual(['2027-01-01', '2028-01-01', '2029-01-01']);
    // S2 took P1/A in round 1: under the minimum tenure in round 2, not moved again.
    expect(holderAfter(p, 'P1', 'A', 1)).toBe('S2');
    expect(holderAfter(p, 'P1', 'A', 2)).toBe('S2');
    expect(p.solver.note).toMatch(/rolling horizon/);
    expect(p.rounds.every((r) => r.solver.status === 'optimal')).toBe(true);
  });
});
