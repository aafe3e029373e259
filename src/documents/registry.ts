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
  const { first } = await reserveDocumentNumbers(tx, input, 1);
  return { number: formatDocNumber(input.prefix, input.year, first), seq: first };
}

/**
 * Takes `count` consecutive numbers of a series in one statement: sequence numbers `first` to
 * `first + count - 1`. Locked and given back on rollback as `nextDocumentNumber`.
 */
export async function reserveDocumentNumbers(
  tx: Tx,
  input: { prefix: string; year: number },
  count: number,
): Promise<{ first: number }> {
  if (!input.prefix.trim()) throw new AppError('UNPROCESSABLE', 'a document number needs a prefix');
  if (!(Number.isInteger(count) && count >= 1)) throw new Error(`cannot reserve ${count} numbers`);
  const [row] = await tx
    .insert(documentCounters)
    .values({ prefix: input.prefix, year: input.year, last: count })
    .onConflictDoUpdate({
      target: [documentCounters.prefix, documentCounters.year],
      set: { last: sql`${documentCounters.last} + ${count}` },
    })
    .returning({ last: documentCounters.last });
  return { first: row.last - count + 1 };
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

/** Rows of issued_documents per INSERT: PDFs are tens of kilobytes each. */
const ROWS_PER_INSERT = 50;

/** Records an issued document (and marks the one it supersedes), in the caller's transaction. Audited. */
export async function registerIssuedDocument(tx: Tx, input: RegisterInput, actor: string) {
  if (!/^[0-9a-f]{64}$/.test(input.sha256))
    throw new AppError('UNPROCESSABLE', 'sha256 must be 64 hex digits');
  await tx.insert(issuedDocuments).values(rowOf(input, actor));
  await markSuperseded(tx, [input]);
  await appendAudit(tx, auditOf(input, actor));
}

function rowOf(input: RegisterInput, actor: string): typeof issuedDocuments.$inferInsert {
  return {
    number: input.number,
    prefix: input.prefix,
    year: input.year,
    seq: input.seq,
    kind: input.kind,
    ref: input.ref ?? null,
    title: input.title,
    sha256: input.sha256,
    pdf: input.pdf ? Buffer.from(input.pdf.buffer, input.pdf.byteOffset, input.pdf.byteLength) : null,
    size: input.pdf ? input.pdf.byteLength : null,
    issuedOn: input.issuedOn,
    issuedBy: actor,
  };
}

function auditOf(input: RegisterInput, actor: string) {
  return {
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
  };
}

async function markSuperseded(tx: Tx, inputs: RegisterInput[]) {
  for (const input of inputs) {
    if (!input.supersedes) continue;
    const updated = await tx
      .update(issuedDocuments)
      .set({ supersededBy: input.number })
      .where(eq(issuedDocuments.number, input.supersedes))
      .returning({ number: issuedDocuments.number });
    if (!updated.length)
      throw new AppError('UNPROCESSABLE', `no issued document ${input.supersedes} to supersede`);
  }
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
  const { prefix, year, kind, issuedOn, ...item } = input;
  const [issued] = await issueDocuments(
    tx,
    { prefix, year, kind, issuedOn, items: [item], keepPdf: true },
    actor,
  );
  return issued as IssuedDocument & { pdf: Buffer };
}

export interface IssueManyInput {
  prefix: string;
  year: number;
  kind: string;
  issuedOn: string;
  items: { ref?: string | null; supersedes?: string | null; build: (number: string) => OfficialDocument }[];
  /** Return each PDF too; by default they are let go once written, so a large batch stays small. */
  keepPdf?: boolean;
}

export interface IssuedDocument {
  number: string;
  seq: number;
  sha256: string;
  /** Only with `keepPdf`. */
  pdf?: Buffer;
  title: string;
}

/**
 * Issues a batch in the caller's transaction: consecutive numbers taken in one statement, each
 * document rendered with its number, the rows written with multi-row inserts while the next ones
 * render, and one audit append for all. A failure anywhere rolls the whole batch back, numbers
 * included.
 */
export async function issueDocuments(
  tx: Tx,
  input: IssueManyInput,
  actor: string,
): Promise<IssuedDocument[]> {
  const out: IssuedDocument[] = [];
  if (input.items.length === 0) return out;
  const { first } = await reserveDocumentNumbers(tx, input, input.items.length);
  const registered: RegisterInput[] = [];
  // The previous chunk's INSERT runs while this chunk renders (on PostgreSQL the two overlap).
  let writing: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < input.items.length; i += ROWS_PER_INSERT) {
    const chunk: RegisterInput[] = [];
    for (const [j, item] of input.items.slice(i, i + ROWS_PER_INSERT).entries()) {
      const seq = first + i + j;
      const number = formatDocNumber(input.prefix, input.year, seq);
      const doc = item.build(number);
      const { pdf, sha256 } = await renderPdf(doc);
      out.push({ number, seq, sha256, title: doc.title, ...(input.keepPdf ? { pdf } : {}) });
      chunk.push({
        number,
        prefix: input.prefix,
        year: input.year,
        seq,
        kind: input.kind,
        ref: item.ref,
        title: doc.title,
        sha256,
        pdf,
        issuedOn: input.issuedOn,
        supersedes: item.supersedes,
      });
    }
    await writing;
    // execute(): a drizzle query runs again on every then(); this runs it once.
    writing = tx
      .insert(issuedDocuments)
      .values(chunk.map((d) => rowOf(d, actor)))
      .execute();
    // Handled when awaited; until then a rejection must not count as unhandled.
    writing.catch(() => {});
    for (const d of chunk) registered.push({ ...d, pdf: null });
  }
  await writing;
  await markSuperseded(tx, registered);
  await appendAudit(
    tx,
    registered.map((d) => auditOf(d, actor)),
  );
  return out;
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
