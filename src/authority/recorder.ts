/**
 * Records every decision given, in batches: a decision is queued in memory and answered at once;
 * a writer stores the queue with one INSERT every few milliseconds (sooner when it grows).
 *
 * Durability trade-off (the issue allows recording "in batches if needed for speed"): an answer
 * can reach the caller up to FLUSH_MS before its record is stored, so a crash of the process (not
 * a clean stop) loses the decisions of the last few milliseconds. A clean stop loses none: closing
 * the database refuses new decisions (503) and flushes what is queued (`onDatabaseClose`). If the
 * database refuses the writes, the queue is kept and retried; once it holds HIGH_WATER decisions,
 * new decisions wait for the writer before they are queued (and fail with it), so the answers
 * never run far ahead of the record.
 *
 * Whoever reads `authority_decisions` in this process calls `flushDecisions(db)` first.
 *
 * @example
 * recordDecisions(db, [{ req, decision, askedBy: 'token:approval-system' }]);
 * await flushDecisions(db); // before reading authority_decisions
 */

import { sql } from 'drizzle-orm';
import { type Db, onDatabaseClose } from '../db/client.ts';
import { AppError } from '../platform/errors.ts';
import type { Decision, DecisionRequest } from './types.ts';

export interface DecisionRecord {
  req: DecisionRequest;
  decision: Decision;
  askedBy: string;
}

/**
 * What the INSERT reads from JSON (column names, instants as ISO text), in two lists: the
 * decisions, each once, and the requests, each naming its decision by position (`d`, from 1).
 * An allowing decision is one object shared by every request its grant allows (engine.ts), and
 * its reasons are most of a row: sent once a batch, they are encoded once, not once a request,
 * and the database parses them once.
 */
interface RequestRow {
  decided_at: string;
  at: string;
  staff_no: string;
  action: string;
  item: string;
  case_no: string | null;
  asked_by: string;
}
interface DecisionRow {
  allowed: boolean;
  via: string | null;
  post: string | null;
  acting_for: string | null;
  rule: unknown;
  reasons: readonly string[];
  policy_version: string;
}

/** The columns written, with their types (to read them back from the JSON). */
const REQUEST_TYPES = {
  decided_at: 'timestamptz',
  at: 'timestamptz',
  staff_no: 'text',
  action: 'text',
  item: 'text',
  case_no: 'text',
  asked_by: 'text',
} as const satisfies Record<keyof RequestRow, string>;
const DECISION_TYPES = {
  allowed: 'boolean',
  via: 'text',
  post: 'text',
  acting_for: 'text',
  rule: 'jsonb',
  reasons: 'jsonb',
  policy_version: 'text',
} as const satisfies Record<keyof DecisionRow, string>;
const columnsOf = (types: Record<string, string>) => Object.keys(types);
const typed = (types: Record<string, string>) =>
  Object.entries(types)
    .map(([c, t]) => `${c} ${t}`)
    .join(', ');
const COLUMN_LIST = [...columnsOf(REQUEST_TYPES), ...columnsOf(DECISION_TYPES)].join(', ');
const SELECT_LIST = [
  ...columnsOf(REQUEST_TYPES).map((c) => `r.${c}`),
  ...columnsOf(DECISION_TYPES).map((c) => `d.${c}`),
].join(', ');
/** Two JSON parameters, rows in the order given: a multi-row VALUES would bind 14 parameters a row. */
const INSERT_FROM = `insert into authority_decisions (${COLUMN_LIST}) select ${SELECT_LIST}
  from rows from (json_to_recordset($1::text::json) as (${typed(REQUEST_TYPES)}, d int)) with ordinality
    as r(${columnsOf(REQUEST_TYPES).join(', ')}, d, n)
  join rows from (jsonb_to_recordset($2::text::jsonb) as (${typed(DECISION_TYPES)})) with ordinality
    as d(${columnsOf(DECISION_TYPES).join(', ')}, n) on d.n = r.d
  order by r.n`;

/** A decision's columns as JSON, made once for a frozen (shared) decision. */
const decisionJson = new WeakMap<Decision, string>();
function decisionColumns(d: Decision): string {
  let json = decisionJson.get(d);
  if (json === undefined) {
    const row: DecisionRow = {
      allowed: d.allowed,
      via: d.via ?? null,
      post: d.post ?? null,
      acting_for: d.actingFor ?? null,
      rule: d.rule ?? null,
      reasons: d.reasons,
      policy_version: d.policyVersion,
    };
    json = JSON.stringify(row);
    if (Object.isFrozen(d)) decisionJson.set(d, json);
  }
  return json;
}

/** A decision waiting to be written, with the columns of its request. */
interface Queued {
  request: RequestRow;
  decision: Decision;
}

/** The two JSON parameters of INSERT_FROM for `items`. */
function parameters(items: Queued[]): [string, string] {
  const positions = new Map<Decision, number>();
  const decisions: string[] = [];
  const requests: string[] = [];
  for (const { request, decision } of items) {
    let d = positions.get(decision);
    if (d === undefined) {
      decisions.push(decisionColumns(decision));
      d = decisions.length;
      positions.set(decision, d);
    }
    requests.push(`${JSON.stringify(request).slice(0, -1)},"d":${d}}`);
  }
  return [`[${requests.join(',')}]`, `[${decisions.join(',')}]`];
}

/** What `$client` of drizzle's PGlite and postgres.js databases offers. */
interface RawClient {
  unsafe?: (query: string, params: unknown[], options?: { prepare?: boolean }) => Promise<unknown>;
  query?: (query: string, params: unknown[]) => Promise<unknown>;
}

/** The longest a decision waits in memory before the writer starts on it. */
const FLUSH_MS = 10;
/** A queue this long is written at once, without waiting for FLUSH_MS. */
const BATCH_ROWS = 1000;
/** Rows in one INSERT (one JSON parameter). */
const MAX_STATEMENT_ROWS = 5000;
/** Queued decisions beyond which deciding waits for the writer. */
const HIGH_WATER = 50_000;
/** After a failed write, the wait before the next try. */
const RETRY_MS = 1000;

class Recorder {
  private rows: Queued[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;
  private writing: Promise<void> | null = null;
  /** Rows handed over and rows stored since the start (FIFO: the first `stored` are stored). */
  private added = 0;
  private stored = 0;
  /** Set when the database starts closing: from then on nothing is accepted. */
  private closed = false;

  constructor(private readonly db: Db) {
    onDatabaseClose(db, () => this.close());
  }

  /**
   * Queues the rows; resolves at once, or (queue at HIGH_WATER) once the writer has made room:
   * the check comes before queueing, so an outage cannot grow the queue without bound, and a
   * caller whose wait fails was never queued (a retry does not record the decision twice).
   * Throws once the database is closing: no answer goes out that would not be recorded.
   */
  add(rows: Queued[]): Promise<void> | undefined {
    if (this.closed)
      throw new AppError('UNAVAILABLE', 'the server is stopping: decisions can no longer be recorded');
    if (this.rows.length >= HIGH_WATER) return this.flush().then(() => this.add(rows));
    for (const r of rows) this.rows.push(r);
    this.added += rows.length;
    this.schedule(this.rows.length >= BATCH_ROWS ? 0 : FLUSH_MS);
    return undefined;
  }

  private schedule(ms: number) {
    if (this.writing) return; // the writer looks at the queue again when it is done
    const due = Date.now() + ms;
    if (this.timer) {
      if (this.timerDue <= due) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    // unref: a pending write alone does not keep a process alive; closing the database flushes.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((e) =>
        console.error(
          `[${new Date().toISOString()}] authority: ${this.rows.length} decisions not recorded yet, retrying:`,
          e,
        ),
      );
    }, ms).unref();
  }

  /** Writes everything queued so far; resolves when it is stored, rejects if a write failed. */
  async flush(): Promise<void> {
    // Counted, not "until the queue is empty": under steady load the queue never is.
    const target = this.added;
    for (;;) {
      while (this.writing) await this.writing.catch(() => {});
      if (this.stored >= target || this.rows.length === 0) return;
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      const all = this.rows;
      const rows = all.length <= MAX_STATEMENT_ROWS ? all : all.slice(0, MAX_STATEMENT_ROWS);
      this.rows = rows === all ? [] : all.slice(MAX_STATEMENT_ROWS);
      const writing = this.write(rows);
      this.writing = writing;
      let failed = false;
      try {
        await writing;
        this.stored += rows.length;
      } catch (e) {
        // Kept, in order, for the next try; the caller (a reader, shutdown) hears of the failure.
        failed = true;
        this.rows = rows.concat(this.rows);
        throw e;
      } finally {
        this.writing = null;
        if (this.rows.length)
          this.schedule(failed ? RETRY_MS : this.rows.length >= BATCH_ROWS ? 0 : FLUSH_MS);
      }
    }
  }

  private async write(rows: Queued[]) {
    const params = parameters(rows);
    // Straight to the driver when it is one we know: drizzle's execute costs about as much as the
    // insert itself on PGlite (~0.3 ms a statement, measured), and this statement needs none of it.
    const client = (this.db as { $client?: RawClient }).$client;
    // Prepared (once per connection): postgres.js sends an unprepared statement with parameters
    // in two round trips (describe, then execute) and the server plans it each time.
    if (typeof client?.unsafe === 'function') await client.unsafe(INSERT_FROM, params, { prepare: true });
    else if (typeof client?.query === 'function') await client.query(INSERT_FROM, params);
    else {
      const [before, between, after] = INSERT_FROM.split(/\$[12]/);
      await this.db.execute(
        sql`${sql.raw(before)}${params[0]}${sql.raw(between)}${params[1]}${sql.raw(after)}`,
      );
    }
  }

  /** Before the database closes: refuse new decisions, store what is queued, report the rest. */
  private async close() {
    this.closed = true;
    try {
      await this.flush();
    } catch (e) {
      console.error(
        `[${new Date().toISOString()}] authority: ${this.rows.length} decisions could not be recorded before closing:`,
        e,
      );
    } finally {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.stored += this.rows.length; // given up on (and reported): later flushes must not wait
      this.rows = [];
    }
  }
}

const recorders = new WeakMap<Db, Recorder>();
const recorderFor = (db: Db) => {
  let r = recorders.get(db);
  if (!r) {
    r = new Recorder(db);
    recorders.set(db, r);
  }
  return r;
};

/**
 * Queues the decisions for recording (see the top of this file). Returns a promise only when the
 * queue is full and the caller must wait for the writer; otherwise undefined, nothing to wait for.
 */
export function recordDecisions(db: Db, records: DecisionRecord[]): Promise<void> | undefined {
  if (records.length === 0) return undefined;
  const decidedAt = new Date().toISOString();
  return recorderFor(db).add(
    records.map(({ req, decision, askedBy }) => ({
      request: {
        decided_at: decidedAt,
        at: req.at.toISOString(),
        staff_no: req.staff,
        action: req.action,
        item: req.item,
        case_no: req.case?.caseNo ?? null,
        asked_by: askedBy,
      },
      decision,
    })),
  );
}

/** Waits until every decision handed over so far is stored (readers of the log, shutdown, tests). */
export function flushDecisions(db: Db): Promise<void> {
  return recorderFor(db).flush();
}
