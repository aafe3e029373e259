/**
 * The `org` contract, version 1 (shared/contracts/org.md) as zod schemas. Optional fields may be
 * added; nothing may be renamed or change meaning.
 */
import { z } from 'zod';

const code = z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters');
const name = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a real date',
  );
const days = z.number().int('must be a whole number of working days').min(0).max(365);

export const bureauSchema = z.strictObject({
  code,
  name,
  timeZone: z.string().default('Asia/Shanghai'),
  head: code.nullish(),
});

export const departmentSchema = z.strictObject({
  code,
  name,
  kind: z.enum(['section', 'institution']),
});

export const windowSchema = z.strictObject({ code, name, department: code });

export const postSchema = z.strictObject({
  code,
  name,
  window: code,
  key: z.boolean().default(false),
  businesses: z.array(code).default([]),
});

export const conflictSchema = z.strictObject({
  kind: z.string().min(1),
  item: code.optional(),
  note: z.string().max(500).optional(),
});

export const staffSchema = z.strictObject({
  no: code,
  name,
  department: code,
  hiredOn: isoDate.nullish(),
  competencies: z.array(code).default([]),
  conflicts: z.array(conflictSchema).default([]),
});

export const assignmentSchema = z.strictObject({
  staff: code,
  post: code,
  role: z.enum(['A', 'B']),
  from: isoDate,
  to: isoDate.nullish(),
});

export const absenceSchema = z.strictObject({
  staff: code,
  from: isoDate,
  to: isoDate,
  reason: z.string().min(1).max(100).default('leave'),
});

export const materialSchema = z.strictObject({ code, name, primary: z.boolean().default(true) });

export const itemSchema = z.strictObject({
  code,
  name,
  business: code,
  kind: z.enum(['instant', 'committed', 'joint']),
  statutoryDays: days,
  committedDays: days,
  fastTrackDays: days.nullish(),
  online: z.boolean().default(false),
  atWindow: z.boolean().default(true),
  specialSeal: z.boolean().default(true),
  department: code.nullish(),
  materials: z.array(materialSchema).default([]),
});

export const orgDocumentSchema = z.strictObject({
  version: z.literal(1, 'only version 1 of the org contract is known'),
  bureau: bureauSchema.optional(),
  departments: z.array(departmentSchema).optional(),
  windows: z.array(windowSchema).optional(),
  posts: z.array(postSchema).optional(),
  staff: z.array(staffSchema).optional(),
  assignments: z.array(assignmentSchema).optional(),
  absences: z.array(absenceSchema).optional(),
  items: z.array(itemSchema).optional(),
});

export type OrgDocument = z.infer<typeof orgDocumentSchema>;
export type OrgDocumentInput = z.input<typeof orgDocumentSchema>;
