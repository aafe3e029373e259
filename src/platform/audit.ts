/**
 * The audit log: every change of state writes one entry in the same transaction. Entries form a
 * SHA-256 chain (each hash covers the previous one), and the table refuses UPDATE, DELETE and
 * TRUNCATE, so a change made behind the application's back shows up in `verifyAuditChain`.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await tx.insert(staff).values(row);
 *   await appendAudit(tx, { actor: 'user:admin', action: 'org.import', entity: 'staff', entityId: 'S001', content: row });
 * });
 */
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { LOCKS } from '../db/locks.ts';
import { canonicalJson, contentHash, sha256 } from './hash.ts';
import { auditLog } from './schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  /** `user:NAME`, `token:NAME`, `cli`, `system` or `public`. */
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  /** The record's new content; only its hash is kept. */
  content: unknown;
}

function entryHash(e: {
  prevHash: string;
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  contentHash: string;
}) {
  return sha256(
    canonicalJson([e.prevHash, e.at.toISOString(), e.actor, e.action, e.entity, e.entityId, e.contentHash]),
  );
}

/** Appends entries to the chain. Must run inside the transaction that made the change. */
export async function appendAudit(tx: DbOrTx, inputs: AuditInput | AuditInput[]): Promise<void> {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length === 0) return;
  // Serialises writers so the chain has one order; held until the transaction ends.
  await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS.audit})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  let prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision: what PostgreSQL stores must hash the same when read back.
  const at = new Date(Math.floor(Date.now()));
  const rows = list.map((i) => {
    const row = {
      at,
      actor: i.actor,
      action: i.action,
      entity: i.entity,
      entityId: i.entityId,
      contentHash: contentHash(i.content ?? null),
      prevHash,
    };
    const hash = entryHash(row);
    prevHash = hash;
    return { ...row, hash };
  });
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(auditLog).values(rows.slice(i, i + 1000));
}

export interface AuditVerifyResult {
  ok: boolean;
  entries: number;
  /** The first entry whose stored hash or link does not match what it should be. */
  firstBad?: { id: number; reason: string };
}

/** Recomputes the whole chain in id order and names the first entry that does not match. */
export async function verifyAuditChain(db: DbOrTx): Promise<AuditVerifyResult> {
  let prevHash = GENESIS_HASH;
  let lastId = 0;
  let entries = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.id, lastId))
      .orderBy(asc(auditLog.id))
      .limit(5000);
    if (batch.length === 0) return { ok: true, entries };
    for (const e of batch) {
      if (e.prevHash !== prevHash) {
        return { ok: false, entries, firstBad: { id: e.id, reason: 'does not link to the entry before it' } };
      }
      if (entryHash(e) !== e.hash) {
        return { ok: false, entries, firstBad: { id: e.id, reason: 'content does not match its hash' } };
      }
      prevHash = e.hash;
      lastId = e.id;
      entries++;
    }
  }
}
