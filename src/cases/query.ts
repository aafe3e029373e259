/**
 * Reading the ledger: the filtered, keyset-paged list (fast at a million cases: every filter is
 * an index condition, the light included, since `case_state` stores the days a case turns yellow
 * and red), one case with its timeline, and the query pieces verification and reports build on.
 *
 * @example
 * const page = await listCases(db, { light: 'red', business: 'construction-permit' }, { today: '2026-03-10', timeZone });
 * const next = await listCases(db, { light: 'red' }, { today, timeZone, cursor: page.nextCursor });
 */
import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../db/client.ts';
import { AppError } from '../platform/errors.ts';
import { type CaseStateName, type Light, lightOn } from './clock.ts';
import { caseAlerts, caseEvents, caseState, cases } from './schema.ts';

export interface CaseFilters {
  state?: CaseStateName[];
  light?: Light[];
  item?: string[];
  business?: string[];
  /** Cases this staff member acted on (anyone who acted: "我的办件"). */
  clerk?: string;
  /** The responsible clerk (the accepting one). */
  responsible?: string;
  route?: string[];
  channel?: string[];
  /** Received between these local dates (inclusive). */
  receivedFrom?: string;
  receivedTo?: string;
  completedFrom?: string;
  completedTo?: string;
  /** Only open (true) or only completed (false) cases. */
  open?: boolean;
  anomalous?: boolean;
}

export type CaseSort = 'received' | 'due' | 'completed';

/** States short of completion: a case in one of them has no completed_at. */
const OPEN_STATES = new Set(['received', 'awaiting_supplement', 'accepted', 'under_review', 'decided']);

export interface ListOptions {
  /** The day lights are judged on (the bureau's local date). */
  today: string;
  timeZone: string;
  /** `due` lists open cases only. */
  sort?: CaseSort;
  limit?: number;
  cursor?: string;
  /** Rows the first, index-ordered attempt at a page looks at (tuning; tests make it small). */
  window?: number;
}

/** The SQL condition "light is one of `lights` on `today`" (index-friendly). */
export function lightCondition(lights: readonly Light[], today: string): SQL {
  const open = isNull(caseState.completedAt);
  const parts: SQL[] = [];
  for (const light of new Set(lights)) {
    if (light === 'none') parts.push(isNotNull(caseState.completedAt));
    if (light === 'red') parts.push(and(open, lte(caseState.redFrom, today))!);
    // Yellow and red days are set together (both null while a clock is stopped), so yellow is
    // "not red yet" on the index of red days: few rows, found at once.
    if (light === 'yellow')
      parts.push(and(open, sql`${caseState.redFrom} > ${today}`, lte(caseState.yellowFrom, today))!);
    if (light === 'green')
      parts.push(and(open, or(isNull(caseState.yellowFrom), sql`${caseState.yellowFrom} > ${today}`))!);
  }
  return parts.length === 1 ? parts[0] : or(...parts)!;
}

/** The instant a local date starts in `timeZone`, as SQL. */
const startOf = (date: string, timeZone: string) => sql`(${date}::date::timestamp at time zone ${timeZone})`;
const startAfter = (date: string, timeZone: string) =>
  sql`((${date}::date + 1)::timestamp at time zone ${timeZone})`;

/** The WHERE clause of a filter set, for the ledger and for reports. */
export function caseFilterSql(f: CaseFilters, opts: { today: string; timeZone: string }): SQL | undefined {
  const c: (SQL | undefined)[] = [];
  if (f.state?.length) {
    c.push(inArray(caseState.state, f.state));
    // Said outright so that the index of open cases serves.
    if (f.state.every((x) => OPEN_STATES.has(x))) c.push(isNull(caseState.completedAt));
  }
  if (f.light?.length) c.push(lightCondition(f.light, opts.today));
  if (f.item?.length) c.push(inArray(caseState.itemCode, f.item));
  if (f.business?.length) c.push(inArray(caseState.business, f.business));
  if (f.route?.length) c.push(inArray(caseState.route, f.route));
  if (f.channel?.length) c.push(inArray(caseState.channel, f.channel));
  if (f.clerk !== undefined) c.push(sql`${caseState.actors} @> array[${f.clerk}]::text[]`);
  if (f.responsible !== undefined) {
    c.push(eq(caseState.responsible, f.responsible));
    // The responsible clerk acted on the case: said outright, the actors index finds the rows.
    c.push(sql`${caseState.actors} @> array[${f.responsible}]::text[]`);
  }
  if (f.receivedFrom) c.push(gte(caseState.receivedAt, startOf(f.receivedFrom, opts.timeZone)));
  if (f.receivedTo) c.push(lt(caseState.receivedAt, startAfter(f.receivedTo, opts.timeZone)));
  if (f.completedFrom) c.push(gte(caseState.completedAt, startOf(f.completedFrom, opts.timeZone)));
  if (f.completedTo) c.push(lt(caseState.completedAt, startAfter(f.completedTo, opts.timeZone)));
  if (f.open === true) c.push(isNull(caseState.completedAt));
  if (f.open === false) c.push(isNotNull(caseState.completedAt));
  if (f.anomalous === true) c.push(sql`${caseState.anomalyCount} > 0`);
  if (f.anomalous === false) c.push(eq(caseState.anomalyCount, 0));
  const parts = c.filter((x): x is SQL => x !== undefined);
  return parts.length ? and(...parts) : undefined;
}

function encodeCursor(v: unknown[]): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function decodeCursor(cursor: string, sort: CaseSort): [string | null, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 3 && v[0] === sort && (v[1] === null || typeof v[1] === 'string'))
      if (typeof v[2] === 'string') return [v[1], v[2]];
  } catch {
    // fall through
  }
  throw AppError.validation([{ path: 'query.cursor', message: 'not a cursor of this listing' }]);
}

const listColumns = {
  caseNo: caseState.caseNo,
  itemCode: caseState.itemCode,
  business: caseState.business,
  route: caseState.route,
  channel: caseState.channel,
  state: caseState.state,
  receivedAt: caseState.receivedAt,
  receivedOn: caseState.receivedOn,
  acceptedOn: caseState.acceptedOn,
  acceptance: caseState.acceptance,
  committedDays: caseState.committedDays,
  committedDue: caseState.committedDue,
  statutoryDue: caseState.statutoryDue,
  stoppedDays: caseState.stoppedDays,
  extensionDays: caseState.extensionDays,
  clockStoppedSince: caseState.clockStoppedSince,
  yellowFrom: caseState.yellowFrom,
  redFrom: caseState.redFrom,
  completedAt: caseState.completedAt,
  completedOn: caseState.completedOn,
  result: caseState.result,
  workingDaysUsed: caseState.workingDaysUsed,
  overdue: caseState.overdue,
  calendarMissing: caseState.calendarMissing,
  responsible: caseState.responsible,
  actors: caseState.actors,
  anomalies: caseState.anomalies,
  deniedCount: caseState.deniedCount,
  applicantKind: cases.applicantKind,
  applicantName: cases.applicantName,
  applicantId: cases.applicantId,
  receivedKey: sql<string>`${caseState.receivedAt}::text`,
  completedKey: sql<string | null>`${caseState.completedAt}::text`,
};

export type CaseListRow = Awaited<ReturnType<typeof listCases>>['rows'][number];

/** Runs `fn` in a transaction of its own, or in the caller's when `db` is already one. */
async function inTransaction<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return 'rollback' in db ? fn(db) : (db as any).transaction(fn);
}

/** How many of the newest rows the first, index-ordered attempt at a page looks at. */
const WINDOW = 5000;

/**
 * One page of the ledger: newest first (`received`), most urgent first (`due`: open cases by
 * committed deadline, so red before yellow before green; stopped clocks last), or last
 * completed first (`completed`, the default when filtering by completion dates).
 *
 * Fast at a million cases whatever the filters: a page is first looked for among the next few
 * thousand rows in the index's order (quick when the filters are common); when those do not fill
 * it, the filters are applied first and the few matches sorted (quick when they are rare). So
 * neither a common filter sorts a million rows nor a rare one walks the whole index.
 */
export async function listCases(db: DbOrTx, filters: CaseFilters, opts: ListOptions) {
  const sort = opts.sort ?? (filters.completedFrom || filters.completedTo ? 'completed' : 'received');
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  const where: (SQL | undefined)[] = [caseFilterSql(filters, opts)];
  let after: SQL | undefined;
  if (opts.cursor) {
    const [key, caseNo] = decodeCursor(opts.cursor, sort);
    if (sort === 'received') {
      after = sql`(${caseState.receivedAt}, ${caseState.caseNo}) < (${key}::timestamptz, ${caseNo})`;
    } else if (sort === 'completed') {
      after = sql`(${caseState.completedAt}, ${caseState.caseNo}) < (${key}::timestamptz, ${caseNo})`;
    } else if (key === null) {
      after = and(isNull(caseState.committedDue), sql`${caseState.caseNo} > ${caseNo}`);
    } else {
      after = or(
        sql`(${caseState.committedDue}, ${caseState.caseNo}) > (${key}::date, ${caseNo})`,
        isNull(caseState.committedDue),
      );
    }
    where.push(after);
  }
  if (sort === 'completed') where.push(isNotNull(caseState.completedAt));
  // Deadlines order open cases: "most urgent first" is among those still open.
  if (sort === 'due') where.push(isNull(caseState.completedAt));
  const run = (extra: SQL | undefined, order: SQL[]) =>
    db
      .select(listColumns)
      .from(caseState)
      .innerJoin(cases, eq(cases.caseNo, caseState.caseNo))
      .where(and(...where, extra))
      .orderBy(...order)
      .limit(limit + 1);

  let rows: Awaited<ReturnType<typeof run>>;
  const col =
    sort === 'received'
      ? caseState.receivedAt
      : sort === 'completed'
        ? caseState.completedAt
        : caseState.committedDue;
  const order =
    sort === 'due'
      ? [sql`${col} asc nulls last`, asc(caseState.caseNo)]
      : [sql`${col} desc`, sql`${caseState.caseNo} desc`];
  // The row WINDOW places further on in index order (within the dates asked for) bounds the
  // first attempt; without one, fewer rows than that remain and the ordered walk is short.
  const dates =
    sort === 'received'
      ? caseFilterSql({ receivedFrom: filters.receivedFrom, receivedTo: filters.receivedTo }, opts)
      : sort === 'completed'
        ? caseFilterSql(
            { completedFrom: filters.completedFrom, completedTo: filters.completedTo, open: false },
            opts,
          )
        : isNull(caseState.completedAt);
  const [bound] = await queryRows<{ k: string | null; n: string }>(
    db,
    sql`select ${col}::text as k, ${caseState.caseNo} as n from ${caseState}
        where ${and(after, dates) ?? sql`true`}
        order by ${sql.join(order, sql`, `)} offset ${opts.window ?? WINDOW} limit 1`,
  );
  if (!bound) rows = await run(undefined, order);
  else {
    const inWindow =
      sort === 'due'
        ? bound.k === null
          ? sql`(${col} is not null or ${caseState.caseNo} < ${bound.n})`
          : sql`(${col}, ${caseState.caseNo}) < (${bound.k}::date, ${bound.n})`
        : sql`(${col}, ${caseState.caseNo}) > (${bound.k}::timestamptz, ${bound.n})`;
    rows = await run(inWindow, order);
    if (rows.length <= limit) {
      // The window did not fill the page: the matches are rare, so filter first and sort them
      // (an expression the index cannot order by makes the planner do exactly that), in memory
      // and without parallel workers (which would sort every match in full).
      const sortKey = sort === 'due' ? sql`${col} + 0 asc nulls last` : sql`${col} + interval '0' desc`;
      const ids = await inTransaction(db, async (tx) => {
        await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
        await tx.execute(sql`set local work_mem = '32MB'`);
        return tx
          .select({ caseNo: caseState.caseNo })
          .from(caseState)
          .where(and(...where))
          .orderBy(sortKey, sort === 'due' ? asc(caseState.caseNo) : sql`${caseState.caseNo} desc`)
          .limit(limit + 1);
      });
      rows = ids.length
        ? await run(
            inArray(
              caseState.caseNo,
              ids.map((r) => r.caseNo),
            ),
            order,
          )
        : [];
    }
  }
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  const nextCursor =
    more && last
      ? encodeCursor([
          sort,
          sort === 'received'
            ? last.receivedKey
            : sort === 'completed'
              ? last.completedKey
              : last.committedDue,
          last.caseNo,
        ])
      : null;
  return {
    rows: page.map(({ receivedKey: _k, completedKey: _c, ...r }) => ({
      ...r,
      light: lightOn(r, opts.today),
    })),
    nextCursor,
  };
}

/** A case's events in seq order, with their authority decisions and anomalies. */
export async function caseEventsOf(db: DbOrTx, caseNo: string) {
  return db.select().from(caseEvents).where(eq(caseEvents.caseNo, caseNo)).orderBy(asc(caseEvents.seq));
}

/** The case line, its derived state and its alerts (null when unknown). */
export async function getCaseRecord(db: DbOrTx, caseNo: string) {
  const [row] = await db
    .select({ c: cases, s: caseState })
    .from(cases)
    .leftJoin(caseState, eq(caseState.caseNo, cases.caseNo))
    .where(eq(cases.caseNo, caseNo));
  if (!row) return null;
  const alerts = await db
    .select()
    .from(caseAlerts)
    .where(eq(caseAlerts.caseNo, caseNo))
    .orderBy(asc(caseAlerts.id));
  return { case: row.c, state: row.s, alerts };
}

export interface AlertFilters {
  staff?: string;
  open?: boolean;
  raisedFrom?: string;
  raisedTo?: string;
}

/** Red cards, newest first; the misconduct module reads these. */
export async function listAlerts(db: DbOrTx, f: AlertFilters = {}, limit = 200) {
  const c: (SQL | undefined)[] = [
    f.staff !== undefined ? eq(caseAlerts.staffNo, f.staff) : undefined,
    f.open === true
      ? isNull(caseAlerts.resolvedAt)
      : f.open === false
        ? isNotNull(caseAlerts.resolvedAt)
        : undefined,
    f.raisedFrom ? gte(caseAlerts.raisedOn, f.raisedFrom) : undefined,
    f.raisedTo ? lte(caseAlerts.raisedOn, f.raisedTo) : undefined,
  ];
  return db
    .select()
    .from(caseAlerts)
    .where(and(...c))
    .orderBy(sql`${caseAlerts.raisedOn} desc`, sql`${caseAlerts.id} desc`)
    .limit(Math.min(Math.max(limit, 1), 1000));
}

/** An event whose actor had no authority for it at the time (`allowed = false` at ingestion). */
export interface DeniedEvent {
  caseNo: string;
  seq: number;
  action: string;
  actor: string;
  at: Date;
  reasons: string[];
}

/**
 * Events recorded outside their actor's authority, at or after `since`, in (caseNo, seq) order,
 * a page at a time after `after` (the last event seen). A partial index holds only these rows, so
 * the misconduct referral job can ask every few minutes at any size of the ledger.
 *
 * @example
 * let after;
 * do { const page = await listDeniedEvents(db, { since, after }); ...; after = page.at(-1); } while (page.length);
 */
export async function listDeniedEvents(
  db: DbOrTx,
  opts: { since?: Date; after?: { caseNo: string; seq: number }; limit?: number } = {},
): Promise<DeniedEvent[]> {
  const after = opts.after ?? { caseNo: '', seq: 0 };
  return db
    .select({
      caseNo: caseEvents.caseNo,
      seq: caseEvents.seq,
      action: caseEvents.action,
      actor: caseEvents.actor,
      at: caseEvents.at,
      reasons: caseEvents.reasons,
    })
    .from(caseEvents)
    .where(
      and(
        sql`${caseEvents.allowed} = false`,
        sql`(${caseEvents.caseNo}, ${caseEvents.seq}) > (${after.caseNo}, ${after.seq})`,
        opts.since ? gte(caseEvents.at, opts.since) : undefined,
      ),
    )
    .orderBy(asc(caseEvents.caseNo), asc(caseEvents.seq))
    .limit(opts.limit ?? 1000);
}

/**
 * Consecutive ranges of the ledger's case numbers, about `size` cases each (`lo` exclusive, `hi`
 * inclusive, the last with `hi: null`), found by keyset over the primary key: for work done a
 * range at a time over a million cases (verification's runs and facts).
 *
 * @example
 * for await (const { lo, hi } of caseNumberRanges(db, 50_000)) ... // where case_no > lo and case_no <= hi
 */
export async function* caseNumberRanges(
  db: DbOrTx,
  size: number,
): AsyncGenerator<{ lo: string; hi: string | null }> {
  let lo = '';
  for (;;) {
    const [row] = await db
      .select({ caseNo: cases.caseNo })
      .from(cases)
      .where(sql`${cases.caseNo} > ${lo}`)
      .orderBy(asc(cases.caseNo))
      .offset(size - 1)
      .limit(1);
    const hi = row?.caseNo ?? null;
    yield { lo, hi };
    if (hi === null) return;
    lo = hi;
  }
}
