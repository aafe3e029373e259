/**
 * Runs the grading tables in policies/tests/misconduct-*.yaml against the shipped policy: each row
 * is an input and the level (and, where given, the kinds of explanation lines) it must give.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { grade } from '../../src/misconduct/grade.ts';
import { misconductPolicy } from '../../src/misconduct/policy.ts';
import { policiesDir } from '../../src/paths.ts';
import { loadYamlFile } from '../../src/platform/policy-file.ts';

const date = z.union([z.string(), z.date().transform((d) => d.toISOString().slice(0, 10))]);
const row = z.strictObject({
  name: z.string().optional(),
  faultType: z.string(),
  severity: z.string().optional(),
  factors: z.array(z.string()).optional(),
  exemptions: z.array(z.string()).optional(),
  prior: z
    .array(z.strictObject({ decidedOn: date, level: z.union([z.number(), z.literal('exempt')]) }))
    .optional(),
  responsibility: z.enum(['handler', 'reviewer', 'approver']).optional(),
  on: date.optional(),
  expect: z.union([z.number().int().min(0), z.literal('exempt')]),
  lines: z.array(z.string()).optional(),
});
const tableFile = z.strictObject({ on: date, cases: z.array(row).min(1) });

const dir = join(policiesDir, 'tests');
const files = readdirSync(dir).filter((f) => /^misconduct-.*\.yaml$/.test(f));

describe('grading tables', () => {
  it('finds the tables', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  const policy = misconductPolicy();
  for (const file of files) {
    const table = loadYamlFile(
      join('policies/tests', file),
      readFileSync(join(dir, file), 'utf8'),
      tableFile,
    );
    describe(file, () => {
      table.cases.forEach((c, i) => {
        it(`${i + 1}. ${c.name ?? `${c.faultType} ${c.severity ?? ''} ${(c.factors ?? []).join(' ')}`} -> ${c.expect}`, () => {
          const result = grade(policy, {
            faultType: c.faultType,
            severity: c.severity,
            factors: c.factors,
            exemptions: c.exemptions,
            priorLevels: c.prior,
            responsibility: c.responsibility,
            on: c.on ?? table.on,
          });
          expect(result.level, result.lines.map((l) => `${l.text} ${l.delta}`).join('\n')).toBe(c.expect);
          if (c.lines) expect(result.lines.map((l) => l.kind)).toEqual(c.lines);
        });
      });
    });
  }

  it('covers every level, factor, exemption and responsibility of the policy', () => {
    const all = files.flatMap((f) => loadYamlFile(f, readFileSync(join(dir, f), 'utf8'), tableFile).cases);
    const levels = new Set(all.map((c) => c.expect));
    for (const l of policy.levels) expect(levels.has(l.level), `level ${l.level}`).toBe(true);
    expect(levels.has('exempt')).toBe(true);
    for (const f of policy.factors)
      expect(
        all.some((c) => c.factors?.includes(f.code)),
        f.code,
      ).toBe(true);
    for (const e of policy.exemptions)
      expect(
        all.some((c) => c.exemptions?.includes(e.code)),
        e.code,
      ).toBe(true);
    for (const r of policy.responsibility)
      expect(
        all.some((c) => c.responsibility === r.code),
        r.code,
      ).toBe(true);
    for (const f of policy.faultTypes)
      expect(
        all.some((c) => c.faultType === f.code),
        f.code,
      ).toBe(true);
  });
});
