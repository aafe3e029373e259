/**
 * `policies/cases.yaml`: the ledger's rules a bureau may change without code (yellow lead,
 * red-card follow-up period, the Art. 32 notice period), validated with zod at load.
 *
 * @example
 * getCasePolicy() // { version: 1, yellowLeadDays: 1, followUpDays: 2, deemedAcceptanceDays: 5 }
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { policiesDir } from '../paths.ts';
import { contentHash } from '../platform/hash.ts';
import { loadYamlFile } from '../platform/policy-file.ts';

const days = (max: number) => z.number().int('must be a whole number of working days').min(0).max(max);

export const casePolicySchema = z.strictObject({
  version: z.literal(1),
  yellowLeadDays: days(30).default(1),
  followUpDays: days(60).default(2),
  deemedAcceptanceDays: days(60).default(5),
});
export type CasePolicy = z.output<typeof casePolicySchema>;

export const defaultCasePolicy: CasePolicy = {
  version: 1,
  yellowLeadDays: 1,
  followUpDays: 2,
  deemedAcceptanceDays: 5,
};

export const casePolicyFile = join(policiesDir, 'cases.yaml');

/** Loads and checks a cases policy file; throws PolicyError naming the line of every problem. */
export function loadCasePolicy(file = casePolicyFile): CasePolicy {
  return loadYamlFile(file, readFileSync(file, 'utf8'), casePolicySchema);
}

let cached: CasePolicy | undefined;

/** The shipped policy, loaded once (a deployment changes it). */
export function getCasePolicy(): CasePolicy {
  cached ??= loadCasePolicy();
  return cached;
}

/** A short fingerprint of a policy, stored with each derived row it shaped. */
export const casePolicyVersion = (p: CasePolicy) => contentHash(p).slice(0, 12);
