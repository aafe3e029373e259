import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

// Records are never deleted: what leaves an imported file gets active=false and inactive_from.

export const bureau = pgTable('bureau', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  head: text('head'),
});

export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['section', 'institution'] }).notNull(),
  active: boolean('active').notNull().default(true),
  inactiveFrom: date('inactive_from', { mode: 'string' }),
});

export const windows = pgTable('windows', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  department: text('department').notNull(),
  active: boolean('active').notNull().default(true),
  inactiveFrom: date('inactive_from', { mode: 'string' }),
});

export const posts = pgTable('posts', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  window: text('window').notNull(),
  key: boolean('key').notNull().default(false),
  businesses: text('businesses').array().notNull().default([]),
  active: boolean('active').notNull().default(true),
  inactiveFrom: date('inactive_from', { mode: 'string' }),
});

export interface Conflict {
  kind: string;
  item?: string;
  note?: string;
}

export const staff = pgTable(
  'staff',
  {
    no: text('no').primaryKey(),
    name: text('name').notNull(),
    department: text('department').notNull(),
    hiredOn: date('hired_on', { mode: 'string' }),
    competencies: text('competencies').array().notNull().default([]),
    conflicts: jsonb('conflicts').$type<Conflict[]>().notNull().default([]),
    active: boolean('active').notNull().default(true),
    inactiveFrom: date('inactive_from', { mode: 'string' }),
  },
  // Browsing 10,000 staff (src/org/query.ts): a department's staff in number order, and who knows
  // a business (`competencies @> array[...]`).
  (t) => [
    index('staff_department_idx').on(t.department, t.no),
    index('staff_competencies_idx').using('gin', t.competencies),
  ],
);

export const assignments = pgTable(
  'assignments',
  {
    id: serial('id').primaryKey(),
    staffNo: text('staff_no').notNull(),
    post: text('post').notNull(),
    role: text('role', { enum: ['A', 'B'] }).notNull(),
    from: date('from', { mode: 'string' }).notNull(),
    /** The last day, or null while it lasts. */
    to: date('to', { mode: 'string' }),
    active: boolean('active').notNull().default(true),
    inactiveFrom: date('inactive_from', { mode: 'string' }),
  },
  (t) => [
    uniqueIndex('assignments_identity_uq').on(t.staffNo, t.post, t.role, t.from),
    index('assignments_post_idx').on(t.post),
  ],
);

export const absences = pgTable(
  'absences',
  {
    id: serial('id').primaryKey(),
    staffNo: text('staff_no').notNull(),
    from: date('from', { mode: 'string' }).notNull(),
    to: date('to', { mode: 'string' }).notNull(),
    reason: text('reason').notNull().default('leave'),
    active: boolean('active').notNull().default(true),
    inactiveFrom: date('inactive_from', { mode: 'string' }),
  },
  (t) => [uniqueIndex('absences_identity_uq').on(t.staffNo, t.from)],
);

export interface Material {
  code: string;
  name: string;
  primary: boolean;
}

export const items = pgTable('items', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  business: text('business').notNull(),
  kind: text('kind', { enum: ['instant', 'committed', 'joint'] }).notNull(),
  statutoryDays: integer('statutory_days').notNull(),
  committedDays: integer('committed_days').notNull(),
  fastTrackDays: integer('fast_track_days'),
  online: boolean('online').notNull().default(false),
  /** Handled at the window (46 of the demo bureau's 54); the rest stay in their units. */
  atWindow: boolean('at_window').notNull().default(true),
  specialSeal: boolean('special_seal').notNull().default(true),
  department: text('department'),
  materials: jsonb('materials').$type<Material[]>().notNull().default([]),
  active: boolean('active').notNull().default(true),
  inactiveFrom: date('inactive_from', { mode: 'string' }),
});
