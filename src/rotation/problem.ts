/**
 * One round of the plan as an optimisation problem: the pool of staff, the post slots (each post
 * has an A and a B slot), split into independent groups by the policy's scope, and for every
 * allowed (person, slot) pair its cost under the rules and goals.
 *
 * Hard rules become either forbidden pairs (a declared conflict of interest, more to learn than a
 * round allows) or large penalties ranked by importance, so that when rules conflict the plan
 * still exists and says which rule gave way (`PENALTY`). Soft goals are the policy's weights.
 *
 * @example
 * const round = buildRound({ date: '2027-01-01', policy, posts, staff, facts: historyFacts(history), known, mustMove: [], wishes: [] });
 * round.groups[0].pairCost // Float64Array: cost of each allowed (person, slot) pair
 */

import {
  conflictWith,
  type HistoryFacts,
  maxTenure,
  missingBusinesses,
  yearsBefore,
  yearsBetween,
} from './facts.ts';
import type { MustMove, RotationPolicy, Wish } from './policy.ts';
import type { PlanPost, PlanStaff, Role } from './types.ts';

/**
 * Penalties of hard rules, far above any sum of soft goals and ranked: a plan breaks a lower one
 * before a higher one. Window share < cooling-off = minimum tenure < maximum tenure < coverage B <
 * coverage A < must-move. (Conflicts of interest are forbidden pairs, never broken.)
 */
export const PENALTY = {
  windowShare: 2e4,
  coolingOff: 5e4,
  minTenure: 5e4,
  maxTenure: 1e5,
  untrainedB: 5e5,
  untrainedA: 1e6,
  vacantB: 2e6,
  vacantA: 4e6,
  mustMove: 1e7,
} as const;

export type ForcedWhy =
  | { code: 'must-move'; reason: string }
  | { code: 'max-tenure'; years: number; limit: number }
  | { code: 'conflict'; item: string; business: string };

export interface PersonCtx {
  idx: number;
  no: string;
  name: string;
  department: string;
  known: Set<string>;
  conflictBusinesses: Set<string>;
  conflicts: PlanStaff['conflicts'];
  /** Current holdings of planned posts, with tenure. */
  holdings: { slot: number; post: string; role: Role; since: string; years: number }[];
  /** Posts the person must leave this round, with why. */
  forced: Map<string, ForcedWhy[]>;
  mustMove: MustMove | null;
  wishes: Wish[];
}

export interface SlotCtx {
  idx: number;
  post: PlanPost;
  role: Role;
  /** Index of the current holder in the group's persons, or -1 (vacant now, or held outside the pool). */
  holder: number;
}

export interface WindowCtx {
  code: string;
  /** Persons holding a planned post of the window now. */
  staff: number[];
  cap: number;
  /** For each of `staff`: the pair index of staying in their (A, else B) holding there, or -1. */
  stayPair: Int32Array;
}

/** Pair flags, packed. */
export const F = {
  stay: 1,
  required: 2,
  cooling: 4,
  untrained: 8,
  minTenure: 16,
  forcedStay: 32,
  roleChange: 64,
} as const;

export interface GroupProblem {
  key: string;
  persons: PersonCtx[];
  slots: SlotCtx[];
  windows: WindowCtx[];
  /** Candidate pairs, struct-of-arrays. */
  pairPerson: Int32Array;
  pairSlot: Int32Array;
  pairCost: Float64Array;
  /** Number of businesses to learn for the pair. */
  pairMissing: Int8Array;
  pairFlags: Uint8Array;
  /** Pair index by person and slot (-1: forbidden). Dense n x m. */
  pairAt: Int32Array;
  vacancyCost: Record<Role, number>;
  balanceWeight: number;
  maxNew: number;
}

export interface RoundContext {
  date: string;
  policy: RotationPolicy;
  posts: PlanPost[];
  staff: Map<string, PlanStaff>;
  facts: HistoryFacts;
  /** Businesses each person knows (competencies plus training of earlier rounds). */
  known: Map<string, Set<string>>;
  mustMove: MustMove[];
  wishes: Wish[];
}

export interface RoundProblem {
  groups: GroupProblem[];
  plannedPosts: PlanPost[];
  poolSize: number;
  slotCount: number;
}

/** Builds the round's pool, groups and candidate pairs. */
export function buildRound(ctx: RoundContext): RoundProblem {
  const { policy, date, facts } = ctx;
  const excluded = new Set(policy.excludedPosts);
  const planned = ctx.posts.filter((p) => !excluded.has(p.code));
  const postByCode = new Map(ctx.posts.map((p) => [p.code, p]));
  const current = facts.current(date);

  // Holders of excluded (leadership) posts stay out of the pool; so do the planned posts they hold.
  const frozen = new Set<string>();
  for (const [no, list] of current) if (list.some((h) => excluded.has(h.post))) frozen.add(no);
  const plannedDepartments = new Set(planned.map((p) => p.department));
  const scopeKey = (p: PlanPost) =>
    policy.scope === 'window' ? p.window : policy.scope === 'department' ? p.department : 'bureau';

  // Pool: holders of planned posts, and idle active staff of the departments owning the windows.
  const pool: string[] = [];
  for (const s of ctx.staff.values()) {
    if (frozen.has(s.no)) continue;
    const holds = (current.get(s.no) ?? []).some((h) => postByCode.has(h.post) && !excluded.has(h.post));
    const idle = !(current.get(s.no)?.length ?? 0);
    if (holds || (idle && plannedDepartments.has(s.department) && policy.scope !== 'window')) pool.push(s.no);
  }

  // Groups: scope units joined when one person holds posts in several.
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(k, r);
    return r;
  };
  const add = (k: string) => {
    if (!parent.has(k)) parent.set(k, k);
  };
  const union = (a: string, b: string) => {
    add(a);
    add(b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  const frozenPosts = new Set<string>();
  for (const no of frozen) for (const h of current.get(no) ?? []) frozenPosts.add(`${h.post}/${h.role}`);
  for (const p of planned) add(scopeKey(p));
  const personKey = new Map<string, string>();
  for (const no of pool) {
    const keys = (current.get(no) ?? [])
      .filter((h) => postByCode.has(h.post) && !excluded.has(h.post))
      .sort((a, b) => a.role.localeCompare(b.role))
      .map((h) => scopeKey(postByCode.get(h.post)!));
    const own = keys[0] ?? (policy.scope === 'bureau' ? 'bureau' : ctx.staff.get(no)!.department);
    add(own);
    for (const k of keys) union(own, k);
    personKey.set(no, own);
  }

  const groupsByRoot = new Map<string, { persons: string[]; posts: PlanPost[] }>();
  const groupOf = (k: string) => {
    const root = find(k);
    let g = groupsByRoot.get(root);
    if (!g) {
      g = { persons: [], posts: [] };
      groupsByRoot.set(root, g);
    }
    return g;
  };
  for (const p of planned) groupOf(scopeKey(p)).posts.push(p);
  for (const no of pool) groupOf(personKey.get(no)!).persons.push(no);

  const groups: GroupProblem[] = [];
  let slotCount = 0;
  for (const [key, g] of [...groupsByRoot.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (g.posts.length === 0) continue;
    const problem = buildGroup(ctx, key, g.persons.sort(), g.posts, current, frozenPosts);
    slotCount += problem.slots.length;
    groups.push(problem);
  }
  return { groups, plannedPosts: planned, poolSize: pool.length, slotCount };
}

function buildGroup(
  ctx: RoundContext,
  key: string,
  personNos: string[],
  posts: PlanPost[],
  current: Map<string, import('./types.ts').Holding[]>,
  frozenPosts: Set<string>,
): GroupProblem {
  const { policy, date, facts } = ctx;
  const w = policy.weights;
  const slots: SlotCtx[] = [];
  const slotIndex = new Map<string, number>();
  for (const post of posts) {
    for (const role of ['A', 'B'] as const) {
      if (frozenPosts.has(`${post.code}/${role}`)) continue;
      slotIndex.set(`${post.code}/${role}`, slots.length);
      slots.push({ idx: slots.length, post, role, holder: -1 });
    }
  }
  const mustByStaff = new Map(ctx.mustMove.map((m) => [m.staff, m]));
  const persons: PersonCtx[] = personNos.map((no, idx) => {
    const s = ctx.staff.get(no)!;
    const known = ctx.known.get(no) ?? new Set(s.competencies);
    const conflictBusinesses = new Set(s.conflicts.map((c) => c.business));
    const mustMove = mustByStaff.get(no) ?? null;
    const holdings: PersonCtx['holdings'] = [];
    const forced = new Map<string, ForcedWhy[]>();
    for (const h of current.get(no) ?? []) {
      const slot = slotIndex.get(`${h.post}/${h.role}`);
      if (slot === undefined) continue;
      const since = facts.tenureStart(no, h.post, date) ?? h.from;
      const years = yearsBetween(since, date);
      holdings.push({ slot, post: h.post, role: h.role, since, years });
      const post = slots[slot].post;
      const why: ForcedWhy[] = [];
      if (mustMove) why.push({ code: 'must-move', reason: mustMove.reason });
      const limit = maxTenure(post, policy.tenure.maxYears);
      if (years >= limit - 1e-9) why.push({ code: 'max-tenure', years: round1(years), limit });
      const conflict = conflictWith(conflictBusinesses, post);
      if (conflict) {
        const item = s.conflicts.find((c) => c.business === conflict)!.item;
        why.push({ code: 'conflict', item, business: conflict });
      }
      if (why.length) forced.set(h.post, why);
    }
    return {
      idx,
      no,
      name: s.name,
      department: s.department,
      known,
      conflictBusinesses,
      conflicts: s.conflicts,
      holdings,
      forced,
      mustMove,
      wishes: ctx.wishes.filter((x) => x.staff === no),
    };
  });
  for (const p of persons) for (const h of p.holdings) slots[h.slot].holder = p.idx;

  const n = persons.length;
  const m = slots.length;
  const pairAt = new Int32Array(n * m).fill(-1);
  const pPerson: number[] = [];
  const pSlot: number[] = [];
  const pCost: number[] = [];
  const pMissing: number[] = [];
  const pFlags: number[] = [];
  const coolingSince = yearsBefore(date, policy.tenure.coolingOffYears);
  for (const person of persons) {
    const facts = personFacts(ctx, person);
    for (const slot of slots) {
      const info = pairCost(ctx, person, slot, facts, coolingSince, w);
      if (!info) continue;
      pairAt[person.idx * m + slot.idx] = pPerson.length;
      pPerson.push(person.idx);
      pSlot.push(slot.idx);
      pCost.push(info.cost);
      pMissing.push(info.missing);
      pFlags.push(info.flags);
    }
  }

  const windows: WindowCtx[] = [];
  const byWindow = new Map<string, number[]>();
  for (const p of persons) {
    for (const wcode of new Set(p.holdings.map((h) => slots[h.slot].post.window))) {
      const list = byWindow.get(wcode) ?? [];
      list.push(p.idx);
      byWindow.set(wcode, list);
    }
  }
  for (const [code, staffIdx] of [...byWindow.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const cap = Math.floor(policy.windowShare.max * staffIdx.length + 1e-9);
    const stayPair = new Int32Array(staffIdx.length).fill(-1);
    staffIdx.forEach((pi, k) => {
      const mine = persons[pi].holdings
        .filter((h) => slots[h.slot].post.window === code)
        .sort((a, b) => a.role.localeCompare(b.role));
      stayPair[k] = pairAt[pi * m + mine[0].slot];
    });
    windows.push({ code, staff: staffIdx, cap, stayPair });
  }

  const covered = new Set(policy.coverage.roles);
  return {
    key,
    persons,
    slots,
    windows,
    pairPerson: Int32Array.from(pPerson),
    pairSlot: Int32Array.from(pSlot),
    pairCost: Float64Array.from(pCost),
    pairMissing: Int8Array.from(pMissing),
    pairFlags: Uint8Array.from(pFlags),
    pairAt,
    vacancyCost: {
      A: covered.has('A') ? PENALTY.vacantA : 0,
      B: covered.has('B') ? PENALTY.vacantB : 0,
    },
    balanceWeight: w.balance,
    maxNew: policy.training.maxNewBusinessesPerRound,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** What `pairCost` asks of a person for every slot, worked out once. */
export interface PersonFacts {
  heldPosts: Set<string>;
  /** Roles of the holdings the person must leave. */
  forcedRoles: Set<Role>;
  /** Roles the person holds now. */
  roles: Set<Role>;
  /** Posts left before the round, with the last day held. */
  left: Map<string, string>;
}

export function personFacts(ctx: RoundContext, person: PersonCtx): PersonFacts {
  return {
    heldPosts: new Set(person.holdings.map((h) => h.post)),
    forcedRoles: new Set(person.holdings.filter((h) => person.forced.has(h.post)).map((h) => h.role)),
    roles: new Set(person.holdings.map((h) => h.role)),
    left: ctx.facts.leftPosts(person.no, ctx.date),
  };
}

/** The cost of one person taking one slot, or null when the pair is forbidden. */
export function pairCost(
  ctx: RoundContext,
  person: PersonCtx,
  slot: SlotCtx,
  facts: PersonFacts,
  coolingSince: string,
  w: RotationPolicy['weights'],
): {
  cost: number;
  missing: number;
  flags: number;
  missingList: string[];
  skillGain: number;
  wish: number;
} | null {
  const { policy } = ctx;
  const post = slot.post;
  if (conflictWith(person.conflictBusinesses, post)) return null;
  const missingList = missingBusinesses(person.known, post, policy.competence);
  if (missingList.length > policy.training.maxNewBusinessesPerRound) return null;
  const stay = person.holdings.some((h) => h.slot === slot.idx);
  const forcedHere = person.forced.get(post.code);
  let cost = 0;
  let flags = 0;
  if (stay) flags |= F.stay;
  if (forcedHere) {
    // Staying on (or switching role within) a post one must leave breaks the rule that forces it.
    flags |= F.forcedStay;
    cost += forcedHere.some((f) => f.code === 'must-move') ? PENALTY.mustMove : PENALTY.maxTenure;
    // Staying forgoes the required move (see below).
    if (stay) cost += w.move;
  }
  if (!stay) {
    // Taking a slot is a required move when it replaces a post the person must leave: one of the
    // same role, or of the other role when they hold none of this one. (Staying on the forced post
    // costs a move above, so a person cannot both stay and take a "required" slot for free.)
    const { forcedRoles, heldPosts } = facts;
    const replaces = forcedRoles.has(slot.role) || (forcedRoles.size > 0 && !facts.roles.has(slot.role));
    if (heldPosts.has(post.code)) flags |= F.roleChange;
    if (replaces && !forcedHere) flags |= F.required;
    else cost += w.move;
    if (!heldPosts.has(post.code)) {
      const left = facts.left.get(post.code);
      if (left && left >= coolingSince) {
        flags |= F.cooling;
        cost += PENALTY.coolingOff;
      }
    }
  }
  if (stay && !forcedHere) {
    // Keeping the holding (same post, same role) keeps the minimum tenure; a switch between A and
    // B changes duty and counts as a move. (Rewarding the switch too would let the relaxation
    // collect the reward twice, once in each role, and ruin its bound.)
    const h = person.holdings.find((x) => x.slot === slot.idx)!;
    if (h.years < policy.tenure.minYearsBeforeVoluntaryMove) {
      // Leaving before the minimum is penalised by rewarding the stay (same optimum, linear).
      flags |= F.minTenure;
      cost -= PENALTY.minTenure;
    }
  }
  let skillGain = 0;
  if (missingList.length) {
    cost += w.trainingDay * policy.training.daysPerBusiness * missingList.length;
    skillGain = Math.min(missingList.length, Math.max(0, policy.skills.targetBusinesses - person.known.size));
    cost -= w.skillGrowth * skillGain;
    if (policy.coverage.roles.includes(slot.role) && !policy.training.roles.includes(slot.role)) {
      flags |= F.untrained;
      cost += slot.role === 'A' ? PENALTY.untrainedA : PENALTY.untrainedB;
    }
  }
  let wish = 0;
  for (const x of person.wishes) if (x.post === post.code) wish += x.kind === 'prefer' ? 1 : -1;
  cost -= w.wish * wish;
  return { cost, missing: missingList.length, flags, missingList, skillGain, wish };
}

/**
 * What to add to a group's objective to make it a sum of penalties and goals: the stays it
 * rewards for minimum tenure become penalties for leaving early.
 */
export function objectiveOffset(g: GroupProblem): number {
  const m = g.slots.length;
  let offset = 0;
  for (const p of g.persons) {
    for (const h of p.holdings) {
      const k = g.pairAt[p.idx * m + h.slot];
      if (k >= 0 && g.pairFlags[k] & F.minTenure) offset += PENALTY.minTenure;
    }
  }
  return offset;
}
