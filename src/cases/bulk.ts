/**
 * One transaction for a whole ingestion, with a fast way to load many rows into it: COPY through
 * the postgres.js connection on a PostgreSQL server, one `jsonb_to_recordset` insert per batch
 * elsewhere (PGlite, or a bare drizzle handle). Both see the same temp tables and the same SQL.
 *
 * @example
 * await withBulkSession(deps.database, async (s) => {
 *   await s.copy('nk_in_events', [{ name: 'line', type: 'int' }, { name: 'data', type: 'jsonb' }], [[1, '{}']]);
 *   return s.rows(sql`select count(*)::int as n from nk_in_events`);
 * });
 */
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import type { DatabaseHandle, Db, DbOrTx } from '../db/client.ts';
import * as schema from '../db/schema.ts';

export type ColumnType =
  | 'text'
  | 'int'
  | 'bigint'
  | 'bool'
  | 'date'
  | 'timestamptz'
  | 'jsonb'
  | 'text[]'
  | 'float8';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

/**
 * A value for COPY: `null`/`undefined` is NULL; a `jsonb` column takes JSON *text*; a `text[]`
 * column a string array; `timestamptz` a Date or an ISO string; `date` a `YYYY-MM-DD` string.
 */
export type CopyValue = string | number | boolean | Date | string[] | null | undefined;

export interface BulkSession {
  /** Drizzle on the session's transaction (for audit entries and typed queries). */
  db: DbOrTx;
  /** Whether loads go through COPY (PostgreSQL server). */
  copyMode: boolean;
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  exec(query: SQL | string): Promise<void>;
  /** Appends rows to a table; `columns` name each value of a row, in order. */
  copy(table: string, columns: readonly ColumnSpec[], rows: readonly CopyValue[][]): Promise<void>;
  /**
   * One long load into a table, fed batch by batch (no other statement may run until `end`):
   * on a server a single COPY, which the server digests while the next batch is prepared.
   */
  copyStream(table: string, columns: readonly ColumnSpec[]): Promise<CopyStream>;
}

export interface CopyStream {
  write(rows: readonly CopyValue[][]): Promise<void>;
  /** COPY text-format lines, already encoded (only on a server: see `copyMode`). */
  writeText?(text: string): Promise<void>;
  end(): Promise<void>;
}

const isHandle = (x: Db | DatabaseHandle): x is DatabaseHandle =>
  typeof (x as DatabaseHandle).close === 'function' && 'kind' in x && 'db' in x;

/** Runs `fn` in one transaction; everything it loaded is gone if it throws. */
export async function withBulkSession<T>(
  target: Db | DatabaseHandle,
  fn: (session: BulkSession) => Promise<T>,
): Promise<T> {
  if (isHandle(target) && target.pg) {
    const pg = target.pg;
    return (await pg.begin(async (raw) => {
      // A drizzle view of the transaction's own connection (the client's options are shared).
      const db = drizzlePostgres({ client: Object.assign(raw, { options: pg.options }) as any, schema });
      return fn(copySession(raw, db as unknown as DbOrTx));
    })) as T;
  }
  const db = isHandle(target) ? target.db : target;
  return db.transaction((tx) => fn(genericSession(tx)));
}

async function rowsOf<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: any = await db.execute(query);
  return (Array.isArray(result) ? result : result.rows) as T[];
}

function copySession(raw: postgres.TransactionSql, db: DbOrTx): BulkSession {
  // One statement at a time on the connection, a COPY from its start to its end: callers may
  // overlap their work (read one page while another is written), the connection must not.
  let tail: Promise<unknown> = Promise.resolve();
  const acquire = () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = tail.then(() => {});
    tail = held;
    return ready.then(() => release);
  };
  const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  };
  return {
    db,
    copyMode: true,
    rows: (query) => exclusive(() => rowsOf(db, query)),
    exec: (query) =>
      exclusive(async () => {
        if (typeof query === 'string') await raw.unsafe(query);
        else await db.execute(query);
      }),
    async copy(table, columns, rows) {
      if (rows.length === 0) return;
      const stream = await this.copyStream(table, columns);
      await stream.write(rows);
      await stream.end();
    },
    async copyStream(table, columns) {
      const release = await acquire();
      const names = columns.map((c) => c.name).join(', ');
      let stream: Awaited<ReturnType<ReturnType<typeof raw.unsafe>['writable']>>;
      try {
        stream = await raw.unsafe(`copy ${table} (${names}) from stdin`).writable();
      } catch (e) {
        release();
        throw e;
      }
      let failure: Error | null = null;
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', () => resolve());
        stream.on('error', (e) => {
          failure = e;
          reject(e);
        });
      });
      done.catch(() => {});
      const CHUNK = 2000;
      return {
        async write(rows) {
          for (let i = 0; i < rows.length; i += CHUNK) {
            if (failure) throw failure;
            let text = '';
            const end = Math.min(rows.length, i + CHUNK);
            for (let r = i; r < end; r++) text += copyLine(columns, rows[r]);
            if (!stream.write(text))
              await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
          }
        },
        async writeText(text) {
          if (failure) throw failure;
          if (!stream.write(text))
            await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
        },
        async end() {
          try {
            stream.end();
            await done;
          } finally {
            release();
          }
        },
      };
    },
  };
}

function genericSession(tx: DbOrTx): BulkSession {
  return {
    db: tx,
    copyMode: false,
    rows: (query) => rowsOf(tx, query),
    exec: async (query) => {
      await tx.execute(typeof query === 'string' ? sql.raw(query) : query);
    },
    async copy(table, columns, rows) {
      const spec = columns.map((c) => `${c.name} ${c.type}`).join(', ');
      const names = columns.map((c) => c.name).join(', ');
      const BATCH = 5000;
      for (let i = 0; i < rows.length; i += BATCH) {
        const parts: string[] = [];
        for (const row of rows.slice(i, i + BATCH)) parts.push(jsonRecord(columns, row));
        const json = `[${parts.join(',')}]`;
        await tx.execute(
          sql`insert into ${sql.raw(table)} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${json}::jsonb) as x(${sql.raw(spec)})`,
        );
      }
    },
    async copyStream(table, columns) {
      return { write: (rows) => this.copy(table, columns, rows), end: async () => {} };
    },
  };
}

// ---- encodings ----

export function copyEscape(s: string): string {
  // COPY text format: backslash, newline, carriage return and tab must be escaped.
  if (!/[\\\n\r\t]/.test(s)) return s;
  return s.replace(/[\\\n\r\t]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : '\\t',
  );
}

function pgArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`).join(',')}}`;
}

function copyField(type: ColumnType, v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (type === 'bool') return v ? 't' : 'f';
  if (Array.isArray(v)) return copyEscape(pgArrayLiteral(v));
  if (typeof v === 'number') return String(v);
  return copyEscape(String(v));
}

/** One COPY text-format line. */
export function copyLine(columns: readonly ColumnSpec[], row: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += '\t';
    line += copyField(columns[i].type, row[i]);
  }
  return `${line}\n`;
}

/** One JSON object for jsonb_to_recordset: jsonb columns carry their JSON text as is. */
function jsonRecord(columns: readonly ColumnSpec[], row: readonly CopyValue[]): string {
  let out = '{';
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    const v = row[i];
    if (i > 0) out += ',';
    out += `${JSON.stringify(c.name)}:`;
    if (v === null || v === undefined) out += 'null';
    else if (c.type === 'jsonb') out += String(v);
    else if (v instanceof Date) out += JSON.stringify(v.toISOString());
    else out += JSON.stringify(v);
  }
  return `${out}}`;
}
