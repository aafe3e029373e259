/**
 * The reports' one table: every generated report version, frozen. A row holds the figures as
 * they were computed (`numbers`), the HTML page and the PDF made from them, and their hashes;
 * rows are never changed (append-only, src/db/triggers.ts). Generating a period again adds
 * version n+1 with the changes against version n, so figures never change silently.
 *
 * One version is one row per locale (zh-CN, en), written in one transaction with the same
 * numbers.
 */
import { sql } from 'drizzle-orm';
import {
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Raw bytes (the PDF). */
const bytes = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** One changed figure between two versions: its dotted path and both values. */
export interface StoredChange {
  path: string;
  before: unknown;
  after: unknown;
}

export const reportVersions = pgTable(
  'report_versions',
  {
    id: serial('id').primaryKey(),
    /** daily | weekly | monthly | quarterly (每日一通报, 每周一报告, 每月一分析, 每季度一公布). */
    kind: text('kind').notNull(),
    /** 2026-03-02 | 2026-W10 | 2026-03 | 2026-Q1 */
    period: text('period').notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    version: integer('version').notNull(),
    locale: text('locale').notNull(),
    numbers: jsonb('numbers').$type<Record<string, unknown>>().notNull(),
    /** SHA-256 of the canonical JSON of `numbers`: equal figures, equal hash. */
    numbersSha256: text('numbers_sha256').notNull(),
    /** The changes against the previous version (null for version 1). */
    changes: jsonb('changes').$type<StoredChange[] | null>(),
    html: text('html').notNull(),
    htmlSha256: text('html_sha256').notNull(),
    pdf: bytes('pdf').notNull(),
    /** SHA-256 of `pdf`. */
    sha256: text('sha256').notNull(),
    /** `schedule` (the timer) or `request` (someone asked). */
    trigger: text('trigger').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('report_versions_uq').on(t.kind, t.period, t.version, t.locale),
    index('report_versions_kind_idx').on(t.kind, t.periodFrom),
    index('report_versions_created_idx').on(t.createdAt.desc(), t.id),
    index('report_versions_public_idx').on(t.period).where(sql`kind = 'quarterly'`),
  ],
);
