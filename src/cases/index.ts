/**
 * The case ledger (办件台账): ingestion of `case-events`, the working-day clock of every case,
 * lights and red cards, and the ledger's queries. Other modules use only what is exported here;
 * verification and reports query the stable tables `cases`, `case_events`, `case_state` and
 * `case_alerts` through `caseFilterSql` and the table objects.
 *
 * Importing this module registers the ledger as authority's source of case history.
 *
 * @example
 * import { computeCaseClock, ingestCaseRecords, raiseRedCards } from '../cases/index.ts';
 * await ingestCaseRecords(deps.database, lines, { actor: 'demo', source: 'demo', timeZone });
 * await raiseRedCards(deps.db, new Date(), { timeZone });
 */
import './history.ts';

export { type RedCardOptions, type RedCardResult, raiseRedCards, raiseRedCardsIn } from './alerts.ts';
export { type AnomalyCode, AnomalyTracker, anomalyCatalog, anomalyCodes, anomalyText } from './anomalies.ts';
export type { Decider, LedgerItem } from './apply.ts';
export {
  CASE_STATES,
  type CaseClock,
  type CaseStateName,
  type ClockCase,
  type ClockEvent,
  type ClockItem,
  type ClockOptions,
  type ClockStop,
  computeCaseClock,
  LIGHTS,
  type Light,
  lightOn,
} from './clock.ts';
export {
  ACTIONS,
  actionDataSchemas,
  actionNames,
  type CaseAction,
  type CaseChannel,
  type CaseLine,
  type CaseRoute,
  CHANNELS,
  caseLineSchema,
  type EventLine,
  eventLineSchema,
  parseContractLine,
  ROUTES,
} from './contract.ts';
export { localDater } from './dates.ts';
export { type CaseDetail, caseDetail } from './detail.ts';
export { caseHistory } from './history.ts';
export {
  type IngestOptions,
  type IngestProgress,
  type IngestResult,
  ingestCaseRecords,
  ingestCaseStream,
  MAX_REPORTED,
} from './ingest.ts';
export { applicantFor, maskId, maskName } from './mask.ts';
export {
  type CasePolicy,
  casePolicySchema,
  defaultCasePolicy,
  getCasePolicy,
  loadCasePolicy,
} from './policy.ts';
export {
  type AlertFilters,
  type CaseFilters,
  type CaseSort,
  caseEventsOf,
  caseFilterSql,
  caseNumberRanges,
  type DeniedEvent,
  getCaseRecord,
  lightCondition,
  listAlerts,
  listCases,
  listDeniedEvents,
} from './query.ts';
export { caseAlerts, caseEvents, caseImports, caseState, cases } from './schema.ts';
