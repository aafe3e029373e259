import { bigint, bigserial, boolean, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Every authority table is append-only (src/db/triggers.ts): a past decision, a suspension or a
// policy version can be replayed, never quietly changed.

/** Each distinct policy set, by the SHA-256 of its files, with the files' full text. */
export const authorityPolicyVersions = pgTable('authority_policy_versions', {
  hash: text('hash').primaryKey(),
  files: jsonb('files').$type<Record<string, string>>().notNull(),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** When a version came into force; the version in force at T is the last activation at or before T. */
export const authorityPolicyActivations = pgTable('authority_policy_activations', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hash: text('hash').notNull(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  actor: text('actor').notNull(),
});

/** A staff member's authority withdrawn from an instant on (misconduct, pending a decision). */
export const authoritySuspensions = pgTable(
  'authority_suspensions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    staffNo: text('staff_no').notNull(),
    from: timestamp('from', { withTimezone: true, mode: 'date' }).notNull(),
    reason: text('reason').notNull(),
    /** What it rests on, e.g. the misconduct case number. */
    ref: text('ref'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('authority_suspensions_staff_idx').on(t.staffNo)],
);

/** The end of a suspension: one row per suspension at most (its primary key). */
export const authoritySuspensionLifts = pgTable('authority_suspension_lifts', {
  suspensionId: bigint('suspension_id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  note: text('note'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Every decision given through `decide()` (HTTP, CLI), with the policy version that gave it. */
export const authorityDecisions = pgTable(
  'authority_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The instant asked about. */
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    staffNo: text('staff_no').notNull(),
    action: text('action').notNull(),
    item: text('item').notNull(),
    caseNo: text('case_no'),
    allowed: boolean('allowed').notNull(),
    via: text('via'),
    post: text('post'),
    actingFor: text('acting_for'),
    rule: jsonb('rule').$type<{ file: string; post: string; grant: string }>(),
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    policyVersion: text('policy_version').notNull(),
    /** Who asked: `user:NAME`, `token:NAME` or `cli`. */
    askedBy: text('asked_by').notNull(),
  },
  (t) => [
    index('authority_decisions_staff_idx').on(t.staffNo, t.at),
    index('authority_decisions_case_idx').on(t.caseNo),
  ],
);
