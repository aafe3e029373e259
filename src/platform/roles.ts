/**
 * The roles of neikong's own users, loaded from `policies/roles.yaml` into CASL abilities.
 * Anything the file does not grant is denied.
 *
 * @example
 * const roles = loadRolePolicy('policies/roles.yaml');
 * const ability = abilityFor(roles, { role: 'clerk', staffNo: 'S003' });
 * ability.can('read', subject('Authority', { staff: 'S003' })); // true
 */
import { readFileSync } from 'node:fs';
import { createMongoAbility, type MongoAbility } from '@casl/ability';
import { z } from 'zod';
import { loadYamlFile } from './policy-file.ts';

export const roleNames = ['public', 'clerk', 'inspector', 'hr', 'leader', 'admin', 'system'] as const;
export type RoleName = (typeof roleNames)[number];
/** Roles a person may have as a user (`system` is for API tokens, `public` for nobody logged in). */
export const userRoles = ['clerk', 'inspector', 'hr', 'leader', 'admin'] as const;

export const subjects = [
  'PublicPage',
  'Org',
  'Catalog',
  'Calendar',
  'Staff',
  'User',
  'Token',
  'Policy',
  'AuditLog',
  'Authority',
  'AuthorityDecision',
  'Case',
  'CaseEvent',
  'ApplicantData',
  'Verification',
  'Ruling',
  'RulingVerification',
  'Misconduct',
  'MisconductEffect',
  'Complaint',
  'ComplaintStatus',
  'Rotation',
  'Report',
  'Extension',
  'OwnAccount',
  'all',
] as const;
export const actions = [
  'read',
  'create',
  'update',
  'delete',
  'import',
  'export',
  'verify',
  'decide',
  'manage',
] as const;
export type Subject = (typeof subjects)[number];
export type Action = (typeof actions)[number];

const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);
const grantSchema = z.strictObject({
  action: oneOrMany(z.enum(actions)),
  subject: oneOrMany(z.enum(subjects)),
  conditions: z.record(z.string(), z.unknown()).optional(),
  inverted: z.boolean().optional(),
});
const rolePolicySchema = z.strictObject({
  version: z.literal(1),
  roles: z.partialRecord(z.enum(roleNames), z.array(grantSchema)),
});
export type RolePolicy = z.infer<typeof rolePolicySchema>;

export function loadRolePolicy(file: string): RolePolicy {
  return loadYamlFile(file, readFileSync(file, 'utf8'), rolePolicySchema);
}

export type AppAbility = MongoAbility<[Action, Subject | Record<string, unknown>]>;

/** The ability of one principal: its role's grants, with `$staffNo` filled in. */
export function abilityFor(policy: RolePolicy, who: { role: RoleName; staffNo?: string | null }): AppAbility {
  const grants = policy.roles[who.role] ?? [];
  const rules = grants.map((g) => ({
    action: g.action,
    subject: g.subject,
    inverted: g.inverted,
    conditions: g.conditions ? fill(g.conditions, who.staffNo ?? '\u0000no-staff') : undefined,
  }));
  return createMongoAbility(rules as any);
}

function fill(conditions: Record<string, unknown>, staffNo: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(conditions).replaceAll('"$staffNo"', JSON.stringify(staffNo)));
}
