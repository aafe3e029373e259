/**
 * Starts neikong: opens the database (embedded PGlite in DATA_DIR unless DATABASE_URL is set),
 * applies migrations, loads the demo bureau into an empty database, and serves HTTP.
 */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { isEmpty, loadDemo } from './demo/index.ts';
import { PolicyError } from './platform/policy-file.ts';
import { localDate } from './platform/time.ts';
import { openRuntime } from './runtime.ts';

async function main() {
  const config = loadConfig();
  const deps = await openRuntime(config);
  if (await isEmpty(deps.db)) {
    const demo = await loadDemo(deps.db, { today: localDate(new Date(), config.timeZone) });
    console.log(
      'Empty database: loaded the demo bureau (泉州市建设局). Demo accounts, password',
      demo.password,
    );
    for (const a of demo.accounts)
      console.log(`  ${a.name.padEnd(10)} ${a.role}${a.staffNo ? ` (staff ${a.staffNo})` : ''}`);
  }
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const db = deps.database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL';
    console.log(
      `neikong is running at http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${info.port}/ (${db})`,
    );
  });
  const stop = async () => {
    server.close();
    await deps.database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof PolicyError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
