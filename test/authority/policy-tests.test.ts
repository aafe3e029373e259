/**
 * Runs every policy test of policies/tests/authority-*.yaml against the shipped policies and the
 * demo bureau: each listed item x action must be allowed, everything else denied. Also checks that
 * the runner catches a wrong table, and that the demo's policies leave no action on a window item
 * without someone allowed to do it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { caseActions } from '../../src/authority/actions.ts';
import { AuthorityEngine } from '../../src/authority/engine.ts';
import { readPolicyDir } from '../../src/authority/policy.ts';
import { runPolicyTestFile } from '../../src/authority/policy-tests.ts';
import { authorityPolicyDir } from '../../src/authority/service.ts';
import { snapshotFromOrgDocument } from '../../src/authority/snapshot.ts';
import type { CaseContext } from '../../src/authority/types.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { policiesDir } from '../../src/paths.ts';

const testsDir = join(policiesDir, 'tests');
const files = readdirSync(testsDir)
  .filter((f) => f.startsWith('authority-') && f.endsWith('.yaml'))
  .sort();

describe('policy tests of the demo bureau', () => {
  it('there are policy tests for every policy file', () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });
  for (const file of files) {
    describe(file, () => {
      const result = runPolicyTestFile(join(testsDir, file));
      for (const t of result.tests) {
        it(t.name, () => {
          const shown = t.failures
            .slice(0, 5)
            .map(
              (f) =>
                `${f.item} ${f.action}: expected ${f.expected ? 'allow' : 'deny'}, got ${f.got ? 'allow' : 'deny'} — ${f.reasons.join(' | ')}`,
            );
          expect(shown).toEqual([]);
          expect(t.decisions).toBe(54 * 18);
        });
      }
    });
  }
});

describe('the policy test runner', () => {
  it('reports a table that does not match the policies', () => {
    const result = runPolicyTestFile(
      fileURLToPath(new URL('./fixtures/wrong-expectations.yaml', import.meta.url)),
    );
    const failures = result.tests[0].failures.map(
      (f) => `${f.item} ${f.action} expected=${f.expected} got=${f.got}`,
    );
    expect(failures).toContain('SG-002 approve expected=true got=false');
    // delivery is allowed but not listed: once as "not listed", once for the explicit deny row
    expect(failures.filter((f) => f === 'SG-002 deliver expected=false got=true')).toHaveLength(2);
    expect(failures).toContain('SG-001 deliver expected=false got=true');
  });
});

describe('the demo policies are complete', () => {
  it('every action on every window item has someone allowed to do it', () => {
    const doc = demoOrg(1);
    const engine = new AuthorityEngine(
      snapshotFromOrgDocument({ ...doc, absences: [] }, { policies: [readPolicyDir(authorityPolicyDir)] }),
    );
    const at = new Date('2026-03-05T04:00:00Z');
    const base = { caseNo: 'C', channel: 'window' as const, project: null };
    const cases: CaseContext[] = [
      { ...base, route: 'normal', stage: 'intake' },
      { ...base, route: 'normal', stage: 'decision', seal: 'special' },
      { ...base, route: 'normal', stage: 'decision', seal: 'official' },
      { ...base, route: 'parallel', stage: 'decision' },
    ];
    const staff = doc.staff!.map((s) => s.no);
    const missing: string[] = [];
    for (const item of doc.items!.filter((i) => i.atWindow !== false)) {
      for (const action of [...caseActions, 'approve_extension']) {
        const someone = cases.some((c) =>
          staff.some((s) => engine.decide({ staff: s, action, item: item.code, at, case: c }).allowed),
        );
        if (!someone) missing.push(`${item.code} ${action}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
