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

/** A row as the INSERT reads it from JSON (column names, instants as ISO text). */
interface Row {
  decided_at: string;
  at: string;
  staff_no: string;
  action: string;
  item: string;
  case_no: string | null;
  allowed: boolean;
  via: string | null;
  post: string | null;
  acting_for: string | null;
  rule: unknown;
  reasons: readonly string[];
  policy_version: string;
  asked_by: string;
}

/** The columns written, with their types (to read them back from the JSON). */
const COLUMN_TYPES = {
  decided_at: 'timestamptz',
  at: 'timestamptz',
  staff_no: 'text',
  action: 'text',
  item: 'text',
  case_no: 'text',
  allowed: 'boolean',
  via: 'text',
  post: 'text',
  acting_for: 'text',
  rule: 'jsonb',
  reasons: 'jsonb',
  policy_version: 'text',
  asked_by: 'text',
} as const satisfies Record<keyof Row, string>;
const COLUMNS = Object.keys(COLUMN_TYPES) as (keyof Row)[];
const COLUMN_LIST = COLUMNS.join(', ');
const RECORD_TYPE = COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ');
/** One statement with one JSON parameter: a multi-row VALUES would bind 14 parameters a row. */
const INSERT = `insert into authority_decisions (${COLUMN_LIST}) select ${COLUMN_LIST}
  from jsonb_to_recordset($1::text::jsonb) as x(${RECORD_TYPE})`;

/** What `$client` of drizzle's PGlite and postgres.js databases offers. */
interface RawClient {
  unsafe?: (query: string, params: unknown[]) => Promise<unknown>;
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
  private rows: Row[] = [];
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
  add(rows: Row[]): Promise<void> | undefined {
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

  private async write(rows: Row[]) {
    const json = JSON.stringify(rows);
    // Straight to the driver when it is one we know: drizzle's execute costs about as much as the
    // insert itself on PGlite (~0.3 ms a statement, measured), and this statement needs none of it.
    const client = (this.db as { $client?: RawClient }).$client;
    if (typeof client?.unsafe === 'function') await client.unsafe(INSERT, [json]);
    else if (typeof client?.query === 'function') await client.query(INSERT, [json]);
    else
      await this.db.execute(
        sql`insert into authority_decisions (${sql.raw(COLUMN_LIST)}) select ${sql.raw(COLUMN_LIST)}
          from jsonb_to_recordset(${json}::text::jsonb) as x(${sql.raw(RECORD_TYPE)})`,
      );
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
      decided_at: decidedAt,
      at: req.at.toISOString(),
      staff_no: req.staff,
      action: req.action,
      item: req.item,
      case_no: req.case?.caseNo ?? null,
      allowed: decision.allowed,
      via: decision.via ?? null,
      post: decision.post ?? null,
      acting_for: decision.actingFor ?? null,
      rule: decision.rule ?? null,
      reasons: decision.reasons,
      policy_version: decision.policyVersion,
      asked_by: askedBy,
    })),
  );
}

/** Waits until every decision handed over so far is stored (readers of the log, shutdown, tests). */
export function flushDecisions(db: Db): Promise<void> {
  return recorderFor(db).flush();
}
