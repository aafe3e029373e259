/**
 * One database handle for the whole process: embedded PGlite in `DATA_DIR` when no
 * `DATABASE_URL` is set, a PostgreSQL server through the `postgres` driver when it is.
 * Both speak the same SQL, so the same drizzle schema, migrations and queries serve both.
 *
 * @example
 * const handle = await openDatabase(config);
 * const rows = await queryRows<{ n: number }>(handle.db, sql`select 1 as n`);
 * await handle.close();
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.ts';
import { postMigrationStatements } from './triggers.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; every service verb that changes state takes one of these or a Db. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The raw postgres.js client when on a server (fast bulk loads), else undefined. */
  pg?: postgres.Sql;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

const closeHooks = new WeakMap<Db, (() => Promise<void>)[]>();

/**
 * Runs `fn` when the handle of `db` is closed, before the connection goes: for writers that
 * queue in memory (the authority decision recorder) to store what they hold.
 */
export function onDatabaseClose(db: Db, fn: () => Promise<void>): void {
  const hooks = closeHooks.get(db);
  if (hooks) hooks.push(fn);
  else closeHooks.set(db, [fn]);
}

async function runCloseHooks(db: Db) {
  for (const fn of closeHooks.get(db) ?? []) await fn();
  closeHooks.delete(db);
}

/** Opens the database named by the config and applies pending migrations. */
export async function openDatabase(opts: { databaseUrl?: string; dataDir?: string; inMemory?: boolean }) {
  let handle: DatabaseHandle;
  if (opts.databaseUrl) {
    const client = postgres(opts.databaseUrl, {
      max: 10,
      onnotice: () => {},
      // Ingestion stages a whole request or file in temp tables; past the default 8 MB of
      // temp buffers they spill to disk. Only set at connect time (it cannot change once a
      // session has touched a temp table), and only used as needed.
      connection: { TimeZone: 'UTC', temp_buffers: '256MB' },
    });
    const db = drizzlePostgres({ client, schema }) as unknown as Db;
    await migratePostgres(db as any, { migrationsFolder });
    handle = {
      db,
      kind: 'postgres',
      pg: client,
      close: async () => {
        await runCloseHooks(db);
        await client.end({ timeout: 5 });
      },
    };
  } else {
    let dir: string | undefined;
    if (!opts.inMemory) {
      dir = join(opts.dataDir ?? './data', 'pglite');
      mkdirSync(dir, { recursive: true });
    }
    // bytea goes in as the bytes themselves (PGlite binds a typed array in binary format) and
    // comes out through Buffer's hex decoder: PGlite's own serializer builds a hex string byte by
    // byte, which costs milliseconds per stored PDF.
    const client = new PGlite({
      dataDir: dir,
      serializers: { 17: (v: Uint8Array) => v as unknown as string },
      parsers: { 17: (v: string) => Buffer.from(v.slice(2), 'hex') },
    });
    await client.exec(`set time zone 'UTC'`);
    const db = drizzlePglite({ client, schema }) as unknown as Db;
    await migratePglite(db as any, { migrationsFolder });
    handle = {
      db,
      kind: 'pglite',
      close: async () => {
        await runCloseHooks(db);
        await client.close();
      },
    };
  }
  await handle.db.transaction(async (tx) => {
    for (const statement of postMigrationStatements) await tx.execute(sql.raw(statement));
  });
  return handle;
}

/** Runs raw SQL and returns its rows, hiding the two drivers' different result shapes. */
export async function queryRows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: any = await db.execute(query);
  return (Array.isArray(result) ? result : result.rows) as T[];
}
