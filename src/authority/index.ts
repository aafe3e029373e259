/**
 * Authority (权责一致): what each post may do, decided per clerk and instant, explained, recorded
 * and replayable. Other modules use only what is exported here.
 *
 * @example
 * import { getAuthorityEngine, decide, scope } from '../authority/index.ts';
 * const engine = await getAuthorityEngine(db);
 * const d = engine.decide({ staff: 'S005', action: 'approve', item: 'SG-001', at: new Date(e.at), case: { caseNo, route, history } });
 * if (!d.allowed) console.log(d.reasons, d.wouldAllow);
 */
export {
  type AuthorityAction,
  authorityActions,
  type CaseAction,
  type Channel,
  caseActions,
  channels,
  isAuthorityAction,
  type Route,
  routes,
  type Seal,
  type Stage,
  seals,
  stages,
} from './actions.ts';
export { AuthorityEngine, HEAD_POST, type Holding, type Scope, type ScopeRow } from './engine.ts';
export { authorityGeneration, invalidateAuthority } from './generation.ts';
export { type PolicySet, parsePolicySet, policyHash, readPolicyDir } from './policy.ts';
export { flushDecisions } from './recorder.ts';
export {
  authorityPolicyDir,
  type DecideInput,
  decide,
  getAuthorityEngine,
  type HistoryProvider,
  type LoadOptions,
  loadAuthorityEngine,
  loadSnapshot,
  reloadAuthorityPolicies,
  scope,
  setCaseHistoryProvider,
} from './service.ts';
export { type AuthoritySnapshot, snapshotFromOrgDocument } from './snapshot.ts';
export {
  liftSuspension,
  listSuspensions,
  type SuspendInput,
  type Suspension,
  suspend,
} from './suspensions.ts';
export { parseInstant, startOfLocalDay } from './time.ts';
export type { CaseContext, CaseHistoryEvent, Decision, DecisionRequest, RuleRef } from './types.ts';
export { getPolicyVersion, listPolicyVersions } from './versions.ts';
