/**
 * Rotation plans in the database: HR drafts a plan from the organisation as it stands (with the
 * misconduct module's must-move list), a leader other than the drafter approves it, the approved
 * plan is applied (its moves become dated assignments through the org module), and it is archived.
 * A plan's content never changes once written (a DB trigger refuses it); every step is audited.
 *
 * @example
 * const plan = await draftPlan(db, { date: '2027-01-01', rounds: 1 }, { actor: 'user:hr' });
 * await approvePlan(db, plan.id, { actor: 'user:leader' });
 * await applyPlan(db, plan.id, { actor: 'user:leader' });
 */
import { asc, desc, eq, sql } from 'drizzle-orm';
import { invalidateAuthority } from '../authority/generation.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { LOCKS } from '../db/locks.ts';
import { formatDocNumber } from '../documents/index.ts';
import { listMustMove } from '../misconduct/effects.ts';
import { applyAssignmentChanges, assignmentHistory, exportOrg, getBureau } from '../org/service.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError, zodIssuesToProblems } from '../platform/errors.ts';
import { canonicalJson, contentHash } from '../platform/hash.ts';
import { addMonths, historyFacts, maxTenure, missingBusinesses, yearsBetween } from './facts.ts';
import { plannerData } from './input.ts';
import { planRotation } from './planner.ts';
import {
  loadRotationPolicy,
  type MustMove,
  type PolicyOverrides,
  policyOverridesSchema,
  type RotationPolicy,
  rotationPolicySchema,
  type Wish,
  withOverrides,
} from './policy.ts';
import { type PlanState, rotationPlanMoves, rotationPlans } from './schema.ts';
import type { Holding, PlannerProgress, PlanOutput, PlanPost, PlanStaff } from './types.ts';

export interface PlanParams {
  /** Planning date: the first round's effective date. */
  date: string;
  rounds: number;
  overrides?: PolicyOverrides;
  /** Must-move entries besides the policy's and the misconduct module's. */
  mustMove?: { staff: string; reason: string }[];
  wishes?: Wish[];
}

export interface PlanRecord {
  id: number;
  number: string;
  state: PlanState;
  planDate: string;
  rounds: number;
  params: PlanParams;
  policy: RotationPolicy;
  result: PlanOutput;
  contentHash: string;
  basisHash: string;
  createdBy: string;
  createdAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  appliedBy: string | null;
  appliedAt: string | null;
  archivedBy: string | null;
  archivedAt: string | null;
  note: string | null;
}

/** What the planner works from, read from the org and misconduct modules. */
export interface PlanBasis {
  posts: PlanPost[];
  staff: PlanStaff[];
  history: Holding[];
  mustMove: MustMove[];
  /** Hash of posts, staff and history: an approved plan applies only to the org it was made for. */
  hash: string;
}

/** The rules of `policies/rotation.yaml` with a plan's overrides merged in (400 listing faults). */
export function effectivePolicy(
  overrides?: PolicyOverrides,
  base: RotationPolicy = loadRotationPolicy(),
): RotationPolicy {
  if (!overrides) return base;
  const checked = policyOverridesSchema.safeParse(overrides);
  if (!checked.success) throw AppError.validation(zodIssuesToProblems(checked.error.issues, 'overrides'));
  try {
    return withOverrides(base, checked.data);
  } catch (err: any) {
    const issues = err?.issues;
    if (issues) throw AppError.validation(zodIssuesToProblems(issues, 'overrides'));
    throw err;
  }
}

/** Reads the organisation, history and must-move list a plan starts from. */
export async function planBasis(db: DbOrTx, params: PlanParams, policy: RotationPolicy): Promise<PlanBasis> {
  const doc = await exportOrg(db);
  const { posts, staff, history } = plannerData(doc, await assignmentHistory(db));
  const hash = contentHash({ posts, staff, history: [...history].sort(compareHolding) });
  const known = new Set(staff.map((s) => s.no));
  const fromMisconduct = (await listMustMove(db, params.date)).map((m) => ({
    ...m,
    source: 'misconduct' as const,
  }));
  const mustMove: MustMove[] = [];
  const seen = new Set<string>();
  for (const m of [
    ...fromMisconduct,
    ...policy.mustMove,
    ...(params.mustMove ?? []).map((m) => ({ ...m, source: 'plan' as const })),
  ]) {
    if (seen.has(m.staff) || !known.has(m.staff)) continue;
    seen.add(m.staff);
    mustMove.push(m);
  }
  return { posts, staff, history, mustMove, hash };
}

const compareHolding = (a: Holding, b: Holding) =>
  a.staff.localeCompare(b.staff) ||
  a.post.localeCompare(b.post) ||
  a.role.localeCompare(b.role) ||
  a.from.localeCompare(b.from);

/** Checks plan parameters: known staff and posts, one problem per fault. */
function checkParams(params: PlanParams, basis: PlanBasis) {
  const staff = new Set(basis.staff.map((s) => s.no));
  const posts = new Set(basis.posts.map((p) => p.code));
  const problems: { path: string; message: string }[] = [];
  params.mustMove?.forEach((m, i) => {
    if (!staff.has(m.staff))
      problems.push({ path: `mustMove[${i}].staff`, message: `unknown staff ${m.staff}` });
  });
  params.wishes?.forEach((w, i) => {
    if (!staff.has(w.staff))
      problems.push({ path: `wishes[${i}].staff`, message: `unknown staff ${w.staff}` });
    if (!posts.has(w.post)) problems.push({ path: `wishes[${i}].post`, message: `unknown post ${w.post}` });
  });
  params.overrides?.excludedPosts?.forEach((p, i) => {
    if (!posts.has(p)) problems.push({ path: `overrides.excludedPosts[${i}]`, message: `unknown post ${p}` });
  });
  if (problems.length) throw AppError.validation(problems);
}

/** Runs the planner for `params` without storing anything. */
export async function computePlan(
  db: DbOrTx,
  params: PlanParams,
  opts: { onProgress?: (p: PlannerProgress) => void; policy?: RotationPolicy } = {},
) {
  const policy = opts.policy ?? effectivePolicy(params.overrides);
  const basis = await planBasis(db, params, policy);
  checkParams(params, basis);
  const result = await planRotation({
    date: params.date,
    rounds: params.rounds,
    policy,
    posts: basis.posts,
    staff: basis.staff,
    history: basis.history,
    mustMove: basis.mustMove,
    wishes: [...policy.wishes, ...(params.wishes ?? [])],
    onProgress: opts.onProgress,
  });
  return { policy, basis, result };
}

/**
 * Plans and stores a draft. Audited (`rotation.draft`).
 */
export async function draftPlan(
  db: Db,
  params: PlanParams,
  opts: { actor: string; onProgress?: (p: PlannerProgress) => void },
): Promise<PlanRecord> {
  const { policy, basis, result } = await computePlan(db, params, opts);
  const year = Number(params.date.slice(0, 4));
  const id = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS.rotation})`);
    const [{ n }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(rotationPlans)
      .where(sql`extract(year from ${rotationPlans.planDate}) = ${year}`);
    const number = formatDocNumber('轮岗', year, n + 1);
    const content = { planDate: params.date, rounds: params.rounds, params, policy, result };
    const [row] = await tx
      .insert(rotationPlans)
      .values({
        number,
        state: 'draft',
        planDate: params.date,
        rounds: params.rounds,
        params,
        policy,
        result,
        contentHash: contentHash(content),
        basisHash: basis.hash,
        createdBy: opts.actor,
        createdAt: new Date(),
      })
      .returning({ id: rotationPlans.id });
    const moves = result.rounds.flatMap((r) => r.moves);
    for (let i = 0; i < moves.length; i += 1000) {
      await tx.insert(rotationPlanMoves).values(
        moves.slice(i, i + 1000).map((m, k) => ({
          planId: row.id,
          seq: i + k + 1,
          round: m.round,
          effectiveDate: m.effectiveDate,
          staffNo: m.staff,
          fromPost: m.from?.post ?? null,
          fromRole: m.from?.role ?? null,
          toPost: m.to?.post ?? null,
          toRole: m.to?.role ?? null,
          required: m.required,
          reasons: m.reasons,
          training: m.training,
        })),
      );
    }
    await appendAudit(tx, {
      actor: opts.actor,
      action: 'rotation.draft',
      entity: 'rotation_plans',
      entityId: number,
      content: { ...content, contentHash: contentHash(content) },
    });
    return row.id;
  });
  return getPlan(db, id);
}

function toRecord(r: typeof rotationPlans.$inferSelect): PlanRecord {
  return {
    ...r,
    params: r.params as PlanParams,
    policy: r.policy as RotationPolicy,
    result: r.result as PlanOutput,
    createdAt: r.createdAt.toISOString(),
    approvedAt: r.approvedAt?.toISOString() ?? null,
    appliedAt: r.appliedAt?.toISOString() ?? null,
    archivedAt: r.archivedAt?.toISOString() ?? null,
  };
}

export async function getPlan(db: DbOrTx, id: number): Promise<PlanRecord> {
  const [row] = await db.select().from(rotationPlans).where(eq(rotationPlans.id, id));
  if (!row) throw new AppError('NOT_FOUND', `no rotation plan ${id}`);
  return toRecord(row);
}

/** Whether the stored content still hashes to what was recorded when it was drafted. */
export function planIntact(p: PlanRecord): boolean {
  const content = {
    planDate: p.planDate,
    rounds: p.rounds,
    params: p.params,
    policy: p.policy,
    result: p.result,
  };
  return contentHash(JSON.parse(canonicalJson(content))) === p.contentHash;
}

export interface PlanSummary {
  id: number;
  number: string;
  state: PlanState;
  planDate: string;
  rounds: number;
  moves: number;
  unmet: number;
  status: string;
  createdBy: string;
  createdAt: string;
  approvedBy: string | null;
}

export async function listPlans(db: DbOrTx): Promise<PlanSummary[]> {
  const rows = await db
    .select({
      id: rotationPlans.id,
      number: rotationPlans.number,
      state: rotationPlans.state,
      planDate: rotationPlans.planDate,
      rounds: rotationPlans.rounds,
      // Qualified names: unqualified, "id" in the subquery would be the moves table's own.
      moves: sql<number>`(select count(*)::int from rotation_plan_moves m where m.plan_id = rotation_plans.id)`,
      unmet: sql<number>`jsonb_array_length(${rotationPlans.result} -> 'unmet')`,
      status: sql<string>`${rotationPlans.result} -> 'solver' ->> 'status'`,
      createdBy: rotationPlans.createdBy,
      createdAt: rotationPlans.createdAt,
      approvedBy: rotationPlans.approvedBy,
    })
    .from(rotationPlans)
    .orderBy(desc(rotationPlans.id));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** Moves a plan to its next state in one audited transaction; the row is locked meanwhile. */
async function transition(
  db: Db,
  id: number,
  from: PlanState[],
  to: PlanState,
  actor: string,
  work?: (tx: DbOrTx, plan: PlanRecord) => Promise<unknown>,
  note?: string,
) {
  const plan = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(rotationPlans).where(eq(rotationPlans.id, id)).for('update');
    if (!row) throw new AppError('NOT_FOUND', `no rotation plan ${id}`);
    const plan = toRecord(row);
    if (!from.includes(plan.state)) {
      throw new AppError('CONFLICT', `rotation plan ${plan.number} is ${plan.state}; it cannot be ${to}`);
    }
    const detail = work ? await work(tx, plan) : undefined;
    const now = new Date();
    const set =
      to === 'approved'
        ? { state: to, approvedBy: actor, approvedAt: now }
        : to === 'applied'
          ? { state: to, appliedBy: actor, appliedAt: now }
          : { state: to, archivedBy: actor, archivedAt: now };
    await tx
      .update(rotationPlans)
      .set(note ? { ...set, note } : set)
      .where(eq(rotationPlans.id, id));
    await appendAudit(tx, {
      actor,
      action: `rotation.${to === 'approved' ? 'approve' : to === 'applied' ? 'apply' : 'archive'}`,
      entity: 'rotation_plans',
      entityId: plan.number,
      content: {
        from: plan.state,
        to,
        contentHash: plan.contentHash,
        note: note ?? null,
        detail: detail ?? null,
      },
    });
    return plan;
  });
  return { plan, after: await getPlan(db, plan.id) };
}

/**
 * A leader approves a draft. Four eyes: the approver is not who drafted it. The content must
 * still hash as drafted.
 */
export async function approvePlan(db: Db, id: number, opts: { actor: string; note?: string }) {
  const { after } = await transition(
    db,
    id,
    ['draft'],
    'approved',
    opts.actor,
    async (_tx, plan) => {
      if (plan.createdBy === opts.actor) {
        throw new AppError(
          'FORBIDDEN',
          `${opts.actor} drafted plan ${plan.number}; another person must approve it (four eyes)`,
        );
      }
      if (!planIntact(plan))
        throw new AppError('CONFLICT', `plan ${plan.number} does not match its recorded hash`);
    },
    opts.note,
  );
  return after;
}

/**
 * Applies an approved plan: every move becomes assignments dated on its round's effective date
 * (the old holding ends the day before), in one transaction with the org rules checked. Refused
 * when the organisation has changed since the plan was drafted (draft again).
 */
export async function applyPlan(db: Db, id: number, opts: { actor: string }) {
  const { after } = await transition(db, id, ['approved'], 'applied', opts.actor, async (tx, plan) => {
    const basis = await planBasis(tx, plan.params, plan.policy);
    if (basis.hash !== plan.basisHash) {
      throw new AppError(
        'CONFLICT',
        `the organisation changed after plan ${plan.number} was drafted (posts, staff or assignments); draft a new plan`,
      );
    }
    let ended = 0;
    let started = 0;
    for (const round of plan.result.rounds) {
      const r = await applyAssignmentChanges(
        tx,
        round.moves.map((m) => ({ staff: m.staff, from: m.from, to: m.to, on: m.effectiveDate })),
        opts.actor,
      );
      ended += r.ended;
      started += r.started;
    }
    return { ended, started };
  });
  // Authority builds abilities from assignments: stale once the transaction has committed.
  invalidateAuthority();
  return after;
}

/** Archives a plan (a draft not taken up, or an approved or applied one that is done with). */
export async function archivePlan(db: Db, id: number, opts: { actor: string; note?: string }) {
  const { after } = await transition(
    db,
    id,
    ['draft', 'approved', 'applied'],
    'archived',
    opts.actor,
    undefined,
    opts.note,
  );
  return after;
}

export interface CompetencyRow {
  staff: string;
  name: string;
  businesses: string[];
  posts: { post: string; role: 'A' | 'B'; since: string; years: number }[];
}

export interface TenureWarning {
  staff: string;
  name: string;
  post: string;
  role: 'A' | 'B';
  key: boolean;
  since: string;
  years: number;
  limit: number;
  /** The day the limit is reached. */
  reachesOn: string;
}

/**
 * What HR looks at before planning: who knows which business (competency matrix), who holds what
 * since when, and who reaches the tenure limit within a year of `date`.
 */
export async function rotationOverview(db: DbOrTx, date: string) {
  const policy = loadRotationPolicy();
  const doc = await exportOrg(db);
  const { posts, staff, history } = plannerData(doc, await assignmentHistory(db));
  const facts = historyFacts(history);
  const current = facts.current(date);
  const postBy = new Map(posts.map((p) => [p.code, p]));
  const businesses = [...new Set(posts.flatMap((p) => p.businesses))].sort();
  const excluded = new Set(policy.excludedPosts);
  const matrix: CompetencyRow[] = [];
  const warnings: TenureWarning[] = [];
  const inAYear = addMonths(date, 12);
  for (const s of staff) {
    const holds = (current.get(s.no) ?? []).filter((h) => postBy.has(h.post));
    if (!holds.length && !s.competencies.length) continue;
    const rows = holds.map((h) => {
      const since = facts.tenureStart(s.no, h.post, date) ?? h.from;
      return { post: h.post, role: h.role, since, years: Math.round(yearsBetween(since, date) * 10) / 10 };
    });
    matrix.push({ staff: s.no, name: s.name, businesses: [...s.competencies].sort(), posts: rows });
    for (const h of rows) {
      const post = postBy.get(h.post)!;
      if (excluded.has(post.code)) continue;
      const limit = maxTenure(post, policy.tenure.maxYears);
      const reachesOn = addMonths(h.since, Math.round(limit * 12));
      if (reachesOn <= inAYear) {
        warnings.push({
          staff: s.no,
          name: s.name,
          post: h.post,
          role: h.role,
          key: post.key,
          since: h.since,
          years: h.years,
          limit,
          reachesOn,
        });
      }
    }
  }
  warnings.sort((a, b) => a.reachesOn.localeCompare(b.reachesOn) || a.staff.localeCompare(b.staff));
  const coverage = posts.map((p) => {
    const holder = (role: 'A' | 'B') => {
      for (const [no, list] of current) if (list.some((h) => h.post === p.code && h.role === role)) return no;
      return null;
    };
    const competent = (no: string | null) => {
      if (!no) return false;
      const s = staff.find((x) => x.no === no);
      return !!s && missingBusinesses(new Set(s.competencies), p, policy.competence).length === 0;
    };
    const a = holder('A');
    const b = holder('B');
    return {
      post: p.code,
      name: p.name,
      window: p.window,
      key: p.key,
      A: a,
      B: b,
      competentA: competent(a),
      competentB: competent(b),
    };
  });
  return { date, businesses, matrix, warnings, coverage, policy: rotationPolicySchema.parse(policy) };
}

/** The bureau's name for documents (the organ that issues the plan). */
export async function organName(db: DbOrTx): Promise<string> {
  return (await getBureau(db))?.name ?? 'neikong';
}

/** Moves of a plan in order, as stored. */
export async function planMoves(db: DbOrTx, id: number) {
  return db
    .select()
    .from(rotationPlanMoves)
    .where(eq(rotationPlanMoves.planId, id))
    .orderBy(asc(rotationPlanMoves.seq));
}
