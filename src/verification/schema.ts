/**
 * Verification's tables. A run (`verification_runs`) and what it found are records: append-only
 * (src/db/triggers.ts), so a run never changes and a re-run is a new run. Only the progress of a
 * run (`verification_run_status`) is updated while it works.
 *
 * Results are stored compactly, because a run over a million cases has eleven million
 * case x check results: one letter per check (`p` pass, `f` fail, `n` not applicable, in the
 * order of the run's `checks`) per case, in chunks of cases, and one narrow finding row per
 * failure naming its text (reason, parameters, readable detail, the staff responsible), which is
 * stored once however many runs find it.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { day, tstz } from '../db/columns.ts';

export const verificationRuns = pgTable('verification_runs', {
  id: serial('id').primaryKey(),
  /** The period (local dates, inclusive) whose completed, returned and supplement cases it covers. */
  periodFrom: day('period_from'),
  periodTo: day('period_to'),
  /** Or an explicit list of case numbers (then no period). */
  caseNos: text('case_nos').array(),
  /** The time of asking: what was due by then (tolerance materials) is judged as of it. */
  asOf: tstz('as_of').notNull(),
  /** The checks run, in the order of each result string. */
  checks: text('checks').array().notNull(),
  /** The verification policy as used (thresholds, basis, fault types). */
  policy: jsonb('policy').$type<Record<string, unknown>>().notNull(),
  policyVersion: text('policy_version').notNull(),
  calendarVersion: text('calendar_version').notNull(),
  authorityVersion: text('authority_version'),
  /** The ledger as it stood: only imports up to this id are read, so a run is repeatable. */
  ledgerImportId: integer('ledger_import_id').notNull(),
  timeZone: text('time_zone').notNull(),
  startedBy: text('started_by').notNull(),
  createdAt: tstz('created_at').notNull().default(sql`now()`),
});

export type RunSummary = Record<string, { pass: number; fail: number; not_applicable: number }>;

/** The one mutable row of a run: its progress. */
export const verificationRunStatus = pgTable('verification_run_status', {
  runId: integer('run_id').primaryKey(),
  /** queued, running, done, failed */
  status: text('status').notNull(),
  phase: text('phase'),
  /** Ledger cases read so far, of `total` (for the progress bar). */
  done: integer('done').notNull().default(0),
  total: integer('total'),
  /** Cases verified (in scope), findings (failures) and cases with at least one failure. */
  cases: integer('cases').notNull().default(0),
  failures: integer('failures').notNull().default(0),
  failedCases: integer('failed_cases').notNull().default(0),
  /** Results per check so far: { timely: { pass, fail, not_applicable }, ... }. */
  summary: jsonb('summary').$type<RunSummary>().notNull().default(sql`'{}'::jsonb`),
  error: text('error'),
  startedAt: tstz('started_at'),
  finishedAt: tstz('finished_at'),
  updatedAt: tstz('updated_at').notNull().default(sql`now()`),
});

/**
 * A run's results, in chunks of consecutive cases (up to `RESULT_CHUNK`): `case_nos[i]` has
 * `results[i]`, one letter per check. A million cases are a hundred rows, written in a fraction
 * of the time a million rows take; a case is found by its chunk (`first_case`..`last_case`).
 */
export const verificationResultChunks = pgTable(
  'verification_result_chunks',
  {
    runId: integer('run_id').notNull(),
    firstCase: text('first_case').notNull(),
    lastCase: text('last_case').notNull(),
    /** Sorted. */
    caseNos: text('case_nos').array().notNull(),
    /** One letter per check of the run (p, f or n), per case of `case_nos`. */
    results: text('results').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.firstCase] })],
);

/**
 * What a failure says (its reason, parameters, wording, the staff responsible, the fault type),
 * stored once however many runs find it: `id` is the SHA-256 of the content (store.ts
 * `findingId`). A run's findings name these rows (`verification_run_findings`), so a run over a
 * month that finds what yesterday's run found writes narrow link rows only.
 */
export const verificationFindingTexts = pgTable('verification_finding_texts', {
  id: text('id').primaryKey(),
  caseNo: text('case_no').notNull(),
  check: text('check').notNull(),
  /** Why it failed (`missing`, `late`, `repeated`, ...): the key of its wording. */
  reason: text('reason').notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull(),
  detail: text('detail').notNull(),
  detailEn: text('detail_en').notNull(),
  /** Who is responsible (the actor of the failing act, or who should have acted). */
  staff: text('staff').array().notNull(),
  faultType: text('fault_type').notNull(),
});

/**
 * A run's failures: one row per case x check that failed, naming what it says. (No foreign key
 * to the texts: an evaluating writer inserts the text in the same statement, a run copying from
 * the results cache names texts the cache stored with them, and a check per row would cost
 * every run's copy.)
 */
export const verificationRunFindings = pgTable(
  'verification_run_findings',
  {
    runId: integer('run_id').notNull(),
    caseNo: text('case_no').notNull(),
    check: text('check').notNull(),
    textId: text('text_id').notNull(),
  },
  // Read by run (the primary key): by check, staff or case within a run, and the runs after
  // one for referrals. No other index: each would cost every run's copy more than it saves.
  (t) => [primaryKey({ columns: [t.runId, t.caseNo, t.check] })],
);

/**
 * A run's findings as readers see them: the links joined to their texts (a view, created by
 * migration 0018; drizzle-kit leaves it alone).
 */
export const verificationFindings = pgView('verification_findings', {
  runId: integer('run_id').notNull(),
  caseNo: text('case_no').notNull(),
  check: text('check').notNull(),
  reason: text('reason').notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull(),
  detail: text('detail').notNull(),
  detailEn: text('detail_en').notNull(),
  staff: text('staff').array().notNull(),
  faultType: text('fault_type').notNull(),
}).existing();

/** 核查意见书 issued (the PDF and its hash are in the document registry under `number`). */
export const verificationRulings = pgTable(
  'verification_rulings',
  {
    number: text('number').primaryKey(),
    runId: integer('run_id').notNull(),
    caseNo: text('case_no').notNull(),
    locale: text('locale').notNull(),
    sha256: text('sha256').notNull(),
    failures: integer('failures').notNull(),
    /** The inspector who signs it (their staff number, or their user name). */
    inspector: text('inspector').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedOn: day('issued_on').notNull(),
    createdAt: tstz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex('verification_rulings_case_uq').on(t.runId, t.caseNo, t.locale),
    index('verification_rulings_case_idx').on(t.caseNo),
  ],
);

/**
 * Findings an inspector referred to misconduct from the workbench (the matter registered for
 * each). Misconduct also pulls failures itself; a referral recorded here is no longer pending.
 */
export const verificationReferrals = pgTable(
  'verification_referrals',
  {
    /** `verification:${caseNo}:${check}`, the misconduct sourceRef. */
    ref: text('ref').primaryKey(),
    runId: integer('run_id').notNull(),
    caseNo: text('case_no').notNull(),
    check: text('check').notNull(),
    matterId: integer('matter_id'),
    referredBy: text('referred_by').notNull(),
    at: tstz('at').notNull().default(sql`now()`),
  },
  (t) => [index('verification_referrals_run_idx').on(t.runId)],
);

/**
 * What each case's events say, as the checks read it (src/verification/sql-facts.ts
 * `eventFacts`): one row per case with events, kept up to date per ledger import (facts.ts), so
 * a run reads a million rows instead of seven million events. A cache of the ledger, not a
 * record: a row is rewritten when a later import adds to its case, and the whole table is
 * rebuilt when what it was computed with (`verification_facts_state.key`) changes.
 */
export const verificationCaseFacts = pgTable('verification_case_facts', {
  caseNo: text('case_no').primaryKey(),
  /** The latest import the case line or any of its events came in. */
  lastImport: integer('last_import').notNull(),
  itemCode: text('item_code').notNull(),
  route: text('route').notNull(),
  project: jsonb('project'),
  /** Local date of receipt. */
  recOn: day('rec_on').notNull(),
  /** The local days of its completion, returns and supplement notices (sorted): a run's period picks by them. */
  scopeDs: day('scope_ds').array(),
  receiptN: integer('receipt_n').notNull(),
  receiptOn: day('receipt_on'),
  receiptActor: text('receipt_actor'),
  intakeActor: text('intake_actor'),
  noticeN: integer('notice_n').notNull(),
  noticeDs: day('notice_ds').array(),
  noticeActors: text('notice_actors').array(),
  noticeMissing: jsonb('notice_missing'),
  noticesMissing: jsonb('notices_missing'),
  supplements: jsonb('supplements'),
  acceptOn: day('accept_on'),
  acceptor: text('acceptor'),
  acceptData: jsonb('accept_data'),
  sodN: integer('sod_n').notNull(),
  /** Per separation rule (in the order of the state's key): do its actors overlap? */
  sodOv: boolean('sod_ov').array().notNull(),
  completeOn: day('complete_on'),
  completer: text('completer'),
  announceOn: day('announce_on'),
  announcer: text('announcer'),
  returns: jsonb('returns'),
  fileSeqs: integer('file_seqs').array(),
  fileDs: day('file_ds').array(),
  stopDs: day('stop_ds').array(),
  resumeDs: day('resume_ds').array(),
  extends: jsonb('extends'),
  seals: jsonb('seals'),
  denied: jsonb('denied'),
});

/** How far `verification_case_facts` is: one row (id 1). */
export const verificationFactsState = pgTable('verification_facts_state', {
  id: integer('id').primaryKey(),
  /** Every import up to this one is in the facts. */
  importId: integer('import_id').notNull(),
  /** What the facts were computed with (time zone, separation rules, the facts' SQL). */
  key: text('key').notNull(),
  updatedAt: tstz('updated_at').notNull().default(sql`now()`),
});

/**
 * The results and worded findings of every case with facts, for ONE context (the state's `key`:
 * the facts' key, the policy, the calendar, the catalogue, the authority's rules and the duty
 * roster of the run's span, the date of asking), kept up to the facts' import by
 * `refreshCaseResults` (results-cache.ts). A run whose context has this key copies its cases'
 * rows instead of evaluating them. A cache, not a record: rows are replaced when their case
 * changes, and all of them when the key does.
 */
export const verificationCaseResults = pgTable('verification_case_results', {
  caseNo: text('case_no').primaryKey(),
  lastImport: integer('last_import').notNull(),
  /** As in the facts: the days that bring the case into a period. */
  scopeDs: day('scope_ds').array(),
  /** One letter per check, in the order of the key's policy. */
  results: text('results').notNull(),
});

/** The failures of `verification_case_results`: what each says (`verification_finding_texts`). */
export const verificationCaseFindings = pgTable(
  'verification_case_findings',
  {
    caseNo: text('case_no').notNull(),
    check: text('check').notNull(),
    textId: text('text_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseNo, t.check] })],
);

/** How far `verification_case_results` is, and for which context: one row (id 1). */
export const verificationResultsState = pgTable('verification_results_state', {
  id: integer('id').primaryKey(),
  /** The facts' import the results were computed at. */
  importId: integer('import_id').notNull(),
  key: text('key').notNull(),
  updatedAt: tstz('updated_at').notNull().default(sql`now()`),
});
