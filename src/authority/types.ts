/**
 * The shapes other modules use to ask authority questions and read the answers.
 */
import type { Channel, Route, Seal, Stage } from './actions.ts';

/** One earlier event of a case, as separation-of-duties rules need it. */
export interface CaseHistoryEvent {
  seq?: number;
  action: string;
  actor: string;
  /** ISO instant; events after the instant asked about are ignored. */
  at?: string;
}

/** What a decision may depend on about the case (all optional but `caseNo`). */
export interface CaseContext {
  caseNo: string;
  route?: Route;
  channel?: Channel;
  project?: { code?: string; name?: string; key?: boolean } | null;
  /** The seal asked about, for the `seal` action. */
  seal?: Seal;
  /**
   * Whether the case was accepted yet (a `return` before acceptance is 不予受理, after it 不予许可).
   * When absent it is read from `history` (an `accept` in it means `decision`).
   */
  stage?: Stage;
  /** The case's earlier events, for separation-of-duties rules. */
  history?: CaseHistoryEvent[];
}

export interface DecisionRequest {
  staff: string;
  action: string;
  item: string;
  at: Date;
  case?: CaseContext;
}

/** Where a grant sits in the policy files. `post` is the post (or family, or `bureau.head`) as written. */
export interface RuleRef {
  file: string;
  post: string;
  grant: string;
}

export interface Decision {
  allowed: boolean;
  /** `own`: a post the staff holds as A (or the head's own power); `acting-for`: B acting during A's absence. */
  via?: 'own' | 'acting-for';
  /** The post whose grant decided it (`bureau.head` for the organ head's powers). */
  post?: string;
  /** The A holder whose absence B acts in. */
  actingFor?: string;
  rule?: RuleRef;
  reasons: string[];
  /** On a denial: the posts holding a grant that would have allowed it. */
  wouldAllow?: string[];
  /** On a separation-of-duties denial: the rule and the earlier event it conflicts with. */
  conflict?: { file: string; rule: string; event: CaseHistoryEvent };
  /** SHA-256 of the policy set that decided. */
  policyVersion: string;
}
