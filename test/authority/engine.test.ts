/**
 * The authority engine in memory: every grant kind and condition, A/B acting to the day,
 * suspensions to the instant, separation of duties, history across an assignment change and a
 * policy change, the scope, and unknown input.
 */
import { describe, expect, it } from 'vitest';
import { AuthorityEngine } from '../../src/authority/engine.ts';
import { policyHash } from '../../src/authority/policy.ts';
import { type AuthoritySnapshot, snapshotFromOrgDocument } from '../../src/authority/snapshot.ts';
import type { CaseContext, DecisionRequest } from '../../src/authority/types.ts';
import { AppError } from '../../src/platform/errors.ts';
import { cst, smallOrg, smallPolicies } from './fixtures.ts';

const engineWith = (edit?: (s: AuthoritySnapshot) => void) => {
  const snap = snapshotFromOrgDocument(smallOrg(), { policies: [smallPolicies()] });
  edit?.(snap);
  return new AuthorityEngine(snap);
};
const engine = engineWith();
const at = cst('2026-03-10T10:00:00');
const normal: CaseContext = {
  caseNo: 'C1',
  route: 'normal',
  channel: 'window',
  project: null,
  stage: 'intake',
};
const ask = (staff: string, action: string, item: string, c?: CaseContext, when = at, e = engine) =>
  e.decide({ staff, action, item, at: when, case: c } as DecisionRequest);
const reasons = (d: { reasons: string[] }) => d.reasons.join('\n');

describe('grant kinds and conditions', () => {
  it('items: all, with route and channel conditions', () => {
    const d = ask('A1', 'accept', 'P1', normal);
    expect(d).toMatchObject({
      allowed: true,
      via: 'own',
      post: 'P-ACC',
      rule: { file: 'grants.yaml', post: 'P-ACC', grant: 'intake' },
      policyVersion: policyHash(smallPolicies()),
    });
    expect(d.actingFor).toBeUndefined();
    expect(ask('A1', 'accept', 'U1', normal).allowed).toBe(true);
    const parallel = ask('A1', 'accept', 'P1', { ...normal, route: 'parallel' });
    expect(parallel.allowed).toBe(false);
    expect(reasons(parallel)).toContain("it needs route normal, fast_track; the case's is parallel");
    const online = ask('A1', 'receipt', 'P1', { ...normal, channel: 'online' });
    expect(online.allowed).toBe(false);
    expect(reasons(online)).toContain("it needs channel window; the case's is online");
    const noCase = ask('A1', 'receipt', 'P1');
    expect(noCase.allowed).toBe(false);
    expect(reasons(noCase)).toContain('the case route was not given');
  });

  it('items by code', () => {
    expect(ask('Y1', 'deliver', 'P2').allowed).toBe(true);
    const d = ask('Y1', 'deliver', 'P1');
    expect(d.allowed).toBe(false);
    expect(reasons(d)).toContain('grant one-item (grants.yaml) does not apply: it covers the items P2 only');
    expect(d.wouldAllow).toEqual([]);
    expect(reasons(d)).toContain('no post holds a grant that would allow it, under any conditions');
  });

  it('items by listed business and by the post’s own businesses ($post)', () => {
    expect(ask('R1', 'clock_stop', 'L1').allowed).toBe(true);
    expect(reasons(ask('R1', 'clock_stop', 'P1'))).toContain(
      'it covers items of licence; P1 belongs to permit',
    );
    expect(ask('X1', 'approve', 'P2').allowed).toBe(true);
    const other = ask('Y1', 'approve', 'P2');
    expect(other.allowed).toBe(false);
    expect(reasons(other)).toContain(
      'it covers items of licence (the businesses of P-APP-2); P2 belongs to permit',
    );
    expect(other.wouldAllow).toEqual(['P-APP-1']);
    expect(reasons(other)).toContain('it would be allowed through P-APP-1 (A: X1)');
  });

  it('items by kind, with a key-project condition', () => {
    const green = (key: boolean | null): CaseContext => ({
      ...normal,
      route: 'green_channel',
      project: key === null ? null : { code: 'XM', key },
    });
    expect(ask('A1', 'accept', 'P1', green(true))).toMatchObject({
      allowed: true,
      rule: { grant: 'key-intake' },
    });
    expect(reasons(ask('A1', 'accept', 'P2', green(true)))).toContain(
      'it covers committed items; P2 is instant',
    );
    expect(reasons(ask('A1', 'accept', 'P1', green(false)))).toContain('key projects (重点项目) only');
    expect(ask('A1', 'accept', 'P1', green(null)).allowed).toBe(false);
  });

  it('items that may use the approval seal, with a seal condition', () => {
    expect(ask('X1', 'seal', 'P2', { ...normal, seal: 'special' })).toMatchObject({
      allowed: true,
      rule: { grant: 'seal-special' },
    });
    const official = ask('X1', 'seal', 'P1', { ...normal, seal: 'special' });
    expect(official.allowed).toBe(false);
    expect(reasons(official)).toContain("P1 needs the bureau's official seal");
    expect(reasons(ask('X1', 'seal', 'P2', { ...normal, seal: 'official' }))).toContain(
      "it needs seal special; the case's is official",
    );
    expect(reasons(ask('X1', 'seal', 'P2', normal))).toContain('no seal was given');
  });

  it('items at the window, and online items', () => {
    expect(ask('A1', 'return', 'P1', normal).allowed).toBe(true);
    expect(reasons(ask('A1', 'return', 'U1', normal))).toContain('U1 is handled in its unit');
    expect(ask('A1', 'notify_supplement', 'P1').allowed).toBe(true);
    expect(reasons(ask('A1', 'notify_supplement', 'P2'))).toContain('P2 is not handled online');
  });

  it('the stage: given, or read from the history (an accept means the decision stage)', () => {
    const noStage = { ...normal, stage: undefined };
    expect(ask('A1', 'return', 'P1', { ...noStage, history: [] }).allowed).toBe(true);
    const after = ask('A1', 'return', 'P1', {
      ...noStage,
      history: [{ seq: 1, action: 'accept', actor: 'A1' }],
    });
    expect(after.allowed).toBe(false);
    expect(reasons(after)).toContain("it needs stage intake; the case's is decision");
    expect(reasons(ask('A1', 'return', 'P1', noStage))).toContain('the stage is unknown');
  });

  it('the organ head’s powers hold for the head only', () => {
    expect(ask('H1', 'approve_extension', 'L1')).toMatchObject({
      allowed: true,
      via: 'own',
      post: 'bureau.head',
      rule: { file: 'grants.yaml', post: 'bureau.head', grant: 'extension' },
    });
    const d = ask('X1', 'approve_extension', 'P1');
    expect(d.allowed).toBe(false);
    expect(d.wouldAllow).toEqual(['bureau.head']);
    expect(reasons(d)).toContain("this is a power of the organ's head (bureau.head, H1), which X1 is not");
  });

  it('a staff member with no post is told so, with who would be allowed', () => {
    const d = ask('N1', 'approve', 'P1');
    expect(d.allowed).toBe(false);
    expect(reasons(d)).toContain('no grant: N1 holds no post on 2026-03-10');
    expect(d.wouldAllow).toEqual(['P-APP-1']);
  });
});

describe('A/B acting: exactly during A’s recorded absence', () => {
  // X1 is absent 2026-03-02..2026-03-04; X2 is B of P-APP-1 until 2026-03-15.
  it('B acts for A from the first instant of the absence to its last', () => {
    for (const when of ['2026-03-02T00:00:00', '2026-03-03T12:00:00', '2026-03-04T23:59:59']) {
      expect(ask('X2', 'approve', 'P1', undefined, cst(when))).toMatchObject({
        allowed: true,
        via: 'acting-for',
        post: 'P-APP-1',
        actingFor: 'X1',
        rule: { grant: 'approve' },
      });
    }
  });

  it('not a day before and not a day longer', () => {
    const before = ask('X2', 'approve', 'P1', undefined, cst('2026-03-01T23:59:59'));
    const after = ask('X2', 'approve', 'P1', undefined, cst('2026-03-05T00:00:00'));
    expect(before.allowed).toBe(false);
    expect(after.allowed).toBe(false);
    expect(reasons(after)).toContain(
      "X2 is B of P-APP-1 and acts for its A holder X1 only during X1's recorded absence; X1's absence 2026-03-02 to 2026-03-04 (leave) does not cover 2026-03-05",
    );
  });

  it('a clerk acting on their own post is not reported as acting for someone', () => {
    // Y2 holds P-APP-3 (licence) as A and backs up P-APP-2 (licence) while Y1 is absent.
    const d = ask('Y2', 'approve', 'L1', undefined, cst('2026-03-03T10:00:00'));
    expect(d).toMatchObject({ allowed: true, via: 'own', post: 'P-APP-3' });
    // ...but the grant only P-APP-2 has comes through acting.
    expect(ask('Y2', 'deliver', 'P2', undefined, cst('2026-03-03T10:00:00'))).toMatchObject({
      allowed: true,
      via: 'acting-for',
      post: 'P-APP-2',
      actingFor: 'Y1',
    });
  });

  it('B acts on another post of theirs as well (Y1 is B of P-REV, R1 absent on 2026-03-09)', () => {
    expect(ask('Y1', 'review', 'P1', undefined, cst('2026-03-09T10:00:00'))).toMatchObject({
      allowed: true,
      via: 'acting-for',
      actingFor: 'R1',
    });
    expect(ask('Y1', 'review', 'P1', undefined, cst('2026-03-10T10:00:00')).allowed).toBe(false);
  });
});

describe('suspension and leaving', () => {
  const suspended = engineWith((s) => {
    s.suspensions = [
      {
        id: 1,
        staffNo: 'X2',
        from: cst('2026-03-03T10:00:00'),
        liftedAt: cst('2026-03-20T09:00:00'),
        reason: '立案调查',
        ref: 'MC-1',
      },
    ];
  });
  it('nothing at all from the instant of suspension to the instant it is lifted', () => {
    const q = (when: string, action = 'approve') => ask('X2', action, 'P1', undefined, cst(when), suspended);
    expect(q('2026-03-03T09:59:59')).toMatchObject({ allowed: true, via: 'acting-for' });
    const d = q('2026-03-03T10:00:00');
    expect(d.allowed).toBe(false);
    expect(reasons(d)).toContain('X2 is suspended since 2026-03-03T02:00:00.000Z (立案调查, MC-1)');
    expect(q('2026-03-18T10:00:00').allowed).toBe(false); // own post by then, still suspended
    expect(q('2026-03-20T08:59:59').allowed).toBe(false);
    expect(q('2026-03-20T09:00:00')).toMatchObject({ allowed: true, via: 'own' });
  });

  it('an inactive staff member and a withdrawn item', () => {
    const e = engineWith((s) => {
      s.staff.find((x) => x.no === 'A1')!.inactiveFrom = '2026-03-11';
      s.items.find((x) => x.code === 'L1')!.inactiveFrom = '2026-03-11';
    });
    expect(ask('A1', 'accept', 'P1', normal, cst('2026-03-10T23:00:00'), e).allowed).toBe(true);
    expect(reasons(ask('A1', 'accept', 'P1', normal, cst('2026-03-11T00:00:00'), e))).toContain(
      'A1 has been inactive',
    );
    expect(ask('Y1', 'approve', 'L1', undefined, cst('2026-03-10T10:00:00'), e).allowed).toBe(true);
    expect(reasons(ask('Y1', 'approve', 'L1', undefined, cst('2026-03-11T10:00:00'), e))).toContain(
      'L1 left the catalogue on 2026-03-11',
    );
  });
});

describe('separation of duties', () => {
  const withHistory = (history: CaseContext['history']): CaseContext => ({
    ...normal,
    stage: 'decision',
    history,
  });
  it('accept-not-approve: whoever accepted a committed case may not approve it', () => {
    const d = ask(
      'X1',
      'approve',
      'P1',
      withHistory([{ seq: 4, action: 'accept', actor: 'X1', at: '2026-03-09T10:00:00+08:00' }]),
    );
    expect(d.allowed).toBe(false);
    expect(d).toMatchObject({
      post: 'P-APP-1',
      rule: { grant: 'approve' },
      conflict: {
        file: 'separation.yaml',
        rule: 'accept-not-approve',
        event: { seq: 4, action: 'accept', actor: 'X1' },
      },
      wouldAllow: ['P-APP-1'],
    });
    expect(reasons(d)).toContain(
      'separation of duties, rule accept-not-approve (separation.yaml): X1 did accept on this case (seq 4',
    );
    // an instant item is outside the rule; someone else's acceptance does not count; nor does a later one
    expect(ask('X1', 'approve', 'P2', withHistory([{ action: 'accept', actor: 'X1' }])).allowed).toBe(true);
    expect(ask('X1', 'approve', 'P1', withHistory([{ action: 'accept', actor: 'A1' }])).allowed).toBe(true);
    expect(
      ask(
        'X1',
        'approve',
        'P1',
        withHistory([{ action: 'accept', actor: 'X1', at: '2026-03-11T10:00:00+08:00' }]),
      ).allowed,
    ).toBe(true);
  });

  it('no-self-review: nobody reviews what they received or accepted', () => {
    expect(ask('R1', 'review', 'P1', withHistory([{ action: 'receipt', actor: 'A1' }])).allowed).toBe(true);
    const d = ask('R1', 'review', 'P1', withHistory([{ action: 'receipt', actor: 'R1' }]));
    expect(d).toMatchObject({ allowed: false, conflict: { rule: 'no-self-review' } });
  });

  it('extension-not-self: the head does not approve the extension of a case the head decided', () => {
    const d = ask('H1', 'approve_extension', 'P1', withHistory([{ action: 'approve', actor: 'H1' }]));
    expect(d).toMatchObject({ allowed: false, conflict: { rule: 'extension-not-self' } });
    expect(
      ask('H1', 'approve_extension', 'P1', withHistory([{ action: 'approve', actor: 'X1' }])).allowed,
    ).toBe(true);
  });

  it('a denial for another reason mentions the separation rule too', () => {
    const d = ask('A1', 'approve', 'P1', withHistory([{ action: 'accept', actor: 'A1' }]));
    expect(reasons(d)).toContain('rule accept-not-approve (separation.yaml) would refuse it as well');
  });
});

describe('history: the authority in force at a past instant', () => {
  it('across an assignment change (X1 hands P-APP-1 to X2 on 2026-03-16)', () => {
    expect(ask('X1', 'approve', 'P1', undefined, cst('2026-03-15T17:00:00'))).toMatchObject({
      allowed: true,
      via: 'own',
    });
    const later = ask('X1', 'approve', 'P1', undefined, cst('2026-03-16T09:00:00'));
    expect(later.allowed).toBe(false);
    expect(reasons(later)).toContain(
      'X1 holds P-APP-1 as A only from 2020-01-01 to 2026-03-15; 2026-03-16 is outside the assignment',
    );
    expect(ask('X2', 'approve', 'P1', undefined, cst('2026-03-16T09:00:00'))).toMatchObject({
      allowed: true,
      via: 'own',
    });
    expect(ask('X2', 'approve', 'P1', undefined, cst('2026-03-15T17:00:00')).allowed).toBe(false);
  });

  it('across a policy change: the version then in force decides, and says so', () => {
    const v1 = smallPolicies();
    const v2 = {
      ...v1,
      'grants.yaml': v1['grants.yaml'].replace('actions: [approve, return]', 'actions: [return]'),
    };
    const e = new AuthorityEngine(
      snapshotFromOrgDocument(smallOrg(), {
        policies: [v1, v2],
        activatedAt: [new Date(0), cst('2026-03-20T00:00:00')],
      }),
    );
    expect(e.policyVersion).toBe(policyHash(v2));
    const before = ask('X2', 'approve', 'P1', undefined, cst('2026-03-19T23:59:59'), e);
    const after = ask('X2', 'approve', 'P1', undefined, cst('2026-03-20T00:00:00'), e);
    expect(before).toMatchObject({ allowed: true, policyVersion: policyHash(v1) });
    expect(after).toMatchObject({ allowed: false, policyVersion: policyHash(v2) });
    expect(e.versionAt(cst('2020-01-01T00:00:00'))).toBe(policyHash(v1));
  });
});

describe('scope (授权清单)', () => {
  it('lists item x action with the rule, the conditions and the dates', () => {
    const s = engine.scope('X2', cst('2026-03-18T10:00:00'));
    expect(s).toMatchObject({
      staff: 'X2',
      date: '2026-03-18',
      status: 'active',
      policyVersion: policyHash(smallPolicies()),
    });
    expect(s.holdings).toEqual([
      { via: 'own', post: 'P-APP-1', postName: '审批岗一', role: 'A', from: '2026-03-16', to: null },
    ]);
    const key = s.rows.map((r) => `${r.item}:${r.action}:${r.conditions ?? ''}`).sort();
    expect(key).toEqual(
      [
        'P1:approve:',
        'P1:return:',
        'P2:approve:',
        'P2:return:',
        'P2:seal:seal special',
        'U1:approve:',
        'U1:return:',
        'U1:seal:seal special',
      ].sort(),
    );
    expect(s.rows.find((r) => r.item === 'P1' && r.action === 'approve')).toMatchObject({
      via: 'own',
      post: 'P-APP-1',
      rule: { file: 'grants.yaml', post: 'P-APP-*', grant: 'approve' },
      from: '2026-03-16',
      to: null,
    });
    expect(s.separation.map((r) => r.id)).toEqual([
      'accept-not-approve',
      'no-self-review',
      'extension-not-self',
    ]);
  });

  it('acting rows hold for the days of the absence', () => {
    const s = engine.scope('X2', cst('2026-03-03T10:00:00'));
    expect(s.rows.find((r) => r.item === 'P1' && r.action === 'approve')).toMatchObject({
      via: 'acting-for',
      actingFor: 'X1',
      from: '2026-03-02',
      to: '2026-03-04',
    });
    expect(engine.scope('X2', cst('2026-03-05T10:00:00')).rows).toEqual([]);
  });

  it('ends the dates at a coming suspension, and is empty while suspended', () => {
    const e = engineWith((s) => {
      s.suspensions = [
        { id: 1, staffNo: 'Y1', from: cst('2026-04-01T00:00:00'), liftedAt: null, reason: 'x', ref: null },
      ];
    });
    expect(e.scope('Y1', cst('2026-03-10T10:00:00')).rows.find((r) => r.action === 'approve')?.to).toBe(
      '2026-03-31',
    );
    const s = e.scope('Y1', cst('2026-04-02T10:00:00'));
    expect(s).toMatchObject({ status: 'suspended', rows: [] });
    expect(s.reasons[0]).toContain('suspended');
  });
});

describe('unknown input is an error, never a silent deny', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof AppError ? `${e.code} ${e.errors?.[0]?.path}: ${e.message}` : String(e);
    }
    return 'no error';
  };
  it('names what is unknown', () => {
    expect(code(() => ask('S999', 'approve', 'P1'))).toBe(
      'UNPROCESSABLE staff: unknown staff S999: not in the organisation',
    );
    expect(code(() => ask('X1', 'approve', 'Q9'))).toBe(
      'UNPROCESSABLE item: unknown item Q9: not in the catalogue',
    );
    expect(code(() => ask('X1', 'stamp', 'P1'))).toBe('UNPROCESSABLE action: unknown action stamp');
    expect(code(() => ask('X1', 'approve', 'P1', undefined, new Date('nope')))).toBe(
      'UNPROCESSABLE at: at is not a valid instant',
    );
    expect(code(() => engine.scope('S999', at))).toContain('unknown staff S999');
  });
});
