/**
 * The verification policy file, the wording templates and the responsibility rules, without a
 * database: the shipped files load and agree with each other (every fault type is one the
 * misconduct policy knows, every check has its wording in both languages), a mistake names its
 * line, and the shares and recommended levels follow the misconduct scheme.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTemplate } from '../../src/documents/index.ts';
import { PolicyError } from '../../src/platform/policy-file.ts';
import {
  apportion,
  CHECKS,
  enabledChecks,
  getVerificationPolicy,
  handlingPolicy,
  levelLabel,
  loadVerificationPolicy,
  recommendedLevel,
} from '../../src/verification/index.ts';
import { verificationPolicyFile } from '../../src/verification/policy.ts';
import { describeFailure, describeResult, verificationTemplatesDir } from '../../src/verification/wording.ts';

describe('policies/verification.yaml', () => {
  it('runs every check of DESIGN.md, in order, with the thresholds of the law', () => {
    const p = getVerificationPolicy();
    expect(enabledChecks(p)).toEqual([...CHECKS]);
    expect(p.checks['one-notice'].withinWorkingDays).toBe(5);
    expect(p.checks.extension.maxDays).toBe(10);
    expect(p.checks.announced.withinWorkingDays).toBe(1);
    expect(p.rulings.numberPrefix).toBe('泉建核');
  });

  it('counts each failure as a fault type of the misconduct policy', () => {
    const p = getVerificationPolicy();
    const known = new Set(handlingPolicy().faultTypes.map((f) => f.code));
    for (const c of CHECKS) expect(known, c).toContain(p.checks[c].faultType);
  });

  it('names the line of a mistake', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nk-vpol-'));
    const file = join(dir, 'verification.yaml');
    writeFileSync(
      file,
      readFileSync(verificationPolicyFile, 'utf8').replace('    maxDays: 10', '    maxDays: ten'),
    );
    try {
      loadVerificationPolicy(file);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyError);
      expect((err as PolicyError).problems[0]).toMatchObject({ path: 'checks.extension.maxDays' });
      expect((err as PolicyError).problems[0].line).toBeGreaterThan(90);
    }
  });
});

describe('wording', () => {
  it('has every text in both languages with the same placeholders', () => {
    expect(checkTemplate('ruling')).toEqual([]);
    expect(checkTemplate('findings', { dir: verificationTemplatesDir })).toEqual([]);
    expect(checkTemplate('ui', { dir: verificationTemplatesDir })).toEqual([]);
  });
  it('words a pass and a not-applicable result of every check', () => {
    for (const c of CHECKS) {
      expect(describeResult(c, 'pass', 'zh-CN')).not.toBe('');
      expect(describeResult(c, 'not_applicable', 'en')).not.toBe('');
    }
  });
  it('words a failure as the issue asks', () => {
    const f = {
      problems: ['committed'],
      staff: ['S010'],
      params: { completedOn: '2026-03-12', due: '2026-03-10', days: 2 },
    };
    expect(describeFailure('timely', f, 'zh-CN')).toBe(
      '办结于2026-03-12, 超出承诺时限2个工作日 (承诺期限 2026-03-10)',
    );
  });
});

describe('responsibility and the recommended level', () => {
  const policy = handlingPolicy();
  it('names the handler, the reviewer and the approver once each, the heaviest share first', () => {
    expect(
      apportion([{ faultType: 'not-announced', staff: ['S016'] }], { reviewer: 'S009', approver: 'S010' }),
    ).toEqual([
      { staff: 'S016', role: 'handler', faultTypes: ['not-announced'] },
      { staff: 'S009', role: 'reviewer', faultTypes: ['not-announced'] },
      { staff: 'S010', role: 'approver', faultTypes: ['not-announced'] },
    ]);
    // The approver who also completed late is a handler, not an approver.
    expect(
      apportion([{ faultType: 'late-completion', staff: ['S010'] }], {
        reviewer: 'S009',
        approver: 'S010',
      }).map((s) => [s.staff, s.role]),
    ).toEqual([
      ['S010', 'handler'],
      ['S009', 'reviewer'],
    ]);
    expect(apportion([], { reviewer: 'S009' })).toEqual([]);
  });
  it('takes the base level of the gravest fault, less the share', () => {
    expect(recommendedLevel(policy, ['unauthorised-action'], 'handler')).toBe(3);
    expect(recommendedLevel(policy, ['unauthorised-action'], 'reviewer')).toBe(2);
    expect(recommendedLevel(policy, ['unauthorised-action'], 'approver')).toBe(1);
    expect(recommendedLevel(policy, ['not-announced', 'separation-breach'], 'handler')).toBe(3);
    expect(recommendedLevel(policy, ['not-announced'], 'approver')).toBe(0);
    expect(levelLabel(policy, 3, 'zh-CN')).toBe('第3级：诫勉教育');
    expect(levelLabel(policy, 0, 'en')).toBe('no handling');
  });
});
