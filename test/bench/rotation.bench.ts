/**
 * Rotation benchmarks.
 *
 * 1. `solveAssignment` on a dense 1,000 x 1,000 instance against HiGHS (the same instance as an
 *    LP, whose optimum is integral) in the same run: the same optimum, and how many times faster
 *    (goal: at least 20).
 * 2. A province-scale plan: 20,000 staff, 5,000 posts (10,000 A/B slots) in 50 departments of 5
 *    windows, one round, through the whole planner (pool, candidates, exact solving, explanations,
 *    coverage). Goal: under a minute.
 */
import { solveAssignment } from '../../src/rotation/assignment.ts';
import { assignmentModel, solveLinear } from '../../src/rotation/highs.ts';
import { planRotation } from '../../src/rotation/planner.ts';
import { loadRotationPolicy } from '../../src/rotation/policy.ts';
import type { Holding, PlanPost, PlanStaff } from '../../src/rotation/types.ts';
import type { BenchRow } from './harness.ts';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A province of `departments` departments, each with 5 windows of 20 posts and 400 staff. */
export function provinceOrg(departments = 50, seed = 1) {
  const rnd = seeded(seed);
  const businesses = [
    'construction-permit',
    'enterprise-qualification',
    'safety-licence',
    'post-certificate',
    'building-materials',
    'urban-construction',
    'engineering-construction',
    'survey-design',
  ];
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const posts: PlanPost[] = [];
  const staff: PlanStaff[] = [];
  const history: Holding[] = [];
  const date = (y0: number, y1: number) =>
    `${y0 + Math.floor(rnd() * (y1 - y0 + 1))}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-01`;
  for (let d = 1; d <= departments; d++) {
    const dept = `D${d}`;
    const people: PlanStaff[] = [];
    for (let k = 0; k < 400; k++) {
      const known = new Set([pick(businesses), pick(businesses)]);
      if (rnd() < 0.3) known.add(pick(businesses));
      const s: PlanStaff = {
        no: `S${String(staff.length + 1).padStart(6, '0')}`,
        name: `职员${staff.length + 1}`,
        department: dept,
        competencies: [...known],
        conflicts: rnd() < 0.02 ? [{ item: 'X', business: pick(businesses), kind: 'relative' }] : [],
      };
      staff.push(s);
      people.push(s);
    }
    let next = 0;
    for (let w = 1; w <= 5; w++) {
      for (let p = 1; p <= 20; p++) {
        const acceptance = p <= 3;
        const post: PlanPost = {
          code: `P${d}-${w}-${p}`,
          name: `岗位${d}-${w}-${p}`,
          window: `W${d}-${w}`,
          department: dept,
          key: !acceptance && rnd() < 0.3,
          businesses: acceptance ? [] : [pick(businesses)],
        };
        posts.push(post);
        // A and B holders who know the post's business (or anyone for acceptance posts).
        for (const role of ['A', 'B'] as const) {
          let holder = people[next++ % people.length];
          for (
            let tries = 0;
            tries < 50 && post.businesses.some((b) => !holder.competencies.includes(b));
            tries++
          ) {
            holder = people[next++ % people.length];
          }
          history.push({ staff: holder.no, post: post.code, role, from: date(2014, 2026), to: null });
        }
      }
    }
  }
  // Some people left a post in the last years (cooling-off in play).
  for (let k = 0; k < departments * 40; k++) {
    history.push({
      staff: pick(staff).no,
      post: pick(posts).code,
      role: 'A',
      from: '2015-01-01',
      to: date(2024, 2026),
    });
  }
  const mustMove = Array.from({ length: 50 }, () => ({
    staff: history[Math.floor(rnd() * departments * 200)].staff,
    reason: '处理决定',
    source: 'misconduct' as const,
  }));
  return { posts, staff, history, mustMove: [...new Map(mustMove.map((m) => [m.staff, m])).values()] };
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];

  // 1. Dense 1,000 x 1,000 against HiGHS.
  const n = 1000;
  const rnd = seeded(2027);
  const costs = new Float64Array(n * n);
  for (let k = 0; k < costs.length; k++) costs[k] = Math.floor(rnd() * 10_000);
  const runs: number[] = [];
  let ours = solveAssignment({ n, costs });
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    ours = solveAssignment({ n, costs });
    runs.push(performance.now() - t0);
  }
  const lapMs = runs.sort((a, b) => a - b)[2];
  const { model } = assignmentModel({ n, costs });
  const t1 = performance.now();
  const highs = await solveLinear(model, { timeLimitSec: 600 });
  const highsMs = performance.now() - t1;
  const same = highs.status === 'optimal' && Math.abs((highs.objective ?? Number.NaN) - ours.total) < 1e-6;
  rows.push({
    name: 'solveAssignment, dense 1,000 x 1,000',
    figure: lapMs,
    unit: 'ms',
    baseline: highsMs,
    ratio: lapMs / highsMs,
    note: `HiGHS LP (worker, incl. load) ${highs.status}; optimum ${ours.total} ${same ? '= HiGHS' : `!= HiGHS ${highs.objective}`}; ${(highsMs / lapMs).toFixed(0)}x faster (goal >= 20x); median of 5`,
  });

  // 2. Province-scale plan.
  const org = provinceOrg();
  const policy = loadRotationPolicy();
  const t2 = performance.now();
  const plan = await planRotation({
    date: '2027-01-01',
    rounds: 1,
    policy: { ...policy, excludedPosts: [] },
    ...org,
    wishes: [],
  });
  const planMs = performance.now() - t2;
  const round = plan.rounds[0];
  rows.push({
    name: 'province plan: 20,000 staff, 5,000 posts, 1 round',
    figure: planMs / 1000,
    unit: 's',
    baseline: 60,
    ratio: planMs / 1000 / 60,
    note: `goal < 60 s; ${round.moves.length} moves, ${round.unmet.length} rules not kept; solver ${plan.solver.method} ${plan.solver.status}, gap ${Math.round(plan.solver.gap)} (${(plan.solver.relativeGap * 100).toFixed(4)}%), ${plan.solver.mipGroups}/${plan.solver.groups} groups needed HiGHS, ${plan.solver.prunedPairs} pairs pruned`,
  });
  return rows;
}
