/**
 * Verification (核查制度): every case completed, returned or sent a supplement notice is checked
 * against the rules of DESIGN.md (`policies/verification.yaml`), each check one set-based query
 * over the case ledger; runs are records that never change; failures get readable details, the
 * staff responsible, rulings (核查意见书) as PDFs anyone can verify, and a path to misconduct.
 * Other modules use only what is exported here.
 *
 * @example
 * import { listFailuresForReferral, runVerification } from '../verification/index.ts';
 * const { run, status } = await runVerification(db, { from: '2026-03-01', to: '2026-03-31', actor: 'cli', timeZone });
 * const { items } = await listFailuresForReferral(db, { sinceRunId: 0 }); // misconduct pulls these
 */
export { checkQuery, evaluationQuery, type RawFailure } from './evaluate.ts';
export {
  type FactsState,
  factsState,
  type RefreshOptions,
  type RefreshResult,
  refreshCaseFacts,
} from './facts.ts';
export {
  apportion,
  handlingPolicy,
  levelLabel,
  type Responsibility,
  recommendedLevel,
  responsibilityLabel,
  type Share,
} from './handling.ts';
export {
  CHECKS,
  type CheckName,
  enabledChecks,
  getVerificationPolicy,
  isCheckName,
  loadVerificationPolicy,
  type VerificationPolicy,
} from './policy.ts';
export {
  allFindings,
  type ClerkFailures,
  caseResults,
  type FindingFilters,
  type FindingPage,
  type FindingRow,
  failuresByClerk,
  getRun,
  listFindings,
  listRuns,
  type RunView,
  resultStrings,
} from './query.ts';
export {
  listFailuresForReferral,
  pendingReferrals,
  type ReferralItem,
  type ReferralTracker,
  recordReferral,
  referralRef,
  referralsOf,
  setReferralTracker,
  settledRunId,
} from './referrals.ts';
export {
  type ResultsRefresh,
  type ResultsState,
  refreshCaseResults,
  refreshPresentResults,
  resultsState,
} from './results-cache.ts';
export {
  buildRulingDocument,
  type IssuedRuling,
  type IssueRulingsInput,
  issueRulings,
  listRulings,
  RULING_KIND,
  rulingFacts,
  rulingPdf,
} from './ruling.ts';
export {
  createRun,
  type ExecuteOptions,
  executeRun,
  type Run,
  type RunInput,
  type RunStatus,
  runVerification,
  startRun,
  waitForRun,
} from './run.ts';
export {
  verificationCaseFacts,
  verificationFactsState,
  verificationFindings,
  verificationReferrals,
  verificationResultChunks,
  verificationRulings,
  verificationRunStatus,
  verificationRuns,
} from './schema.ts';
export { describeFailure, describeResult, type ResultName, resultLabel } from './wording.ts';
