/**
 * `policies/verification.yaml`: which checks run, their thresholds, the legal basis printed on
 * rulings and the misconduct fault type each failure counts as. Validated with zod at load; a
 * mistake names the line.
 *
 * @example
 * const p = getVerificationPolicy();
 * p.checks.timely.fastTrackRoutes // ['fast_track']
 * enabledChecks(p)                // ['timely', 'one-notice', ...] in the fixed order of CHECKS
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { policiesDir } from '../paths.ts';
import { contentHash } from '../platform/hash.ts';
import { loadYamlFile } from '../platform/policy-file.ts';

/** The checks of DESIGN.md ("Default rules"), in the order results are stored and shown. */
export const CHECKS = [
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
] as const;
export type CheckName = (typeof CHECKS)[number];

export const isCheckName = (s: unknown): s is CheckName =>
  typeof s === 'string' && (CHECKS as readonly string[]).includes(s);

const ROUTE_NAMES = ['normal', 'fast_track', 'green_channel', 'tolerance', 'parallel'] as const;
const days = (max: number) => z.number().int('must be a whole number of working days').min(0).max(max);
const text = z.string().trim().min(1, 'must not be empty').max(500);
const localized = z.strictObject({ 'zh-CN': text, en: text });
const code = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a fault type code (lower case, digits, dashes)');

const common = {
  enabled: z.boolean().default(true),
  name: localized,
  basis: localized,
  faultType: code,
};

const checksSchema = z.strictObject({
  timely: z.strictObject({
    ...common,
    fastTrackRoutes: z.array(z.enum(ROUTE_NAMES)).default(['fast_track']),
    statutory: z.boolean().default(true),
  }),
  'one-notice': z.strictObject({
    ...common,
    withinWorkingDays: days(60).default(5),
    maxNotices: z.number().int().min(1).max(10).default(1),
  }),
  receipt: z.strictObject({ ...common, withinWorkingDays: days(30).default(0) }),
  'refusal-filed': z.strictObject({
    ...common,
    fileWithinWorkingDays: days(30).default(1),
    appealRightsStages: z.array(z.enum(['intake', 'decision'])).default(['decision']),
  }),
  announced: z.strictObject({ ...common, withinWorkingDays: days(30).default(1) }),
  authorized: z.strictObject(common),
  separation: z.strictObject(common),
  seal: z.strictObject(common),
  tolerance: z.strictObject({
    ...common,
    requireKeyProject: z.boolean().default(true),
    withinCommittedLimit: z.boolean().default(true),
  }),
  'green-channel': z.strictObject({ ...common, requireKeyProject: z.boolean().default(true) }),
  extension: z.strictObject({
    ...common,
    maxDays: days(365).default(10),
    requireApplicantNotified: z.boolean().default(true),
  }),
});

export const verificationPolicySchema = z.strictObject({
  version: z.literal(1),
  checks: checksSchema,
  rulings: z.strictObject({
    numberPrefix: z.string().trim().min(1).max(20),
    organ: localized,
  }),
});
export type VerificationPolicy = z.output<typeof verificationPolicySchema>;
export type CheckConfig<C extends CheckName = CheckName> = VerificationPolicy['checks'][C];

export const verificationPolicyFile = join(policiesDir, 'verification.yaml');

/** Loads and checks a verification policy file; throws PolicyError naming the line of every problem. */
export function loadVerificationPolicy(file = verificationPolicyFile): VerificationPolicy {
  return loadYamlFile(file, readFileSync(file, 'utf8'), verificationPolicySchema);
}

let cached: VerificationPolicy | undefined;

/** The shipped policy, loaded once per process. */
export function getVerificationPolicy(): VerificationPolicy {
  cached ??= loadVerificationPolicy();
  return cached;
}

/** The enabled checks, in the fixed order of CHECKS. */
export function enabledChecks(p: VerificationPolicy): CheckName[] {
  return CHECKS.filter((c) => p.checks[c].enabled);
}

/** A short fingerprint of a policy, stored with each run. */
export const verificationPolicyVersion = (p: VerificationPolicy) => contentHash(p).slice(0, 12);
