/**
 * The rotation rules file: the shipped defaults are DESIGN.md's, a mistake names its line, plan
 * overrides are checked; the document wording has every text in both languages.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTemplate } from '../../src/documents/index.ts';
import { PolicyError } from '../../src/platform/policy-file.ts';
import { addMonths, historyFacts, yearsBetween } from '../../src/rotation/facts.ts';
import { loadRotationPolicy } from '../../src/rotation/policy.ts';
import { effectivePolicy } from '../../src/rotation/service.ts';

describe('policies/rotation.yaml', () => {
  it('ships the defaults of DESIGN.md', () => {
    const p = loadRotationPolicy();
    expect(p.tenure).toEqual({
      maxYears: { key: 5, other: 8 },
      minYearsBeforeVoluntaryMove: 2,
      coolingOffYears: 3,
    });
    expect(p.skills).toEqual({ minBusinesses: 2, targetBusinesses: 3 });
    expect(p.coverage.roles).toEqual(['A', 'B']);
    expect(p.windowShare.max).toBeCloseTo(1 / 3, 12);
    expect(Math.floor(p.windowShare.max * 6 + 1e-9)).toBe(2);
    expect(p.excludedPosts).toEqual(['P-CHIEF']);
  });

  it('names the line of a mistake', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rotation-policy-'));
    const file = join(dir, 'rotation.yaml');
    const text = `version: 1
tenure:
  maxYears: { key: five, other: 8 }
  minYearsBeforeVoluntaryMove: 2
  coolingOffYears: 3
skills: { minBusinesses: 3, targetBusinesses: 2 }
competence: all
coverage: { roles: [A, B] }
training: { daysPerBusiness: 10, maxNewBusinessesPerRound: 1, roles: [B] }
windowShare: { max: 4/3 }
scope: department
roundIntervalMonths: 12
weights: { move: 10, skillGrowth: 8, trainingDay: 0.1, wish: 5, balance: 4 }
solver: { timeLimitSeconds: 20 }
`;
    writeFileSync(file, text);
    let err: PolicyError | undefined;
    try {
      loadRotationPolicy(file);
    } catch (e) {
      err = e as PolicyError;
    }
    expect(err).toBeInstanceOf(PolicyError);
    const byPath = Object.fromEntries(err!.problems.map((p) => [p.path, p.line]));
    expect(byPath['tenure.maxYears.key']).toBe(3);
    expect(byPath['skills.targetBusinesses']).toBe(6);
    expect(byPath['windowShare.max']).toBe(10);
  });

  it('checks a plan’s overrides and merges them', () => {
    const p = effectivePolicy({ tenure: { maxYears: { key: 4 } }, windowShare: { max: '1/4' } });
    expect(p.tenure.maxYears).toEqual({ key: 4, other: 8 });
    expect(p.windowShare.max).toBe(0.25);
    expect(() => effectivePolicy({ skills: { minBusinesses: 4 } })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    let err: any;
    try {
      effectivePolicy({ weights: { move: -1 } } as any);
    } catch (e) {
      err = e;
    }
    expect(err?.errors.map((x: any) => x.path)).toEqual(['overrides.weights.move']);
  });
});

describe('templates/documents/rotation-plan.yaml', () => {
  it('has every text in zh-CN and en with the same placeholders', () => {
    expect(checkTemplate('rotation-plan')).toEqual([]);
  });
});

describe('dates and tenure', () => {
  it('counts years by the calendar and adds months to month ends', () => {
    expect(yearsBetween('2021-03-01', '2027-03-01')).toBe(6);
    expect(yearsBetween('2020-01-01', '2020-07-01')).toBeCloseTo(182 / 366, 9);
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2027-01-01', 24)).toBe('2029-01-01');
  });

  it('takes tenure from the start of an unbroken run on the post, whatever the role', () => {
    const f = historyFacts([
      { staff: 'S1', post: 'P1', role: 'B', from: '2018-01-01', to: '2019-12-31' },
      { staff: 'S1', post: 'P1', role: 'A', from: '2020-01-01', to: null },
      { staff: 'S2', post: 'P1', role: 'A', from: '2010-01-01', to: '2015-06-30' },
      { staff: 'S2', post: 'P1', role: 'B', from: '2016-01-01', to: '2017-12-31' },
    ]);
    expect(f.tenureStart('S1', 'P1', '2027-01-01')).toBe('2018-01-01');
    expect(f.tenureStart('S2', 'P1', '2027-01-01')).toBeNull();
    expect(f.lastLeft('S2', 'P1', '2027-01-01')).toBe('2017-12-31');
    expect([...f.current('2027-01-01').keys()]).toEqual(['S1']);
  });
});
