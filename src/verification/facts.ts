/**
 * Upkeep of `verification_case_facts`: what each case's events say (sql-facts.ts `eventFacts`),
 * kept up to date per ledger import so that a run reads one row per case instead of the events.
 *
 * The ledger numbers its imports (`case_imports`, in commit order: ingestions are serialised) and
 * stamps every case line and event with its import. `refreshCaseFacts` recomputes, with the same
 * SQL a run would use on the events, the facts of exactly the cases touched by imports newer than
 * the last it took in, and records that import. A run calls it first (nothing to do when current),
 * the background jobs call it, and so may anything right after an ingestion.
 *
 * Only what cannot change after ingestion is stored: the events, the case line and the bureau's
 * time zone. The separation rules' action lists come from the authority policies, which can be
 * replaced: they are part of the table's `key`, with the time zone and the facts' version, and a
 * changed key rebuilds the whole table. The catalogue, the calendar, extension approvers and the
 * run's period and time of asking are applied by each run (sql-facts.ts `factsCtes`).
 *
 * A refresh holds an exclusive advisory lock for its transaction; a run reads each range under
 * the shared one, after checking the state, so it never reads half a refresh.
 *
 * @example
 * await refreshCaseFacts(db, { timeZone: 'Asia/Shanghai' }); // { importId: 12, cases: 3, rebuilt: false }
 */
import { eq, sql } from 'drizzle-orm';
import { caseEvents, caseImports, caseNumberRanges } from '../cases/index.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import { LOCKS } from '../db/locks.ts';
import { contentHash } from '../platform/hash.ts';
import { type SodRule, separationRules } from './context.ts';
import { verificationCaseFacts, verificationFactsState } from './schema.ts';
import { eventFacts, FACT_COLUMNS } from './sql-facts.ts';

/** Bump when `eventFacts` changes what it computes: the table is then rebuilt. */
const FACTS_VERSION = 2;
export const FACTS_LOCK = LOCKS.verificationFacts;
const STATE_ID = 1;
/** Cases per statement of a rebuild. */
const REBUILD_CHUNK = 200_000;

/** What the facts depend on besides the ledger. */
export function factsKey(timeZone: string, sod: Pick<SodRule, 'actions' | 'conflicts'>[]): string {
  return contentHash({
    version: FACTS_VERSION,
    timeZone,
    sod: sod.map((r) => [[...r.actions].sort(), [...r.conflicts].sort()]),
  });
}

export interface FactsState {
  importId: number;
  key: string;
}

/** How far the facts are (null before the first refresh). */
export async function factsState(db: DbOrTx): Promise<FactsState | null> {
  const [row] = await db
    .select({ importId: verificationFactsState.importId, key: verificationFactsState.key })
    .from(verificationFactsState)
    .where(eq(verificationFactsState.id, STATE_ID));
  return row ?? null;
}

export interface RefreshOptions {
  /** The bureau's time zone (config.timeZone): the facts' local dates. */
  timeZone: string;
  /** The separation rules (default: those of the authority policies in force). */
  sod?: Pick<SodRule, 'actions' | 'conflicts'>[];
  onProgress?: (cases: number) => void;
}

export interface RefreshResult extends FactsState {
  /** Cases whose facts were (re)computed. */
  cases: number;
  /** The whole table was rebuilt (first time, or a changed key). */
  rebuilt: boolean;
}

const assignments = sql.raw(
  FACT_COLUMNS.filter((c) => c !== 'case_no')
    .map((c) => `${c} = excluded.${c}`)
    .join(', '),
);
const columns = sql.raw(FACT_COLUMNS.join(', '));

/**
 * Brings the facts up to the ledger's last import: the cases touched since the last refresh, or
 * all of them when the key changed. Cheap when current (two small reads).
 */
export async function refreshCaseFacts(db: Db, opts: RefreshOptions): Promise<RefreshResult> {
  const sod = opts.sod ?? (await separationRules(db));
  const key = factsKey(opts.timeZone, sod);
  const current = async (tx: DbOrTx) => {
    const state = await factsState(tx);
    const [{ id }] = await queryRows<{ id: number }>(
      tx,
      sql`select coalesce(max(${caseImports.id}), 0)::int as id from ${caseImports}`,
    );
    return { state, last: id, fresh: state !== null && state.key === key && state.importId >= id };
  };
  // Without the lock first: a run finds the facts current nearly always.
  const seen = await current(db);
  if (seen.fresh) return { ...seen.state!, cases: 0, rebuilt: false };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FACTS_LOCK})`);
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local work_mem = '64MB'`);
    const { state, last, fresh } = await current(tx);
    if (fresh) return { ...state!, cases: 0, rebuilt: false };
    const facts = (events: Parameters<typeof eventFacts>[0]['events']) =>
      eventFacts({ timeZone: opts.timeZone, sod, importId: last, events });
    let count = 0;
    const rebuilt = state === null || state.key !== key;
    if (rebuilt) {
      await tx.execute(sql`truncate ${verificationCaseFacts}`);
      for await (const range of caseNumberRanges(tx, REBUILD_CHUNK)) {
        const [{ n }] = await queryRows<{ n: number }>(
          tx,
          sql`with ins as (insert into ${verificationCaseFacts} (${columns}) select ${columns} from (${facts({ range })}) q returning 1)
            select count(*)::int as n from ins`,
        );
        count += n;
        opts.onProgress?.(count);
      }
      // The planner's statistics of a table just filled (autovacuum would come to it later).
      await tx.execute(sql`analyze ${verificationCaseFacts}`);
    } else {
      const [{ n }] = await queryRows<{ n: number }>(
        tx,
        sql`with ins as (insert into ${verificationCaseFacts} (${columns})
            select ${columns} from (${facts({
              where: sql`e.case_no in (select t.case_no from ${caseEvents} t
                where t.import_id > ${state.importId} and t.import_id <= ${last})`,
            })}) q
            on conflict (case_no) do update set ${assignments} returning 1)
          select count(*)::int as n from ins`,
      );
      count = n;
      opts.onProgress?.(count);
    }
    await tx
      .insert(verificationFactsState)
      .values({ id: STATE_ID, importId: last, key, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: verificationFactsState.id,
        set: { importId: last, key, updatedAt: new Date() },
      });
    return { importId: last, key, cases: count, rebuilt };
  });
}
