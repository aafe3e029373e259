/**
 * The misconduct tracker's tables (失职追究制). A matter is one complaint, report, irregular
 * approval or dereliction; it concerns zero or more staff (`misconduct_persons`, each with their
 * own responsibility and level), moves through the workflow (`misconduct_transitions`, append-
 * only) and, once decided, has effects (`misconduct_effects`). A complainant's identity lives in
 * its own table, read only through src/misconduct/privacy.ts.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
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

/** Raw bytes (evidence files). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const matterStates = [
  'registered',
  'assigned',
  'investigating',
  'proposed',
  'decided',
  'notified',
  'appealed',
  'closed',
] as const;
export type MatterState = (typeof matterStates)[number];

export const matterSources = ['public', 'staff', 'verification', 'red_card', 'authority'] as const;
export type MatterSource = (typeof matterSources)[number];

/** 投诉, 举报, 违规审批, 失职. */
export const matterKinds = ['complaint', 'report', 'irregular', 'dereliction'] as const;
export type MatterKind = (typeof matterKinds)[number];

/** What the inspector proposed (and the leader decided on): the grading inputs and its summary. */
export interface ProposalRecord {
  faultType: string | null;
  severity: string | null;
  factors: string[];
  exemptions: string[];
  /** 查无实据: nobody is handled. */
  unfounded: boolean;
  summary: string;
  proposedBy: string;
  proposedByStaff: string | null;
  proposedOn: string;
}

export const misconductMatters = pgTable(
  'misconduct_matters',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').$type<MatterKind>().notNull(),
    source: text('source').$type<MatterSource>().notNull(),
    /** Idempotency key, unique per source (an alert id, `caseNo#seq`, a finding id). */
    sourceRef: text('source_ref'),
    facts: text('facts').notNull(),
    faultType: text('fault_type'),
    cases: text('cases').array().notNull().default(sql`'{}'::text[]`),
    /** Staff numbers concerned; mirrors misconduct_persons, for "is this inspector concerned". */
    staff: text('staff').array().notNull().default(sql`'{}'::text[]`),
    /** Who the complainant says it was, as they wrote it (the public knows no staff numbers). */
    concernedHint: text('concerned_hint'),
    state: text('state').$type<MatterState>().notNull(),
    /** The day the current stage began and the day it is due (working days from the policy). */
    stageSince: day('stage_since').notNull(),
    dueOn: day('due_on'),
    receivedOn: day('received_on').notNull(),
    /** SHA-256 of the tracking code given to the complainant; the code itself is never stored. */
    trackingHash: text('tracking_hash'),
    inspector: text('inspector'),
    inspectorStaff: text('inspector_staff'),
    proposal: jsonb('proposal').$type<ProposalRecord | null>(),
    decidedBy: text('decided_by'),
    decidedByStaff: text('decided_by_staff'),
    decidedOn: day('decided_on'),
    decisionNote: text('decision_note'),
    notifiedOn: day('notified_on'),
    appealUntil: day('appeal_until'),
    closedOn: day('closed_on'),
    /** The reply the complainant sees with their tracking code. */
    publicReply: text('public_reply'),
    createdBy: text('created_by').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('misconduct_matters_source_uq').on(t.source, t.sourceRef),
    uniqueIndex('misconduct_matters_tracking_uq').on(t.trackingHash),
    index('misconduct_matters_state_idx').on(t.state),
    index('misconduct_matters_staff_idx').using('gin', t.staff),
    // The ledger's denials are registered as `CASE#SEQ`: verification asks by case (referrals.ts).
    index('misconduct_matters_denied_case_idx')
      .on(sql`split_part(${t.sourceRef}, '#', 1)`)
      .where(sql`${t.source} = 'authority'`),
  ],
);

/** A line of the proposal's explanation (see grade.ts). */
export interface StoredGradeLine {
  kind: string;
  code: string;
  text: string;
  delta: number;
}

/** One person concerned in a matter: responsibility, computed / proposed / decided level. */
export const misconductPersons = pgTable(
  'misconduct_persons',
  {
    matterId: integer('matter_id').notNull(),
    staffNo: text('staff_no').notNull(),
    responsibility: text('responsibility').notNull().default('handler'),
    /** Levels are 0..N, or null with `exempt` true (免予处理). */
    computedLevel: integer('computed_level'),
    computedExempt: boolean('computed_exempt').notNull().default(false),
    lines: jsonb('lines').$type<StoredGradeLine[]>().notNull().default(sql`'[]'::jsonb`),
    proposedLevel: integer('proposed_level'),
    proposedExempt: boolean('proposed_exempt').notNull().default(false),
    /** Written reason when the inspector departs from the computed level. */
    departureReason: text('departure_reason'),
    decidedLevel: integer('decided_level'),
    decidedExempt: boolean('decided_exempt').notNull().default(false),
    /** Written reason when the leader departs from the proposal. */
    decisionReason: text('decision_reason'),
    /** The level in force (after an appeal, the appeal's). */
    finalLevel: integer('final_level'),
    finalExempt: boolean('final_exempt').notNull().default(false),
    documentNumber: text('document_number'),
  },
  (t) => [
    primaryKey({ columns: [t.matterId, t.staffNo] }),
    index('misconduct_persons_staff_idx').on(t.staffNo),
  ],
);

/** The complainant or internal reporter: personal data, erased after the policy period. */
export const misconductComplainants = pgTable('misconduct_complainants', {
  matterId: integer('matter_id').primaryKey(),
  anonymous: boolean('anonymous').notNull(),
  name: text('name'),
  phone: text('phone'),
  email: text('email'),
  /** An internal reporter's staff number. */
  staffNo: text('staff_no'),
  erasedAt: tstz('erased_at'),
});

export const misconductNotes = pgTable(
  'misconduct_notes',
  {
    id: serial('id').primaryKey(),
    matterId: integer('matter_id').notNull(),
    author: text('author').notNull(),
    text: text('text').notNull(),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [index('misconduct_notes_matter_idx').on(t.matterId)],
);

export const misconductEvidence = pgTable(
  'misconduct_evidence',
  {
    id: serial('id').primaryKey(),
    matterId: integer('matter_id').notNull(),
    fileName: text('file_name').notNull(),
    /** Sniffed from the bytes, not taken from the name or the request. */
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [index('misconduct_evidence_matter_idx').on(t.matterId)],
);

/** Every change of state of a matter (append-only). */
export const misconductTransitions = pgTable(
  'misconduct_transitions',
  {
    id: serial('id').primaryKey(),
    matterId: integer('matter_id').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actor: text('actor').notNull(),
    on: day('on').notNull(),
    note: text('note'),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [index('misconduct_transitions_matter_idx').on(t.matterId)],
);

export const effectTypes = ['merit_bar', 'must_move', 'suspension', 'sanction_referral'] as const;
export type EffectType = (typeof effectTypes)[number];

/**
 * What a matter does to a person: 评优评先 bar for a year, the must-move list, an authority
 * suspension (with the authority module's id in `ref`), a referral for sanction. An appeal that
 * changes the decision ends effects (`active` false, `endedOn`) and starts new ones.
 */
export const misconductEffects = pgTable(
  'misconduct_effects',
  {
    id: serial('id').primaryKey(),
    matterId: integer('matter_id').notNull(),
    staffNo: text('staff_no').notNull(),
    kind: text('kind').$type<EffectType>().notNull(),
    level: integer('level'),
    /** The year a merit bar covers. */
    year: integer('year'),
    fromOn: day('from_on').notNull(),
    endedOn: day('ended_on'),
    endedReason: text('ended_reason'),
    active: boolean('active').notNull().default(true),
    ref: text('ref'),
  },
  (t) => [
    index('misconduct_effects_staff_idx').on(t.staffNo, t.kind),
    index('misconduct_effects_matter_idx').on(t.matterId),
  ],
);

export const misconductAppeals = pgTable(
  'misconduct_appeals',
  {
    id: serial('id').primaryKey(),
    matterId: integer('matter_id').notNull(),
    staffNo: text('staff_no').notNull(),
    grounds: text('grounds').notNull(),
    filedOn: day('filed_on').notNull(),
    filedBy: text('filed_by').notNull(),
    /** pending | upheld | changed | revoked */
    outcome: text('outcome').notNull().default('pending'),
    newLevel: integer('new_level'),
    newExempt: boolean('new_exempt').notNull().default(false),
    reason: text('reason'),
    decidedBy: text('decided_by'),
    decidedOn: day('decided_on'),
  },
  (t) => [uniqueIndex('misconduct_appeals_person_uq').on(t.matterId, t.staffNo)],
);

/**
 * How far a pull of referrals has taken a source: for `verification`, the run id at or below
 * which every failure has been taken (verification's `settledRunId` when the pull ended). Kept
 * here so a restarted server goes on from it instead of paging through every earlier run again.
 */
export const misconductPullMarks = pgTable('misconduct_pull_marks', {
  source: text('source').primaryKey(),
  upTo: integer('up_to').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
