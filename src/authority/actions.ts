/**
 * The actions authority decides on: every action of the `case-events` contract, plus the actions
 * that exist only as powers (the organ's head approving an extension, Art. 42).
 *
 * @example
 * isAuthorityAction('approve') // true
 * isAuthorityAction('approve_extension') // true: asked for the `extend` event's `approvedBy`
 */

/** The actions of shared/contracts/case-events.md, in the order a case meets them. */
export const caseActions = [
  'receipt',
  'notify_supplement',
  'supplement',
  'accept',
  'review',
  'dispatch',
  'opinion',
  'clock_stop',
  'clock_resume',
  'extend',
  'approve',
  'return',
  'file_rejection',
  'seal',
  'complete',
  'announce',
  'deliver',
] as const;
export type CaseAction = (typeof caseActions)[number];

/**
 * Powers that are not events of their own: `approve_extension` is the organ's head (行政机关负责人)
 * approving the extension an `extend` event records (its `data.approvedBy`).
 */
export const authorityOnlyActions = ['approve_extension'] as const;

export const authorityActions = [...caseActions, ...authorityOnlyActions] as const;
export type AuthorityAction = (typeof authorityActions)[number];

const actionSet: ReadonlySet<string> = new Set(authorityActions);
export const isAuthorityAction = (a: string): a is AuthorityAction => actionSet.has(a);

export const routes = ['normal', 'fast_track', 'green_channel', 'tolerance', 'parallel'] as const;
export const channels = ['online', 'window'] as const;
export const seals = ['special', 'official'] as const;
/** `intake`: before acceptance (不予受理 is an intake return); `decision`: after it (不予许可). */
export const stages = ['intake', 'decision'] as const;
export const itemKinds = ['instant', 'committed', 'joint'] as const;

export type Route = (typeof routes)[number];
export type Channel = (typeof channels)[number];
export type Seal = (typeof seals)[number];
export type Stage = (typeof stages)[number];
