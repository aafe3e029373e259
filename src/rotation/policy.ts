/**
 * The rotation rules (`policies/rotation.yaml`), validated at load: a mistake stops loading with
 * the file, line and path. Plan parameters may override parts of it for one plan.
 *
 * @example
 * const policy = loadRotationPolicy(); // policies/rotation.yaml
 * policy.tenure.maxYears.key // 5
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { policiesDir } from '../paths.ts';
import { loadYamlFile } from '../platform/policy-file.ts';

const code = z.string().trim().min(1).max(64);
const years = z.number().min(0).max(50);
const weight = z.number().min(0).max(1e4);
/** A share between 0 and 1, as a number (0.25) or an exact fraction ("1/3"). */
const share = z.union([
  z.number().min(0).max(1),
  z
    .string()
    .regex(/^\s*\d+\s*\/\s*[1-9]\d*\s*$/, 'a number between 0 and 1 or a fraction like 1/3')
    .transform((s) => {
      const [a, b] = s.split('/').map((x) => Number(x.trim()));
      return a / b;
    })
    .refine((x) => x <= 1, 'at most 1'),
]);

export const mustMoveSchema = z.strictObject({
  staff: code,
  reason: z.string().trim().min(1).max(500),
  /** Where the entry came from: `policy`, `plan` or `misconduct`. */
  source: z.enum(['policy', 'plan', 'misconduct']).default('policy'),
  matterId: z.number().int().optional(),
  level: z.number().int().min(1).max(6).optional(),
});

export const wishSchema = z.strictObject({
  staff: code,
  post: code,
  kind: z.enum(['prefer', 'avoid']).default('prefer'),
});

export const rotationPolicySchema = z.strictObject({
  version: z.literal(1),
  tenure: z.strictObject({
    maxYears: z.strictObject({ key: years, other: years }),
    minYearsBeforeVoluntaryMove: years,
    coolingOffYears: years,
  }),
  skills: z
    .strictObject({
      minBusinesses: z.number().int().min(0).max(20),
      targetBusinesses: z.number().int().min(0).max(20),
    })
    .refine((s) => s.targetBusinesses >= s.minBusinesses, {
      message: 'targetBusinesses must not be below minBusinesses',
      path: ['targetBusinesses'],
    }),
  competence: z.enum(['all', 'any']),
  coverage: z.strictObject({ roles: z.array(z.enum(['A', 'B'])) }),
  training: z.strictObject({
    daysPerBusiness: z.number().min(0).max(365),
    maxNewBusinessesPerRound: z.number().int().min(0).max(10),
    roles: z.array(z.enum(['A', 'B'])),
  }),
  windowShare: z.strictObject({ max: share }),
  scope: z.enum(['window', 'department', 'bureau']),
  excludedPosts: z.array(code).default([]),
  mustMove: z.array(mustMoveSchema).default([]),
  wishes: z.array(wishSchema).default([]),
  roundIntervalMonths: z.number().int().min(1).max(60),
  weights: z.strictObject({
    move: weight,
    skillGrowth: weight,
    trainingDay: weight,
    wish: weight,
    balance: weight,
  }),
  solver: z.strictObject({ timeLimitSeconds: z.number().min(0.1).max(3600) }),
});

export type RotationPolicy = z.output<typeof rotationPolicySchema>;
export type MustMove = z.output<typeof mustMoveSchema>;
export type Wish = z.output<typeof wishSchema>;

/** Loads and checks the rotation rules; throws PolicyError naming file, line and path. */
export function loadRotationPolicy(file = join(policiesDir, 'rotation.yaml')): RotationPolicy {
  return loadYamlFile(file, readFileSync(file, 'utf8'), rotationPolicySchema);
}

/**
 * What a plan may change of the rules for itself: any top-level section, with its fields optional
 * (objects are merged, lists and values replaced). The merged result is checked again.
 */
export const policyOverridesSchema = z.strictObject({
  tenure: z
    .strictObject({
      maxYears: z.strictObject({ key: years.optional(), other: years.optional() }).optional(),
      minYearsBeforeVoluntaryMove: years.optional(),
      coolingOffYears: years.optional(),
    })
    .optional(),
  skills: z
    .strictObject({
      minBusinesses: z.number().int().min(0).max(20).optional(),
      targetBusinesses: z.number().int().min(0).max(20).optional(),
    })
    .optional(),
  competence: z.enum(['all', 'any']).optional(),
  coverage: z.strictObject({ roles: z.array(z.enum(['A', 'B'])) }).optional(),
  training: z
    .strictObject({
      daysPerBusiness: z.number().min(0).max(365).optional(),
      maxNewBusinessesPerRound: z.number().int().min(0).max(10).optional(),
      roles: z.array(z.enum(['A', 'B'])).optional(),
    })
    .optional(),
  windowShare: z.strictObject({ max: share }).optional(),
  scope: z.enum(['window', 'department', 'bureau']).optional(),
  excludedPosts: z.array(code).optional(),
  mustMove: z.array(mustMoveSchema).optional(),
  wishes: z.array(wishSchema).optional(),
  roundIntervalMonths: z.number().int().min(1).max(60).optional(),
  weights: z
    .strictObject({
      move: weight.optional(),
      skillGrowth: weight.optional(),
      trainingDay: weight.optional(),
      wish: weight.optional(),
      balance: weight.optional(),
    })
    .optional(),
  solver: z.strictObject({ timeLimitSeconds: z.number().min(0.1).max(3600).optional() }).optional(),
});
export type PolicyOverrides = z.input<typeof policyOverridesSchema>;

/** The policy with `overrides` merged in (objects merged, lists and values replaced), re-checked. */
export function withOverrides(
  policy: RotationPolicy,
  overrides: PolicyOverrides | undefined,
): RotationPolicy {
  if (!overrides) return policy;
  const merge = (a: any, b: any): any => {
    if (b === undefined) return a;
    if (Array.isArray(b) || typeof b !== 'object' || b === null) return b;
    const out: any = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = merge(a?.[k], v);
    return out;
  };
  return rotationPolicySchema.parse(merge(policy, overrides));
}
