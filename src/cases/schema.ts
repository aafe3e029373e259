/**
 * The case ledger's tables. `cases` and `case_events` are records (append-only: a case is never
 * edited, only followed by more events); `case_state` is derived from them on ingestion, one row
 * per case, shaped so that the ledger's filters are index scans at a million cases;
 * `case_alerts` holds red cards with their raised and resolved times; `case_imports` one row per
 * accepted request or file (with its Idempotency-Key).
 *
 * Table names are stable: verification and reports query them through src/cases/query.ts.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { day, tstz } from '../db/columns.ts';

export const cases = pgTable('cases', {
  caseNo: text('case_no').primaryKey(),
  itemCode: text('item_code').notNull(),
  route: text('route').notNull(),
  channel: text('channel').notNull(),
  receivedAt: tstz('received_at').notNull(),
  /** Personal data (PIPL): shown only to roles that may read ApplicantData, never logged. */
  applicantKind: text('applicant_kind').notNull(),
  applicantName: text('applicant_name').notNull(),
  applicantId: text('applicant_id').notNull(),
  project: jsonb('project').$type<{ code: string; name: string; key: boolean } | null>(),
  importId: integer('import_id').notNull(),
});

export interface StoredDecisionRule {
  file: string;
  post: string;
  grant: string;
}

export const caseEvents = pgTable(
  'case_events',
  {
    caseNo: text('case_no').notNull(),
    seq: integer('seq').notNull(),
    at: tstz('at').notNull(),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** Codes from src/cases/anomalies.ts: the event broke the expected order, but it happened. */
    anomalies: text('anomalies').array().notNull().default(sql`'{}'::text[]`),
    // The authority decision in force at `at` (null allowed: the engine could not decide);
    // `reasons` explains denials and undecided events (an allowed one is told by via/post/rule).
    allowed: boolean('allowed'),
    via: text('via'),
    post: text('post'),
    actingFor: text('acting_for'),
    rule: jsonb('rule').$type<StoredDecisionRule | null>(),
    reasons: jsonb('reasons').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    policyVersion: text('policy_version'),
    importId: integer('import_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.caseNo, t.seq] }),
    index('case_events_actor_at_idx').on(t.actor, t.at),
    // Actions outside authority are rare; misconduct pulls them every few minutes (listDeniedEvents).
    index('case_events_denied_idx').on(t.caseNo, t.seq).where(sql`allowed = false`),
    // Rows arrive in import order, so a block range index finds an import's events for the cost
    // of a few pages (verification's facts catch up by import) and costs ingestion next to nothing.
    index('case_events_import_idx').using('brin', t.importId),
  ],
);

export interface DepartmentOpinion {
  department: string;
  dispatchedAt: string;
  opinion: 'grant' | 'refuse' | null;
  opinionAt: string | null;
}

export const caseState = pgTable(
  'case_state',
  {
    caseNo: text('case_no').primaryKey(),
    itemCode: text('item_code').notNull(),
    business: text('business').notNull(),
    route: text('route').notNull(),
    channel: text('channel').notNull(),
    /** received, awaiting_supplement, accepted, under_review, decided, completed, announced */
    state: text('state').notNull(),
    receivedAt: tstz('received_at').notNull(),
    receivedOn: day('received_on').notNull(),
    acceptedOn: day('accepted_on'),
    /** actual | deemed (Art. 32) | pending (no notice yet, within 5 working days) | none */
    acceptance: text('acceptance').notNull(),
    /** The first day a case still without notice counts as accepted (Art. 32). */
    deemedFrom: day('deemed_from'),
    committedDays: integer('committed_days').notNull(),
    statutoryDays: integer('statutory_days').notNull(),
    committedDue: day('committed_due'),
    statutoryDue: day('statutory_due'),
    stoppedDays: integer('stopped_days').notNull().default(0),
    extensionDays: integer('extension_days').notNull().default(0),
    clockStoppedSince: day('clock_stopped_since'),
    /** Light = completed ? none : today >= red_from ? red : today >= yellow_from ? yellow : green. */
    yellowFrom: day('yellow_from'),
    redFrom: day('red_from'),
    redCardFrom: day('red_card_from'),
    completedAt: tstz('completed_at'),
    completedOn: day('completed_on'),
    result: text('result'),
    /** Working days used up to completion (null while open: counted at read time). */
    workingDaysUsed: integer('working_days_used'),
    overdue: boolean('overdue'),
    statutoryOverdue: boolean('statutory_overdue'),
    calendarMissing: boolean('calendar_missing').notNull().default(false),
    /** The accepting clerk (the receiving one until acceptance): who gets the red card. */
    responsible: text('responsible'),
    /** Everyone who acted on the case: whose "我的办件" it is in. */
    actors: text('actors').array().notNull(),
    anomalies: text('anomalies').array().notNull().default(sql`'{}'::text[]`),
    anomalyCount: integer('anomaly_count').notNull().default(0),
    deniedCount: integer('denied_count').notNull().default(0),
    departments: jsonb('departments').$type<DepartmentOpinion[]>().notNull().default(sql`'[]'::jsonb`),
    lastSeq: integer('last_seq').notNull().default(0),
    lastEventAt: tstz('last_event_at'),
    /** Version of the rules the row was computed with (calendar and policies/cases.yaml). */
    computedWith: text('computed_with').notNull(),
  },
  (t) => [
    // Few indexes, each earning its keep (every one is paid for on ingestion): the ledger pages
    // newest first by (received_at, case_no), scanning this one backwards; a filter is tried on
    // that scan first and on its own index when rare (src/cases/query.ts).
    index('case_state_received_idx').on(t.receivedAt, t.caseNo),
    index('case_state_completed_idx').on(t.completedAt, t.caseNo),
    index('case_state_item_idx').on(t.itemCode, t.receivedAt, t.caseNo),
    // "我的办件" and the clerk filter: everyone who acted on a case.
    index('case_state_actors_idx').using('gin', t.actors),
    // A clerk's open cases ("我的办件"): a clerk may have acted on most of a million cases, but
    // few are open, and this index holds only those.
    index('case_state_open_actors_idx').using('gin', t.actors).where(sql`completed_at is null`),
    // Open cases are few: states short of completion, lights and deadlines index only them.
    index('case_state_open_state_idx').on(t.state, t.receivedAt, t.caseNo).where(sql`completed_at is null`),
    index('case_state_open_due_idx').on(t.committedDue, t.caseNo).where(sql`completed_at is null`),
    index('case_state_open_red_idx').on(t.redFrom).where(sql`completed_at is null`),
    index('case_state_open_yellow_idx').on(t.yellowFrom).where(sql`completed_at is null`),
    index('case_state_red_card_idx').on(t.redCardFrom).where(sql`completed_at is null`),
    index('case_state_anomalous_idx').on(t.receivedAt, t.caseNo).where(sql`anomaly_count > 0`),
    // The timer turns pending Art. 32 acceptances into deemed ones: few rows, found at once.
    index('case_state_pending_idx').on(t.deemedFrom).where(sql`acceptance = 'pending'`),
  ],
);

export const caseAlerts = pgTable(
  'case_alerts',
  {
    id: serial('id').primaryKey(),
    caseNo: text('case_no').notNull(),
    /** `red_card` (红牌): still open a follow-up period after turning red. */
    kind: text('kind').notNull(),
    staffNo: text('staff_no'),
    committedDue: day('committed_due'),
    raisedAt: tstz('raised_at').notNull(),
    raisedOn: day('raised_on').notNull(),
    resolvedAt: tstz('resolved_at'),
    /** `completed` or `deadline-moved` (an approved extension or a clock stop). */
    resolution: text('resolution'),
  },
  (t) => [
    uniqueIndex('case_alerts_open_uq').on(t.caseNo, t.kind).where(sql`resolved_at is null`),
    index('case_alerts_staff_idx').on(t.staffNo, t.raisedAt),
    index('case_alerts_raised_idx').on(t.raisedAt),
  ],
);

export const caseImports = pgTable('case_imports', {
  id: serial('id').primaryKey(),
  idempotencyKey: text('idempotency_key').unique(),
  bodySha256: text('body_sha256').notNull(),
  actor: text('actor').notNull(),
  source: text('source').notNull(),
  lines: bigint('lines', { mode: 'number' }).notNull(),
  result: jsonb('result').$type<Record<string, unknown>>().notNull(),
  at: tstz('at').notNull(),
});
