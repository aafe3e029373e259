/**
 * The rotation module's tables. A plan (轮岗计划) is written once, with its moves, and is never
 * edited: what changes is its state, forward only (draft -> approved -> applied -> archived; a
 * draft may also be archived unapproved). A trigger (migration `rotation_guard`) refuses any
 * change to a plan's content and any other change of state; the moves table is append-only.
 */
import { boolean, index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { day, tstz } from '../db/columns.ts';

export const planStates = ['draft', 'approved', 'applied', 'archived'] as const;
export type PlanState = (typeof planStates)[number];

export const rotationPlans = pgTable(
  'rotation_plans',
  {
    id: serial('id').primaryKey(),
    /** 轮岗计划编号, e.g. 轮岗〔2027〕1号. */
    number: text('number').notNull(),
    state: text('state', { enum: planStates }).notNull().default('draft'),
    planDate: day('plan_date').notNull(),
    rounds: integer('rounds').notNull(),
    /** What the HR user asked for: policy overrides, extra must-move entries, wishes. */
    params: jsonb('params').notNull(),
    /** The rules in force for this plan (policies/rotation.yaml with the overrides). */
    policy: jsonb('policy').notNull(),
    /** The planner's output (PlanOutput): moves, coverage, unmet rules, score, solver report. */
    result: jsonb('result').notNull(),
    /** SHA-256 of the canonical JSON of date, rounds, params, policy and result. */
    contentHash: text('content_hash').notNull(),
    /** Hash of the holdings the plan started from: applying it to a changed org is refused. */
    basisHash: text('basis_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: tstz('created_at').notNull(),
    approvedBy: text('approved_by'),
    approvedAt: tstz('approved_at'),
    appliedBy: text('applied_by'),
    appliedAt: tstz('applied_at'),
    archivedBy: text('archived_by'),
    archivedAt: tstz('archived_at'),
    note: text('note'),
  },
  (t) => [
    uniqueIndex('rotation_plans_number_uq').on(t.number),
    index('rotation_plans_state_idx').on(t.state),
  ],
);

export const rotationPlanMoves = pgTable(
  'rotation_plan_moves',
  {
    id: serial('id').primaryKey(),
    planId: integer('plan_id').notNull(),
    seq: integer('seq').notNull(),
    round: integer('round').notNull(),
    effectiveDate: day('effective_date').notNull(),
    staffNo: text('staff_no').notNull(),
    fromPost: text('from_post'),
    fromRole: text('from_role', { enum: ['A', 'B'] }),
    toPost: text('to_post'),
    toRole: text('to_role', { enum: ['A', 'B'] }),
    required: boolean('required').notNull(),
    reasons: jsonb('reasons').notNull(),
    training: jsonb('training'),
  },
  (t) => [
    uniqueIndex('rotation_plan_moves_uq').on(t.planId, t.seq),
    index('rotation_plan_moves_staff_idx').on(t.staffNo),
  ],
);
