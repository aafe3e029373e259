/**
 * The rotation planner (轮岗计划): for a planning date and a number of yearly rounds, which staff
 * move from which post and role to which, why, with what training, keeping every post covered by
 * a competent A and B; and every rule it could not keep, with the reason.
 *
 * Each round is solved exactly where it can be (see solve.ts): assignment bounds first, HiGHS on
 * what remains, within the policy's time limit, with the gap reported. Rounds follow one another
 * (a rolling horizon): round 2 starts from the holdings and skills round 1 leaves.
 *
 * @example
 * const plan = await planRotation({ date: '2027-01-01', rounds: 1, policy, posts, staff, history, mustMove: [], wishes: [] });
 * plan.rounds[0].moves[0] // { staff: 'S007', from: { post: 'P-REVIEW-SG', role: 'A' }, to: {...}, reasons: [{ code: 'max-tenure', ... }] }
 * plan.unmet // [] when every hard rule is kept
 */
import { addDays } from '../platform/time.ts';
import { coverage, explainRound } from './explain.ts';
import { addMonths, historyFacts } from './facts.ts';
import { buildRound, objectiveOffset, type RoundContext } from './problem.ts';
import type { GroupSolution } from './solve.ts';
import { boundGroup, closeGap, fromState, provenOptimal } from './solve.ts';
import type { Holding, PlannerInput, PlanOutput, RoundPlan, ScoreParts, SolverReport } from './types.ts';

export async function planRotation(input: PlannerInput): Promise<PlanOutput> {
  const { policy } = input;
  const started = performance.now();
  const staff = new Map(input.staff.map((s) => [s.no, s]));
  const names = new Map(input.staff.map((s) => [s.no, s.name]));
  const conflicts = new Map(input.staff.map((s) => [s.no, new Set(s.conflicts.map((c) => c.business))]));
  let known = new Map(input.staff.map((s) => [s.no, new Set(s.competencies)]));
  let history: Holding[] = input.history.map((h) => ({ ...h }));
  const rounds: RoundPlan[] = [];
  let budget = policy.solver.timeLimitSeconds;
  let pool = { staff: 0, posts: 0, slots: 0 };
  const progress = input.onProgress ?? (() => {});

  for (let r = 0; r < input.rounds; r++) {
    const date = addMonths(input.date, r * policy.roundIntervalMonths);
    const facts = historyFacts(history);
    const ctx: RoundContext = {
      date,
      policy,
      posts: input.posts,
      staff,
      facts,
      known,
      mustMove: r === 0 ? input.mustMove : [],
      wishes: input.wishes,
    };
    progress({ phase: 'prepare', round: r + 1, rounds: input.rounds, group: 0, groups: 0 });
    const problem = buildRound(ctx);
    if (r === 0)
      pool = { staff: problem.poolSize, posts: problem.plannedPosts.length, slots: problem.slotCount };
    const groups = problem.groups;

    // Fast phase on every group, then the exact phase where a gap is left, sharing the time budget
    // in proportion to the groups' sizes.
    const states = groups.map((g, gi) => {
      const s = boundGroup(g);
      progress({ phase: 'assign', round: r + 1, rounds: input.rounds, group: gi + 1, groups: groups.length });
      return s;
    });
    const open = states.map((s, gi) => (provenOptimal(s) ? -1 : gi)).filter((gi) => gi >= 0);
    const solutions: GroupSolution[] = states.map(fromState);
    if (input.exact !== false && open.length) {
      // The round's share of the time budget, split over the open groups by size; two HiGHS
      // workers at a time (the main thread only waits meanwhile).
      const roundBudget = budget / (input.rounds - r);
      const openSize = open.reduce((sum, gi) => sum + groups[gi].pairPerson.length, 0);
      const t0 = performance.now();
      const queue = [...open];
      const worker = async () => {
        for (let gi = queue.shift(); gi !== undefined; gi = queue.shift()) {
          const limit = Math.max(
            0.5,
            (2 * roundBudget * groups[gi].pairPerson.length) / Math.max(1, openSize),
          );
          const group = gi;
          solutions[gi] = await closeGap(groups[gi], states[gi], {
            exact: true,
            timeLimitSec: Math.min(limit, Math.max(0.5, roundBudget - (performance.now() - t0) / 1000)),
            onGap: (p) =>
              progress({
                phase: 'exact',
                round: r + 1,
                rounds: input.rounds,
                group: group + 1,
                groups: groups.length,
                gap: p.gap,
              }),
          });
        }
      };
      await Promise.all([worker(), worker()]);
      budget -= (performance.now() - t0) / 1000;
    }

    progress({
      phase: 'explain',
      round: r + 1,
      rounds: input.rounds,
      group: groups.length,
      groups: groups.length,
    });
    const explained = explainRound(ctx, r + 1, groups, solutions);

    // Holders of every post before and after (posts outside the plan keep theirs).
    const before = new Map<string, string>();
    for (const [no, list] of facts.current(date)) for (const h of list) before.set(`${h.post}/${h.role}`, no);
    const after = new Map(before);
    for (const g of groups) for (const s of g.slots) after.delete(`${s.post.code}/${s.role}`);
    for (const [k, no] of explained.holdersAfter) after.set(k, no);
    // Depth of cover is counted within the post's group (whom the post could draw on); a post
    // outside the plan counts the groups of its department.
    const poolByPost = new Map<string, string[]>();
    const poolByDepartment = new Map<string, string[]>();
    for (const g of groups) {
      const nos = g.persons.map((p) => p.no);
      for (const s of g.slots) poolByPost.set(s.post.code, nos);
      for (const d of new Set(g.slots.map((s) => s.post.department))) {
        poolByDepartment.set(d, [...(poolByDepartment.get(d) ?? []), ...nos]);
      }
    }
    const poolOf = (p: { code: string; department: string }) =>
      poolByPost.get(p.code) ?? poolByDepartment.get(p.department) ?? [];
    const knownAfter = new Map(known);
    for (const [no, set] of explained.knownAfter) knownAfter.set(no, set);
    const cover = (holders: Map<string, string>, k: Map<string, Set<string>>) =>
      coverage(input.posts, holders, known, k, names, conflicts, poolOf, policy.competence);

    const offset = groups.reduce((sum, g) => sum + objectiveOffset(g), 0);
    const objective = solutions.reduce((s, x) => s + x.objective, 0) + offset;
    const bound = solutions.reduce((s, x) => s + x.bound, 0) + offset;
    const solver: SolverReport = {
      method: solutions.some((x) => x.mip) ? 'assignment+mip' : 'assignment',
      status: solutions.some((x) => x.status === 'heuristic')
        ? 'heuristic'
        : solutions.some((x) => x.status === 'time_limit')
          ? 'time_limit'
          : 'optimal',
      objective: round6(objective),
      bound: round6(bound),
      gap: round6(Math.max(0, objective - bound)),
      relativeGap: round6(Math.max(0, objective - bound) / Math.max(1, Math.abs(objective))),
      seconds: round6(solutions.reduce((s, x) => s + x.seconds, 0)),
      groups: groups.length,
      mipGroups: solutions.filter((x) => x.mip).length,
      prunedPairs: solutions.reduce((s, x) => s + x.prunedPairs, 0),
    };
    rounds.push({
      index: r + 1,
      effectiveDate: date,
      moves: explained.moves,
      trainings: explained.trainings,
      coverageBefore: cover(before, known),
      coverageAfter: cover(after, knownAfter),
      unmet: explained.unmet,
      score: explained.score,
      solver,
    });

    // The next round starts from this one's result.
    if (r + 1 < input.rounds) history = applyMoves(history, explained.moves, date);
    known = knownAfter;
  }
  progress({ phase: 'done', round: input.rounds, rounds: input.rounds, group: 0, groups: 0 });
  const solvers = rounds.map((x) => x.solver);
  return {
    date: input.date,
    rounds,
    pool,
    score: sumScores(rounds.map((x) => x.score)),
    unmet: rounds.flatMap((x) => x.unmet),
    solver: {
      method: solvers.some((x) => x.method === 'assignment+mip') ? 'assignment+mip' : 'assignment',
      status: solvers.some((x) => x.status === 'heuristic')
        ? 'heuristic'
        : solvers.some((x) => x.status === 'time_limit')
          ? 'time_limit'
          : 'optimal',
      objective: round6(solvers.reduce((s, x) => s + x.objective, 0)),
      bound: round6(solvers.reduce((s, x) => s + x.bound, 0)),
      gap: round6(solvers.reduce((s, x) => s + x.gap, 0)),
      relativeGap: round6(
        solvers.reduce((s, x) => s + x.gap, 0) /
          Math.max(1, Math.abs(solvers.reduce((s, x) => s + x.objective, 0))),
      ),
      seconds: round6((performance.now() - started) / 1000),
      groups: solvers.reduce((s, x) => s + x.groups, 0),
      mipGroups: solvers.reduce((s, x) => s + x.mipGroups, 0),
      prunedPairs: solvers.reduce((s, x) => s + x.prunedPairs, 0),
      note:
        input.rounds > 1
          ? 'each round is solved on its own, in order (a rolling horizon); the sum is not a joint optimum over the rounds'
          : undefined,
    },
  };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The history after a round's moves: left holdings end the day before, new ones start that day. */
export function applyMoves(history: Holding[], moves: RoundPlan['moves'], date: string): Holding[] {
  const out = history.map((h) => ({ ...h }));
  const dayBefore = addDays(date, -1);
  for (const mv of moves) {
    if (mv.from) {
      const at = out.findIndex(
        (h) =>
          h.staff === mv.staff &&
          h.post === mv.from!.post &&
          h.role === mv.from!.role &&
          h.from <= date &&
          (h.to === null || h.to >= date),
      );
      if (at >= 0) {
        if (out[at].from >= date) out.splice(at, 1);
        else out[at].to = dayBefore;
      }
    }
    if (mv.to) out.push({ staff: mv.staff, post: mv.to.post, role: mv.to.role, from: date, to: null });
  }
  return out;
}

function sumScores(list: ScoreParts[]): ScoreParts {
  const zero: ScoreParts = {
    movesBeyondRequired: 0,
    requiredMoves: 0,
    skillGrowth: 0,
    trainingDays: 0,
    wishesGranted: 0,
    wishesAgainst: 0,
    doubleHolders: 0,
    idled: 0,
    weighted: { move: 0, skillGrowth: 0, trainingDay: 0, wish: 0, balance: 0 },
    penalties: 0,
    total: 0,
  };
  return list.reduce(
    (a, b) => ({
      movesBeyondRequired: a.movesBeyondRequired + b.movesBeyondRequired,
      requiredMoves: a.requiredMoves + b.requiredMoves,
      skillGrowth: a.skillGrowth + b.skillGrowth,
      trainingDays: a.trainingDays + b.trainingDays,
      wishesGranted: a.wishesGranted + b.wishesGranted,
      wishesAgainst: a.wishesAgainst + b.wishesAgainst,
      doubleHolders: b.doubleHolders,
      idled: a.idled + b.idled,
      weighted: {
        move: a.weighted.move + b.weighted.move,
        skillGrowth: a.weighted.skillGrowth + b.weighted.skillGrowth,
        trainingDay: a.weighted.trainingDay + b.weighted.trainingDay,
        wish: a.weighted.wish + b.weighted.wish,
        balance: a.weighted.balance + b.weighted.balance,
      },
      penalties: a.penalties + b.penalties,
      total: a.total + b.total,
    }),
    zero,
  );
}
