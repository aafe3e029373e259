/**
 * The misconduct policy (`policies/misconduct.yaml`): the levels of handling, fault types with
 * their base levels per severity, aggravating and mitigating factors, exemptions, the repeat
 * rule, responsibility, stage deadlines and the limits of the public form. Validated at load; a
 * bureau may load another scheme (fewer levels, its own fault types) from another file.
 *
 * @example
 * const policy = misconductPolicy();               // policies/misconduct.yaml, cached by mtime
 * const other = loadMisconductPolicy('bureau-x.yaml');
 * policy.levels.length                              // 6 (the cap)
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { policiesDir } from '../paths.ts';
import { loadYamlFile, PolicyError } from '../platform/policy-file.ts';

export const effectKinds = ['merit_bar', 'must_move', 'suspend_until_decided', 'refer_for_sanction'] as const;
export type EffectKind = (typeof effectKinds)[number];

export const stageNames = [
  'registered',
  'assigned',
  'investigating',
  'proposed',
  'decided',
  'notified',
  'appealed',
] as const;

const name = z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
const code = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');
const level = z.number().int().min(1);

const policySchema = z.strictObject({
  version: z.literal(1),
  scheme: z.strictObject({ code, name }),
  levels: z.array(z.strictObject({ level, name, effects: z.array(z.enum(effectKinds)).default([]) })).min(1),
  severities: z.array(z.strictObject({ code, name })).min(1),
  floor: z.number().int().min(0).default(1),
  faultTypes: z
    .array(
      z.strictObject({
        code,
        name,
        category: z.enum(['efficiency', 'service', 'integrity', 'dereliction']),
        check: z.string().min(1).optional(),
        base: z.record(z.string(), level),
      }),
    )
    .min(1),
  factors: z.array(
    z.strictObject({
      code,
      kind: z.enum(['aggravating', 'mitigating']),
      delta: z.number().int(),
      name,
    }),
  ),
  exemptions: z.array(z.strictObject({ code, name })),
  repeat: z.strictObject({ withinMonths: z.number().int().min(1), delta: z.number().int().min(0) }),
  responsibility: z
    .array(
      z.strictObject({ code: z.enum(['handler', 'reviewer', 'approver']), name, delta: z.number().int() }),
    )
    .min(1),
  referrals: z.strictObject({ red_card: code, authority: code }),
  deadlines: z.strictObject(
    Object.fromEntries(stageNames.map((s) => [s, z.number().int().min(1).max(365)])) as Record<
      (typeof stageNames)[number],
      z.ZodNumber
    >,
  ),
  appeal: z.strictObject({ withinWorkingDays: z.number().int().min(1).max(365) }),
  documents: z.strictObject({ numberPrefix: z.string().min(1).max(20), organ: name }),
  evidence: z.strictObject({
    maxBytes: z
      .number()
      .int()
      .min(1)
      .max(50 * 1024 * 1024),
    types: z.array(z.enum(['application/pdf', 'image/jpeg', 'image/png'])).min(1),
  }),
  privacy: z.strictObject({ eraseComplainantAfterYears: z.number().int().min(0).max(30) }),
  publicForm: z.strictObject({
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024),
    maxFactsChars: z.number().int().min(100).max(100_000),
    submit: z.strictObject({ burst: z.number().int().min(1), refillSeconds: z.number().min(1) }),
    lookup: z.strictObject({ burst: z.number().int().min(1), refillSeconds: z.number().min(1) }),
  }),
});

export type MisconductPolicy = z.infer<typeof policySchema>;
export type Responsibility = MisconductPolicy['responsibility'][number]['code'];
export type Localized = z.infer<typeof name>;

/** Checks what zod cannot: levels numbered 1..N, unique codes, references that resolve. */
function crossCheck(p: MisconductPolicy): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  p.levels.forEach((l, i) => {
    if (l.level !== i + 1)
      problems.push({ path: `levels[${i}].level`, message: `must be ${i + 1} (levels in order from 1)` });
  });
  const max = p.levels.length;
  const unique = (list: { code: string }[], path: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.code))
        problems.push({ path: `${path}[${i}].code`, message: `duplicate code ${x.code}` });
      seen.add(x.code);
    });
  };
  unique(p.severities, 'severities');
  unique(p.faultTypes, 'faultTypes');
  unique(p.factors, 'factors');
  unique(p.exemptions, 'exemptions');
  unique(p.responsibility, 'responsibility');
  if (p.floor > max) problems.push({ path: 'floor', message: `above the highest level ${max}` });
  const severities = new Set(p.severities.map((s) => s.code));
  p.faultTypes.forEach((f, i) => {
    if (!(p.severities[0].code in f.base))
      problems.push({ path: `faultTypes[${i}].base`, message: `needs a level for ${p.severities[0].code}` });
    for (const [s, l] of Object.entries(f.base)) {
      if (!severities.has(s))
        problems.push({ path: `faultTypes[${i}].base.${s}`, message: 'unknown severity' });
      if (l > max)
        problems.push({ path: `faultTypes[${i}].base.${s}`, message: `above the highest level ${max}` });
    }
  });
  p.factors.forEach((f, i) => {
    if ((f.kind === 'aggravating') !== f.delta > 0)
      problems.push({
        path: `factors[${i}].delta`,
        message: `a ${f.kind} factor must be ${f.kind === 'aggravating' ? 'positive' : 'negative'}`,
      });
  });
  const faults = new Set(p.faultTypes.map((f) => f.code));
  for (const [k, v] of Object.entries(p.referrals)) {
    if (!faults.has(v)) problems.push({ path: `referrals.${k}`, message: `no fault type ${v}` });
  }
  return problems;
}

/** Loads and checks a policy file; throws PolicyError naming the file, line and path. */
export function loadMisconductPolicy(file: string, text = readFileSync(file, 'utf8')): MisconductPolicy {
  const policy = loadYamlFile(file, text, policySchema);
  const problems = crossCheck(policy);
  if (problems.length) throw new PolicyError(file, problems);
  return policy;
}

export const defaultPolicyFile = join(policiesDir, 'misconduct.yaml');
let cached: { file: string; mtimeMs: number; policy: MisconductPolicy } | undefined;

/** The bureau's policy, re-read when the file changes (so an edited scheme needs no restart). */
export function misconductPolicy(file = defaultPolicyFile): MisconductPolicy {
  const mtimeMs = statSync(file).mtimeMs;
  if (cached && cached.file === file && cached.mtimeMs === mtimeMs) return cached.policy;
  const policy = loadMisconductPolicy(file);
  cached = { file, mtimeMs, policy };
  return policy;
}

/** The text of a localized name. */
export const nameIn = (n: Localized, locale: 'zh-CN' | 'en' = 'zh-CN') => n[locale];

/** The name of a level (e.g. 3 -> 诫勉教育); 0 and exempt have names of their own. */
export function levelName(
  policy: MisconductPolicy,
  lvl: number | 'exempt',
  locale: 'zh-CN' | 'en' = 'zh-CN',
) {
  if (lvl === 'exempt') return locale === 'zh-CN' ? '免予处理' : 'Exempt';
  if (lvl === 0) return locale === 'zh-CN' ? '不予处理' : 'No handling';
  const l = policy.levels[lvl - 1];
  return l ? l.name[locale] : String(lvl);
}

/** The effects a decided level brings. */
export const effectsOf = (policy: MisconductPolicy, lvl: number): EffectKind[] =>
  lvl >= 1 ? (policy.levels[lvl - 1]?.effects ?? []) : [];
