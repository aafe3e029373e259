/**
 * Registers the case ledger as authority's source of case history: an authority question over
 * HTTP that names a known case (and brings no history) is decided with that case's stored
 * events, so separation-of-duties rules see who already acted. Imported for its effect by
 * src/cases/index.ts and src/cases/routes.ts.
 *
 * @example
 * import './history.ts';
 */
import { asc, eq } from 'drizzle-orm';
import { setCaseHistoryProvider } from '../authority/index.ts';
import type { DbOrTx } from '../db/client.ts';
import { caseEvents } from './schema.ts';

/** A case's events as authority's history: seq, action, actor and ISO time. */
export async function caseHistory(db: DbOrTx, caseNo: string) {
  const rows = await db
    .select({ seq: caseEvents.seq, action: caseEvents.action, actor: caseEvents.actor, at: caseEvents.at })
    .from(caseEvents)
    .where(eq(caseEvents.caseNo, caseNo))
    .orderBy(asc(caseEvents.seq));
  return rows.map((r) => ({ seq: r.seq, action: r.action, actor: r.actor, at: r.at.toISOString() }));
}

setCaseHistoryProvider(caseHistory);
