import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, GradeError, grade } from '../../src/misconduct/grade.ts';
import { effectsOf, levelName, loadMisconductPolicy, misconductPolicy } from '../../src/misconduct/policy.ts';
import { PolicyError } from '../../src/platform/policy-file.ts';

const policy = misconductPolicy();
const fixtures = join(import.meta.dirname, 'fixtures');

describe('grade', () => {
  it('explains itself: the lines add up to the level, which stays within 0..6', () => {
    const codes = (list: { code: string }[]) => fc.subarray(list.map((x) => x.code));
    fc.assert(
      fc.property(
        fc.constantFrom(...policy.faultTypes.map((f) => f.code)),
        fc.constantFrom(...policy.severities.map((s) => s.code)),
        codes(policy.factors),
        fc.array(
          fc.record({
            decidedOn: fc
              .date({ min: new Date('2024-01-01'), max: new Date('2026-12-31'), noInvalidDate: true })
              .map((d) => d.toISOString().slice(0, 10)),
            level: fc.integer({ min: 0, max: 6 }),
          }),
          { maxLength: 3 },
        ),
        fc.constantFrom('handler', 'reviewer', 'approver' as const),
        (faultType, severity, factors, priorLevels, responsibility) => {
          const r = grade(policy, {
            faultType,
            severity,
            factors,
            priorLevels,
            responsibility,
            on: '2026-03-02',
          });
          expect(typeof r.level).toBe('number');
          const sum = r.lines.reduce((s, l) => s + l.delta, 0);
          expect(sum).toBe(r.level);
          expect(r.level).toBeGreaterThanOrEqual(responsibility === 'handler' ? 1 : 0);
          expect(r.level).toBeLessThanOrEqual(6);
          expect(r.lines[0].kind).toBe('base');
        },
      ),
    );
  });

  it('never gives a lower level for more aggravating factors', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...policy.faultTypes.map((f) => f.code)),
        fc.subarray(policy.factors.filter((f) => f.kind === 'aggravating').map((f) => f.code)),
        (faultType, factors) => {
          const a = grade(policy, { faultType, on: '2026-03-02' }).level as number;
          const b = grade(policy, { faultType, factors, on: '2026-03-02' }).level as number;
          expect(b).toBeGreaterThanOrEqual(a);
        },
      ),
    );
  });

  it('names every unknown code at once', () => {
    try {
      grade(policy, {
        faultType: 'nope',
        severity: 'huge',
        factors: ['intent', 'intent', 'bad'],
        exemptions: ['x'],
        responsibility: 'boss' as any,
        on: '2026-3-2',
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GradeError);
      expect((e as GradeError).problems.map((p) => p.path)).toEqual([
        'faultType',
        'severity',
        'factors[1]',
        'factors[2]',
        'exemptions[0]',
        'responsibility',
        'on',
      ]);
    }
  });

  it('speaks English when asked', () => {
    const r = grade(policy, {
      faultType: 'late-completion',
      factors: ['intent'],
      on: '2026-03-02',
      locale: 'en',
    });
    expect(r.lines.map((l) => l.text)).toEqual([
      'Base level: Completed after the committed limit (Ordinary)',
      'Aggravating: Intent',
    ]);
  });

  it('writes the repeat line with the prior decision', () => {
    const r = grade(policy, {
      faultType: 'late-completion',
      priorLevels: [
        { decidedOn: '2025-06-01', level: 1 },
        { decidedOn: '2025-10-01', level: 3 },
      ],
      on: '2026-03-02',
    });
    expect(r.lines[1]).toEqual({
      kind: 'repeat',
      code: 'repeat',
      text: '12个月内再次发生（2025-10-01 已作 3 级处理）',
      delta: 1,
    });
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-03-02', -12, '2025-03-02'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-12-31', 2, '2027-02-28'],
  ])('%s %i -> %s', (d, n, out) => expect(addMonths(d, n)).toBe(out));
});

describe('policy', () => {
  it('ships six levels with their effects', () => {
    expect(policy.levels.map((l) => l.name['zh-CN'])).toEqual([
      '当年不予评优评先',
      '通报批评',
      '诫勉教育',
      '效能告诫',
      '调离工作岗位或离岗培训',
      '移送行政处分',
    ]);
    expect(effectsOf(policy, 1)).toEqual(['merit_bar']);
    expect(effectsOf(policy, 5)).toContain('must_move');
    expect(effectsOf(policy, 6)).toContain('suspend_until_decided');
    expect(effectsOf(policy, 0)).toEqual([]);
    expect(levelName(policy, 'exempt')).toBe('免予处理');
    expect(levelName(policy, 4, 'en')).toBe('Efficiency warning');
  });

  it('has a fault type for each verification check', () => {
    const checks = policy.faultTypes.map((f) => f.check).filter(Boolean);
    for (const c of [
      'timely',
      'one-notice',
      'receipt',
      'refusal-filed',
      'announced',
      'authorized',
      'separation',
      'seal',
      'tolerance',
      'green-channel',
      'extension',
    ])
      expect(checks).toContain(c);
  });

  it('loads another scheme and caps at its own highest level', () => {
    const four = loadMisconductPolicy(join(fixtures, 'four-levels.yaml'));
    expect(four.levels).toHaveLength(4);
    const r = grade(four, { faultType: 'bribe', factors: ['intent'], on: '2026-03-02' });
    expect(r.level).toBe(4);
    expect(r.lines.map((l) => l.kind)).toEqual(['base', 'factor', 'cap']);
    expect(
      grade(four, {
        faultType: 'late',
        severity: 'serious',
        on: '2026-03-02',
        priorLevels: [{ decidedOn: '2025-08-01', level: 1 }],
      }).level,
    ).toBe(3);
    expect(
      grade(four, {
        faultType: 'late',
        on: '2026-03-02',
        priorLevels: [{ decidedOn: '2025-10-01', level: 1 }],
      }).level,
    ).toBe(2);
  });

  it('refuses a wrong scheme, naming the line and every problem', () => {
    const bad = `version: 1
scheme: { code: x, name: { zh-CN: x, en: x } }
levels:
  - { level: 2, name: { zh-CN: a, en: a } }
severities: [{ code: general, name: { zh-CN: a, en: a } }]
faultTypes:
  - { code: late, name: { zh-CN: a, en: a }, category: efficiency, base: { general: 3, huge: 1 } }
factors:
  - { code: intent, kind: aggravating, delta: -1, name: { zh-CN: a, en: a } }
exemptions: []
repeat: { withinMonths: 12, delta: 1 }
responsibility: [{ code: handler, name: { zh-CN: a, en: a }, delta: 0 }]
referrals: { red_card: late, authority: nope }
deadlines: { registered: 3, assigned: 2, investigating: 20, proposed: 5, decided: 3, notified: 15, appealed: 15 }
appeal: { withinWorkingDays: 10 }
documents: { numberPrefix: X, organ: { zh-CN: X, en: X } }
evidence: { maxBytes: 1000, types: [application/pdf] }
privacy: { eraseComplainantAfterYears: 1 }
publicForm: { maxBodyBytes: 4096, maxFactsChars: 1000, submit: { burst: 1, refillSeconds: 60 }, lookup: { burst: 1, refillSeconds: 60 } }
`;
    let err: PolicyError | undefined;
    try {
      loadMisconductPolicy('bad.yaml', bad);
    } catch (e) {
      err = e as PolicyError;
    }
    expect(err).toBeInstanceOf(PolicyError);
    expect(err!.problems.map((p) => p.path)).toEqual([
      'levels[0].level',
      'faultTypes[0].base.general',
      'faultTypes[0].base.huge',
      'factors[0].delta',
      'referrals.authority',
    ]);
    const typo = bad.replace('delta: -1', 'delta: "x"');
    expect(() => loadMisconductPolicy('bad.yaml', typo)).toThrow(/bad\.yaml:\d+ factors\[0\]\.delta/);
  });
});
