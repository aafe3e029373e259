/**
 * Small organisations for the planner tests, written so the right answer can be worked out by
 * hand: posts with their window and businesses, staff with what they know, and holdings.
 */
import { planRotation } from '../../src/rotation/planner.ts';
import {
  loadRotationPolicy,
  type PolicyOverrides,
  type RotationPolicy,
  withOverrides,
} from '../../src/rotation/policy.ts';
import type { Holding, PlannerInput, PlanOutput, PlanPost, PlanStaff } from '../../src/rotation/types.ts';

export const post = (
  code: string,
  window: string,
  opts: { key?: boolean; businesses?: string[]; department?: string } = {},
): PlanPost => ({
  code,
  name: `岗位${code}`,
  window,
  department: opts.department ?? 'D1',
  key: opts.key ?? false,
  businesses: opts.businesses ?? [],
});

export const person = (
  no: string,
  competencies: string[],
  opts: { department?: string; conflicts?: { item: string; business: string }[] } = {},
): PlanStaff => ({
  no,
  name: `职员${no}`,
  department: opts.department ?? 'D1',
  competencies,
  conflicts: (opts.conflicts ?? []).map((c) => ({ ...c, kind: 'relative' })),
});

export const hold = (
  staff: string,
  post: string,
  role: 'A' | 'B',
  from: string,
  to: string | null = null,
): Holding => ({
  staff,
  post,
  role,
  from,
  to,
});

/** The shipped policy, with a test's changes. */
export function policyWith(overrides: PolicyOverrides = {}): RotationPolicy {
  return withOverrides(loadRotationPolicy(), { excludedPosts: [], ...overrides });
}

export interface SmallOrg {
  posts: PlanPost[];
  staff: PlanStaff[];
  history: Holding[];
}

export function plan(
  o: SmallOrg,
  opts: {
    date?: string;
    rounds?: number;
    overrides?: PolicyOverrides;
    mustMove?: PlannerInput['mustMove'];
    wishes?: PlannerInput['wishes'];
  } = {},
): Promise<PlanOutput> {
  return planRotation({
    date: opts.date ?? '2027-01-01',
    rounds: opts.rounds ?? 1,
    policy: policyWith(opts.overrides),
    posts: o.posts,
    staff: o.staff,
    history: o.history,
    mustMove: opts.mustMove ?? [],
    wishes: opts.wishes ?? [],
  });
}

/** Who holds post/role after round `r` (1-based; default the last), from the coverage table. */
export function holderAfter(
  p: PlanOutput,
  postCode: string,
  role: 'A' | 'B',
  r = p.rounds.length,
): string | null {
  const c = p.rounds[r - 1].coverageAfter.find((x) => x.post === postCode);
  if (!c) throw new Error(`no post ${postCode} in the plan`);
  return c[role].holder;
}

/** The posts (with role) a person holds after the last round. */
export function holdingsAfter(p: PlanOutput, staff: string): string[] {
  const last = p.rounds[p.rounds.length - 1];
  return last.coverageAfter.flatMap((c) =>
    (['A', 'B'] as const).filter((r) => c[r].holder === staff).map((r) => `${c.post}/${r}`),
  );
}

export const movesOf = (p: PlanOutput, staff: string) =>
  p.rounds.flatMap((r) => r.moves).filter((m) => m.staff === staff);
