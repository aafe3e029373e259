/**
 * The registry of issued official documents (rulings, decisions): their numbers, counted per
 * prefix (one per bureau and document series) and year without gaps, and the SHA-256 of each
 * PDF, which the public verify page compares an uploaded copy against.
 */
import { sql } from 'drizzle-orm';
import { customType, date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const pdfBytes = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** The last number issued per prefix (泉建纪) and year; bumped in the issuing transaction. */
export const documentCounters = pgTable(
  'document_counters',
  {
    prefix: text('prefix').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.prefix, t.year] })],
);

export const issuedDocuments = pgTable(
  'issued_documents',
  {
    /** 发文字号, e.g. 泉建纪〔2026〕3号. */
    number: text('number').primaryKey(),
    prefix: text('prefix').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    /** misconduct-decision, misconduct-appeal-decision, ruling, ... */
    kind: text('kind').notNull(),
    /** What the document is about, in the issuing module's terms (misconduct:7:S003). */
    ref: text('ref'),
    title: text('title').notNull(),
    sha256: text('sha256').notNull(),
    pdf: pdfBytes('pdf'),
    size: integer('size'),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    issuedBy: text('issued_by').notNull(),
    /** A later document that replaces this one (a review decision after an appeal). */
    supersededBy: text('superseded_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  },
  (t) => [index('issued_documents_ref_idx').on(t.ref), index('issued_documents_sha_idx').on(t.sha256)],
);
