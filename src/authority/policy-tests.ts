/**
 * Policy tests (`policies/tests/authority-*.yaml`): tables of principals (a staff member on a
 * date, possibly with someone absent, or suspended) and a case, with the items x actions they
 * must be allowed. Everything not listed must be denied: every item of the catalogue times every
 * action is decided and compared. Runs in memory on an org document (the demo bureau, or one given
 * in the file), so a bureau can test its policies before loading them.
 *
 * @example
 * const result = runPolicyTestFile('policies/tests/authority-acceptance.yaml');
 * result.tests.filter((t) => t.failures.length) // [] when the policies do what the table says
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { demoOrg } from '../demo/org.ts';
import { type OrgDocumentInput, orgDocumentSchema } from '../org/contract.ts';
import { policiesDir } from '../paths.ts';
import { loadYamlFile } from '../platform/policy-file.ts';
import { authorityActions, channels, routes, seals, stages } from './actions.ts';
import { itemSelected } from './conditions.ts';
import { AuthorityEngine } from './engine.ts';
import { itemsSchema, readPolicyDir } from './policy.ts';
import { snapshotFromOrgDocument } from './snapshot.ts';
import { startOfLocalDay } from './time.ts';
import type { CaseContext, Decision } from './types.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** A staff number, `$self` (the principal), `$head` (bureau.head), or the holder of a post on the day. */
const staffRef = z.union([
  z.string().min(1),
  z.strictObject({ post: z.string().min(1), role: z.enum(['A', 'B']) }),
]);
const actions = z.array(z.enum(authorityActions)).min(1);

const row = z.strictObject({
  actions,
  items: itemsSchema,
  /** For `deny` rows: a fragment every matching denial's reasons must contain. */
  reason: z.string().optional(),
});

const testSchema = z.strictObject({
  name: z.string().min(1),
  principal: z.strictObject({
    staff: staffRef,
    on: date,
    /** Absences added for this test (default: the day `on` only). */
    absent: z
      .array(z.strictObject({ staff: staffRef, from: date.optional(), to: date.optional() }))
      .optional(),
    suspended: z.boolean().optional(),
  }),
  case: z
    .strictObject({
      route: z.enum(routes).optional(),
      channel: z.enum(channels).optional(),
      project: z
        .strictObject({ code: z.string().optional(), key: z.boolean().optional() })
        .nullable()
        .optional(),
      seal: z.enum(seals).optional(),
      stage: z.enum(stages).optional(),
      history: z
        .array(
          z.strictObject({
            action: z.enum(authorityActions),
            actor: staffRef,
            seq: z.number().int().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  allow: z.array(row),
  deny: z.array(row).optional(),
});

export const policyTestFileSchema = z.strictObject({
  version: z.literal(1),
  description: z.string().optional(),
  /** `demo` (seed 1), `{ demo: seed, absences: none }` (without the demo's random absences), or an org document. */
  org: z.union([
    z.literal('demo'),
    z.strictObject({ demo: z.number().int(), absences: z.enum(['keep', 'none']).default('keep') }),
    z.record(z.string(), z.unknown()),
  ]),
  /** The folder of policies under policies/ (default `authority`). */
  policies: z.string().default('authority'),
  tests: z.array(testSchema).min(1),
});
export type PolicyTestFile = z.output<typeof policyTestFileSchema>;

export interface Mismatch {
  item: string;
  action: string;
  expected: boolean;
  got: boolean;
  reasons: string[];
}

export interface PolicyTestResult {
  name: string;
  staff: string;
  decisions: number;
  allowed: number;
  failures: Mismatch[];
}

function orgOf(spec: PolicyTestFile['org']): OrgDocumentInput {
  if (spec === 'demo') return demoOrg(1);
  if ('demo' in spec && typeof spec.demo === 'number') {
    const doc = demoOrg(spec.demo);
    return spec.absences === 'none' ? { ...doc, absences: [] } : doc;
  }
  return orgDocumentSchema.parse(spec) as OrgDocumentInput;
}

/** Runs one file; throws PolicyError when the file itself is bad. */
export function runPolicyTestFile(file: string, opts: { policiesRoot?: string } = {}) {
  const spec = loadYamlFile(basename(file), readFileSync(file, 'utf8'), policyTestFileSchema);
  const doc = orgOf(spec.org);
  const policyFiles = readPolicyDir(join(opts.policiesRoot ?? policiesDir, spec.policies));
  const timeZone = doc.bureau?.timeZone ?? 'Asia/Shanghai';
  const results: PolicyTestResult[] = spec.tests.map((t) => runOne(t, doc, policyFiles, timeZone));
  return { file, tests: results };
}

function runOne(
  t: PolicyTestFile['tests'][number],
  doc: OrgDocumentInput,
  policies: Record<string, string>,
  timeZone: string,
): PolicyTestResult {
  const on = t.principal.on;
  const resolve = (ref: z.output<typeof staffRef>, self?: string): string => {
    if (typeof ref === 'string') {
      if (ref === '$self') {
        if (!self) throw new Error(`${t.name}: $self outside a case history`);
        return self;
      }
      if (ref === '$head') {
        if (!doc.bureau?.head) throw new Error(`${t.name}: the org has no bureau.head`);
        return doc.bureau.head;
      }
      return ref;
    }
    const holder = (doc.assignments ?? []).find(
      (a) => a.post === ref.post && a.role === ref.role && a.from <= on && (!a.to || on <= a.to),
    );
    if (!holder) throw new Error(`${t.name}: nobody holds ${ref.post} as ${ref.role} on ${on}`);
    return holder.staff;
  };
  const staff = resolve(t.principal.staff);
  const absences = [
    ...(doc.absences ?? []),
    ...(t.principal.absent ?? []).map((a) => ({
      staff: resolve(a.staff),
      from: a.from ?? on,
      to: a.to ?? a.from ?? on,
      reason: 'test',
    })),
  ];
  const dayStart = startOfLocalDay(on, timeZone)!;
  const suspensions = t.principal.suspended
    ? [{ id: 1, staffNo: staff, from: dayStart, liftedAt: null, reason: 'policy test', ref: null }]
    : [];
  const engine = new AuthorityEngine(
    snapshotFromOrgDocument({ ...doc, absences }, { policies: [policies], suspensions }),
  );
  // Noon: clear of the day's edges.
  const at = new Date(dayStart.getTime() + 12 * 3600_000);
  const ctx: CaseContext | undefined = t.case
    ? {
        caseNo: 'POLICY-TEST',
        route: t.case.route,
        channel: t.case.channel,
        ...(t.case.project !== undefined ? { project: t.case.project } : {}),
        seal: t.case.seal,
        stage: t.case.stage,
        history: t.case.history?.map((e, i) => ({
          seq: e.seq ?? i + 1,
          action: e.action,
          actor: resolve(e.actor, staff),
        })),
      }
    : undefined;
  const failures: Mismatch[] = [];
  let decisions = 0;
  let allowed = 0;
  for (const item of doc.items ?? []) {
    const facts = {
      code: item.code,
      name: item.name,
      business: item.business,
      kind: item.kind,
      specialSeal: item.specialSeal ?? true,
      atWindow: item.atWindow ?? true,
      online: item.online ?? false,
      department: item.department ?? null,
    };
    for (const action of authorityActions) {
      const d: Decision = engine.decide({ staff, action, item: item.code, at, case: ctx });
      decisions++;
      if (d.allowed) allowed++;
      const expected = t.allow.some((r) => r.actions.includes(action) && itemSelected(r.items, facts, []));
      if (d.allowed !== expected)
        failures.push({ item: item.code, action, expected, got: d.allowed, reasons: d.reasons });
      for (const r of t.deny ?? []) {
        if (!r.actions.includes(action) || !itemSelected(r.items, facts, [])) continue;
        if (d.allowed)
          failures.push({ item: item.code, action, expected: false, got: true, reasons: d.reasons });
        else if (r.reason && !d.reasons.some((x) => x.includes(r.reason!)))
          failures.push({
            item: item.code,
            action,
            expected: false,
            got: false,
            reasons: [`reason lacks "${r.reason}"`, ...d.reasons],
          });
      }
    }
  }
  return { name: t.name, staff, decisions, allowed, failures };
}
