/**
 * Solving one group of a round exactly where it can be.
 *
 * 1. Relaxation: the A slots and the B slots are two assignment problems (persons x slots, with
 *    vacancy rows and "no slot" columns) once the rules that tie them are dropped: not A and B of
 *    one post, the AB load balance, the window share caps. `solveAssignment` solves each exactly;
 *    their sum is a lower bound on every plan.
 * 2. Plans: solving A then B (and B then A) with the ties enforced gives feasible plans; the best
 *    is the incumbent. If it meets the bound, it is optimal: done, no MIP.
 * 3. Window caps: when they bind, Lagrange multipliers on them (a reward for staying, adjusted by
 *    subgradient steps) raise the bound and steer the plans.
 * 4. Exact: the remaining gap goes to HiGHS as a MIP over the candidate pairs, after dropping every
 *    pair whose reduced cost exceeds the gap (it cannot be in a better plan: reduced-cost fixing),
 *    started from the incumbent, with a time limit. Its proven bound is reported, not hidden.
 *
 * @example
 * const state = boundGroup(group);              // fast phase
 * if (!provenOptimal(state)) await closeGap(group, state, { exact: true, timeLimitSec: 10 });
 * (await solveGroup(group, { exact: true, timeLimitSec: 10 })).status // 'optimal' | 'time_limit'
 */
import { solveAssignmentWithDuals } from './assignment.ts';
import { csrRows, type SolveProgress, solveLinear } from './highs.ts';
import { type GroupProblem, PENALTY } from './problem.ts';
import type { Role } from './types.ts';

export interface GroupSolution {
  /** Per person: the slot taken in each role, or -1. */
  slotA: Int32Array;
  slotB: Int32Array;
  objective: number;
  bound: number;
  status: 'optimal' | 'time_limit' | 'heuristic';
  mip: boolean;
  prunedPairs: number;
  seconds: number;
}

export interface GroupSolveOptions {
  exact: boolean;
  timeLimitSec: number;
  onGap?: (p: SolveProgress) => void;
}

const TOLERANCE = 1e-6;

type Plan = { slotA: Int32Array; slotB: Int32Array };

interface RoleLap {
  /** Per person: slot index (global in the group) or -1. */
  slotOf: Int32Array;
  total: number;
  /** Reduced cost per pair of this role (NaN for pairs of the other role or forbidden here). */
  reduced: Float64Array;
  /** Reduced cost of leaving each slot of this role vacant (by global slot index; NaN otherwise). */
  reducedVacancy: Float64Array;
}

/** Solves one role's assignment problem with per-pair adjustments (null: forbidden this time). */
function lapForRole(
  g: GroupProblem,
  role: Role,
  adjust: ((k: number) => number | null) | null,
  wantDuals: boolean,
): RoleLap {
  const n = g.persons.length;
  const roleSlots = g.slots.filter((s) => s.role === role).map((s) => s.idx);
  const mr = roleSlots.length;
  const col = new Int32Array(g.slots.length).fill(-1);
  roleSlots.forEach((s, c) => {
    col[s] = c;
  });
  const N = n + mr;
  const costs = new Float64Array(N * N).fill(Infinity);
  for (let i = 0; i < n; i++) costs.fill(0, i * N + mr, i * N + N);
  for (let d = n; d < N; d++) {
    costs.fill(g.vacancyCost[role], d * N, d * N + mr);
    costs.fill(0, d * N + mr, d * N + N);
  }
  const K = g.pairPerson.length;
  const adj = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const c = col[g.pairSlot[k]];
    if (c < 0) continue;
    const a = adjust ? adjust(k) : 0;
    if (a === null) {
      adj[k] = Number.NaN;
      continue;
    }
    adj[k] = a;
    costs[g.pairPerson[k] * N + c] = g.pairCost[k] + a;
  }
  const r = solveAssignmentWithDuals({ n: N, costs }, { inPlace: true });
  if (!r.feasible)
    throw new Error('rotation: a role assignment had no solution (a vacancy row is always possible)');
  const slotOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) if (r.assignment[i] < mr) slotOf[i] = roleSlots[r.assignment[i]];
  const reduced = new Float64Array(K).fill(Number.NaN);
  const reducedVacancy = new Float64Array(g.slots.length).fill(Number.NaN);
  if (wantDuals && r.dualsExact) {
    for (let k = 0; k < K; k++) {
      const c = col[g.pairSlot[k]];
      if (c < 0 || Number.isNaN(adj[k])) continue;
      reduced[k] = Math.max(0, g.pairCost[k] + adj[k] - r.u[g.pairPerson[k]] - r.v[c]);
    }
    if (mr > 0)
      for (const s of roleSlots) reducedVacancy[s] = Math.max(0, g.vacancyCost[role] - r.u[n] - r.v[col[s]]);
  }
  return { slotOf, total: r.total, reduced, reducedVacancy };
}

/** The true objective of a plan (per-person A and B slots), with the window movers. */
export function evaluate(g: GroupProblem, slotA: Int32Array, slotB: Int32Array) {
  const m = g.slots.length;
  let objective = 0;
  const taken = new Uint8Array(m);
  let doubles = 0;
  let idled = 0;
  for (let i = 0; i < g.persons.length; i++) {
    for (const s of [slotA[i], slotB[i]]) {
      if (s < 0) continue;
      const k = g.pairAt[i * m + s];
      if (k < 0)
        throw new Error(`rotation: plan uses a forbidden pair (${g.persons[i].no}, ${g.slots[s].post.code})`);
      objective += g.pairCost[k];
      taken[s] = 1;
    }
    if (slotA[i] >= 0 && slotB[i] >= 0) doubles++;
    else if (slotA[i] < 0 && slotB[i] < 0 && g.persons[i].holdings.length > 0) idled++;
  }
  for (let s = 0; s < m; s++) if (!taken[s]) objective += g.vacancyCost[g.slots[s].role];
  objective += g.balanceWeight * (doubles + idled);
  const movers = g.windows.map((w) => {
    let count = 0;
    for (const i of w.staff) if (leavesWindow(g, i, w.code, slotA, slotB)) count++;
    return count;
  });
  g.windows.forEach((w, k) => {
    objective += PENALTY.windowShare * Math.max(0, movers[k] - w.cap);
  });
  return { objective, movers, doubles, idled };
}

/**
 * Whether person i leaves one of their current holdings in window `code`: another post, or the
 * other role on the same post (a B who becomes A changes duty; for the window share that is a move).
 */
export function leavesWindow(g: GroupProblem, i: number, code: string, slotA: Int32Array, slotB: Int32Array) {
  return g.persons[i].holdings.some(
    (h) => g.slots[h.slot].post.window === code && (h.role === 'A' ? slotA[i] : slotB[i]) !== h.slot,
  );
}

/** Whether person i holds `post` in either role in the plan. */
export function holdsPost(g: GroupProblem, i: number, post: string, slotA: Int32Array, slotB: Int32Array) {
  return (
    (slotA[i] >= 0 && g.slots[slotA[i]].post.code === post) ||
    (slotB[i] >= 0 && g.slots[slotB[i]].post.code === post)
  );
}

/** A then B (or B then A), the second respecting what the first chose. */
function sequential(g: GroupProblem, first: Role, lambdaAdj: Float64Array | null) {
  const m = g.slots.length;
  const second: Role = first === 'A' ? 'B' : 'A';
  const one = lapForRole(g, first, lambdaAdj ? (k) => -lambdaAdj[k] : null, false);
  const two = lapForRole(
    g,
    second,
    (k) => {
      const i = g.pairPerson[k];
      const s1 = one.slotOf[i];
      let a = lambdaAdj ? -lambdaAdj[k] : 0;
      if (s1 >= 0) {
        if (g.slots[s1].post.code === g.slots[g.pairSlot[k]].post.code) return null;
        const k1 = g.pairAt[i * m + s1];
        if (g.pairMissing[k1] + g.pairMissing[k] > g.maxNew) return null;
        a += g.balanceWeight;
      } else if (g.persons[i].holdings.length > 0) {
        // Balance: a former holder without a post in the first role is better given one here.
        a -= g.balanceWeight;
      }
      return a;
    },
    false,
  );
  return first === 'A' ? { slotA: one.slotOf, slotB: two.slotOf } : { slotA: two.slotOf, slotB: one.slotOf };
}

/** What the fast phase leaves for the exact one: the incumbent, the bound and its duals. */
export interface GroupState {
  best: Plan;
  ub: number;
  lb: number;
  duals: { A: RoleLap; B: RoleLap } | null;
  seconds: number;
}

/**
 * Fast phase: exact assignment bounds (with Lagrange multipliers on binding window caps) and the
 * best plan the sequential assignments find. Proven optimal when `ub - lb` is within tolerance.
 */
export function boundGroup(g: GroupProblem): GroupState {
  const started = performance.now();
  const K = g.pairPerson.length;
  let best: Plan = {
    slotA: new Int32Array(g.persons.length).fill(-1),
    slotB: new Int32Array(g.persons.length).fill(-1),
  };
  let ub = evaluate(g, best.slotA, best.slotB).objective;
  const consider = (plan: Plan) => {
    const value = evaluate(g, plan.slotA, plan.slotB).objective;
    if (value < ub - TOLERANCE) {
      ub = value;
      best = plan;
    }
  };

  // Window caps. Where the staff who must leave already fill a window's cap, the share penalty is
  // linear in the movers (every further mover costs exactly one penalty): its multiplier is the
  // penalty itself, exact from the start. The other binding windows get subgradient steps.
  const binding = g.windows.map((w) => w.staff.length > w.cap);
  const saturated = g.windows.map((w) => {
    let forced = 0;
    for (const i of w.staff) {
      const p = g.persons[i];
      if (p.holdings.some((h) => g.slots[h.slot].post.window === w.code && p.forced.has(h.post))) forced++;
    }
    return forced >= w.cap && w.staff.length > w.cap;
  });
  const lambda = Float64Array.from(saturated, (x) => (x ? PENALTY.windowShare : 0));
  const adjustable = binding.map((b, k) => b && !saturated[k]);
  let lb = -Infinity;
  let duals: GroupState['duals'] = null;
  const lambdaAdj = new Float64Array(K);
  const balanceAdj = new Float64Array(K);
  let balanceConstant = 0;
  if (g.balanceWeight > 0) {
    for (let k = 0; k < K; k++)
      if (g.persons[g.pairPerson[k]].holdings.length > 0) balanceAdj[k] = g.balanceWeight;
    for (const p of g.persons) if (p.holdings.length > 0) balanceConstant += g.balanceWeight;
  }
  const iterations = adjustable.some(Boolean) ? 12 : 1;
  let bestAdj: Float64Array | null = null;
  let theta = 0.5;
  let stale = 0;
  for (let it = 0; it < iterations; it++) {
    lambdaAdj.fill(0);
    g.windows.forEach((w, k) => {
      if (!lambda[k]) return;
      for (let j = 0; j < w.staff.length; j++) if (w.stayPair[j] >= 0) lambdaAdj[w.stayPair[j]] += lambda[k];
    });
    // Balance (z >= A + B - 1, cost w.z) relaxed with multiplier w for people who hold a post now:
    // each slot they take costs w, and w is given back once; the relaxation then charges a
    // double holder exactly as the plan does (and is still a lower bound: w <= the balance weight).
    const A = lapForRole(g, 'A', (k) => -lambdaAdj[k] + balanceAdj[k], true);
    const B = lapForRole(g, 'B', (k) => -lambdaAdj[k] + balanceAdj[k], true);
    let value = A.total + B.total - balanceConstant;
    g.windows.forEach((w, k) => {
      value += lambda[k] * (w.staff.length - w.cap);
    });
    if (value > lb + TOLERANCE) {
      lb = value;
      duals = { A, B };
      bestAdj = Float64Array.from(lambdaAdj);
      stale = 0;
    } else if (++stale >= 3) {
      theta /= 2;
      stale = 0;
    }
    // Plans from the assignments steered by the current multipliers (both orders the first time).
    if (it === 0) {
      consider(sequential(g, 'A', lambdaAdj));
      consider(sequential(g, 'B', lambdaAdj));
    } else consider(sequential(g, 'A', lambdaAdj));
    if (ub - lb <= TOLERANCE * Math.max(1, Math.abs(ub)) || iterations === 1) break;
    // Subgradient: how far each adjustable window's relaxed movers exceed its cap.
    let moved = false;
    g.windows.forEach((w, k) => {
      if (!adjustable[k]) return;
      let leaving = 0;
      w.staff.forEach((i, j) => {
        const p = w.stayPair[j];
        const kept = p >= 0 && (A.slotOf[i] === g.pairSlot[p] || B.slotOf[i] === g.pairSlot[p]);
        if (!kept) leaving++;
      });
      const grad = leaving - w.cap;
      const next = Math.min(
        PENALTY.windowShare,
        Math.max(
          0,
          lambda[k] +
            theta * PENALTY.windowShare * Math.sign(grad) * Math.min(1, Math.abs(grad) / Math.max(1, w.cap)),
        ),
      );
      if (next !== lambda[k]) moved = true;
      lambda[k] = next;
    });
    if (!moved) break;
  }
  // Plans steered by the multipliers of the best bound, when a gap is left.
  if (iterations > 1 && bestAdj && ub - lb > TOLERANCE * Math.max(1, Math.abs(ub))) {
    consider(sequential(g, 'A', bestAdj));
    consider(sequential(g, 'B', bestAdj));
  }
  return { best, ub, lb: Math.min(lb, ub), duals, seconds: (performance.now() - started) / 1000 };
}

/** Whether the fast phase already proved its plan optimal. */
export const provenOptimal = (s: GroupState) => s.ub - s.lb <= TOLERANCE * Math.max(1, Math.abs(s.ub));

/** The plan of a group from its state, without running the exact phase. */
export function fromState(s: GroupState): GroupSolution {
  return {
    slotA: s.best.slotA,
    slotB: s.best.slotB,
    objective: s.ub,
    bound: s.lb,
    status: provenOptimal(s) ? 'optimal' : 'heuristic',
    mip: false,
    prunedPairs: 0,
    seconds: s.seconds,
  };
}

/** Exact phase: HiGHS on the pairs that survive reduced-cost fixing, from the incumbent. */
export async function closeGap(
  g: GroupProblem,
  state: GroupState,
  opts: GroupSolveOptions,
): Promise<GroupSolution> {
  if (provenOptimal(state) || !opts.exact || !state.duals) return fromState(state);
  const started = performance.now();
  let { best, ub } = state;
  const mip = buildMip(g, state.duals, ub - state.lb, best);
  const result = await solveLinear(mip.model, {
    timeLimitSec: Math.max(0.5, opts.timeLimitSec),
    onProgress: opts.onGap,
  });
  if (result.values && result.objective !== null && result.objective < ub - TOLERANCE) {
    const plan = mip.decode(result.values);
    const value = evaluate(g, plan.slotA, plan.slotB).objective;
    if (value < ub - TOLERANCE) {
      ub = value;
      best = plan;
    }
  }
  let bound = state.lb;
  if (result.status === 'optimal') bound = ub;
  else if (result.bound !== null) bound = Math.max(bound, result.bound);
  const optimal = result.status === 'optimal' || ub - bound <= TOLERANCE * Math.max(1, Math.abs(ub));
  return {
    slotA: best.slotA,
    slotB: best.slotB,
    objective: ub,
    bound: optimal ? ub : Math.min(ub, bound),
    status: optimal ? 'optimal' : 'time_limit',
    mip: true,
    prunedPairs: mip.pruned,
    seconds: state.seconds + (performance.now() - started) / 1000,
  };
}

/** Both phases in one call. */
export async function solveGroup(g: GroupProblem, opts: GroupSolveOptions): Promise<GroupSolution> {
  return closeGap(g, boundGroup(g), opts);
}

/** The exact model over the pairs that survive reduced-cost fixing, started at the incumbent. */
function buildMip(
  g: GroupProblem,
  duals: { A: RoleLap; B: RoleLap },
  gap: number,
  incumbent: { slotA: Int32Array; slotB: Int32Array },
) {
  const n = g.persons.length;
  const m = g.slots.length;
  const K = g.pairPerson.length;
  const allowance = gap + 1e-6 * Math.max(1, gap);
  const inIncumbent = new Uint8Array(K);
  const taken = new Uint8Array(m);
  for (let i = 0; i < n; i++) {
    for (const s of [incumbent.slotA[i], incumbent.slotB[i]]) {
      if (s < 0) continue;
      inIncumbent[g.pairAt[i * m + s]] = 1;
      taken[s] = 1;
    }
  }
  const cost: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const start: number[] = [];
  const column = (c: number, l: number, u: number, s: number) => {
    cost.push(c);
    lo.push(l);
    hi.push(u);
    start.push(s);
    return cost.length - 1;
  };
  // Pairs (kept unless their reduced cost exceeds the gap; the incumbent's always kept).
  const colOfPair = new Int32Array(K).fill(-1);
  let pruned = 0;
  for (let k = 0; k < K; k++) {
    const r = duals[g.slots[g.pairSlot[k]].role].reduced[k];
    if (inIncumbent[k] || Number.isNaN(r) || r <= allowance)
      colOfPair[k] = column(g.pairCost[k], 0, 1, inIncumbent[k]);
    else pruned++;
  }
  const vacancyCol = new Int32Array(m).fill(-1);
  for (let s = 0; s < m; s++) {
    const r = duals[g.slots[s].role].reducedVacancy[s];
    if (!taken[s] || Number.isNaN(r) || r <= allowance) {
      vacancyCol[s] = column(g.vacancyCost[g.slots[s].role], 0, 1, taken[s] ? 0 : 1);
    }
  }

  const rows: { col: number; value: number }[][] = [];
  const rowLo: number[] = [];
  const rowHi: number[] = [];
  const row = (entries: { col: number; value: number }[], l: number, u: number) => {
    rows.push(entries);
    rowLo.push(l);
    rowHi.push(u);
  };
  const one = (col: number, value = 1) => ({ col, value });
  const bySlot: { col: number; value: number }[][] = Array.from({ length: m }, () => []);
  const byPersonRole: Record<Role, { col: number; value: number }[][]> = {
    A: Array.from({ length: n }, () => []),
    B: Array.from({ length: n }, () => []),
  };
  const trainees: { col: number; value: number; role: Role }[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < K; k++) {
    const c = colOfPair[k];
    if (c < 0) continue;
    const s = g.pairSlot[k];
    const role = g.slots[s].role;
    bySlot[s].push(one(c));
    byPersonRole[role][g.pairPerson[k]].push(one(c));
    if (g.pairMissing[k] > 0) trainees[g.pairPerson[k]].push({ col: c, value: g.pairMissing[k], role });
  }
  // Every slot is held once, or vacant.
  for (let s = 0; s < m; s++) {
    const entries = [...bySlot[s]];
    if (vacancyCol[s] >= 0) entries.push(one(vacancyCol[s]));
    row(entries, 1, 1);
  }
  const bOfPost = new Map(g.slots.filter((x) => x.role === 'B').map((x) => [x.post.code, x.idx]));
  for (let i = 0; i < n; i++) {
    const a = byPersonRole.A[i];
    const b = byPersonRole.B[i];
    // At most one A and one B post a person.
    if (a.length > 1) row(a, -Infinity, 1);
    if (b.length > 1) row(b, -Infinity, 1);
    // Not A and B of the same post (B backs up another person).
    for (const s of g.slots) {
      if (s.role !== 'A') continue;
      const bSlot = bOfPost.get(s.post.code);
      if (bSlot === undefined) continue;
      const ka = g.pairAt[i * m + s.idx];
      const kb = g.pairAt[i * m + bSlot];
      if (ka >= 0 && kb >= 0 && colOfPair[ka] >= 0 && colOfPair[kb] >= 0) {
        row([one(colOfPair[ka]), one(colOfPair[kb])], -Infinity, 1);
      }
    }
    // Businesses learnt in one round, over both roles.
    if (new Set(trainees[i].map((e) => e.role)).size > 1) {
      row(
        trainees[i].map((e) => one(e.col, e.value)),
        -Infinity,
        g.maxNew,
      );
    }
    // Balance: z >= (A held) + (B held) - 1; a former holder left with no post: idle + A + B >= 1.
    if (g.balanceWeight > 0 && a.length > 0 && b.length > 0) {
      const z = column(g.balanceWeight, 0, 1, incumbent.slotA[i] >= 0 && incumbent.slotB[i] >= 0 ? 1 : 0);
      row([...a, ...b, one(z, -1)], -Infinity, 1);
    }
    if (g.balanceWeight > 0 && g.persons[i].holdings.length > 0) {
      const idle = column(g.balanceWeight, 0, 1, incumbent.slotA[i] < 0 && incumbent.slotB[i] < 0 ? 1 : 0);
      row([...a, ...b, one(idle)], 1, Infinity);
    }
  }
  // Window share: movers m_iw >= 1 - x(stay) for each current holding there; sum m - e <= cap.
  for (const w of g.windows) {
    if (w.staff.length <= w.cap) continue;
    const movers: { col: number; value: number }[] = [];
    let count = 0;
    for (const i of w.staff) {
      const current = g.persons[i].holdings.filter((h) => g.slots[h.slot].post.window === w.code);
      // For each current holding there: the column that keeps it (same post, same role).
      const keepCols = current.map((h) => {
        const k = g.pairAt[i * m + h.slot];
        return k >= 0 && colOfPair[k] >= 0 ? [colOfPair[k]] : [];
      });
      const leaves = leavesWindow(g, i, w.code, incumbent.slotA, incumbent.slotB);
      if (leaves) count++;
      const mc = column(0, keepCols.some((c) => c.length === 0) ? 1 : 0, 1, leaves ? 1 : 0);
      for (const cs of keepCols) if (cs.length) row([one(mc), ...cs.map((c) => one(c))], 1, Infinity);
      movers.push(one(mc));
    }
    const e = column(PENALTY.windowShare, 0, Infinity, Math.max(0, count - w.cap));
    row([...movers, one(e, -1)], -Infinity, w.cap);
  }

  const model = {
    numCols: cost.length,
    colCost: cost,
    colLower: lo,
    colUpper: hi,
    integer: true,
    rows: csrRows(rows, rowLo, rowHi),
    start,
  };
  const decode = (values: Float64Array) => {
    const slotA = new Int32Array(n).fill(-1);
    const slotB = new Int32Array(n).fill(-1);
    for (let k = 0; k < K; k++) {
      const c = colOfPair[k];
      if (c < 0 || values[c] < 0.5) continue;
      const s = g.pairSlot[k];
      if (g.slots[s].role === 'A') slotA[g.pairPerson[k]] = s;
      else slotB[g.pairPerson[k]] = s;
    }
    return { slotA, slotB };
  };
  return { model, decode, pruned };
}
