/**
 * Builds what the server and the CLI share: the config, the open database and the policies.
 *
 * @example
 * const deps = await openRuntime(loadConfig());
 * try { ... } finally { await deps.database.close(); }
 */
import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { policiesDir } from './paths.ts';
import type { Deps } from './platform/http.ts';
import { loadRolePolicy } from './platform/roles.ts';

export async function openRuntime(config: Config, opts: { inMemory?: boolean } = {}): Promise<Deps> {
  const roles = loadRolePolicy(join(policiesDir, 'roles.yaml'));
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    inMemory: opts.inMemory,
  });
  return { db: database.db, database, config, roles };
}
