/**
 * Responsibility and the recommended level of handling printed on a ruling, read from the
 * misconduct policy file (`policies/misconduct.yaml`, the bureau's scheme of six levels).
 *
 * Verification comes before misconduct in the dependency order, so it reads the policy FILE
 * (data every module may read), not the misconduct module's code. A ruling's level is a
 * recommendation before investigation: the fault type's base level at the first (ordinary)
 * severity, kept within [floor, highest level], then the responsibility's delta (直接责任 0,
 * 主要领导责任 -1, 重要领导责任 -2; not below 0) — steps 2, 5 and 6 of the policy's grading.
 * Factors, exemptions and repeats are for the misconduct investigation to weigh.
 *
 * Apportioning (the lead's rule): whoever committed a failing act (a finding's staff) bears
 * direct responsibility (handler); the case's reviewer principal supervisory responsibility;
 * its approver (who decided) important supervisory responsibility. A person is named once, with
 * the heaviest share.
 *
 * @example
 * apportion([{ check: 'timely', faultType: 'late-completion', staff: ['S010'] }], { reviewer: 'S009', approver: 'S010' })
 * // [{ staff: 'S010', role: 'handler', faultTypes: ['late-completion'] }, { staff: 'S009', role: 'reviewer', ... }]
 * recommendedLevel(handlingPolicy(), ['late-completion'], 'reviewer') // 0 (1 - 1)
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { DocLocale } from '../documents/index.ts';
import { policiesDir } from '../paths.ts';
import { loadYamlFile } from '../platform/policy-file.ts';

const name = z.looseObject({ 'zh-CN': z.string(), en: z.string() });
const schema = z.looseObject({
  levels: z.array(z.looseObject({ level: z.number().int(), name })).min(1),
  severities: z.array(z.looseObject({ code: z.string(), name })).min(1),
  floor: z.number().int().min(0).default(1),
  faultTypes: z.array(
    z.looseObject({ code: z.string(), name, base: z.record(z.string(), z.number().int()) }),
  ),
  responsibility: z.array(z.looseObject({ code: z.string(), name, delta: z.number().int() })),
});
export type HandlingPolicy = z.output<typeof schema>;

export const misconductPolicyFile = join(policiesDir, 'misconduct.yaml');
let cached: { mtimeMs: number; policy: HandlingPolicy } | undefined;

/** The misconduct policy's levels, fault types and responsibility (re-read when the file changes). */
export function handlingPolicy(file = misconductPolicyFile): HandlingPolicy {
  const mtimeMs = statSync(file).mtimeMs;
  if (cached?.mtimeMs !== mtimeMs)
    cached = { mtimeMs, policy: loadYamlFile(file, readFileSync(file, 'utf8'), schema) };
  return cached.policy;
}

export type Responsibility = 'handler' | 'reviewer' | 'approver';
const WEIGHT: Record<Responsibility, number> = { handler: 0, reviewer: 1, approver: 2 };

export interface Share {
  staff: string;
  role: Responsibility;
  /** The fault types of the failures the share is for. */
  faultTypes: string[];
}

/** Who bears which share of the failures of a case. */
export function apportion(
  failures: { faultType: string; staff: string[] }[],
  people: { reviewer?: string | null; approver?: string | null },
): Share[] {
  if (failures.length === 0) return [];
  const all = [...new Set(failures.map((f) => f.faultType))];
  const shares = new Map<string, Share>();
  const put = (staff: string | null | undefined, role: Responsibility, faultTypes: string[]) => {
    if (!staff) return;
    const old = shares.get(staff);
    if (!old) shares.set(staff, { staff, role, faultTypes: [...faultTypes] });
    else if (WEIGHT[role] < WEIGHT[old.role]) shares.set(staff, { staff, role, faultTypes: [...faultTypes] });
    else if (role === old.role) old.faultTypes = [...new Set([...old.faultTypes, ...faultTypes])];
  };
  for (const f of failures) for (const s of f.staff) put(s, 'handler', [f.faultType]);
  put(people.reviewer, 'reviewer', all);
  put(people.approver, 'approver', all);
  return [...shares.values()].sort((a, b) => WEIGHT[a.role] - WEIGHT[b.role] || (a.staff < b.staff ? -1 : 1));
}

/** The recommended level (0: no handling) for a share; the gravest of its fault types. */
export function recommendedLevel(policy: HandlingPolicy, faultTypes: string[], role: Responsibility): number {
  const max = policy.levels.length;
  const severity = policy.severities[0].code;
  let level = 0;
  for (const code of faultTypes) {
    const fault = policy.faultTypes.find((f) => f.code === code);
    if (!fault) continue;
    const base = fault.base[severity] ?? Math.min(...Object.values(fault.base));
    level = Math.max(level, Math.min(max, Math.max(policy.floor, base)));
  }
  if (level === 0) return 0;
  const delta = policy.responsibility.find((r) => r.code === role)?.delta ?? 0;
  return Math.min(max, Math.max(0, level + delta));
}

/** The name of a level in a locale (`0`: no handling). */
export function levelLabel(policy: HandlingPolicy, level: number, locale: DocLocale): string {
  const l = policy.levels.find((x) => x.level === level);
  if (!l) return locale === 'zh-CN' ? '不予处理' : 'no handling';
  return locale === 'zh-CN' ? `第${level}级：${l.name['zh-CN']}` : `level ${level}: ${l.name.en}`;
}

/** 直接责任 / Direct responsibility. */
export function responsibilityLabel(policy: HandlingPolicy, role: Responsibility, locale: DocLocale): string {
  return policy.responsibility.find((r) => r.code === role)?.name[locale] ?? role;
}

/** A fault type's name in a locale. */
export function faultTypeLabel(policy: HandlingPolicy, code: string, locale: DocLocale): string {
  return policy.faultTypes.find((f) => f.code === code)?.name[locale] ?? code;
}
