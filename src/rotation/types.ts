/**
 * What the rotation planner takes and gives. The planner is a pure function of these values (plus
 * HiGHS in a worker), so it can be tested on hand-made organisations and run at province scale
 * without a database.
 */
import type { MustMove, RotationPolicy, Wish } from './policy.ts';

export type Role = 'A' | 'B';

export interface PlanPost {
  code: string;
  name: string;
  window: string;
  /** The department owning the post's window (for `scope: department`). */
  department: string;
  key: boolean;
  businesses: string[];
}

export interface PlanStaff {
  no: string;
  name: string;
  department: string;
  competencies: string[];
  /** Businesses of the items named in the person's declared conflicts of interest (回避). */
  conflicts: { item: string; business: string; kind: string }[];
}

/** One assignment of the history: `to` is the last day, null while it lasts. */
export interface Holding {
  staff: string;
  post: string;
  role: Role;
  from: string;
  to: string | null;
}

export interface PlannerProgress {
  phase: 'prepare' | 'assign' | 'exact' | 'explain' | 'done';
  round: number;
  rounds: number;
  /** Groups (scope units) done in this round, of all. */
  group: number;
  groups: number;
  /** The exact solver's current relative gap, when it runs. */
  gap?: number | null;
  message?: string;
}

export interface PlannerInput {
  /** Planning date: the effective date of the first round (YYYY-MM-DD). */
  date: string;
  /** Number of rounds (one every `policy.roundIntervalMonths`). */
  rounds: number;
  policy: RotationPolicy;
  posts: PlanPost[];
  staff: PlanStaff[];
  history: Holding[];
  /** Staff who must leave their posts in the first round (misconduct level 5, or named by HR). */
  mustMove: MustMove[];
  wishes: Wish[];
  /** Whether to run HiGHS on groups the assignment solver alone does not prove optimal. */
  exact?: boolean;
  onProgress?: (p: PlannerProgress) => void;
}

/** Why a move is in the plan: a rule that forces it or a goal it serves. Text comes from templates. */
export interface PlanReason {
  code:
    | 'must-move'
    | 'max-tenure'
    | 'conflict'
    | 'cover'
    | 'skill-growth'
    | 'wish'
    | 'balance'
    | 'role-change'
    | 'released';
  data: Record<string, string | number>;
}

export interface PlanMove {
  round: number;
  effectiveDate: string;
  staff: string;
  staffName: string;
  from: { post: string; role: Role } | null;
  to: { post: string; role: Role } | null;
  /** Forced by a rule (must-move, tenure limit, conflict), not a choice the score made. */
  required: boolean;
  reasons: PlanReason[];
  /** Businesses to learn before the effective date, when the new post needs them. */
  training: { businesses: string[]; days: number; before: string } | null;
}

/** Training without a move: a clerk below the minimum number of businesses. */
export interface PlanTraining {
  round: number;
  staff: string;
  staffName: string;
  businesses: string[];
  days: number;
  before: string;
  knowsBefore: number;
}

export interface SlotCoverage {
  holder: string | null;
  holderName: string | null;
  /** Knows the post's businesses (after the training the plan gives). */
  competent: boolean;
  /** Competent only through training the plan schedules. */
  viaTraining: boolean;
}

export interface PostCoverage {
  post: string;
  name: string;
  window: string;
  key: boolean;
  businesses: string[];
  A: SlotCoverage;
  B: SlotCoverage;
  /** Staff in the pool competent for the post (depth of cover). */
  competentStaff: number;
}

export type RuleCode =
  | 'must-move'
  | 'max-tenure'
  | 'min-tenure'
  | 'cooling-off'
  | 'coverage-A'
  | 'coverage-B'
  | 'window-share'
  | 'min-skills';

/** A hard rule the plan could not keep, with the reason; text comes from templates. */
export interface UnmetRule {
  round: number;
  rule: RuleCode;
  /** The post, staff or window it concerns. */
  subject: string;
  data: Record<string, string | number>;
}

export interface ScoreParts {
  /** Changes of post not forced by a rule. */
  movesBeyondRequired: number;
  requiredMoves: number;
  /** New businesses learnt toward the target. */
  skillGrowth: number;
  trainingDays: number;
  wishesGranted: number;
  wishesAgainst: number;
  /** People holding both an A and a B post. */
  doubleHolders: number;
  /** People who held a post and are left with none. */
  idled: number;
  /** Each soft goal's weighted contribution (rewards negative). */
  weighted: { move: number; skillGrowth: number; trainingDay: number; wish: number; balance: number };
  /** Weighted penalties of hard rules not kept (0 when all are kept). */
  penalties: number;
  /** Sum of the weighted goals and penalties: lower is better. */
  total: number;
}

export interface SolverReport {
  /** `assignment`: the assignment solver alone proved the optimum; `assignment+mip`: HiGHS ran too. */
  method: 'assignment' | 'assignment+mip';
  status: 'optimal' | 'time_limit' | 'heuristic';
  /** The plan's objective and the best (lowest) objective still possible. */
  objective: number;
  bound: number;
  /** objective - bound, in score units; 0 when proven optimal. */
  gap: number;
  /** gap relative to the score's size. */
  relativeGap: number;
  seconds: number;
  groups: number;
  mipGroups: number;
  /** Candidate pairs dropped by reduced-cost fixing before the MIP (they cannot be in a better plan). */
  prunedPairs: number;
  note?: string;
}

export interface RoundPlan {
  index: number;
  effectiveDate: string;
  moves: PlanMove[];
  trainings: PlanTraining[];
  coverageBefore: PostCoverage[];
  coverageAfter: PostCoverage[];
  unmet: UnmetRule[];
  score: ScoreParts;
  solver: SolverReport;
}

export interface PlanOutput {
  date: string;
  rounds: RoundPlan[];
  /** Staff in the pool, posts planned. */
  pool: { staff: number; posts: number; slots: number };
  score: ScoreParts;
  unmet: UnmetRule[];
  solver: SolverReport;
}
