/**
 * The registry of issued documents: gap-free numbers (泉建纪〔2026〕3号: per prefix, per year,
 * sequential, taken in the issuing transaction so a rolled-back issue leaves no hole), and the
 * SHA-256 of every issued PDF, so anyone holding a copy can ask the public verify page whether it
 * is authentic. Misconduct decisions and verification rulings both issue through here.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   const doc = await issueDocument(tx, {
 *     prefix: '泉建纪', year: 2026, kind: 'misconduct-decision', ref: 'misconduct:7:S003',
 *     issuedOn: '2026-03-02', build: (number) => ({ ...model, number }),
 *   }, 'user:leader');
 *   doc.number; // '泉建纪〔2026〕1号'
 * });
 * await verifyIssuedDocument(db, '泉建纪〔2026〕1号', { pdf: bytes }); // { exists: true, authentic: true, ... }
 */
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { formatDocNumber } from './dates.ts';
import type { OfficialDocument } from './model.ts';
import { renderPdf } from './pdf.ts';
import { documentCounters, issuedDocuments } from './schema.ts';

/**
 * The next number of a series. The counter row stays locked until the transaction ends, so two
 * issuers queue, and a rollback gives the number back.
 */
export async function nextDocumentNumber(tx: Tx, input: { prefix: string; year: number }) {
  if (!input.prefix.trim()) throw new AppError('UNPROCESSABLE', 'a document number needs a prefix');
  const [row] = await tx
    .insert(documentCounters)
    .values({ prefix: input.prefix, year: input.year, last: 1 })
    .onConflictDoUpdate({
      target: [documentCounters.prefix, documentCounters.year],
      set: { last: sql`${documentCounters.last} + 1` },
    })
    .returning({ last: documentCounters.last });
  return { number: formatDocNumber(input.prefix, input.year, row.last), seq: row.last };
}

export interface RegisterInput {
  number: string;
  prefix: string;
  year: number;
  seq: number;
  kind: string;
  ref?: string | null;
  title: string;
  sha256: string;
  pdf?: Uint8Array | null;
  issuedOn: string;
  /** The number of the document this one replaces, if any. */
  supersedes?: string | null;
}

/** Records an issued document (and marks the one it supersedes). Audited. */
export async function registerIssuedDocument(tx: Tx, input: RegisterInput, actor: string) {
  if (!/^[0-9a-f]{64}$/.test(input.sha256))
    throw new AppError('UNPROCESSABLE', 'sha256 must be 64 hex digits');
  await tx.insert(issuedDocuments).values({
    number: input.number,
    prefix: input.prefix,
    year: input.year,
    seq: input.seq,
    kind: input.kind,
    ref: input.ref ?? null,
    title: input.title,
    sha256: input.sha256,
    pdf: input.pdf ? Buffer.from(input.pdf) : null,
    size: input.pdf ? input.pdf.byteLength : null,
    issuedOn: input.issuedOn,
    issuedBy: actor,
  });
  if (input.supersedes) {
    const updated = await tx
      .update(issuedDocuments)
      .set({ supersededBy: input.number })
      .where(eq(issuedDocuments.number, input.supersedes))
      .returning({ number: issuedDocuments.number });
    if (!updated.length)
      throw new AppError('UNPROCESSABLE', `no issued document ${input.supersedes} to supersede`);
  }
  await appendAudit(tx, {
    actor,
    action: 'document.issue',
    entity: 'issued_document',
    entityId: input.number,
    content: {
      kind: input.kind,
      ref: input.ref ?? null,
      sha256: input.sha256,
      supersedes: input.supersedes ?? null,
    },
  });
}

export interface IssueInput {
  prefix: string;
  year: number;
  kind: string;
  ref?: string | null;
  issuedOn: string;
  supersedes?: string | null;
  /** Builds the document once its number is known (the number is printed on it). */
  build: (number: string) => OfficialDocument;
}

/** Takes the next number, renders the PDF and registers it, all in the caller's transaction. */
export async function issueDocument(tx: Tx, input: IssueInput, actor: string) {
  const { number, seq } = await nextDocumentNumber(tx, input);
  const doc = input.build(number);
  const { pdf, sha256 } = await renderPdf(doc);
  await registerIssuedDocument(
    tx,
    {
      number,
      prefix: input.prefix,
      year: input.year,
      seq,
      kind: input.kind,
      ref: input.ref,
      title: doc.title,
      sha256,
      pdf,
      issuedOn: input.issuedOn,
      supersedes: input.supersedes,
    },
    actor,
  );
  return { number, sha256, pdf };
}

export interface IssuedInfo {
  number: string;
  kind: string;
  ref: string | null;
  title: string;
  sha256: string;
  issuedOn: string;
  supersededBy: string | null;
  size: number | null;
}

/** What the registry knows of a number (never the PDF itself); null when never issued. */
export async function findIssuedDocument(db: DbOrTx, number: string): Promise<IssuedInfo | null> {
  const [d] = await db
    .select({
      number: issuedDocuments.number,
      kind: issuedDocuments.kind,
      ref: issuedDocuments.ref,
      title: issuedDocuments.title,
      sha256: issuedDocuments.sha256,
      issuedOn: issuedDocuments.issuedOn,
      supersededBy: issuedDocuments.supersededBy,
      size: issuedDocuments.size,
    })
    .from(issuedDocuments)
    .where(eq(issuedDocuments.number, number));
  return d ?? null;
}

/** The stored PDF of a number (for the issuing module's own, permission-checked download). */
export async function issuedDocumentPdf(db: DbOrTx, number: string): Promise<Buffer | null> {
  const [d] = await db
    .select({ pdf: issuedDocuments.pdf })
    .from(issuedDocuments)
    .where(eq(issuedDocuments.number, number));
  return d?.pdf ?? null;
}

export interface VerifyResult {
  number: string;
  exists: boolean;
  /** The copy (or hash) matches what was issued under that number. */
  authentic: boolean;
  sha256: string | null;
  presented: string;
  issuedOn: string | null;
  supersededBy: string | null;
}

/**
 * Compares a presented copy (the PDF's bytes, or its SHA-256) with the registry.
 *
 * @example
 * await verifyIssuedDocument(db, '泉建纪〔2026〕1号', { sha256: '9f2c...' })
 */
export async function verifyIssuedDocument(
  db: DbOrTx,
  number: string,
  presented: { pdf?: Uint8Array; sha256?: string },
): Promise<VerifyResult> {
  const hash = presented.pdf
    ? createHash('sha256').update(presented.pdf).digest('hex')
    : (presented.sha256 ?? '').trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hash))
    throw AppError.validation([
      { path: presented.pdf ? 'file' : 'sha256', message: 'a SHA-256 is 64 hexadecimal digits' },
    ]);
  const d = await findIssuedDocument(db, number);
  return {
    number,
    exists: !!d,
    authentic: !!d && d.sha256 === hash,
    sha256: d?.sha256 ?? null,
    presented: hash,
    issuedOn: d?.issuedOn ?? null,
    supersededBy: d?.supersededBy ?? null,
  };
}
