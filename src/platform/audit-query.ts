/**
 * Reading the audit log page by page, newest first, with keyset paging on the entry id (fast at
 * any depth: no OFFSET over a million entries) and optional filters.
 *
 * @example
 * const first = await listAudit(db, { limit: 50 });
 * const next = await listAudit(db, { limit: 50, before: first.nextBefore! });
 */
import { and, desc, eq, ilike, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditLog } from './schema.ts';

export interface AuditQuery {
  /** Entries with an id below this (the previous page's `nextBefore`). */
  before?: number;
  limit: number;
  /** Start of the actor, e.g. `user:` or `user:admin`. */
  actor?: string;
  /** Start of the action, e.g. `org.` or `token.create`. */
  action?: string;
  entity?: string;
}

const prefix = (s: string) => `${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

export async function listAudit(db: DbOrTx, q: AuditQuery) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        q.before ? lt(auditLog.id, q.before) : undefined,
        q.actor ? ilike(auditLog.actor, prefix(q.actor)) : undefined,
        q.action ? ilike(auditLog.action, prefix(q.action)) : undefined,
        q.entity ? eq(auditLog.entity, q.entity) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { rows: page, nextBefore: more ? page[page.length - 1].id : null };
}
