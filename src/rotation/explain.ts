/**
 * Turns a solved round into what HR reads: each move with the rule or goal behind it and the
 * training it needs, training for clerks below the minimum of businesses, the coverage of every
 * post before and after, every hard rule not kept with its reason, and the score in parts.
 *
 * @example
 * const out = explainRound(ctx, 1, round.groups, solutions);
 * out.moves[0].reasons // [{ code: 'max-tenure', data: { post: 'P-REVIEW-SG', years: 5.9, limit: 5 } }, ...]
 * out.unmet            // [{ rule: 'coverage-B', subject: 'P-APPROVE-2', data: { kind: 'untrained', staff: 'S005', ... } }]
 */
import { conflictWith, missingBusinesses } from './facts.ts';
import { F, type GroupProblem, PENALTY, type RoundContext } from './problem.ts';
import type { GroupSolution } from './solve.ts';
import { boundGroup, evaluate } from './solve.ts';
import type {
  PlanMove,
  PlanPost,
  PlanReason,
  PlanTraining,
  PostCoverage,
  Role,
  ScoreParts,
  UnmetRule,
} from './types.ts';

export interface ExplainedRound {
  moves: PlanMove[];
  trainings: PlanTraining[];
  unmet: UnmetRule[];
  score: ScoreParts;
  /** Businesses each pool person knows after the round (for the next round and coverage). */
  knownAfter: Map<string, Set<string>>;
  /** Holdings after the round, by post and role: staff number. */
  holdersAfter: Map<string, string>;
}

const slotKey = (post: string, role: Role) => `${post}/${role}`;

export function explainRound(
  ctx: RoundContext,
  round: number,
  groups: GroupProblem[],
  solutions: GroupSolution[],
): ExplainedRound {
  const { policy, date } = ctx;
  const moves: PlanMove[] = [];
  const unmet: UnmetRule[] = [];
  const knownAfter = new Map<string, Set<string>>();
  const holdersAfter = new Map<string, string>();
  let penalties = 0;
  let skillGrowth = 0;
  let trainingDays = 0;
  let wishesGranted = 0;
  let wishesAgainst = 0;
  let doubleHolders = 0;
  let idled = 0;
  const trainings: PlanTraining[] = [];
  // Counterfactual re-solves are cheap but not free: at most 30 a round, within 3 seconds.
  let counterfactuals = 30;
  const counterfactualDeadline = performance.now() + 3000;

  groups.forEach((g, gi) => {
    const sol = solutions[gi];
    const m = g.slots.length;
    const after = (i: number, role: Role) => (role === 'A' ? sol.slotA[i] : sol.slotB[i]);
    const holderAfter = new Int32Array(m).fill(-1);
    g.persons.forEach((p) => {
      for (const role of ['A', 'B'] as const) {
        const s = after(p.idx, role);
        if (s >= 0) holderAfter[s] = p.idx;
      }
    });
    for (let s = 0; s < m; s++) {
      if (holderAfter[s] >= 0)
        holdersAfter.set(slotKey(g.slots[s].post.code, g.slots[s].role), g.persons[holderAfter[s]].no);
    }
    const { movers } = evaluate(g, sol.slotA, sol.slotB);

    for (const p of g.persons) {
      const known = new Set(p.known);
      const before = p.holdings.map((h) => h.slot);
      const now = [sol.slotA[p.idx], sol.slotB[p.idx]].filter((s) => s >= 0);
      if (sol.slotA[p.idx] >= 0 && sol.slotB[p.idx] >= 0) doubleHolders++;
      else if (sol.slotA[p.idx] < 0 && sol.slotB[p.idx] < 0 && p.holdings.length > 0) idled++;
      const lost = before.filter((s) => !now.includes(s));
      const gained = now.filter((s) => !before.includes(s));
      // Pair what was left with what was taken: same role first.
      const pairs: [number, number][] = [];
      const lostLeft = [...lost];
      const gainedLeft = [...gained];
      for (const role of ['A', 'B'] as const) {
        const l = lostLeft.findIndex((s) => g.slots[s].role === role);
        const t = gainedLeft.findIndex((s) => g.slots[s].role === role);
        if (l >= 0 && t >= 0) {
          pairs.push([lostLeft[l], gainedLeft[t]]);
          lostLeft.splice(l, 1);
          gainedLeft.splice(t, 1);
        }
      }
      while (lostLeft.length && gainedLeft.length) pairs.push([lostLeft.shift()!, gainedLeft.shift()!]);
      for (const s of lostLeft) pairs.push([s, -1]);
      for (const s of gainedLeft) pairs.push([-1, s]);

      for (const [from, to] of pairs) {
        const reasons: PlanReason[] = [];
        let required = false;
        if (from >= 0) {
          for (const why of p.forced.get(g.slots[from].post.code) ?? []) {
            required = true;
            if (why.code === 'must-move') reasons.push({ code: 'must-move', data: { reason: why.reason } });
            else if (why.code === 'max-tenure')
              reasons.push({
                code: 'max-tenure',
                data: { post: g.slots[from].post.code, years: why.years, limit: why.limit },
              });
            else
              reasons.push({
                code: 'conflict',
                data: { item: why.item, business: why.business, post: g.slots[from].post.code },
              });
          }
        }
        let training: PlanMove['training'] = null;
        if (to >= 0) {
          const slot = g.slots[to];
          const k = g.pairAt[p.idx * m + to];
          const flags = g.pairFlags[k];
          if (flags & F.required) required = true;
          if (flags & F.roleChange)
            reasons.push({ code: 'role-change', data: { post: slot.post.code, role: slot.role } });
          const prev = slot.holder;
          if (prev >= 0 && prev !== p.idx) {
            const prevPerson = g.persons[prev];
            const prevWhy = prevPerson.forced.get(slot.post.code)?.[0]?.code ?? 'moved';
            reasons.push({
              code: 'cover',
              data: {
                post: slot.post.code,
                role: slot.role,
                previous: prevPerson.no,
                previousName: prevPerson.name,
                why: prevWhy,
              },
            });
          } else if (prev < 0) {
            reasons.push({
              code: 'cover',
              data: { post: slot.post.code, role: slot.role, previous: '', previousName: '', why: 'vacant' },
            });
          }
          const missing = missingBusinesses(p.known, slot.post, policy.competence);
          if (missing.length) {
            const days = missing.length * policy.training.daysPerBusiness;
            training = { businesses: missing, days, before: date };
            trainingDays += days;
            const gain = Math.min(missing.length, Math.max(0, policy.skills.targetBusinesses - known.size));
            skillGrowth += gain;
            for (const b of missing) known.add(b);
            if (gain > 0)
              reasons.push({
                code: 'skill-growth',
                data: { businesses: missing.join(', '), knowsBefore: p.known.size, knowsAfter: known.size },
              });
          }
          for (const w of p.wishes) {
            if (w.post !== slot.post.code) continue;
            if (w.kind === 'prefer') {
              wishesGranted++;
              reasons.push({ code: 'wish', data: { post: slot.post.code } });
            } else wishesAgainst++;
          }
        } else if (from >= 0) {
          reasons.push({
            code: 'released',
            data: { post: g.slots[from].post.code, role: g.slots[from].role },
          });
        }
        if (to >= 0 && from >= 0 && before.length > now.length) {
          reasons.push({ code: 'balance', data: {} });
        }
        moves.push({
          round,
          effectiveDate: date,
          staff: p.no,
          staffName: p.name,
          from: from >= 0 ? { post: g.slots[from].post.code, role: g.slots[from].role } : null,
          to: to >= 0 ? { post: g.slots[to].post.code, role: g.slots[to].role } : null,
          required,
          reasons,
          training,
        });
      }

      // Rules the round could not keep for this person.
      for (const h of p.holdings) {
        const forced = p.forced.get(h.post);
        const keptPost = now.some((s) => g.slots[s].post.code === h.post);
        if (forced && keptPost) {
          const must = forced.find((f) => f.code === 'must-move');
          const tenure = forced.find((f) => f.code === 'max-tenure');
          const successors = competentOthers(g, p.idx, h.slot);
          const why = successors === 0 ? 'no-competent-successor' : 'higher-rule';
          const instead =
            counterfactuals-- > 0 && performance.now() < counterfactualDeadline
              ? whatMovingBreaks(g, sol, p.idx, h.post)
              : '';
          if (must) {
            unmet.push({
              round,
              rule: 'must-move',
              subject: p.no,
              data: { staff: p.no, name: p.name, post: h.post, reason: must.reason, why, instead },
            });
          } else if (tenure && tenure.code === 'max-tenure') {
            unmet.push({
              round,
              rule: 'max-tenure',
              subject: p.no,
              data: {
                staff: p.no,
                name: p.name,
                post: h.post,
                years: tenure.years,
                limit: tenure.limit,
                why,
                instead,
              },
            });
          }
        }
        if (!forced && !now.includes(h.slot) && h.years < policy.tenure.minYearsBeforeVoluntaryMove) {
          unmet.push({
            round,
            rule: 'min-tenure',
            subject: p.no,
            data: {
              staff: p.no,
              name: p.name,
              post: h.post,
              years: Math.round(h.years * 10) / 10,
              min: policy.tenure.minYearsBeforeVoluntaryMove,
            },
          });
        }
      }
      for (const s of gained) {
        const k = g.pairAt[p.idx * m + s];
        if (g.pairFlags[k] & F.cooling) {
          const left = ctx.facts.lastLeft(p.no, g.slots[s].post.code, date) ?? '';
          unmet.push({
            round,
            rule: 'cooling-off',
            subject: p.no,
            data: {
              staff: p.no,
              name: p.name,
              post: g.slots[s].post.code,
              left,
              years: policy.tenure.coolingOffYears,
            },
          });
        }
      }
      for (const s of now) {
        const k = g.pairAt[p.idx * m + s];
        if (g.pairFlags[k] & F.untrained) {
          const slot = g.slots[s];
          unmet.push({
            round,
            rule: slot.role === 'A' ? 'coverage-A' : 'coverage-B',
            subject: slot.post.code,
            data: {
              post: slot.post.code,
              role: slot.role,
              staff: p.no,
              name: p.name,
              businesses: missingBusinesses(p.known, slot.post, policy.competence).join(', '),
              kind: 'untrained',
            },
          });
        }
      }
      knownAfter.set(p.no, known);
    }

    // Slots left vacant.
    for (let s = 0; s < m; s++) {
      if (holderAfter[s] >= 0 || !policy.coverage.roles.includes(g.slots[s].role)) continue;
      const slot = g.slots[s];
      const suggestion = nearestTrainee(ctx, g, s);
      unmet.push({
        round,
        rule: slot.role === 'A' ? 'coverage-A' : 'coverage-B',
        subject: slot.post.code,
        data: {
          post: slot.post.code,
          role: slot.role,
          kind: 'vacant',
          competent: competentOthers(g, -1, s),
          staff: suggestion?.staff ?? '',
          name: suggestion?.name ?? '',
          businesses: suggestion?.businesses.join(', ') ?? '',
        },
      });
    }
    g.windows.forEach((w, k) => {
      if (movers[k] > w.cap) {
        unmet.push({
          round,
          rule: 'window-share',
          subject: w.code,
          data: { window: w.code, movers: movers[k], staff: w.staff.length, cap: w.cap },
        });
      }
    });

    // Penalties incurred: the objective less its soft goals, with leaving early counted as the
    // penalty it is (the objective rewards the stays instead).
    const value = evaluate(g, sol.slotA, sol.slotB).objective;
    penalties += value + countMinTenureStays(g) * PENALTY.minTenure - softGoals(g, sol, policy.weights);
  });

  // Training for clerks still below the minimum of businesses: businesses of their own windows
  // first, the ones fewest people know first, counting each training as it is given.
  for (const g of groups) {
    const depth = businessDepth(g, knownAfter);
    for (const p of g.persons) {
      const known = knownAfter.get(p.no)!;
      const learnt = known.size - p.known.size;
      const need = policy.skills.minBusinesses - known.size;
      if (need <= 0) continue;
      const room = Math.max(0, policy.training.maxNewBusinessesPerRound - learnt);
      const windows = new Set(p.holdings.map((h) => g.slots[h.slot].post.window));
      const own = new Set(
        g.slots.filter((x) => windows.has(x.post.window)).flatMap((x) => x.post.businesses),
      );
      const picks = [...depth.entries()]
        .filter(([b]) => !known.has(b) && !p.conflictBusinesses.has(b))
        .sort(
          (a, b) => Number(own.has(b[0])) - Number(own.has(a[0])) || a[1] - b[1] || a[0].localeCompare(b[0]),
        )
        .map(([b]) => b)
        .slice(0, Math.min(need, room));
      if (picks.length) {
        const days = picks.length * policy.training.daysPerBusiness;
        trainings.push({
          round,
          staff: p.no,
          staffName: p.name,
          businesses: picks,
          days,
          before: date,
          knowsBefore: known.size,
        });
        trainingDays += days;
        skillGrowth += picks.length;
        for (const b of picks) {
          known.add(b);
          depth.set(b, (depth.get(b) ?? 0) + 1);
        }
      }
      if (known.size < policy.skills.minBusinesses) {
        unmet.push({
          round,
          rule: 'min-skills',
          subject: p.no,
          data: { staff: p.no, name: p.name, knows: known.size, min: policy.skills.minBusinesses, room },
        });
      }
    }
  }

  // Moves beyond the required: posts taken other than in place of one a rule made the person leave.
  const required = moves.filter((x) => x.required).length;
  const beyond = moves.filter((x) => x.to && !x.required).length;
  const w = policy.weights;
  const weighted = {
    move: w.move * beyond,
    skillGrowth: -w.skillGrowth * skillGrowth,
    trainingDay: w.trainingDay * trainingDays,
    wish: -w.wish * (wishesGranted - wishesAgainst),
    balance: w.balance * (doubleHolders + idled),
  };
  const total =
    weighted.move +
    weighted.skillGrowth +
    weighted.trainingDay +
    weighted.wish +
    weighted.balance +
    penalties;
  return {
    moves,
    trainings,
    unmet,
    knownAfter,
    holdersAfter,
    score: {
      movesBeyondRequired: beyond,
      requiredMoves: required,
      skillGrowth,
      trainingDays,
      wishesGranted,
      wishesAgainst,
      doubleHolders,
      idled,
      weighted,
      penalties,
      total,
    },
  };
}

/** The soft-goal part of a solution's objective: pair costs without their hard-rule parts, and balance. */
function softGoals(g: GroupProblem, sol: GroupSolution, weights: { move: number }): number {
  const m = g.slots.length;
  let soft = 0;
  for (let i = 0; i < g.persons.length; i++) {
    for (const s of [sol.slotA[i], sol.slotB[i]]) {
      if (s < 0) continue;
      const k = g.pairAt[i * m + s];
      const f = g.pairFlags[k];
      let hard = 0;
      if (f & F.forcedStay) {
        hard += g.persons[i].forced.get(g.slots[s].post.code)!.some((x) => x.code === 'must-move')
          ? PENALTY.mustMove
          : PENALTY.maxTenure;
        // Staying forgoes the required move; that cost belongs to the broken rule, not to the goals.
        if (f & F.stay) hard += weights.move;
      }
      if (f & F.cooling) hard += PENALTY.coolingOff;
      if (f & F.untrained) hard += g.slots[s].role === 'A' ? PENALTY.untrainedA : PENALTY.untrainedB;
      if (f & F.minTenure) hard -= PENALTY.minTenure;
      soft += g.pairCost[k] - hard;
    }
    if (sol.slotA[i] >= 0 && sol.slotB[i] >= 0) soft += g.balanceWeight;
    else if (sol.slotA[i] < 0 && sol.slotB[i] < 0 && g.persons[i].holdings.length > 0)
      soft += g.balanceWeight;
  }
  return soft;
}

/** Stays that earn the minimum-tenure reward if kept (the objective's constant offset). */
function countMinTenureStays(g: GroupProblem): number {
  const m = g.slots.length;
  let count = 0;
  for (const p of g.persons) {
    for (const h of p.holdings) {
      const k = g.pairAt[p.idx * m + h.slot];
      if (k >= 0 && g.pairFlags[k] & F.minTenure) count++;
    }
  }
  return count;
}

/**
 * Persons other than `except` in the group who could hold the slot's post: competent now, free of
 * conflict, and not themselves bound to leave it.
 */
function competentOthers(g: GroupProblem, except: number, slot: number): number {
  const post = g.slots[slot].post;
  let count = 0;
  for (const p of g.persons) {
    if (p.idx === except || conflictWith(p.conflictBusinesses, post) || p.forced.has(post.code)) continue;
    if (post.businesses.every((b) => p.known.has(b))) count++;
  }
  return count;
}

/** The person in the group who would need the least training to take a vacant slot. */
function nearestTrainee(ctx: RoundContext, g: GroupProblem, slot: number) {
  const post = g.slots[slot].post;
  let best: { staff: string; name: string; businesses: string[] } | null = null;
  for (const p of g.persons) {
    if (conflictWith(p.conflictBusinesses, post)) continue;
    const missing = missingBusinesses(p.known, post, ctx.policy.competence);
    if (missing.length === 0) continue;
    if (!best || missing.length < best.businesses.length)
      best = { staff: p.no, name: p.name, businesses: missing };
  }
  return best;
}

/** How many people of the group know each business of its posts. */
function businessDepth(g: GroupProblem, known: Map<string, Set<string>>): Map<string, number> {
  const depth = new Map<string, number>();
  for (const s of g.slots) for (const b of s.post.businesses) depth.set(b, 0);
  for (const p of g.persons)
    for (const b of known.get(p.no) ?? p.known) if (depth.has(b)) depth.set(b, depth.get(b)! + 1);
  return depth;
}

/** Hard rules a group plan does not keep, as `rule:subject` keys. */
function hardRuleBreaks(g: GroupProblem, slotA: Int32Array, slotB: Int32Array): Set<string> {
  const m = g.slots.length;
  const out = new Set<string>();
  const taken = new Uint8Array(m);
  for (const p of g.persons) {
    for (const s of [slotA[p.idx], slotB[p.idx]]) {
      if (s < 0) continue;
      taken[s] = 1;
      const f = g.pairFlags[g.pairAt[p.idx * m + s]];
      const slot = g.slots[s];
      if (f & F.forcedStay) {
        const must = p.forced.get(slot.post.code)?.some((x) => x.code === 'must-move');
        out.add(`${must ? 'must-move' : 'max-tenure'}:${p.no}`);
      }
      if (f & F.cooling) out.add(`cooling-off:${p.no}`);
      if (f & F.untrained) out.add(`coverage-${slot.role}:${slot.post.code}`);
    }
    for (const h of p.holdings) {
      const k = g.pairAt[p.idx * m + h.slot];
      const kept = slotA[p.idx] === h.slot || slotB[p.idx] === h.slot;
      if (k >= 0 && g.pairFlags[k] & F.minTenure && !kept) out.add(`min-tenure:${p.no}`);
    }
  }
  for (let s = 0; s < m; s++)
    if (!taken[s] && g.vacancyCost[g.slots[s].role] > 0)
      out.add(`coverage-${g.slots[s].role}:${g.slots[s].post.code}`);
  const { movers } = evaluate(g, slotA, slotB);
  g.windows.forEach((w, k) => {
    if (movers[k] > w.cap) out.add(`window-share:${w.code}`);
  });
  return out;
}

/**
 * Why a person stays on a post they should leave: re-plan the group with that stay forbidden and
 * name the hard rules the best such plan would break that this one keeps ("rule:subject;...").
 */
function whatMovingBreaks(g: GroupProblem, sol: GroupSolution, person: number, post: string): string {
  const m = g.slots.length;
  const pairCost = Float64Array.from(g.pairCost);
  for (const slot of g.slots) {
    if (slot.post.code !== post) continue;
    const k = g.pairAt[person * m + slot.idx];
    if (k >= 0) pairCost[k] = Infinity;
  }
  const alt = boundGroup({ ...g, pairCost });
  const now = hardRuleBreaks(g, sol.slotA, sol.slotB);
  return [...hardRuleBreaks(g, alt.best.slotA, alt.best.slotB)]
    .filter((k) => !now.has(k))
    .slice(0, 4)
    .join(';');
}

/**
 * Coverage of every post from its holders: A and B, whether each is competent (knowing the
 * businesses, possibly through training this round) and how many in the pool are competent.
 */
export function coverage(
  posts: PlanPost[],
  holders: Map<string, string>,
  knownBefore: Map<string, Set<string>>,
  knownAfter: Map<string, Set<string>>,
  names: Map<string, string>,
  conflicts: Map<string, Set<string>>,
  /** The people who could hold the post (its group's pool). */
  poolOf: (post: PlanPost) => readonly string[],
  mode: 'all' | 'any',
): PostCoverage[] {
  return posts.map((post) => {
    const slot = (role: Role) => {
      const holder = holders.get(slotKey(post.code, role)) ?? null;
      if (!holder) return { holder: null, holderName: null, competent: false, viaTraining: false };
      const before = knownBefore.get(holder) ?? new Set<string>();
      const after = knownAfter.get(holder) ?? before;
      const competent =
        missingBusinesses(after, post, mode).length === 0 &&
        !conflictWith(conflicts.get(holder) ?? new Set(), post);
      const viaTraining = competent && missingBusinesses(before, post, mode).length > 0;
      return { holder, holderName: names.get(holder) ?? null, competent, viaTraining };
    };
    let competentStaff = 0;
    for (const no of poolOf(post)) {
      const k = knownAfter.get(no) ?? knownBefore.get(no) ?? new Set<string>();
      if (
        missingBusinesses(k, post, mode).length === 0 &&
        !conflictWith(conflicts.get(no) ?? new Set(), post)
      )
        competentStaff++;
    }
    return {
      post: post.code,
      name: post.name,
      window: post.window,
      key: post.key,
      businesses: post.businesses,
      A: slot('A'),
      B: slot('B'),
      competentStaff,
    };
  });
}
