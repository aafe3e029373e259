/**
 * Evidence files of an investigation, kept in the database: PDF, JPEG or PNG (as the policy
 * allows), recognised by their first bytes and never by the name or the declared type, up to the
 * policy's size (10 MiB by default).
 *
 * @example
 * sniffMediaType(Buffer.from('%PDF-1.7 ...')) // 'application/pdf'
 * await addEvidence(db, ctx, 7, { fileName: 'receipt.jpg', bytes });
 */
import { asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { sha256 } from '../platform/hash.ts';
import { actorString, type Ctx, expectState, lockMatter } from './common.ts';
import { misconductEvidence } from './schema.ts';

export type EvidenceType = 'application/pdf' | 'image/jpeg' | 'image/png';

const starts = (b: Uint8Array, sig: number[]) => b.length >= sig.length && sig.every((x, i) => b[i] === x);

/** The type the bytes really are, or null when they are none of the accepted kinds. */
export function sniffMediaType(bytes: Uint8Array): EvidenceType | null {
  if (starts(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return null;
}

/** A file name safe to keep and to send back in Content-Disposition: no path, no controls. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters and quotes would break a Content-Disposition header.
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return clean || 'evidence';
}

/** Adds an evidence file; only the assigned inspector, while the matter is open. */
export async function addEvidence(
  db: Db,
  ctx: Ctx,
  id: number,
  file: { fileName: string; bytes: Uint8Array },
) {
  const { maxBytes, types } = ctx.policy.evidence;
  if (file.bytes.byteLength === 0)
    throw AppError.validation([{ path: 'file', message: 'the file is empty' }]);
  if (file.bytes.byteLength > maxBytes)
    throw new AppError('PAYLOAD_TOO_LARGE', `evidence files are at most ${maxBytes} bytes`, [
      { path: 'file', message: `${file.bytes.byteLength} bytes, over ${maxBytes}` },
    ]);
  const type = sniffMediaType(file.bytes);
  if (!type || !types.includes(type))
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `evidence must be ${types.join(', ')} (judged by the content)`,
      [{ path: 'file', message: 'not an accepted file type' }],
    );
  return db.transaction(async (tx) => {
    const m = await lockMatter(tx, id);
    expectState(
      m,
      ['assigned', 'investigating', 'proposed', 'decided', 'notified', 'appealed'],
      'add evidence',
    );
    if (ctx.who.kind !== 'user' || m.inspector !== ctx.who.name)
      throw new AppError(
        'FORBIDDEN',
        `only the assigned inspector (${m.inspector ?? 'none yet'}) may add evidence`,
      );
    const hash = sha256(file.bytes);
    const [row] = await tx
      .insert(misconductEvidence)
      .values({
        matterId: id,
        fileName: cleanFileName(file.fileName),
        mediaType: type,
        size: file.bytes.byteLength,
        sha256: hash,
        content: Buffer.from(file.bytes),
        uploadedBy: actorString(ctx.who),
      })
      .returning({
        id: misconductEvidence.id,
        fileName: misconductEvidence.fileName,
        at: misconductEvidence.at,
      });
    await appendAudit(tx, {
      actor: actorString(ctx.who),
      action: 'misconduct.evidence',
      entity: 'misconduct_matter',
      entityId: String(id),
      content: {
        evidence: row.id,
        fileName: row.fileName,
        mediaType: type,
        size: file.bytes.byteLength,
        sha256: hash,
      },
    });
    return {
      id: row.id,
      matterId: id,
      fileName: row.fileName,
      mediaType: type,
      size: file.bytes.byteLength,
      sha256: hash,
    };
  });
}

/** The files of a matter, without their bytes. */
export async function listEvidence(db: DbOrTx, matterId: number) {
  return db
    .select({
      id: misconductEvidence.id,
      fileName: misconductEvidence.fileName,
      mediaType: misconductEvidence.mediaType,
      size: misconductEvidence.size,
      sha256: misconductEvidence.sha256,
      uploadedBy: misconductEvidence.uploadedBy,
      at: misconductEvidence.at,
    })
    .from(misconductEvidence)
    .where(eq(misconductEvidence.matterId, matterId))
    .orderBy(asc(misconductEvidence.id));
}

/** One file with its bytes (the caller checks who may read the matter). */
export async function getEvidence(db: DbOrTx, evidenceId: number) {
  const [row] = await db.select().from(misconductEvidence).where(eq(misconductEvidence.id, evidenceId));
  if (!row) throw new AppError('NOT_FOUND', `no evidence file ${evidenceId}`);
  return row;
}
